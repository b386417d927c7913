//! Items as stored, and their mapping to and from the domain's types.

use serde::{Deserialize, Serialize};

use super::keys;
use crate::domain::business::{Business, BusinessStatus, LegalName, MailingAddress, Role};
use crate::domain::{
    BusinessId, CredentialId, Email, Idp, Language, PersonName, PhoneNumber, Program, Urn,
    UserAccount,
};

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
        CredentialId {
            idp: self.idp,
            sub: self.sub.clone(),
        }
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

// ---------------------------------------------------------------- business accounts

/// `BUS#{id}` / `META`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BusinessRecord {
    pub pk: String,
    pub sk: String,
    #[serde(flatten)]
    pub business: Business,
    pub mailing_address: MailingAddress,
    /// The latest information-sharing (CADI) consent; the history is kept beside it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub information_sharing: Option<Consent>,
}

pub use crate::domain::business::Consent;

impl From<BusinessRecord> for crate::domain::business::BusinessAccount {
    fn from(r: BusinessRecord) -> Self {
        Self {
            business: r.business,
            mailing_address: r.mailing_address,
            information_sharing: r.information_sharing,
        }
    }
}

/// `BUS#{id}` / `CONSENT#{time}#{id}`: one entry of the consent history.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ConsentRecord {
    pub pk: String,
    pub sk: String,
    #[serde(flatten)]
    pub consent: Consent,
    pub idp: Idp,
    pub sub: String,
}

/// `BUS#{id}` / `TRANSFER`: a pending ownership transfer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TransferRecord {
    pub pk: String,
    pub sk: String,
    pub from_urn: Urn,
    pub to_urn: Urn,
    /// Where to tell both people how it ended, as their accounts said when it was requested:
    /// accepting then reads the business partition only (one Query).
    pub from: NoticeContact,
    pub to: NoticeContact,
    pub requested_at: String,
    pub expires_at: i64,
    pub ttl: i64,
}

/// Who a notice goes to, in which language.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NoticeContact {
    pub name: PersonName,
    pub email: Email,
    pub language: Language,
}

impl From<&UrnRecord> for NoticeContact {
    fn from(r: &UrnRecord) -> Self {
        Self {
            name: r.name.clone(),
            email: r.email.clone(),
            language: r.language,
        }
    }
}

impl From<&UserRecord> for NoticeContact {
    fn from(r: &UserRecord) -> Self {
        Self {
            name: r.name.clone(),
            email: r.email.clone(),
            language: r.language,
        }
    }
}

/// `BUS#{id}` / `MEMBER#{urn}`: a member as the business sees them. The member's credential
/// is kept so the user-side item can be found; a credential transfer updates it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MemberRecord {
    pub pk: String,
    pub sk: String,
    pub urn: Urn,
    pub name: PersonName,
    pub role: Role,
    pub since: String,
    pub idp: Idp,
    pub sub: String,
    pub version: u64,
}

/// `CRED#{idp}#{sub}` / `MEMBER#{id}`: a membership as the member sees it, with the summary
/// `GET /users/me/businesses` lists (kept in step by every change of status or role).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MembershipRecord {
    pub pk: String,
    pub sk: String,
    pub business_id: BusinessId,
    /// The member's own URN (the actor in audit events).
    pub urn: Urn,
    pub program: Program,
    pub legal_name: LegalName,
    pub status: BusinessStatus,
    pub role: Role,
    pub since: String,
}

impl MembershipRecord {
    /// The member's side of a membership, as the business side and the business say it is
    /// (the two are always written together).
    pub fn of(member: &MemberRecord, business: &BusinessRecord) -> Self {
        let credential = CredentialId {
            idp: member.idp,
            sub: member.sub.clone(),
        };
        Self {
            pk: keys::credential(&credential),
            sk: keys::member(business.business.business_id.as_str()),
            business_id: business.business.business_id.clone(),
            urn: member.urn.clone(),
            program: business.business.program,
            legal_name: business.business.legal_name.clone(),
            status: business.business.status,
            role: member.role,
            since: member.since.clone(),
        }
    }
}

/// `RATE#{idp}#{sub}#{hour}` / `RATE`: the activation attempts of one credential in one hour.
#[derive(Debug, Clone, Deserialize)]
pub struct AttemptsRecord {
    #[serde(default)]
    pub count: u64,
}

/// `AUDIT#{id}` / `{time}#{event_id}`: who did what to a business account, before and after.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuditRecord {
    pub pk: String,
    pub sk: String,
    pub event_id: String,
    pub business_id: BusinessId,
    pub action: String,
    pub actor_urn: Urn,
    pub actor_idp: Idp,
    pub actor_sub: String,
    pub at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<serde_json::Value>,
}
