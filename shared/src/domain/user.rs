//! User accounts: a person, their URN, and the credential they sign in with.

use serde::{Deserialize, Serialize};

use super::{CredentialId, Email, Language, PersonName, PhoneNumber, Urn};

/// A user account as stored and as shown to its owner by `GET /users/me`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserAccount {
    pub urn: Urn,
    pub name: PersonName,
    pub email: Email,
    pub phone: PhoneNumber,
    pub language: Language,
    pub terms_version: String,
    pub created_at: String,
    pub updated_at: String,
    /// Optimistic-lock version: every write conditions on it, so no update is lost.
    pub version: u64,
    #[serde(skip)]
    pub credential: Option<CredentialId>,
}
