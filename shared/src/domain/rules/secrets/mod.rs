//! Shared secrets (activation codes): issued by an agency officer, by a TTP registration, or on
//! a request for a new code. An issued secret replaces the earlier unused one, every code of
//! it, and its counted tries; a new code asked for never kills a code someone holds (it stays
//! good until it expires or a code is used), and comes at most once a day. None is issued
//! while a business account holds the identifier. It travels by e-mail notice or by letter, as
//! the program says, sealed until delivered; a letter a newer code replaces before it is
//! mailed is withdrawn.
//!
//! The use case draws the secret and hashes and seals it with the pepper; the decisions here
//! get the keyed hash and the sealed text only.

use crate::clock::Fresh;
use crate::domain::business::{LegalName, MailingAddress};
use crate::domain::commands::SecretOrder;
use crate::domain::identifier::BusinessIdentifier;
use crate::domain::notice::{Notice, NoticeKind};
use crate::domain::onboarding::{
    EarlierCode, IdentifierSecret, Letter, LetterRegistration, LetterStatus, SecretIssue,
    SecretPurpose, SecretStatus,
};
use crate::domain::plan::{Change, Plan};
use crate::domain::programs::Delivery;
use crate::domain::{BusinessId, Email, Language, LetterId, Program, Refusal};

const SECONDS_A_DAY: i64 = 86_400;
/// A new code is sent for an identifier at most once in this long, however often it is asked.
const NEW_CODE_EVERY_SECS: i64 = SECONDS_A_DAY;
/// Requests for a new code one credential may make in a clock hour, over all identifiers;
/// past it they are answered alike and do nothing.
pub const MAX_CODE_REQUESTS_AN_HOUR: u64 = 10;

/// What the agency has on file for an identifier: where and how its secret goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnFile {
    pub program: Program,
    pub identifier: BusinessIdentifier,
    pub legal_name: LegalName,
    pub mailing_address: MailingAddress,
    pub email: Option<Email>,
    pub language: Language,
}

impl From<SecretOrder> for OnFile {
    fn from(order: SecretOrder) -> Self {
        Self {
            program: order.program,
            identifier: order.identifier,
            legal_name: order.legal_name,
            mailing_address: order.mailing_address,
            email: order.email,
            language: order.language,
        }
    }
}

impl From<SecretIssue> for OnFile {
    fn from(issue: SecretIssue) -> Self {
        Self {
            program: issue.program,
            identifier: issue.identifier,
            legal_name: issue.legal_name,
            mailing_address: issue.mailing_address,
            email: issue.email,
            language: issue.language,
        }
    }
}

/// A secret the use case drew: its keyed hash (kept, to check activations against) and the
/// secret sealed with the pepper (carried by the letter or the notice until delivered).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawnSecret {
    pub hash: String,
    pub sealed: String,
}

/// A new secret: the plan that writes it with its delivery, when it expires, and how it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    pub plan: Plan,
    pub expires_at: i64,
    pub delivery: Delivery,
    /// The letter that carries it, when it goes by letter.
    pub letter_id: Option<LetterId>,
    pub purpose: SecretPurpose,
}

/// When a secret issued at `now` (epoch seconds) for `program` expires.
pub fn lifetime_end(program: Program, now: i64) -> i64 {
    now + i64::from(program.rules().secret_lifetime_days) * SECONDS_A_DAY
}

#[cfg(test)]
mod fixtures;
mod issue;
mod register;
mod renew;

pub use issue::issue;
pub use register::register;
pub use renew::{renew, CodeRequest};

/// What a new secret keeps of the identifier's item: a new issue starts afresh (but for the
/// business account that holds the identifier, which makes it a recovery secret); a new code
/// asked for keeps the issue, its counted tries and the codes in hand.
struct Kept {
    issue_no: u64,
    failures: u32,
    reported_day: Option<i64>,
    earlier: Vec<EarlierCode>,
    renewed_at: Option<i64>,
    business_id: Option<BusinessId>,
    purpose: SecretPurpose,
}

impl Kept {
    fn new_issue(current: Option<&IdentifierSecret>) -> Self {
        let business_id = current.and_then(|c| c.business_id.clone());
        Self {
            issue_no: current.map_or(0, |c| c.issue_no) + 1,
            failures: 0,
            reported_day: None,
            earlier: Vec::new(),
            renewed_at: None,
            purpose: match business_id {
                Some(_) => SecretPurpose::Recovery,
                None => SecretPurpose::Activation,
            },
            business_id,
        }
    }
}

/// How a letter starts: waiting to be mailed, or (a registration the register does not know)
/// in review; and the registration it is for.
#[derive(Debug, Clone)]
struct LetterOf {
    status: LetterStatus,
    registration: Option<LetterRegistration>,
}

impl Default for LetterOf {
    fn default() -> Self {
        Self {
            status: LetterStatus::Pending,
            registration: None,
        }
    }
}

/// Adds a new secret for `on_file` to `plan` (in place of `replacing`, as read), keeping what
/// `kept` says, and its delivery: an e-mail notice where the program e-mails secrets and an
/// address is on file, else a letter (as `letter` says). `withdraw` is an unmailed letter it
/// replaces.
#[allow(clippy::too_many_arguments)]
fn new_secret(
    plan: &mut Plan,
    on_file: OnFile,
    replacing: Option<&IdentifierSecret>,
    kept: Kept,
    withdraw: Option<LetterId>,
    if_refused: Refusal,
    drawn: DrawnSecret,
    letter: LetterOf,
    fresh: &mut Fresh,
) -> (i64, Delivery, Option<LetterId>) {
    let now = fresh.now.clone();
    let program = on_file.program;
    let expires = crate::clock::at(lifetime_end(program, now.epoch));
    let version = replacing.map_or(0, |r| r.version);
    let purpose = kept.purpose;
    let by_letter = !matches!(
        (program.rules().secret_delivery, &on_file.email),
        (Delivery::Email, Some(_))
    );
    let letter_id = by_letter.then(|| fresh.letter_id());
    // A letter in review holds its code's hash: the identifier has no live secret (the item
    // only keeps the Client Number taken) until an officer approves the letter.
    let held = letter.status == LetterStatus::Review;
    let issue = SecretIssue {
        program,
        identifier: on_file.identifier.clone(),
        legal_name: on_file.legal_name.clone(),
        mailing_address: on_file.mailing_address.clone(),
        email: on_file.email.clone(),
        language: on_file.language,
        secret_hash: drawn.hash.clone(),
        issued_at: now.rfc3339.clone(),
        expires_at: expires.epoch,
    };
    let secret = IdentifierSecret {
        program,
        identifier: on_file.identifier.clone(),
        version: version + 1,
        phantom: false,
        failures: kept.failures,
        issue: (!held).then_some(issue),
        secret_status: (!held).then_some(SecretStatus::Issued),
        business_id: kept.business_id,
        issue_no: kept.issue_no,
        letter_id: letter_id.clone(),
        earlier: kept.earlier,
        renewed_at: kept.renewed_at,
        reported_day: kept.reported_day,
        purpose: kept.purpose,
    };
    plan.push(
        Change::SecretIssued {
            secret,
            replacing: replacing.map(|r| r.version),
        },
        if_refused,
    );
    if let Some(letter_id) = withdraw {
        // Mailed meanwhile: the use case asks again, knowing its code is in someone's hand.
        plan.push(
            Change::LetterReplaced {
                letter_id,
                at: now.rfc3339.clone(),
            },
            Refusal::LetterAlreadyMailed,
        );
    }
    match (letter_id, on_file.email) {
        (None, Some(email)) => {
            let notice = Notice::new(
                fresh.id(),
                &email,
                on_file.language,
                &now.rfc3339,
                NoticeKind::SharedSecretIssued {
                    program,
                    legal_name: on_file.legal_name,
                    business_identifier: on_file.identifier.as_str().to_owned(),
                    sealed: drawn.sealed,
                    expires_at: expires.rfc3339,
                    recovery: purpose == SecretPurpose::Recovery,
                },
            );
            plan.add(Change::Notice(notice));
            (expires.epoch, Delivery::Email, None)
        }
        // A letter: the program's channel, or no e-mail on file.
        (letter_id, _) => {
            let letter_id = letter_id.unwrap_or_else(|| fresh.letter_id());
            plan.add(Change::LetterQueued(Letter {
                letter_id: letter_id.clone(),
                program,
                business_identifier: on_file.identifier,
                legal_name: on_file.legal_name,
                mailing_address: on_file.mailing_address,
                language: on_file.language,
                sealed_secret: Some(drawn.sealed),
                expires_at: expires.epoch,
                status: letter.status,
                created_at: now.rfc3339,
                mailed_at: None,
                secret_version: Some(version + 1),
                held_secret_hash: held.then_some(drawn.hash),
                registration: letter.registration,
            }));
            (expires.epoch, Delivery::Letter, Some(letter_id))
        }
    }
}
