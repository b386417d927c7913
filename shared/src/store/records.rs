//! Items as stored, and their mapping to and from the domain's types.

use serde::{Deserialize, Serialize};

use super::keys;
use crate::domain::{CredentialId, Email, Idp, Language, PersonName, PhoneNumber, Urn, UserAccount};
use crate::notify::Notice;

/// `CRED#…` / `USER`.
#[derive(Debug, Serialize, Deserialize)]
pub struct UserRecord {
    pub pk: String,
    pub sk: String,
    pub idp: Idp,
    pub sub: String,
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

impl UserRecord {
    pub fn new(credential: &CredentialId, user: &UserAccount) -> Self {
        Self {
            pk: keys::credential(credential),
            sk: keys::USER_SK.to_owned(),
            idp: credential.idp,
            sub: credential.sub.clone(),
            urn: user.urn.clone(),
            name: user.name.clone(),
            email: user.email.clone(),
            phone: user.phone.clone(),
            language: user.language,
            terms_version: user.terms_version.clone(),
            created_at: user.created_at.clone(),
            updated_at: user.updated_at.clone(),
            version: user.version,
            transfer_code_hash: None,
        }
    }

    pub fn credential(&self) -> CredentialId {
        CredentialId { idp: self.idp, sub: self.sub.clone() }
    }

    pub fn into_account(self) -> UserAccount {
        let credential = Some(self.credential());
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
            credential,
        }
    }
}

/// `URN#…` / `URN`: who a URN belongs to, with what a notice to them needs. Kept in step with
/// the user item in the same transaction.
#[derive(Debug, Serialize, Deserialize)]
pub struct UrnRecord {
    pub pk: String,
    pub sk: String,
    pub urn: Urn,
    pub idp: Idp,
    pub sub: String,
    pub name: PersonName,
    pub email: Email,
    pub language: Language,
}

impl UrnRecord {
    pub fn of(user: &UserRecord) -> Self {
        Self {
            pk: keys::urn(&user.urn),
            sk: keys::URN_SK.to_owned(),
            urn: user.urn.clone(),
            idp: user.idp,
            sub: user.sub.clone(),
            name: user.name.clone(),
            email: user.email.clone(),
            language: user.language,
        }
    }
}

/// `XFER#{hash}` / `XFER`: a live credential-transfer code (only its keyed hash is stored).
#[derive(Debug, Serialize, Deserialize)]
pub struct CredentialTransferRecord {
    pub pk: String,
    pub sk: String,
    pub urn: Urn,
    pub idp: Idp,
    pub sub: String,
    pub expires_at: i64,
    /// DynamoDB removes the item some time after this; `expires_at` is what is enforced.
    pub ttl: i64,
}

/// `NOTICE#{id}` / `NOTICE`: the outbox.
#[derive(Debug, Serialize, Deserialize)]
pub struct NoticeRecord {
    pub pk: String,
    pub sk: String,
    pub notice: Notice,
    pub status: String,
    pub tries: u32,
    pub created_at: String,
    /// Present only while pending (a sparse index of what is left to send).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gsi1pk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gsi1sk: Option<String>,
}

impl NoticeRecord {
    pub fn pending(notice: &Notice) -> Self {
        Self {
            pk: keys::notice(&notice.id),
            sk: keys::NOTICE_SK.to_owned(),
            notice: notice.clone(),
            status: "pending".into(),
            tries: 0,
            created_at: notice.created_at.clone(),
            gsi1pk: Some(keys::NOTICES_PENDING.into()),
            gsi1sk: Some(notice.created_at.clone()),
        }
    }
}
