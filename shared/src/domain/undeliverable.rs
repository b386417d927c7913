//! Addresses SES cannot deliver to. SES reports a permanent bounce or a complaint about one
//! message to one address; the portal keeps that as a mark on the address (not on an account:
//! SES speaks of addresses, a business's contact has no account, and one mark stops every
//! notice to it). A user account's e-mail is undeliverable while its confirmed address has a
//! mark; confirming a new address leaves the mark with the old one.

use serde::{Deserialize, Serialize};

use super::Email;

/// Why an address is undeliverable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UndeliverableReason {
    /// SES had a permanent bounce (no such mailbox, or the address is on a suppression list).
    Bounced,
    /// The recipient marked a notice as spam.
    Complained,
}

/// The mark on an address: why, when, and which message (SES's id, and the notice's) told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Undeliverable {
    pub email: Email,
    pub reason: UndeliverableReason,
    /// SES's bounce subtype or complaint feedback type, as it gave it (for the support desk).
    pub detail: String,
    /// When SES reported it (RFC 3339).
    pub at: String,
    pub ses_message_id: String,
    pub notice_id: String,
}

/// What SES reported about one message it tried to deliver (from its event, via SNS).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SesFeedback {
    /// SES's id of the message (`mail.messageId`).
    pub ses_message_id: String,
    /// The outbox notice the message carried (the `notice` tag the sender sets).
    pub notice_id: Option<String>,
    pub event: FeedbackEvent,
    /// The recipients the event is about.
    pub recipients: Vec<Email>,
    /// When SES reported it (RFC 3339).
    pub at: String,
}

/// The kind of event, with SES's own type names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedbackEvent {
    /// `bounceType`: `Permanent`, `Transient` or `Undetermined`; `bounceSubType` as given.
    Bounce {
        bounce_type: String,
        sub_type: String,
    },
    /// `complaintFeedbackType`, when the mailbox provider gave one.
    Complaint { feedback_type: Option<String> },
    /// Any other event type (Delivery, Send, ...): the configuration set sends only bounces
    /// and complaints, so this is noise.
    Other(String),
}

/// A notice the outbox sent, as the feedback needs it: to whom, and SES's id for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentNotice {
    pub notice_id: String,
    pub to: Email,
    pub ses_message_id: Option<String>,
}

/// A user account's e-mail as the portal sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "email_status", rename_all = "snake_case")]
pub enum EmailStatus {
    Deliverable,
    /// Notices to it are not sent; the person is asked for a new address.
    Undeliverable {
        #[serde(rename = "email_undeliverable_reason")]
        reason: UndeliverableReason,
        #[serde(rename = "email_undeliverable_since")]
        since: String,
    },
}
