//! Business accounts: lifecycle, roles and the permission table.

use serde::{Deserialize, Serialize};

use super::identifier::BusinessIdentifier;
use super::ids::BusinessId;
use std::fmt;

use super::person::{bounded_text, text_newtype, Email, PersonName, PhoneNumber, TextError};
use super::programs::Program;
use super::urn::Urn;
use super::CredentialId;

/// `issued` (a secret exists, no account) is the identifier's state, not an account's; an
/// account starts `activated`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BusinessStatus {
    /// An owner is set by a correct secret; the program's terms are not yet accepted.
    Activated,
    /// The owner accepted the program's terms: information may be modified, members added.
    Authorized,
    /// Closed by the owner; members have lost access.
    Closed,
}

/// A member's role in a business account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The Account Owner (portal business account): exactly one per business.
    Owner,
    Proxy,
    /// Account user.
    User,
    /// Account browser.
    Browser,
}

/// What a role may do: the contract's table, as data. Every check asks `Role::allows`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Permission {
    #[serde(rename = "declarations:view")]
    DeclarationsView,
    #[serde(rename = "declarations:edit")]
    DeclarationsEdit,
    #[serde(rename = "messages:view")]
    MessagesView,
    #[serde(rename = "members:list")]
    MembersList,
    /// Assign or remove proxies.
    #[serde(rename = "members:manage-proxy")]
    MembersManageProxy,
    /// Assign or remove account users and browsers.
    #[serde(rename = "members:manage-staff")]
    MembersManageStaff,
    /// Update, close, accept terms, information-sharing consent, transfer ownership.
    #[serde(rename = "business:manage")]
    BusinessManage,
    #[serde(rename = "audit:read")]
    AuditRead,
}

use Permission as P;

const OWNER: &[Permission] = &[
    P::DeclarationsView,
    P::DeclarationsEdit,
    P::MessagesView,
    P::MembersList,
    P::MembersManageProxy,
    P::MembersManageStaff,
    P::BusinessManage,
    P::AuditRead,
];
const PROXY: &[Permission] = &[
    P::DeclarationsView,
    P::DeclarationsEdit,
    P::MessagesView,
    P::MembersList,
    P::MembersManageStaff,
    P::AuditRead,
];
const USER: &[Permission] = &[P::DeclarationsView, P::DeclarationsEdit, P::MessagesView];
const BROWSER: &[Permission] = &[P::DeclarationsView, P::MessagesView];

impl Role {
    pub fn permissions(self) -> &'static [Permission] {
        match self {
            Role::Owner => OWNER,
            Role::Proxy => PROXY,
            Role::User => USER,
            Role::Browser => BROWSER,
        }
    }

    pub fn allows(self, permission: Permission) -> bool {
        self.permissions().contains(&permission)
    }

    pub fn parse(input: &str) -> Result<Self, TextError> {
        match input {
            "owner" => Ok(Role::Owner),
            "proxy" => Ok(Role::Proxy),
            "user" => Ok(Role::User),
            "browser" => Ok(Role::Browser),
            _ => Err(TextError::Format("must be proxy, user or browser")),
        }
    }
}

/// A mailing address as written on an envelope: up to six lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailingAddress(String);

serde_via_parse!(MailingAddress);

impl MailingAddress {
    pub fn parse(input: &str) -> Result<Self, TextError> {
        let text = bounded_text(input, 500, true)?;
        if text.lines().count() > 6 {
            return Err(TextError::Format("must be at most 6 lines"));
        }
        Ok(Self(text))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

text_newtype!(
    /// A business's legal name.
    LegalName, 200, false
);

text_newtype!(
    /// A position title, e.g. "Director of Operations".
    PositionTitle, 100, false
);

/// How the agency reaches the business's authorized officer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnerContact {
    pub position_title: PositionTitle,
    pub address: MailingAddress,
    pub phone: PhoneNumber,
    pub email: Email,
}

/// A business account as stored and shown to its members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Business {
    pub business_id: BusinessId,
    pub program: Program,
    pub identifier: BusinessIdentifier,
    pub legal_name: LegalName,
    pub status: BusinessStatus,
    pub owner_urn: Urn,
    pub owner_contact: OwnerContact,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms_version: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub version: u64,
}

/// A business account with what only its members see: the mailing address on file and the
/// latest information-sharing (CADI) consent (the history is kept beside it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusinessAccount {
    #[serde(flatten)]
    pub business: Business,
    pub mailing_address: MailingAddress,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub information_sharing: Option<Consent>,
}

/// An information-sharing (CADI) consent given or withdrawn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub consent: bool,
    pub signatory_name: PersonName,
    pub signatory_title: PositionTitle,
    pub recorded_by: Urn,
    pub recorded_at: String,
}

/// One entry of a business's consent history: never overwritten.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentEntry {
    pub business_id: BusinessId,
    pub entry_id: String,
    /// Nanoseconds since the epoch, 20 digits: the history's order.
    pub stamp: String,
    #[serde(flatten)]
    pub consent: Consent,
    #[serde(flatten)]
    pub credential: CredentialId,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The contract's table, row by row: owner, proxy, user, browser.
    #[test]
    fn permission_table_matches_the_contract() {
        let rows = [
            (P::DeclarationsView, [true, true, true, true]),
            (P::DeclarationsEdit, [true, true, true, false]),
            (P::MessagesView, [true, true, true, true]),
            (P::MembersList, [true, true, false, false]),
            (P::MembersManageProxy, [true, false, false, false]),
            (P::MembersManageStaff, [true, true, false, false]),
            (P::BusinessManage, [true, false, false, false]),
            (P::AuditRead, [true, true, false, false]),
        ];
        for (permission, expected) in rows {
            for (role, allowed) in [Role::Owner, Role::Proxy, Role::User, Role::Browser]
                .into_iter()
                .zip(expected)
            {
                assert_eq!(role.allows(permission), allowed, "{role:?} {permission:?}");
            }
        }
    }

    #[test]
    fn address_table() {
        assert!(MailingAddress::parse("100 Main St\nOttawa ON  K1A 0L8").is_ok());
        assert!(MailingAddress::parse("1\n2\n3\n4\n5\n6\n7").is_err());
        assert!(MailingAddress::parse("").is_err());
        assert!(MailingAddress::parse("a\u{0}b").is_err());
    }
}
