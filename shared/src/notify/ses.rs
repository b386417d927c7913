//! The SES v2 adapter.

use aws_sdk_sesv2::types::{Body, Content, Destination, EmailContent, Message, MessageTag};

use super::{Mailer, Rendered};
use crate::domain::Email;
use crate::error::{Error, Result};

/// The message tag that carries the outbox notice's id: SES repeats a message's tags in its
/// events, so `ses-feedback` finds the notice a bounce or complaint is about by key.
pub const NOTICE_TAG: &str = "notice";

pub struct SesMailer {
    client: aws_sdk_sesv2::Client,
    sender: String,
    /// The configuration set that publishes bounces and complaints (none: SES's defaults).
    configuration_set: Option<String>,
}

impl SesMailer {
    pub fn new(
        client: aws_sdk_sesv2::Client,
        sender: String,
        configuration_set: Option<String>,
    ) -> Self {
        Self {
            client,
            sender,
            configuration_set,
        }
    }
}

fn content(text: &str) -> Result<Content> {
    Content::builder()
        .data(text)
        .charset("UTF-8")
        .build()
        .map_err(|e| Error::Internal(format!("building SES content: {e}")))
}

impl Mailer for SesMailer {
    async fn send(&self, to: &Email, message: &Rendered, notice_id: &str) -> Result<String> {
        let email = EmailContent::builder()
            .simple(
                Message::builder()
                    .subject(content(&message.subject)?)
                    .body(Body::builder().text(content(&message.text)?).build())
                    .build(),
            )
            .build();
        let tag = MessageTag::builder()
            .name(NOTICE_TAG)
            .value(notice_id)
            .build()
            .map_err(|e| Error::Internal(format!("building the SES message tag: {e}")))?;
        let sent = self
            .client
            .send_email()
            .from_email_address(&self.sender)
            .destination(Destination::builder().to_addresses(to.as_str()).build())
            .content(email)
            .set_configuration_set_name(self.configuration_set.clone())
            .email_tags(tag)
            .send()
            .await
            .map_err(|e| {
                Error::Unavailable(format!(
                    "SES SendEmail: {}",
                    aws_sdk_sesv2::error::DisplayErrorContext(&e)
                ))
            })?;
        Ok(sent.message_id.unwrap_or_default())
    }
}
