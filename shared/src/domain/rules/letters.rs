//! The letter queue: activation-code letters the agency prints and mails. A registration's
//! letter for a Business Number the agency's register does not know waits in review until an
//! officer approves it (it then waits to be mailed) or rejects it (withdrawn: its code no
//! longer works, and the Business Number is free to register again). A letter is marked mailed
//! once; its code leaves the table then. Every officer's action is in the agency audit, in the
//! same write.

use crate::clock::Fresh;
use crate::domain::agency_audit::{AgencyAction, AgencyAuditEvent};
use crate::domain::business::MailingAddress;
use crate::domain::onboarding::{
    IdentifierSecret, Letter, LetterStatus, SecretIssue, SecretPurpose, SecretStatus,
};
use crate::domain::plan::{Change, Plan};
use crate::domain::rules::secrets;
use crate::domain::{Changed, CredentialId, Refusal};

/// The longest reason an officer gives for rejecting a letter.
pub const REASON_MAX: usize = 500;

/// What the agency audit names for a letter: its Client Number, and the Business Number of a
/// registration's letter.
fn concerned(letter: &Letter) -> Vec<String> {
    let mut concerned = vec![letter.business_identifier.as_str().to_owned()];
    if let Some(r) = &letter.registration {
        concerned.push(r.business_number.as_str().to_owned());
    }
    concerned
}

fn audited(
    plan: Plan,
    officer: &CredentialId,
    action: AgencyAction,
    letter: &Letter,
    fresh: &mut Fresh,
) -> Plan {
    let event = AgencyAuditEvent::new(officer, action, concerned(letter), fresh);
    plan.and(Change::AgencyAudit(event))
}

/// `POST /agency/letters/{id}/mailed`: an officer (`step_up::agency_only`) marks a pending
/// letter mailed.
pub fn mark_mailed(
    officer: &CredentialId,
    letter: Option<&Letter>,
    fresh: &mut Fresh,
) -> Result<Plan, Refusal> {
    let letter = letter.ok_or(Refusal::NoSuchLetter)?;
    match letter.status {
        LetterStatus::Pending => {}
        LetterStatus::Mailed => return Err(Refusal::LetterAlreadyMailed),
        LetterStatus::Review | LetterStatus::Withdrawn => return Err(Refusal::LetterNotPending),
    }
    // Only a pending letter is marked: another officer's mark meanwhile makes this one late.
    let plan = Plan::new(Changed::Letter).with(
        Change::LetterMailed {
            letter_id: letter.letter_id.clone(),
            at: fresh.now.rfc3339.clone(),
        },
        Refusal::LetterAlreadyMailed,
    );
    Ok(audited(
        plan,
        officer,
        AgencyAction::LetterMailed,
        letter,
        fresh,
    ))
}

/// `POST /agency/letters/{id}/approve`: a letter in review waits to be mailed, to the address
/// the officer gives, or else the one typed. The code it holds becomes the identifier's secret
/// now (its lifetime counted from now), with that address on file, so a new-code request
/// later goes there too.
pub fn approve(
    officer: &CredentialId,
    letter: Option<&Letter>,
    mailing_address: Option<MailingAddress>,
    fresh: &mut Fresh,
) -> Result<Plan, Refusal> {
    let letter = in_review(letter)?;
    // Only a registration's letter is ever in review, and it holds its code's hash.
    let (Some(hash), Some(version)) = (&letter.held_secret_hash, letter.secret_version) else {
        return Err(Refusal::LetterNotInReview);
    };
    let mailing_address = mailing_address.unwrap_or_else(|| letter.mailing_address.clone());
    let now = fresh.now.clone();
    let expires_at = secrets::lifetime_end(letter.program, now.epoch);
    let secret = IdentifierSecret {
        program: letter.program,
        identifier: letter.business_identifier.clone(),
        version: version + 1,
        phantom: false,
        failures: 0,
        issue: Some(SecretIssue {
            program: letter.program,
            identifier: letter.business_identifier.clone(),
            legal_name: letter.legal_name.clone(),
            mailing_address: mailing_address.clone(),
            email: None,
            language: letter.language,
            secret_hash: hash.clone(),
            issued_at: now.rfc3339.clone(),
            expires_at,
        }),
        secret_status: Some(SecretStatus::Issued),
        business_id: None,
        // The code becomes live now: a new issue, so tries counted before it do not carry
        // over (issue numbers never pass versions, so this one is past every earlier one).
        issue_no: version + 1,
        letter_id: Some(letter.letter_id.clone()),
        earlier: Vec::new(),
        renewed_at: None,
        reported_day: None,
        purpose: SecretPurpose::Activation,
    };
    let plan = Plan::new(Changed::Letter)
        .with(
            Change::LetterApproved {
                letter_id: letter.letter_id.clone(),
                mailing_address,
                expires_at,
                at: now.rfc3339,
            },
            Refusal::LetterNotInReview,
        )
        // Another secret issued for the identifier meanwhile (by an officer): it stands.
        .with(
            Change::SecretIssued {
                secret,
                replacing: Some(version),
            },
            Refusal::ChangedMeanwhile(Changed::Identifier),
        );
    Ok(audited(
        plan,
        officer,
        AgencyAction::LetterApproved,
        letter,
        fresh,
    ))
}

/// `POST /agency/letters/{id}/reject`: a letter in review is withdrawn, its code dropped; the
/// secret it carried stops working, and its registration no longer holds the Business Number.
pub fn reject(
    officer: &CredentialId,
    letter: Option<&Letter>,
    reason: String,
    fresh: &mut Fresh,
) -> Result<Plan, Refusal> {
    let letter = in_review(letter)?;
    let mut plan = Plan::new(Changed::Letter).with(
        Change::LetterWithdrawn {
            letter_id: letter.letter_id.clone(),
            reason,
            at: fresh.now.rfc3339.clone(),
        },
        Refusal::LetterNotInReview,
    );
    if let Some(version) = letter.secret_version {
        // Replaced meanwhile (another secret issued, or activated): the identifier changed.
        plan.push(
            Change::SecretRevoked {
                program: letter.program,
                identifier: letter.business_identifier.clone(),
                version,
            },
            Refusal::ChangedMeanwhile(Changed::Identifier),
        );
    }
    if let Some(registration) = &letter.registration {
        plan.add(Change::RegistrationFreed {
            business_number: registration.business_number.clone(),
            client_number: letter.business_identifier.clone(),
        });
    }
    Ok(audited(
        plan,
        officer,
        AgencyAction::LetterRejected,
        letter,
        fresh,
    ))
}

fn in_review(letter: Option<&Letter>) -> Result<&Letter, Refusal> {
    let letter = letter.ok_or(Refusal::NoSuchLetter)?;
    if letter.status != LetterStatus::Review {
        return Err(Refusal::LetterNotInReview);
    }
    Ok(letter)
}

/// `GET /agency/letters?status=pending`: an officer reads the codes of the pending letters on
/// a page; the agency audit records it before the codes are shown (nothing to record for a
/// page without codes).
pub fn codes_read(officer: &CredentialId, page: &[Letter], fresh: &mut Fresh) -> Plan {
    let plan = Plan::new(Changed::Letter);
    let read: Vec<String> = page
        .iter()
        .filter(|l| l.status == LetterStatus::Pending && l.sealed_secret.is_some())
        .map(|l| l.business_identifier.as_str().to_owned())
        .collect();
    if read.is_empty() {
        return plan;
    }
    let event = AgencyAuditEvent::new(officer, AgencyAction::PendingCodesRead, read, fresh);
    plan.and(Change::AgencyAudit(event))
}

/// The letters of one business an officer asked for: those of `status` when one was asked.
pub fn of_status(letters: Vec<Letter>, status: Option<LetterStatus>) -> Vec<Letter> {
    letters
        .into_iter()
        .filter(|l| status.is_none_or(|s| l.status == s))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::business::LegalName;
    use crate::domain::identifier::{Bn9, BusinessIdentifier};
    use crate::domain::onboarding::LetterRegistration;
    use crate::domain::{Idp, Language, LetterId, Program};

    const NOW: i64 = 1_795_000_000;

    fn officer() -> CredentialId {
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
                registered_by: super::super::access::tests::urn(1),
            }),
        }
    }

    fn client() -> String {
        BusinessIdentifier::client_number_from_random(42)
            .as_str()
            .to_owned()
    }

    fn audit_of(plan: &Plan) -> &AgencyAuditEvent {
        plan.changes()
            .find_map(|c| match c {
                Change::AgencyAudit(e) => Some(e),
                _ => None,
            })
            .expect("audited")
    }

    fn outcome(got: &Result<Plan, Refusal>) -> Result<(), Refusal> {
        got.as_ref().map(|_| ()).map_err(Clone::clone)
    }

    #[test]
    fn mailed_table() {
        use LetterStatus::{Mailed, Pending, Review, Withdrawn};
        let cases = [
            ("pending", Some(letter(Pending)), Ok(())),
            (
                "mailed already",
                Some(letter(Mailed)),
                Err(Refusal::LetterAlreadyMailed),
            ),
            (
                "in review",
                Some(letter(Review)),
                Err(Refusal::LetterNotPending),
            ),
            (
                "withdrawn",
                Some(letter(Withdrawn)),
                Err(Refusal::LetterNotPending),
            ),
            ("no such letter", None, Err(Refusal::NoSuchLetter)),
        ];
        for (name, letter, expected) in cases {
            let got = mark_mailed(&officer(), letter.as_ref(), &mut Fresh::fixed(NOW));
            assert_eq!(outcome(&got), expected, "{name}");
            let Ok(plan) = got else { continue };
            let steps = plan.steps();
            assert_eq!(steps.len(), 2, "{name}");
            assert_eq!(
                steps[0].change,
                Change::LetterMailed {
                    letter_id: letter.unwrap().letter_id,
                    at: Fresh::fixed(NOW).now.rfc3339,
                },
                "{name}"
            );
            // Marked by someone else between the read and the write: mailed already.
            assert_eq!(steps[0].if_refused, Refusal::LetterAlreadyMailed, "{name}");
            let event = audit_of(&plan);
            assert_eq!(event.action, AgencyAction::LetterMailed, "{name}");
            assert_eq!(event.concerned, [client(), "123456782".into()], "{name}");
        }
    }

    #[test]
    fn approve_table() {
        use LetterStatus::{Mailed, Pending, Review, Withdrawn};
        let given = MailingAddress::parse("5 rue Vérifiée\nGatineau QC").unwrap();
        let unheld = Letter {
            held_secret_hash: None,
            ..letter(Review)
        };
        // (name, letter, address given, expected: the address it goes to, or the refusal)
        let cases = [
            (
                "review, typed address",
                Some(letter(Review)),
                None,
                Ok("1 rue Principale"),
            ),
            (
                "review, the officer's address",
                Some(letter(Review)),
                Some(given.clone()),
                Ok("5 rue Vérifiée"),
            ),
            (
                "pending",
                Some(letter(Pending)),
                None,
                Err(Refusal::LetterNotInReview),
            ),
            (
                "mailed",
                Some(letter(Mailed)),
                None,
                Err(Refusal::LetterNotInReview),
            ),
            (
                "withdrawn",
                Some(letter(Withdrawn)),
                Some(given),
                Err(Refusal::LetterNotInReview),
            ),
            ("no such letter", None, None, Err(Refusal::NoSuchLetter)),
            (
                "in review without a held code",
                Some(unheld),
                None,
                Err(Refusal::LetterNotInReview),
            ),
        ];
        for (name, letter, address, expected) in cases {
            let got = approve(&officer(), letter.as_ref(), address, &mut Fresh::fixed(NOW));
            let got = got.map(|plan| {
                let steps = plan.steps();
                assert_eq!(steps.len(), 3, "{name}");
                // Decided by another officer meanwhile: no longer in review.
                assert_eq!(steps[0].if_refused, Refusal::LetterNotInReview, "{name}");
                assert_eq!(
                    audit_of(&plan).action,
                    AgencyAction::LetterApproved,
                    "{name}"
                );
                let Change::LetterApproved {
                    mailing_address,
                    expires_at,
                    ..
                } = &steps[0].change
                else {
                    panic!("{name}: {:?}", steps[0].change)
                };
                // The held code is the identifier's secret from now, in place of the item that
                // kept the Client Number, with the approved address on file.
                let lifetime = secrets::lifetime_end(Program::Ttp, NOW);
                assert_eq!(*expires_at, lifetime, "{name}");
                let Change::SecretIssued { secret, replacing } = &steps[1].change else {
                    panic!("{name}: {:?}", steps[1].change)
                };
                assert_eq!((secret.version, *replacing), (2, Some(1)), "{name}");
                assert_eq!(secret.secret_status, Some(SecretStatus::Issued), "{name}");
                let issue = secret.issue.as_ref().unwrap();
                assert_eq!(issue.secret_hash, "hash", "{name}");
                assert_eq!(issue.expires_at, lifetime, "{name}");
                assert_eq!(&issue.mailing_address, mailing_address, "{name}");
                let meanwhile = Refusal::ChangedMeanwhile(Changed::Identifier);
                assert_eq!(steps[1].if_refused, meanwhile, "{name}");
                mailing_address.as_str().lines().next().unwrap().to_owned()
            });
            assert_eq!(got.as_deref().map_err(Clone::clone), expected, "{name}");
        }
    }

    #[test]
    fn reject_table() {
        use LetterStatus::{Mailed, Pending, Review, Withdrawn};
        let bare = Letter {
            secret_version: None,
            registration: None,
            ..letter(Review)
        };
        // (name, letter, expected: how many changes besides the audit, or the refusal)
        let cases = [
            ("a registration in review", Some(letter(Review)), Ok(3)),
            ("a letter with nothing else on file", Some(bare), Ok(1)),
            (
                "pending",
                Some(letter(Pending)),
                Err(Refusal::LetterNotInReview),
            ),
            (
                "mailed",
                Some(letter(Mailed)),
                Err(Refusal::LetterNotInReview),
            ),
            (
                "withdrawn",
                Some(letter(Withdrawn)),
                Err(Refusal::LetterNotInReview),
            ),
            ("no such letter", None, Err(Refusal::NoSuchLetter)),
        ];
        for (name, letter, expected) in cases {
            let got = reject(
                &officer(),
                letter.as_ref(),
                "not the business".into(),
                &mut Fresh::fixed(NOW),
            );
            assert_eq!(
                got.as_ref()
                    .map(|p| p.steps().len() - 1)
                    .map_err(Clone::clone),
                expected,
                "{name}"
            );
            let Ok(plan) = got else { continue };
            let steps = plan.steps();
            assert!(
                matches!(&steps[0].change, Change::LetterWithdrawn { reason, .. } if reason == "not the business"),
                "{name}"
            );
            assert_eq!(steps[0].if_refused, Refusal::LetterNotInReview, "{name}");
            assert_eq!(
                audit_of(&plan).action,
                AgencyAction::LetterRejected,
                "{name}"
            );
            if expected == Ok(3) {
                // The code it carried stops working, unless another secret replaced it.
                assert_eq!(
                    steps[1].change,
                    Change::SecretRevoked {
                        program: Program::Ttp,
                        identifier: BusinessIdentifier::client_number_from_random(42),
                        version: 1,
                    },
                    "{name}"
                );
                assert_eq!(
                    steps[1].if_refused,
                    Refusal::ChangedMeanwhile(Changed::Identifier)
                );
                // The real business can register its Business Number after all.
                assert!(
                    matches!(
                        &steps[2].change,
                        Change::RegistrationFreed { business_number, client_number }
                            if business_number.as_str() == "123456782" && client_number.as_str() == client()
                    ),
                    "{name}"
                );
            }
        }
    }

    #[test]
    fn reading_pending_codes_is_audited() {
        use LetterStatus::{Mailed, Pending, Review};
        // (name, the page, the Client Numbers whose codes the audit says were read)
        let cases: [(&str, Vec<Letter>, Vec<String>); 4] = [
            (
                "pending codes",
                vec![letter(Pending), letter(Pending)],
                vec![client(), client()],
            ),
            ("an empty page", vec![], vec![]),
            (
                "letters in review show no code",
                vec![letter(Review)],
                vec![],
            ),
            (
                "mailed letters have none",
                vec![letter(Mailed), letter(Pending)],
                vec![client()],
            ),
        ];
        for (name, page, expected) in cases {
            let plan = codes_read(&officer(), &page, &mut Fresh::fixed(NOW));
            if expected.is_empty() {
                assert!(plan.is_empty(), "{name}");
                continue;
            }
            assert_eq!(plan.steps().len(), 1, "{name}");
            let event = audit_of(&plan);
            assert_eq!(event.action, AgencyAction::PendingCodesRead, "{name}");
            assert_eq!(event.concerned, expected, "{name}");
        }
    }

    #[test]
    fn a_search_keeps_the_status_asked() {
        use LetterStatus::{Mailed, Pending, Review, Withdrawn};
        let all = || {
            vec![
                letter(Pending),
                letter(Mailed),
                letter(Withdrawn),
                letter(Review),
            ]
        };
        // (status asked, the statuses kept, in the order found)
        let cases = [
            (None, vec![Pending, Mailed, Withdrawn, Review]),
            (Some(Pending), vec![Pending]),
            (Some(Mailed), vec![Mailed]),
            (Some(Withdrawn), vec![Withdrawn]),
            (Some(Review), vec![Review]),
        ];
        for (asked, expected) in cases {
            let kept: Vec<LetterStatus> =
                of_status(all(), asked).iter().map(|l| l.status).collect();
            assert_eq!(kept, expected, "{asked:?}");
        }
        assert!(of_status(vec![], Some(Pending)).is_empty());
    }
}
