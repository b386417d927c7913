//! What the agency has on file for an identifier before a business account exists: the shared
//! secret (only its keyed hash), the letters that carry codes, and TTP registrations.

use serde::{Deserialize, Serialize};

use super::business::{LegalName, MailingAddress};
use super::identifier::{Bn9, BusinessIdentifier};
use super::{BusinessId, Email, Language, LetterId, Program, Urn};

/// The shared secret for an identifier and what the agency has on file. Also made, as a
/// `phantom`, by wrong tries against an identifier that has no secret, so those count alike.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentifierSecret {
    pub program: Program,
    pub identifier: BusinessIdentifier,
    /// Moves on with every issue and use of a secret (not with counted tries).
    #[serde(default)]
    pub version: u64,
    #[serde(default)]
    pub phantom: bool,
    #[serde(default)]
    pub failures: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<SecretIssue>,
    /// `issued` until an activation consumes the secret, then `used`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_status: Option<SecretStatus>,
    /// The live business account for this identifier, once activated (removed on close).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_id: Option<BusinessId>,
    /// Which issue this is: moves on when the agency (or a registration) issues a secret, not
    /// when a new code is asked for, so a credential's counted tries last until then.
    #[serde(default)]
    pub issue_no: u64,
    /// The letter that carries the newest code (withdrawn if a newer code replaces it unmailed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub letter_id: Option<LetterId>,
    /// Codes that were in hand when a newer one was asked for: they still work until they
    /// expire or a code for the identifier is used.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub earlier: Vec<EarlierCode>,
    /// What the newest secret is for: opening the identifier's business account, or (issued
    /// while a business account holds the identifier) taking over as its owner.
    #[serde(default)]
    pub purpose: SecretPurpose,
    /// When a new code was last asked for (epoch seconds): one a day at most.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renewed_at: Option<i64>,
    /// The day (epoch / 86 400) wrong tries piling up were last reported: once a day at most.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_day: Option<i64>,
}

/// A code still good besides the newest one (only its keyed hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EarlierCode {
    pub secret_hash: String,
    pub expires_at: i64,
}

/// One credential's wrong tries on one identifier, against one issue of its secret; gone
/// (by `until`, and the table's TTL) a day after the last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialTries {
    #[serde(default)]
    pub issue_no: u64,
    pub count: u32,
    pub until: i64,
}

/// A secret that was issued, with the business on file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretIssue {
    pub program: Program,
    pub identifier: BusinessIdentifier,
    pub legal_name: LegalName,
    pub mailing_address: MailingAddress,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<Email>,
    pub language: Language,
    pub secret_hash: String,
    pub issued_at: String,
    pub expires_at: i64,
}

/// What a secret is for (`POST /agency/shared-secrets` answers it as `purpose`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SecretPurpose {
    /// Opens a business account for the identifier; never takes one that exists.
    #[default]
    Activation,
    /// Owner recovery: whoever activates with it becomes the owner of the business account
    /// that holds the identifier.
    Recovery,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SecretStatus {
    Issued,
    Used,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LetterStatus {
    /// A registration's letter for a Business Number the agency's register does not know: an
    /// officer checks it (approve: `pending`; reject: `withdrawn`). Its code, sealed, works
    /// only once approved and mailed.
    Review,
    /// Waiting for the agency to print and mail it; the code is in it (sealed).
    Pending,
    /// In the mail; the code has left the table.
    Mailed,
    /// Never mailed: its code was dropped and no longer works.
    Withdrawn,
}

impl LetterStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Review => "review",
            Self::Pending => "pending",
            Self::Mailed => "mailed",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Review, Self::Pending, Self::Mailed, Self::Withdrawn]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// An activation-code letter for the agency to print and mail. The code is sealed (never in
/// clear) and dropped once the letter is mailed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Letter {
    pub letter_id: LetterId,
    pub program: Program,
    pub business_identifier: BusinessIdentifier,
    pub legal_name: LegalName,
    pub mailing_address: MailingAddress,
    pub language: Language,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed_secret: Option<String>,
    pub expires_at: i64,
    pub status: LetterStatus,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mailed_at: Option<String>,
    /// The version of the identifier's secret this letter carries (to revoke that one only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_version: Option<u64>,
    /// While in review: the keyed hash of its code, which becomes the identifier's secret only
    /// when an officer approves the letter (until then no code works for the identifier).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held_secret_hash: Option<String>,
    /// For a registration's letter: the Business Number registered, and by whom.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration: Option<LetterRegistration>,
}

/// What an officer reviewing a registration's letter sees of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterRegistration {
    pub business_number: Bn9,
    pub registered_by: Urn,
}

/// The agency's own record of a business (from the Business Number registry): a
/// registration's letter goes to this address, never to one the registrant typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterEntry {
    pub business_number: Bn9,
    pub legal_name: LegalName,
    pub mailing_address: MailingAddress,
    pub updated_at: String,
    /// The officer's credential subject who last edited it.
    pub updated_by: String,
}

/// A TTP registration: one per Business Number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registration {
    pub business_number: String,
    pub client_number: BusinessIdentifier,
    /// The applicant; none for a current member the agency imported (`POST /agency/imports`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registered_by: Option<Urn>,
    pub registered_at: String,
}
