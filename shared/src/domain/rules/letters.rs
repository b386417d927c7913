//! The letter queue: activation-code letters the agency prints and mails. A letter is marked
//! mailed once; its code leaves the table then.

use crate::clock::Fresh;
use crate::domain::onboarding::{Letter, LetterStatus};
use crate::domain::plan::{Change, Plan};
use crate::domain::{Changed, Refusal};

/// `POST /agency/letters/{id}/mailed`: an officer (`step_up::agency_only`) marks a pending
/// letter mailed.
pub fn mark_mailed(letter: Option<&Letter>, fresh: &Fresh) -> Result<Plan, Refusal> {
    let letter = letter.ok_or(Refusal::NoSuchLetter)?;
    if letter.status != LetterStatus::Pending {
        return Err(Refusal::LetterAlreadyMailed);
    }
    // Only a pending letter is marked: another officer's mark meanwhile makes this one late.
    Ok(Plan::new(Changed::Letter).with(
        Change::LetterMailed {
            letter_id: letter.letter_id.clone(),
            at: fresh.now.rfc3339.clone(),
        },
        Refusal::LetterAlreadyMailed,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::business::{LegalName, MailingAddress};
    use crate::domain::identifier::BusinessIdentifier;
    use crate::domain::{Language, LetterId, Program};

    const NOW: i64 = 1_795_000_000;

    fn letter(status: LetterStatus) -> Letter {
        Letter {
            letter_id: LetterId::from_random(&[3; 20]),
            program: Program::Ttp,
            business_identifier: BusinessIdentifier::client_number_from_random(42),
            legal_name: LegalName::parse("Les Transports Boréal inc.").unwrap(),
            mailing_address: MailingAddress::parse("1 rue Principale\nGatineau QC").unwrap(),
            language: Language::Fr,
            sealed_secret: (status == LetterStatus::Pending).then(|| "sealed".into()),
            expires_at: NOW + 86_400,
            status,
            created_at: "2026-11-01T00:00:00Z".into(),
            mailed_at: None,
        }
    }

    #[test]
    fn mailed_table() {
        use LetterStatus::{Mailed, Pending};
        let cases = [
            ("pending", Some(letter(Pending)), Ok(())),
            (
                "mailed already",
                Some(letter(Mailed)),
                Err(Refusal::LetterAlreadyMailed),
            ),
            ("no such letter", None, Err(Refusal::NoSuchLetter)),
        ];
        for (name, letter, expected) in cases {
            let got = mark_mailed(letter.as_ref(), &Fresh::fixed(NOW));
            assert_eq!(
                got.as_ref().map(|_| ()).map_err(Clone::clone),
                expected,
                "{name}"
            );
            let Ok(plan) = got else { continue };
            let steps = plan.steps();
            assert_eq!(steps.len(), 1, "{name}");
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
        }
    }
}
