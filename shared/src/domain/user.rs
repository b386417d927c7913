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

/// What `POST /users` asks for, parsed.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub name: PersonName,
    pub email: Email,
    pub phone: PhoneNumber,
    pub language: Language,
    pub terms_version: String,
}

/// What `PATCH /users/me` may change; absent fields stay as they are.
#[derive(Debug, Clone, Default)]
pub struct UserPatch {
    pub name: Option<PersonName>,
    pub email: Option<Email>,
    pub phone: Option<PhoneNumber>,
    pub language: Option<Language>,
}

impl UserPatch {
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.email.is_none()
            && self.phone.is_none()
            && self.language.is_none()
    }

    /// The account after the patch, with its version moved on.
    pub fn apply(self, mut user: UserAccount, now: &str) -> UserAccount {
        if let Some(name) = self.name {
            user.name = name;
        }
        if let Some(email) = self.email {
            user.email = email;
        }
        if let Some(phone) = self.phone {
            user.phone = phone;
        }
        if let Some(language) = self.language {
            user.language = language;
        }
        user.updated_at = now.to_owned();
        user.version += 1;
        user
    }
}
