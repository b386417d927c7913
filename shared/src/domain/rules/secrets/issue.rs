//! `POST /agency/shared-secrets`: an officer issues a new secret for what is on file.

use super::{new_secret, DrawnSecret, Issued, Kept, LetterOf};
use crate::clock::Fresh;
use crate::domain::agency_audit::{AgencyAction, AgencyAuditEvent};
use crate::domain::commands::SecretOrder;
use crate::domain::onboarding::{IdentifierSecret, SecretPurpose};
use crate::domain::plan::{Change, Plan};
use crate::domain::{Changed, CredentialId, Refusal};

/// `POST /agency/shared-secrets`: a new secret for what the officer put on file, replacing the
/// `current` one (and every code of it). Where a business account holds the identifier, it is
/// a recovery secret for that business (owner recovery): whoever activates with it becomes
/// the owner. A letter with the current code that is not mailed yet (`letter_mailed` false)
/// is withdrawn. The issue is in the agency audit.
pub fn issue(
    officer: &CredentialId,
    current: Option<&IdentifierSecret>,
    order: SecretOrder,
    drawn: DrawnSecret,
    letter_mailed: bool,
    fresh: &mut Fresh,
) -> Result<Issued, Refusal> {
    let mut plan = Plan::new(Changed::Identifier);
    let refusal = plan.meanwhile();
    let kept = Kept::new_issue(current);
    let purpose = kept.purpose;
    let withdraw = current
        .and_then(|c| c.letter_id.clone())
        .filter(|_| !letter_mailed);
    let concerned = vec![order.identifier.as_str().to_owned()];
    let (expires_at, delivery, letter_id) = new_secret(
        &mut plan,
        order.into(),
        current,
        kept,
        withdraw,
        refusal,
        drawn,
        LetterOf::default(),
        fresh,
    );
    let action = match purpose {
        SecretPurpose::Activation => AgencyAction::SecretIssued,
        SecretPurpose::Recovery => AgencyAction::RecoverySecretIssued,
    };
    let event = AgencyAuditEvent::new(officer, action, concerned, fresh);
    plan.add(Change::AgencyAudit(event));
    Ok(Issued {
        plan,
        expires_at,
        delivery,
        letter_id,
        purpose,
    })
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::super::*;
    use super::*;

    #[test]
    fn issue_table() {
        // (what the identifier holds, expected: the new version and what it replaces)
        let cases = [
            ("nothing yet", None, Ok((1, None))),
            (
                "an unused secret is replaced",
                Some(current(3, 0, "issued")),
                Ok((4, Some(3))),
            ),
            (
                "a locked one too, its tries cleared",
                Some(current(3, 5, "issued")),
                Ok((4, Some(3))),
            ),
            (
                "wrong tries against no secret never block an issue",
                Some(current(0, 5, "phantom")),
                Ok((1, Some(0))),
            ),
            (
                "the business account closed",
                Some(current(5, 0, "used")),
                Ok((6, Some(5))),
            ),
            (
                "a business account holds the identifier: a recovery secret for it",
                Some(current(5, 0, "activated")),
                Ok((6, Some(5))),
            ),
        ];
        for (name, current, expected) in cases {
            let got = issue(
                &officer(),
                current.as_ref(),
                order(Program::Emanifest, true),
                drawn(),
                false,
                &mut Fresh::fixed(NOW),
            );
            let Ok(issued) = got else {
                assert_eq!(got.map(|_| ()), expected.map(|_| ()), "{name}");
                continue;
            };
            let (secret, replacing) = issued_secret(&issued.plan);
            assert_eq!(Ok((secret.version, replacing)), expected, "{name}");
            assert_eq!(
                (secret.failures, secret.phantom, secret.secret_status),
                (0, false, Some(SecretStatus::Issued)),
                "{name}"
            );
            // A new issue: every credential's counted tries on the earlier one stop counting.
            let issue_no = current.as_ref().map_or(0, |c| c.issue_no);
            assert_eq!(secret.issue_no, issue_no + 1, "{name}");
            assert!(
                secret.earlier.is_empty() && secret.renewed_at.is_none(),
                "{name}"
            );
            // Issued where a business account holds the identifier, it recovers that one;
            // anywhere else it only ever opens a new one.
            let held = current.as_ref().and_then(|c| c.business_id.clone());
            let purpose = match held {
                Some(_) => SecretPurpose::Recovery,
                None => SecretPurpose::Activation,
            };
            assert_eq!(
                (&secret.business_id, secret.purpose, issued.purpose),
                (&held, purpose, purpose),
                "{name}"
            );
            let told_recovery = issued.plan.changes().any(|c| {
                matches!(c, Change::Notice(n) if matches!(n.kind, NoticeKind::SharedSecretIssued { recovery: true, .. }))
            });
            assert_eq!(told_recovery, held.is_some(), "{name}");
            let issue = secret.issue.as_ref().unwrap();
            assert_eq!(issue.secret_hash, "hash", "{name}");
            assert_eq!(issue.expires_at, NOW + THIRTY_DAYS, "{name}");
            assert_eq!(issued.expires_at, NOW + THIRTY_DAYS, "{name}");
            assert!(
                issued
                    .plan
                    .steps()
                    .iter()
                    .all(|s| s.if_refused == Refusal::ChangedMeanwhile(Changed::Identifier)),
                "{name}"
            );
            // The officer's issue is in the agency audit, in the same write.
            let audited = issued.plan.changes().find_map(|c| match c {
                Change::AgencyAudit(e) => Some(e),
                _ => None,
            });
            let audited = audited.expect("audited");
            let action = match purpose {
                SecretPurpose::Activation => AgencyAction::SecretIssued,
                SecretPurpose::Recovery => AgencyAction::RecoverySecretIssued,
            };
            assert_eq!(audited.action, action, "{name}");
            assert_eq!(audited.officer_sub, "officer-1", "{name}");
            assert_eq!(audited.concerned, ["8ABC"], "{name}");
        }
    }

    #[test]
    fn delivery_follows_the_program() {
        // (program, e-mail on file, how the secret goes)
        let cases = [
            (Program::Emanifest, true, Delivery::Email),
            (Program::Cers, true, Delivery::Email),
            (Program::Ttp, true, Delivery::Letter),
            (Program::Emanifest, false, Delivery::Letter),
        ];
        for (program, email, expected) in cases {
            let issued = issue(
                &officer(),
                None,
                order(program, email),
                drawn(),
                false,
                &mut Fresh::fixed(NOW),
            )
            .unwrap();
            assert_eq!(issued.delivery, expected, "{program:?}");
            let changes: Vec<_> = issued.plan.changes().collect();
            assert_eq!(changes.len(), 3, "{program:?}");
            assert!(matches!(changes[2], Change::AgencyAudit(_)), "{program:?}");
            match (expected, changes[1]) {
                (Delivery::Email, Change::Notice(notice)) => {
                    assert_eq!(issued.letter_id, None);
                    assert_eq!(notice.to.as_str(), "contact@example.com");
                    assert_eq!(notice.language, Language::Fr);
                    assert!(matches!(
                        &notice.kind,
                        NoticeKind::SharedSecretIssued { sealed, program: p, .. } if sealed == "sealed" && *p == program
                    ));
                }
                (Delivery::Letter, Change::LetterQueued(letter)) => {
                    assert_eq!(issued.letter_id.as_ref(), Some(&letter.letter_id));
                    assert_eq!(letter.status, LetterStatus::Pending);
                    assert_eq!(letter.sealed_secret.as_deref(), Some("sealed"));
                    assert_eq!(letter.expires_at, NOW + THIRTY_DAYS);
                    assert_eq!(letter.language, Language::Fr);
                }
                (_, other) => panic!("{program:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn an_issue_kills_every_earlier_code_and_withdraws_an_unmailed_letter() {
        let letter = LetterId::from_random(&[5; 20]);
        let current = IdentifierSecret {
            letter_id: Some(letter.clone()),
            earlier: vec![EarlierCode {
                secret_hash: "kept".into(),
                expires_at: NOW + 60,
            }],
            renewed_at: Some(NOW - 60),
            ..current(3, 0, "issued")
        };
        for (mailed, withdrawn) in [(false, true), (true, false)] {
            let issued = issue(
                &officer(),
                Some(&current),
                order(Program::Ttp, false),
                drawn(),
                mailed,
                &mut Fresh::fixed(NOW),
            )
            .unwrap();
            let (secret, _) = issued_secret(&issued.plan);
            assert!(secret.earlier.is_empty() && secret.renewed_at.is_none());
            assert_eq!(secret.letter_id, issued.letter_id);
            assert_eq!(
                issued.plan.changes().any(
                    |c| matches!(c, Change::LetterReplaced { letter_id, .. } if *letter_id == letter)
                ),
                withdrawn
            );
        }
    }
}
