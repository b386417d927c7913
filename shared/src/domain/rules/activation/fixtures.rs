//! What the activation rules' table tests share: the caller, the identifier, its secret in
//! each state, the caller's tries and an attempt.

use super::*;
pub(super) use crate::domain::rules::access::tests::{business, credential, urn};
pub(super) use crate::domain::Language;

use crate::domain::onboarding::{EarlierCode, SecretIssue};

pub(super) const NOW: i64 = 1_795_000_000;
pub(super) const RIGHT: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
pub(super) const EARLIER: &str = "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";
pub(super) const WRONG: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
pub(super) const LIVE: i64 = NOW + 86_400;

pub(super) fn user() -> User {
    crate::domain::rules::accounts::tests::user("alex", 1)
}

pub(super) fn identifier() -> BusinessIdentifier {
    BusinessIdentifier::parse(Program::Emanifest, "8ABC").unwrap()
}

/// An issued secret for the identifier (issue 3): `failures` wrong tries by anyone,
/// expiring at `expires_at`, with a code still in hand from before a new one was asked.
pub(super) fn secret(failures: u32, status: SecretStatus, expires_at: i64) -> IdentifierSecret {
    let b = business(BusinessStatus::Activated);
    IdentifierSecret {
        program: Program::Emanifest,
        identifier: identifier(),
        version: 2,
        phantom: false,
        failures,
        issue: Some(SecretIssue {
            program: Program::Emanifest,
            identifier: identifier(),
            legal_name: b.business.legal_name.clone(),
            mailing_address: b.mailing_address.clone(),
            email: Some(Email::parse("contact@example.com").unwrap()),
            language: Language::Fr,
            secret_hash: RIGHT.into(),
            issued_at: "2026-11-01T00:00:00Z".into(),
            expires_at,
        }),
        secret_status: Some(status),
        business_id: None,
        issue_no: 3,
        letter_id: None,
        earlier: vec![EarlierCode {
            secret_hash: EARLIER.into(),
            expires_at,
        }],
        renewed_at: None,
        reported_day: None,
        purpose: SecretPurpose::Activation,
    }
}

/// A secret for purpose `purpose` while a business account holds the identifier.
pub(super) fn held(purpose: SecretPurpose, status: SecretStatus) -> IdentifierSecret {
    IdentifierSecret {
        purpose,
        business_id: Some(business(BusinessStatus::Activated).business.business_id),
        ..secret(0, status, LIVE)
    }
}

/// The caller's own wrong tries: `count` against issue `issue_no`, counting until `until`.
pub(super) fn mine(issue_no: u64, count: u32, until: i64) -> Option<CredentialTries> {
    Some(CredentialTries {
        issue_no,
        count,
        until,
    })
}

pub(super) fn state(
    user: Option<User>,
    secret: Option<IdentifierSecret>,
    my_tries: Option<CredentialTries>,
    attempts: u64,
) -> ActivationState {
    ActivationState {
        caller: credential("alex"),
        user,
        secret,
        my_tries,
        attempts_this_hour: attempts,
        agency: Some(Email::parse("agency@example.gc.ca").unwrap()),
    }
}

pub(super) fn attempt(hash: &str) -> Attempt {
    Attempt {
        program: Program::Emanifest,
        identifier: identifier(),
        secret_hash: hash.into(),
        owner_contact: business(BusinessStatus::Activated).business.owner_contact,
    }
}

#[derive(Debug, PartialEq)]
pub(super) enum Expect {
    Opens,
    Recovers,
    Wrong(Refusal),
    Refused(Refusal),
}

pub(super) fn left(attempts_left: u32) -> Expect {
    Expect::Wrong(Refusal::WrongSecret { attempts_left })
}
