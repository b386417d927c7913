//! The SES v2 adapter.

use aws_sdk_sesv2::types::{Body, Content, Destination, EmailContent, Message};

use super::{Mailer, Rendered};
use crate::domain::Email;
use crate::error::{Error, Result};

pub struct SesMailer {
    client: aws_sdk_sesv2::Client,
    sender: String,
}

impl SesMailer {
    pub fn new(client: aws_sdk_sesv2::Client, sender: String) -> Self {
        Self { client, sender }
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
    async fn send(&self, to: &Email, message: &Rendered) -> Result<()> {
        let email = EmailContent::builder()
            .simple(
                Message::builder()
                    .subject(content(&message.subject)?)
                    .body(Body::builder().text(content(&message.text)?).build())
                    .build(),
            )
            .build();
        self.client
            .send_email()
            .from_email_address(&self.sender)
            .destination(Destination::builder().to_addresses(to.as_str()).build())
            .content(email)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| {
                Error::Unavailable(format!(
                    "SES SendEmail: {}",
                    aws_sdk_sesv2::error::DisplayErrorContext(&e)
                ))
            })
    }
}
