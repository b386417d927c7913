//! Notices to people, in their language: templates, the SES sender, and the outbox.
//!
//! A notice is written in the same DynamoDB transaction as the change it reports (so a change
//! never happens without its notice), sent from the table's stream, and marked sent.

pub mod feedback;
pub mod outbox;
pub mod ses;
pub mod templates;

pub use crate::domain::notice::{Notice, NoticeKind};

use crate::domain::Email;

pub use ses::SesMailer;
pub use templates::Rendered;

/// A notice with a fresh id (the use cases not yet written as decisions).
pub fn notice(
    to: &crate::domain::Email,
    language: crate::domain::Language,
    created_at: &str,
    kind: NoticeKind,
) -> crate::Result<Notice> {
    Ok(Notice::new(
        crate::clock::new_id()?,
        to,
        language,
        created_at,
        kind,
    ))
}

impl Notice {
    /// The message in the recipient's language. A notice that carries a sealed secret or code
    /// needs the pepper to open it.
    pub fn render(&self, pepper: Option<&crate::secrets::Pepper>) -> crate::Result<Rendered> {
        let sealed = match &self.kind {
            NoticeKind::SharedSecretIssued { sealed, .. }
            | NoticeKind::EmailChangeCode { sealed, .. } => Some(sealed),
            _ => None,
        };
        let secret = match (sealed, pepper) {
            (Some(sealed), Some(pepper)) => Some(pepper.open(sealed)?),
            (Some(_), None) => {
                return Err(crate::Error::Internal(
                    "a notice that carries a sealed code needs the pepper".into(),
                ))
            }
            (None, _) => None,
        };
        Ok(templates::render(
            &self.kind,
            self.language,
            secret.as_deref(),
        ))
    }
}

/// Sends one rendered message. SES in production and on the local stack (moto).
pub trait Mailer {
    /// Sends the message of notice `notice_id` and answers SES's id for it (what SES's bounce
    /// and complaint events name).
    fn send(
        &self,
        to: &Email,
        message: &Rendered,
        notice_id: &str,
    ) -> impl std::future::Future<Output = crate::Result<String>> + Send;
}
