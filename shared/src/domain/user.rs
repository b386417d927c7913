//! User accounts: a person, their URN, and the credential they sign in with.

use serde::{Deserialize, Serialize};

use super::member::NoticeContact;
use super::undeliverable::Undeliverable;
use super::{CredentialId, Email, Language, PersonName, PhoneNumber, Urn};

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
    /// While the account's memberships are still being moved here from another credential
    /// (a claim too big for one transaction): that credential. The follow-up that finds
    /// nothing left to move removes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moving_from: Option<CredentialId>,
    /// A new e-mail address asked for and not yet confirmed with its code: until then every
    /// notice still goes to `email`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_email: Option<Box<PendingEmail>>,
    /// The last day (days since the epoch, UTC) the account made an authenticated request:
    /// written at most once a day, and indexed by day so the dormancy sweep never scans.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_day: Option<i64>,
    /// When the account was retired for two years without a request: its credential gets
    /// 403 and its URN cannot be added, until an officer reinstates it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired_at: Option<String>,
    /// SES's mark on `email` (a permanent bounce or a complaint), copied here by `ses-feedback`
    /// so that `GET /users/me` reads it with the account; confirming a new address drops it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undeliverable: Option<Box<Undeliverable>>,
}

impl User {
    pub fn contact(&self) -> NoticeContact {
        NoticeContact {
            name: self.name.clone(),
            email: self.email.clone(),
            language: self.language,
            urn: Some(self.urn.clone()),
        }
    }
}

/// An e-mail change waiting for the code sent to the new address: only the code's keyed hash
/// is kept, and it counts its wrong tries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingEmail {
    pub email: Email,
    pub code_hash: String,
    pub expires_at: i64,
    #[serde(default)]
    pub wrong_tries: u32,
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
    /// The account is retired: the URN is answered as unknown to whoever would add it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub retired: bool,
}

impl UrnEntry {
    pub fn of(user: &User) -> Self {
        Self {
            urn: user.urn.clone(),
            credential: user.credential.clone(),
            name: user.name.clone(),
            email: user.email.clone(),
            language: user.language,
            retired: user.retired_at.is_some(),
        }
    }

    pub fn contact(&self) -> NoticeContact {
        NoticeContact {
            name: self.name.clone(),
            email: self.email.clone(),
            language: self.language,
            urn: Some(self.urn.clone()),
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
