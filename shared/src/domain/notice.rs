//! Notices to people, in their language: what happened, with what the message needs to say
//! it. Written with the change they report; `notify` renders and sends them.

use serde::{Deserialize, Serialize};

use super::business::{LegalName, Role};
use super::delegation::{DelegatedPermissions, DelegationNews};
use super::member::NoticeContact;
use super::{Email, Language, PersonName, Program, Urn};

/// What happened, with what the message needs to say it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NoticeKind {
    /// A new user account and its URN.
    UrnConfirmation { name: PersonName, urn: Urn },
    /// The user account now answers to another credential.
    CredentialTransferred { name: PersonName, urn: Urn },
    /// A credential-transfer code was made for the account (to its confirmed e-mail).
    CredentialTransferStarted {
        name: PersonName,
        urn: Urn,
        expires_at: String,
    },
    /// A change of e-mail was asked: to the current address, without the code.
    EmailChangeAsked { name: PersonName, new_email: Email },
    /// The code that confirms an e-mail change, to the new address. Sealed with the pepper
    /// until SES has the message.
    EmailChangeCode {
        name: PersonName,
        /// Removed once sent.
        #[serde(default)]
        sealed: String,
        expires_at: String,
    },
    /// A shared secret for the business, to its approved contact (programs that e-mail it).
    /// The secret is sealed with the pepper until SES has the message.
    SharedSecretIssued {
        program: Program,
        legal_name: LegalName,
        business_identifier: String,
        /// Removed once sent.
        #[serde(default)]
        sealed: String,
        expires_at: String,
        /// An owner-recovery secret: it makes its holder the owner of the business account.
        #[serde(default)]
        recovery: bool,
    },
    /// Someone asked for a new activation code for the business (to its contact on file): the
    /// code they hold still works.
    NewCodeRequested {
        program: Program,
        legal_name: LegalName,
        business_identifier: String,
    },
    /// Wrong tries on the identifier are piling up (to the contact on file and the agency).
    WrongTriesPilingUp {
        program: Program,
        business_identifier: String,
        wrong_tries: u32,
    },
    /// The business account is activated and the recipient is its Account Owner.
    BusinessActivated {
        name: PersonName,
        legal_name: LegalName,
        program: Program,
        business_identifier: String,
    },
    /// The recipient was given a role in a business account.
    RoleGranted {
        name: PersonName,
        legal_name: LegalName,
        role: Role,
    },
    /// The recipient's role changed. (Not `from`/`to`: flattened into `Notice`, a field `to`
    /// would overwrite the recipient.)
    RoleChanged {
        name: PersonName,
        legal_name: LegalName,
        from_role: Role,
        to_role: Role,
    },
    /// The recipient was removed from a business account.
    RoleRemoved {
        name: PersonName,
        legal_name: LegalName,
    },
    /// Ownership transfer requested: `to_you` for the named user, else for the owner who asked.
    TransferRequested {
        name: PersonName,
        legal_name: LegalName,
        other: PersonName,
        to_you: bool,
        expires_at: String,
    },
    /// The account goes unused for two years on `retires_on` (a date): one request before
    /// then keeps it.
    AccountDormant {
        name: PersonName,
        urn: Urn,
        retires_on: String,
    },
    /// The Account Owner's user account was retired (to each proxy): the agency can recover
    /// the business's ownership.
    OwnerRetired {
        name: PersonName,
        legal_name: LegalName,
        owner: PersonName,
        owner_urn: Urn,
    },
    /// Ownership transfer completed: `to_you` for the new owner, else for the former one.
    TransferCompleted {
        name: PersonName,
        legal_name: LegalName,
        other: PersonName,
        to_you: bool,
    },
    /// Owner recovery: `new_owner` took over the business account with a recovery secret the
    /// agency issued; the former owner is a proxy. To every member, with their role now.
    OwnerRecovered {
        name: PersonName,
        legal_name: LegalName,
        new_owner: PersonName,
        role: Role,
    },
    /// A delegation between business accounts moved on: to the owners of both (`legal_name` is
    /// the recipient's business; grantor and grantee as the delegation shows them).
    Delegation {
        name: PersonName,
        legal_name: LegalName,
        news: DelegationNews,
        grantor: String,
        grantee: String,
        program: Program,
        permissions: DelegatedPermissions,
        ends_on: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub id: String,
    pub to: Email,
    pub language: Language,
    pub created_at: String,
    /// The user account it goes to, if it goes to one: SES's feedback about it marks that
    /// account's e-mail as well as the address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient_urn: Option<Urn>,
    #[serde(flatten)]
    pub kind: NoticeKind,
}

impl Notice {
    pub fn new(
        id: String,
        to: &Email,
        language: Language,
        created_at: &str,
        kind: NoticeKind,
    ) -> Self {
        Self {
            id,
            to: to.clone(),
            language,
            created_at: created_at.to_owned(),
            recipient_urn: None,
            kind,
        }
    }

    /// A notice to a contact, in their language.
    pub fn to(contact: &NoticeContact, id: String, created_at: &str, kind: NoticeKind) -> Self {
        Self {
            recipient_urn: contact.urn.clone(),
            ..Self::new(id, &contact.email, contact.language, created_at, kind)
        }
    }
}
