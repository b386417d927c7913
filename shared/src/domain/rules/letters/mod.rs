//! The letter queue: activation-code letters the agency prints and mails. A registration's
//! letter for a Business Number the agency's register does not know waits in review until an
//! officer approves it (it then waits to be mailed) or rejects it (withdrawn: its code no
//! longer works, and the Business Number is free to register again). A letter is marked mailed
//! once; its code leaves the table then. Every officer's action is in the agency audit, in the
//! same write.

use crate::clock::Fresh;
use crate::domain::agency_audit::{AgencyAction, AgencyAuditEvent};
use crate::domain::onboarding::{Letter, LetterStatus};
use crate::domain::plan::{Change, Plan};
use crate::domain::{Changed, CredentialId, Refusal};

#[cfg(test)]
mod fixtures;
mod review;

pub use review::{approve, reject};

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
    use super::fixtures::*;
    use super::*;

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
