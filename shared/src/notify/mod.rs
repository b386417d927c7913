//! Notices to people, in their language: templates, the SES sender, and the outbox.
//!
//! A notice is written in the same DynamoDB transaction as the change it reports (so a change
//! never happens without its notice), sent after the commit, and marked sent.

pub mod outbox;
pub mod ses;
pub mod templates;

use serde::{Deserialize, Serialize};

use crate::domain::{Email, Language, PersonName, Urn};

pub use ses::SesMailer;
pub use templates::Rendered;

/// What happened, with what the message needs to say it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NoticeKind {
    /// A new user account and its URN.
    UrnConfirmation { name: PersonName, urn: Urn },
    /// The user account now answers to another credential.
    CredentialTransferred { name: PersonName, urn: Urn },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub id: String,
    pub to: Email,
    pub language: Language,
    pub created_at: String,
    #[serde(flatten)]
    pub kind: NoticeKind,
}

impl Notice {
    pub fn new(to: &Email, language: Language, created_at: &str, kind: NoticeKind) -> crate::Result<Self> {
        Ok(Self { id: crate::clock::new_id()?, to: to.clone(), language, created_at: created_at.to_owned(), kind })
    }

    pub fn render(&self) -> Rendered {
        templates::render(&self.kind, self.language)
    }
}

/// Sends one rendered message. SES in production and on the local stack (moto).
pub trait Mailer {
    fn send(&self, to: &Email, message: &Rendered) -> impl std::future::Future<Output = crate::Result<()>> + Send;
}
