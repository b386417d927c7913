//! SES's bounce and complaint events as they reach `ses-feedback`: the configuration set
//! publishes each to the feedback SNS topic, and SNS invokes the function with a Lambda SNS
//! event whose `Message` is SES's event, as JSON text. Parsed here into `SesFeedback`.

use std::collections::HashMap;

use serde::Deserialize;

use super::ses::NOTICE_TAG;
use crate::domain::undeliverable::{FeedbackEvent, SesFeedback};
use crate::domain::Email;

/// The Lambda SNS event.
#[derive(Debug, Deserialize)]
pub struct SnsEvent {
    #[serde(rename = "Records", default)]
    pub records: Vec<SnsRecord>,
}

#[derive(Debug, Deserialize)]
pub struct SnsRecord {
    #[serde(rename = "Sns")]
    pub sns: SnsMessage,
}

#[derive(Debug, Deserialize)]
pub struct SnsMessage {
    #[serde(rename = "TopicArn", default)]
    pub topic_arn: String,
    #[serde(rename = "MessageId", default)]
    pub message_id: String,
    #[serde(rename = "Message", default)]
    pub message: String,
}

/// SES's event (event publishing names it `eventType`; identity notifications,
/// `notificationType`: both are read).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SesEvent {
    #[serde(alias = "notificationType")]
    event_type: String,
    mail: Mail,
    bounce: Option<Bounce>,
    complaint: Option<Complaint>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Mail {
    message_id: String,
    #[serde(default)]
    tags: HashMap<String, Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Bounce {
    bounce_type: String,
    #[serde(default)]
    bounce_sub_type: String,
    #[serde(default)]
    bounced_recipients: Vec<Recipient>,
    #[serde(default)]
    timestamp: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Complaint {
    #[serde(default)]
    complained_recipients: Vec<Recipient>,
    complaint_feedback_type: Option<String>,
    #[serde(default)]
    timestamp: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Recipient {
    email_address: String,
}

/// The addresses SES names, those that read as one (SES may add a display name: `"A" <a@b>`).
fn addresses(recipients: &[Recipient]) -> Vec<Email> {
    recipients
        .iter()
        .filter_map(|r| {
            let text = r.email_address.trim();
            let bare = match (text.rfind('<'), text.rfind('>')) {
                (Some(open), Some(close)) if open < close => &text[open + 1..close],
                _ => text,
            };
            Email::parse(bare).ok()
        })
        .collect()
}

impl SnsMessage {
    /// SES's event in this message, or why it is not one.
    pub fn feedback(&self) -> Result<SesFeedback, String> {
        let event: SesEvent =
            serde_json::from_str(&self.message).map_err(|e| format!("not an SES event: {e}"))?;
        let (kind, recipients, at) =
            match (event.event_type.as_str(), event.bounce, event.complaint) {
                ("Bounce", Some(b), _) => (
                    FeedbackEvent::Bounce {
                        bounce_type: b.bounce_type,
                        sub_type: b.bounce_sub_type,
                    },
                    addresses(&b.bounced_recipients),
                    b.timestamp,
                ),
                ("Complaint", _, Some(c)) => (
                    FeedbackEvent::Complaint {
                        feedback_type: c.complaint_feedback_type,
                    },
                    addresses(&c.complained_recipients),
                    c.timestamp,
                ),
                (other, _, _) => (
                    FeedbackEvent::Other(other.to_owned()),
                    Vec::new(),
                    String::new(),
                ),
            };
        Ok(SesFeedback {
            ses_message_id: event.mail.message_id,
            notice_id: event
                .mail
                .tags
                .get(NOTICE_TAG)
                .and_then(|values| values.first().cloned()),
            event: kind,
            recipients,
            at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SES's own example of a bounce event (event publishing, AWS SES developer guide), with the
    /// tag the sender adds.
    const BOUNCE: &str = r#"{"eventType":"Bounce","bounce":{"bounceType":"Permanent","bounceSubType":"General","bouncedRecipients":[{"emailAddress":"recipient@example.com","action":"failed","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"}],"timestamp":"2017-08-05T00:41:02.669Z","feedbackId":"01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000000","reportingMTA":"dsn; mta.example.com"},"mail":{"timestamp":"2017-08-05T00:40:02.012Z","source":"Sender Name <sender@example.com>","sendingAccountId":"123456789012","messageId":"EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000","destination":["recipient@example.com"],"headersTruncated":false,"tags":{"ses:configuration-set":["ConfigSet"],"notice":["n1"]}}}"#;
    const COMPLAINT: &str = r#"{"eventType":"Complaint","complaint":{"complainedRecipients":[{"emailAddress":"\"Alex\" <recipient@example.com>"}],"timestamp":"2017-08-05T00:41:02.669Z","feedbackId":"x","userAgent":"Mozilla/5.0","complaintFeedbackType":"abuse","arrivalDate":"2017-08-05T00:41:02.669Z"},"mail":{"messageId":"m2","destination":["recipient@example.com"],"tags":{}}}"#;

    fn message(text: &str) -> SnsMessage {
        SnsMessage {
            topic_arn: "arn:aws:sns:ca-central-1:123456789012:feedback".into(),
            message_id: "sns-1".into(),
            message: text.into(),
        }
    }

    #[test]
    fn ses_events_read_as_feedback() {
        let recipient = Email::parse("recipient@example.com").unwrap();
        let bounce = message(BOUNCE).feedback().unwrap();
        assert_eq!(
            bounce,
            SesFeedback {
                ses_message_id: "EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000"
                    .into(),
                notice_id: Some("n1".into()),
                event: FeedbackEvent::Bounce {
                    bounce_type: "Permanent".into(),
                    sub_type: "General".into()
                },
                recipients: vec![recipient.clone()],
                at: "2017-08-05T00:41:02.669Z".into(),
            }
        );
        let complaint = message(COMPLAINT).feedback().unwrap();
        assert_eq!(complaint.notice_id, None);
        assert_eq!(complaint.recipients, vec![recipient]);
        assert_eq!(
            complaint.event,
            FeedbackEvent::Complaint {
                feedback_type: Some("abuse".into())
            }
        );
        let delivery = r#"{"eventType":"Delivery","mail":{"messageId":"m3"},"delivery":{}}"#;
        assert_eq!(
            message(delivery).feedback().unwrap().event,
            FeedbackEvent::Other("Delivery".into())
        );
        assert!(message("not json").feedback().is_err());
    }
}
