//! What the letter rules' tests share: an officer, letters in each state, and the audit a plan
//! writes.

use super::*;
pub(super) use crate::domain::business::LegalName;
pub(super) use crate::domain::business::MailingAddress;
pub(super) use crate::domain::identifier::{Bn9, BusinessIdentifier};
pub(super) use crate::domain::onboarding::LetterRegistration;
pub(super) use crate::domain::{Idp, Language, LetterId, Program};

pub(super) const NOW: i64 = 1_795_000_000;

pub(super) fn officer() -> CredentialId {
    CredentialId::new(Idp::GcKey, "officer-1").unwrap()
}

/// A registration's letter (Client Number P00000042, Business Number 123456782).
pub(crate) fn letter(status: LetterStatus) -> Letter {
    Letter {
        letter_id: LetterId::from_random(&[3; 20]),
        program: Program::Ttp,
        business_identifier: BusinessIdentifier::client_number_from_random(42),
        legal_name: LegalName::parse("Les Transports Boréal inc.").unwrap(),
        mailing_address: MailingAddress::parse("1 rue Principale\nGatineau QC").unwrap(),
        language: Language::Fr,
        sealed_secret: matches!(status, LetterStatus::Pending | LetterStatus::Review)
            .then(|| "sealed".into()),
        expires_at: NOW + 86_400,
        status,
        created_at: "2026-11-01T00:00:00Z".into(),
        mailed_at: None,
        secret_version: Some(1),
        held_secret_hash: (status == LetterStatus::Review).then(|| "hash".into()),
        registration: Some(LetterRegistration {
            business_number: Bn9::parse("123456782").unwrap(),
            registered_by: crate::domain::rules::access::tests::urn(1),
        }),
    }
}

pub(super) fn client() -> String {
    BusinessIdentifier::client_number_from_random(42)
        .as_str()
        .to_owned()
}

pub(super) fn audit_of(plan: &Plan) -> &AgencyAuditEvent {
    plan.changes()
        .find_map(|c| match c {
            Change::AgencyAudit(e) => Some(e),
            _ => None,
        })
        .expect("audited")
}

pub(super) fn outcome(got: &Result<Plan, Refusal>) -> Result<(), Refusal> {
    got.as_ref().map(|_| ()).map_err(Clone::clone)
}
