//! User accounts: create, read, update (a new e-mail once its code is confirmed), and move to
//! another credential. Each use case reads once, asks a rule in `domain::rules` (`accounts`,
//! `email_change`, `credential_transfer`) for a plan, and writes it.

pub mod account;
pub mod activity;
pub mod credential_transfer;
pub mod email_change;

use serde::Serialize;

use crate::clock;
use crate::domain::undeliverable::EmailStatus;
use crate::domain::user::User;
use crate::domain::{Email, Language, PersonName, PhoneNumber, Urn};

pub use account::{create_user, get_me, update_me};
pub use credential_transfer::{
    claim_credential_transfer, start_credential_transfer, CredentialTransferView,
};
pub use email_change::confirm_email;

/// The profile as its owner sees it.
#[derive(Debug, Serialize)]
pub struct UserView {
    pub urn: Urn,
    pub name: PersonName,
    pub email: Email,
    /// A new address waiting for the code sent to it; notices go to `email` until then.
    pub pending_email: Option<Email>,
    /// When the code sent to `pending_email` stops working; null with it.
    pub pending_email_expires_at: Option<String>,
    pub phone: PhoneNumber,
    pub language: Language,
    pub terms_version: String,
    pub created_at: String,
    pub updated_at: String,
    /// Whether notices reach `email` (`GET /users/me` only: `email_status`, and the reason and
    /// since when it is undeliverable).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub email_status: Option<EmailStatus>,
}

impl From<User> for UserView {
    fn from(u: User) -> Self {
        Self {
            urn: u.urn,
            name: u.name,
            email: u.email,
            pending_email_expires_at: u
                .pending_email
                .as_ref()
                .map(|p| clock::at(p.expires_at).rfc3339),
            pending_email: u.pending_email.map(|p| p.email),
            phone: u.phone,
            language: u.language,
            terms_version: u.terms_version,
            created_at: u.created_at,
            updated_at: u.updated_at,
            email_status: None,
        }
    }
}
