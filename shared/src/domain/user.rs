//! User accounts: a person, their URN, and the credential they sign in with.

use serde::{Deserialize, Serialize};

use super::member::NoticeContact;
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

/// A user account as stored under its credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    #[serde(flatten)]
    pub credential: CredentialId,
    pub urn: Urn,
    pub name: PersonName,
    pub email: Email,
    pub phone: PhoneNumber,
    pub language: Language,
    pub terms_version: String,
    pub created_at: String,
    pub updated_at: String,
    pub version: u64,
    /// Hash of the live credential-transfer code, if one was issued; a newer one replaces it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer_code_hash: Option<String>,
}

impl User {
    pub fn new(credential: &CredentialId, account: &UserAccount) -> Self {
        Self {
            credential: credential.clone(),
            urn: account.urn.clone(),
            name: account.name.clone(),
            email: account.email.clone(),
            phone: account.phone.clone(),
            language: account.language,
            terms_version: account.terms_version.clone(),
            created_at: account.created_at.clone(),
            updated_at: account.updated_at.clone(),
            version: account.version,
            transfer_code_hash: None,
        }
    }

    pub fn into_account(self) -> UserAccount {
        UserAccount {
            urn: self.urn,
            name: self.name,
            email: self.email,
            phone: self.phone,
            language: self.language,
            terms_version: self.terms_version,
            created_at: self.created_at,
            updated_at: self.updated_at,
            version: self.version,
            credential: Some(self.credential),
        }
    }

    pub fn contact(&self) -> NoticeContact {
        NoticeContact {
            name: self.name.clone(),
            email: self.email.clone(),
            language: self.language,
        }
    }
}

/// Who a URN belongs to, with what a notice to them needs; kept in step with the user account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UrnEntry {
    pub urn: Urn,
    #[serde(flatten)]
    pub credential: CredentialId,
    pub name: PersonName,
    pub email: Email,
    pub language: Language,
}

impl UrnEntry {
    pub fn of(user: &User) -> Self {
        Self {
            urn: user.urn.clone(),
            credential: user.credential.clone(),
            name: user.name.clone(),
            email: user.email.clone(),
            language: user.language,
        }
    }

    pub fn contact(&self) -> NoticeContact {
        NoticeContact {
            name: self.name.clone(),
            email: self.email.clone(),
            language: self.language,
        }
    }
}

/// A live credential-transfer code: only its keyed hash is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialTransferCode {
    pub code_hash: String,
    pub urn: Urn,
    #[serde(flatten)]
    pub credential: CredentialId,
    pub expires_at: i64,
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
