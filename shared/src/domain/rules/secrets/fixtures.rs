//! What the secret rules' table tests share: an applicant, an officer, an identifier and what it
//! holds, and the secret a plan issues.

use super::*;
use crate::domain::business::BusinessStatus;
use crate::domain::rules::access::tests::business;
use crate::domain::user::User;
use crate::domain::BusinessId;
use crate::domain::CredentialId;

pub(super) const NOW: i64 = 1_795_000_000;
pub(super) static IDENTIFIER: std::sync::OnceLock<BusinessIdentifier> = std::sync::OnceLock::new();
pub(super) const THIRTY_DAYS: i64 = 30 * SECONDS_A_DAY;

/// The caller: a French-speaking user.
pub(super) fn applicant() -> User {
    crate::domain::rules::accounts::tests::user("alex", 1)
}

pub(super) fn officer() -> CredentialId {
    CredentialId::new(crate::domain::Idp::GcKey, "officer-1").unwrap()
}

pub(super) fn drawn() -> DrawnSecret {
    DrawnSecret {
        hash: "hash".into(),
        sealed: "sealed".into(),
    }
}

pub(super) fn identifier(program: Program) -> BusinessIdentifier {
    let text = match program {
        Program::Ttp => "P12345671",
        Program::Emanifest => "8ABC",
        Program::Cers => "123456782RM0001",
    };
    BusinessIdentifier::parse(program, text).unwrap()
}

pub(super) fn order(program: Program, email: bool) -> SecretOrder {
    let b = business(BusinessStatus::Activated).business;
    SecretOrder {
        program,
        identifier: identifier(program),
        legal_name: b.legal_name,
        mailing_address: b.owner_contact.address,
        email: email.then(|| Email::parse("contact@example.com").unwrap()),
        language: Language::Fr,
    }
}

/// What an identifier holds: `version`, `failures` counted, and its state.
pub(super) fn current(version: u64, failures: u32, state: &str) -> IdentifierSecret {
    let issue = SecretIssue {
        secret_hash: "old".into(),
        issued_at: "2026-11-01T00:00:00Z".into(),
        expires_at: NOW + 60,
        ..new_secret_issue(Program::Emanifest)
    };
    IdentifierSecret {
        program: Program::Emanifest,
        identifier: identifier(Program::Emanifest),
        version,
        phantom: state == "phantom",
        failures,
        issue: (state != "phantom").then_some(issue),
        secret_status: match state {
            "phantom" => None,
            "issued" => Some(SecretStatus::Issued),
            _ => Some(SecretStatus::Used),
        },
        business_id: (state == "activated")
            .then(|| BusinessId::parse("01jdbusiness0000000000000a").unwrap()),
        issue_no: if state == "phantom" { 0 } else { 2 },
        letter_id: None,
        earlier: Vec::new(),
        renewed_at: None,
        reported_day: None,
        purpose: SecretPurpose::Activation,
    }
}

pub(super) fn new_secret_issue(program: Program) -> SecretIssue {
    let on_file = OnFile::from(order(program, true));
    SecretIssue {
        program,
        identifier: on_file.identifier,
        legal_name: on_file.legal_name,
        mailing_address: on_file.mailing_address,
        email: on_file.email,
        language: on_file.language,
        secret_hash: String::new(),
        issued_at: String::new(),
        expires_at: 0,
    }
}

pub(super) fn issued_secret(plan: &Plan) -> (&IdentifierSecret, Option<u64>) {
    plan.changes()
        .find_map(|c| match c {
            Change::SecretIssued { secret, replacing } => Some((secret, *replacing)),
            _ => None,
        })
        .expect("a secret is issued")
}
