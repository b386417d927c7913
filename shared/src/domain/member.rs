//! Members of a business account, as the business sees them (`Member`) and as the member
//! sees them (`Membership`), written together; and a pending ownership transfer.

use serde::{Deserialize, Serialize};

use super::business::{BusinessAccount, BusinessStatus, LegalName, Role};
use super::{BusinessId, CredentialId, Email, Language, PersonName, Program, Urn};

/// A member as the business sees them. The member's credential is kept so their side of the
/// membership can be found; a credential transfer re-points it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub business_id: BusinessId,
    pub urn: Urn,
    pub name: PersonName,
    pub role: Role,
    pub since: String,
    #[serde(flatten)]
    pub credential: CredentialId,
    pub version: u64,
}

/// A membership as the member sees it, with the summary `GET /users/me/businesses` lists
/// (kept in step by every change of status or role).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    #[serde(flatten)]
    pub credential: CredentialId,
    pub business_id: BusinessId,
    /// The member's own URN (the actor in audit events).
    pub urn: Urn,
    pub program: Program,
    pub legal_name: LegalName,
    pub status: BusinessStatus,
    pub role: Role,
    pub since: String,
}

impl Membership {
    /// The member's side, as the business side and the business say it is.
    pub fn of(member: &Member, business: &BusinessAccount) -> Self {
        Self {
            credential: member.credential.clone(),
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

/// Who a notice goes to, in which language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeContact {
    pub name: PersonName,
    pub email: Email,
    pub language: Language,
    /// The user account this is, if it is one (a business's contact is not): SES's feedback
    /// about a notice to it marks that account too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urn: Option<Urn>,
}

/// Members one page of `GET /businesses/{id}/members` holds at most, and by default: ~300
/// bytes each, so a page stays far below Lambda's 6 MB answer whatever the business's size
/// (one of 20 000 members is read in 20 pages).
pub const PAGE_MAX: u32 = 1000;

/// A pending ownership transfer: one per business at a time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnershipTransfer {
    pub business_id: BusinessId,
    pub from_urn: Urn,
    pub to_urn: Urn,
    /// Where to tell both people how it ended, as their accounts said when it was requested:
    /// accepting then reads the business partition only.
    pub from: NoticeContact,
    pub to: NoticeContact,
    pub requested_at: String,
    pub expires_at: i64,
}

/// Every member of a business is to be told of an owner recovery. A business may have more
/// members than one transaction holds notices, so the recovery writes this record and
/// `membership-followups` (brought by its stream record) writes the notices a bounded step at
/// a time, in URN order, each step moving `after` on; the step that finds nobody left
/// deletes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembersToTell {
    pub tell_id: String,
    pub business_id: BusinessId,
    pub legal_name: LegalName,
    /// The new Account Owner's name, as the notices say it.
    pub new_owner: PersonName,
    /// The URN of the last member told; empty before the first step.
    #[serde(default)]
    pub after: String,
    pub created_at: String,
}
