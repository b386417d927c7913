//! Letters in review: a registration the agency's register does not know waits until an officer
//! approves it (with the address to mail) or rejects it.

use super::audited;
use crate::clock::Fresh;
use crate::domain::agency_audit::AgencyAction;
use crate::domain::business::MailingAddress;
use crate::domain::onboarding::{
    IdentifierSecret, Letter, LetterStatus, SecretIssue, SecretPurpose, SecretStatus,
};
use crate::domain::plan::{Change, Plan};
use crate::domain::rules::secrets;
use crate::domain::{Changed, CredentialId, Refusal};

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

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::super::*;
    use super::*;

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
}
