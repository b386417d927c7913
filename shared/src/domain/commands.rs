//! What each request asks, parsed: the commands the use cases take. They are built at the
//! edge (`http::commands`: the body, the path and `If-Match` of the route), so holding one
//! means every field passed its domain parser; nothing here knows HTTP.

use super::business::{LegalName, MailingAddress, OwnerContact, PositionTitle, Role};
use super::identifier::{Bn9, BusinessIdentifier};
use super::onboarding::LetterStatus;
use super::shared_secret::SharedSecret;
use super::user::User;
use super::{BusinessId, Email, Language, LetterId, PersonName, PhoneNumber, Program, Urn};

// ---------------------------------------------------------------- user accounts

/// `POST /users`.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub name: PersonName,
    pub email: Email,
    pub phone: PhoneNumber,
    pub language: Language,
    pub terms_version: String,
}

/// `PATCH /users/me`: absent fields stay as they are. A new `email` is not applied here: it
/// waits for its code (`rules::email_change`).
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

    /// The account after the patch (its e-mail aside), with its version moved on.
    pub fn apply(self, mut user: User, now: &str) -> User {
        if let Some(name) = self.name {
            user.name = name;
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

/// `POST /credential-transfers/claim`.
pub struct CredentialTransferClaim {
    /// The code in its canonical form (`code::normalize`).
    pub transfer_code: String,
}

/// `POST /users/me/email-confirmation`.
pub struct EmailConfirmation {
    /// The six digits as typed, separators dropped (`code::digits`).
    pub code: String,
}

// ---------------------------------------------------------------- business accounts

/// `POST /businesses`.
pub struct Activation {
    pub program: Program,
    pub identifier: BusinessIdentifier,
    pub secret: SharedSecret,
    pub owner_contact: OwnerContact,
}

/// `PATCH /businesses/{id}`: the mailing address and any part of the owner's contact; at
/// least one of them.
pub struct BusinessPatch {
    pub business_id: BusinessId,
    /// The version the owner read (`If-Match`), when they sent it.
    pub if_match: Option<u64>,
    pub mailing_address: Option<MailingAddress>,
    pub position_title: Option<PositionTitle>,
    pub address: Option<MailingAddress>,
    pub phone: Option<PhoneNumber>,
    pub email: Option<Email>,
}

/// `POST /businesses/{id}/terms`.
pub struct TermsAcceptance {
    pub business_id: BusinessId,
    /// The program terms version the owner read.
    pub version: String,
}

// ---------------------------------------------------------------- members

/// `PUT /businesses/{id}/members/{urn}`.
pub struct PutMember {
    pub business_id: BusinessId,
    pub urn: Urn,
    /// Proxy, user or browser: ownership moves only by transfer.
    pub role: Role,
    /// `If-Match`: the member's version the caller read (0: not a member yet).
    pub if_match: Option<u64>,
    /// The e-mail of the person's user account: adding someone needs it as well as the URN,
    /// so a mistyped URN adds nobody and a URN alone reveals nobody's name.
    pub email: Option<Email>,
}

/// `DELETE /businesses/{id}/members/{urn}`.
pub struct RemoveMember {
    pub business_id: BusinessId,
    pub urn: Urn,
    pub if_match: Option<u64>,
}

/// `POST /businesses/{id}/ownership-transfer`.
pub struct OwnershipTransferRequest {
    pub business_id: BusinessId,
    pub to_urn: Urn,
}

/// `PUT /businesses/{id}/information-sharing`: CADI consent given or withdrawn.
pub struct ConsentOrder {
    pub business_id: BusinessId,
    pub consent: bool,
    pub signatory_name: PersonName,
    pub signatory_title: PositionTitle,
}

/// `GET /businesses/{id}/members?limit=&cursor=`.
pub struct MembersQuery {
    pub business_id: BusinessId,
    /// Members on the page: 1 to `member::PAGE_MAX`.
    pub limit: u32,
    /// Where the previous page stopped, as its `Link` header said (the store reads it).
    pub cursor: Option<String>,
}

/// `GET /businesses/{id}/audit?limit=&cursor=`.
pub struct AuditQuery {
    pub business_id: BusinessId,
    /// Events on the page: 1 to `audit::PAGE_MAX`.
    pub limit: u32,
    /// Where the previous page stopped, as its `next_cursor` said (the store reads it).
    pub cursor: Option<String>,
}

// ---------------------------------------------------------------- shared secrets

/// `POST /agency/shared-secrets`.
#[derive(Clone)]
pub struct SecretOrder {
    pub program: Program,
    pub identifier: BusinessIdentifier,
    pub legal_name: LegalName,
    pub mailing_address: MailingAddress,
    /// Required where the program delivers secrets by e-mail.
    pub email: Option<Email>,
    pub language: Language,
}

/// `POST /registrations` (TTP only).
pub struct RegistrationOrder {
    pub business_number: Bn9,
    pub legal_name: LegalName,
    pub mailing_address: MailingAddress,
}

/// `PUT /agency/business-register/{business_number}`.
pub struct RegisterEdit {
    pub business_number: Bn9,
    pub legal_name: LegalName,
    pub mailing_address: MailingAddress,
}

/// `GET /agency/letters?status=&cursor=`.
pub enum LettersQuery {
    /// The queue of one status, a page at a time.
    Queue {
        status: LetterStatus,
        /// Where the previous page stopped, as its `next_cursor` said (the store reads it).
        cursor: Option<String>,
    },
    /// The letters of one business (`program` + `identifier`, or `business_number`), newest
    /// first, of one status when `status` is given.
    Of {
        business: BusinessLookup,
        status: Option<LetterStatus>,
    },
}

/// `POST /agency/letters/{letter_id}/approve`.
pub struct LetterApproval {
    pub letter_id: LetterId,
    /// Where the letter goes, when not to the address typed.
    pub mailing_address: Option<MailingAddress>,
}

/// `POST /agency/letters/{letter_id}/reject`.
pub struct LetterRejection {
    pub letter_id: LetterId,
    pub reason: String,
}

/// `POST /activation-code-requests`.
pub struct ActivationCodeRequest {
    pub program: Program,
    pub identifier: BusinessIdentifier,
}

/// `POST /agency/users/{urn}/reinstate`.
#[derive(Debug, Clone)]
pub struct UserReinstatement {
    pub urn: Urn,
}
/// `GET /agency/users/{urn}`: the support desk looks up a caller.
pub struct UserLookup {
    pub urn: Urn,
}

/// `GET /agency/businesses`: by program and identifier, or by the Business Number of a TTP
/// registration (its Client Number).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BusinessLookup {
    Identifier(Program, BusinessIdentifier),
    BusinessNumber(Bn9),
}
