//! What letters and registrations ask of the table: a letter in its status's index and its
//! identifier's list, an officer's decision only on the status it was made on, a unique BN.

use super::with;
use crate::domain::onboarding::LetterStatus;
use crate::domain::plan::Change;
use crate::error::Result;
use crate::store::dynamo::{av, item_of, n, s, Cond, Item, Tx};
use crate::store::keys;

/// A letter still in `status` (another officer's decision meanwhile makes this one late).
fn status_is(status: LetterStatus) -> Result<Cond> {
    Ok(Cond::Expr("#status = :was", vec![(":was", av(&status)?)]))
}

/// Writes a letter's or a registration's change into `tx` (`commit::write` routes only these here).
pub(super) fn write(tx: &mut Tx<'_>, change: &Change) -> Result<()> {
    match change {
        Change::LetterQueued(letter) => {
            // Every letter is in the index under its status, to be listed a page at a time.
            let item = with(
                item_of(letter)?,
                vec![
                    ("gsi1pk", s(keys::letters(letter.status))),
                    (
                        "gsi1sk",
                        s(keys::letters_sk(&letter.created_at, &letter.letter_id)),
                    ),
                ],
            );
            tx.put_item("letter", item, Cond::Absent)?;
            // And in its identifier's list, so an officer finds the letters of one business
            // with a Query, never a Scan.
            let entry = Item::from([
                (
                    keys::PK.to_owned(),
                    s(keys::letters_of(
                        letter.program,
                        &letter.business_identifier,
                    )),
                ),
                (
                    keys::SK.to_owned(),
                    s(keys::letters_sk(&letter.created_at, &letter.letter_id)),
                ),
                ("letter_id".to_owned(), s(letter.letter_id.as_str())),
            ]);
            tx.put_item("letter list", entry, Cond::Absent)?;
        }
        Change::LetterMailed { letter_id, at } => {
            tx.update(
                "letter",
                keys::letter(letter_id),
                keys::LETTER_SK,
                vec![
                    ("status", av(&LetterStatus::Mailed)?),
                    ("mailed_at", s(at)),
                    ("gsi1pk", s(keys::letters(LetterStatus::Mailed))),
                ],
                &["sealed_secret"],
                status_is(LetterStatus::Pending)?,
            )?;
        }
        Change::LetterApproved {
            letter_id,
            mailing_address,
            expires_at,
            at,
        } => {
            tx.update(
                "letter",
                keys::letter(letter_id),
                keys::LETTER_SK,
                vec![
                    ("status", av(&LetterStatus::Pending)?),
                    ("mailing_address", av(mailing_address)?),
                    ("expires_at", n(expires_at)),
                    ("approved_at", s(at)),
                    ("gsi1pk", s(keys::letters(LetterStatus::Pending))),
                ],
                &["held_secret_hash"],
                status_is(LetterStatus::Review)?,
            )?;
        }
        Change::LetterWithdrawn {
            letter_id,
            reason,
            at,
        } => {
            tx.update(
                "letter",
                keys::letter(letter_id),
                keys::LETTER_SK,
                vec![
                    ("status", av(&LetterStatus::Withdrawn)?),
                    ("withdrawn_reason", s(reason)),
                    ("withdrawn_at", s(at)),
                    ("gsi1pk", s(keys::letters(LetterStatus::Withdrawn))),
                ],
                &["sealed_secret", "held_secret_hash"],
                status_is(LetterStatus::Review)?,
            )?;
        }
        Change::SecretRevoked {
            program,
            identifier,
            version,
        } => {
            // Without its issue (the hash) no activation matches it, and no new-code request
            // renews it; an officer may still issue a new one.
            tx.update(
                "secret",
                keys::identifier(*program, identifier),
                keys::SECRET_SK,
                vec![("version", n(version + 1))],
                &["issue", "secret_status"],
                Cond::Expr(
                    "#version = :v AND attribute_not_exists(#business_id)",
                    vec![(":v", n(version))],
                ),
            )?;
        }
        Change::LetterReplaced { letter_id, at } => {
            tx.update(
                "letter",
                keys::letter(letter_id),
                keys::LETTER_SK,
                vec![
                    ("status", av(&LetterStatus::Withdrawn)?),
                    ("withdrawn_reason", s("replaced by a newer code")),
                    ("withdrawn_at", s(at)),
                    ("gsi1pk", s(keys::letters(LetterStatus::Withdrawn))),
                ],
                &["sealed_secret", "held_secret_hash"],
                // Whatever it waits for (printing, or an officer's review), unless it is mailed.
                Cond::Expr(
                    "attribute_exists(pk) AND #status <> :mailed",
                    vec![(":mailed", av(&LetterStatus::Mailed)?)],
                ),
            )?;
        }
        Change::Registered(registration) => {
            tx.put_item("registration", item_of(registration)?, Cond::Absent)?;
        }
        Change::RegistrationFreed {
            business_number,
            client_number,
        } => {
            tx.delete(
                "registration",
                keys::registration(business_number.as_str()),
                keys::REG_SK,
                Cond::Expr(
                    "#client_number.#value = :client",
                    vec![(":client", s(client_number.as_str()))],
                ),
            )?;
        }
        Change::RegisterEntryPut(entry) => {
            tx.put_item("register entry", item_of(entry)?, Cond::Always)?;
        }
        other => unreachable!("not a letter's or a registration's change: {other:?}"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::identifier::BusinessIdentifier;
    use crate::domain::Program;
    use crate::store::commit::fixtures::store;
    use crate::store::commit::write;

    /// What an officer's decision on a letter asks of the table: the letter still in the
    /// status the decision was made on, the revoked secret still the one the letter carried,
    /// the freed registration still the letter's.
    #[test]
    fn letter_decision_conditions() {
        use crate::domain::identifier::Bn9;
        use crate::domain::LetterId;
        let letter_id = LetterId::from_random(&[3; 20]);
        let client = BusinessIdentifier::client_number_from_random(42);
        let cases = [
            (
                Change::LetterMailed {
                    letter_id: letter_id.clone(),
                    at: "now".into(),
                },
                "#status = :was",
            ),
            (
                Change::LetterApproved {
                    letter_id: letter_id.clone(),
                    mailing_address: crate::domain::business::MailingAddress::parse("1 Main St")
                        .unwrap(),
                    expires_at: 0,
                    at: "now".into(),
                },
                "#status = :was",
            ),
            (
                Change::LetterWithdrawn {
                    letter_id,
                    reason: "not theirs".into(),
                    at: "now".into(),
                },
                "#status = :was",
            ),
            (
                Change::SecretRevoked {
                    program: Program::Ttp,
                    identifier: client.clone(),
                    version: 1,
                },
                "#version = :v AND attribute_not_exists(#business_id)",
            ),
            (
                Change::RegistrationFreed {
                    business_number: Bn9::parse("123456782").unwrap(),
                    client_number: client,
                },
                "#client_number.#value = :client",
            ),
        ];
        let store = store();
        for (change, expected) in cases {
            let mut tx = store.tx();
            write(&mut tx, &change).unwrap();
            assert_eq!(tx.conditions(), [Some(expected.to_owned())], "{change:?}");
        }
    }
}
