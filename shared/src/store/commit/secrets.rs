//! What an identifier's secret asks of the table when issued, used, freed or tried: the item
//! as read, and the tries and code requests counted without ever making an attempt a conflict.

use crate::domain::onboarding::SecretStatus;
use crate::domain::plan::Change;
use crate::error::Result;
use crate::store::dynamo::{av, item_of, n, s, Cond, Tx, Value};
use crate::store::keys::{self, Key, Keyed};

/// Writes an identifier's secret or a counted try into `tx` (`commit::write` routes only these here).
pub(super) fn write(tx: &mut Tx<'_>, change: &Change) -> Result<()> {
    match change {
        Change::SecretIssued { secret, replacing } => {
            let cond = match (replacing, &secret.business_id) {
                // A recovery secret: only while that business account still holds the
                // identifier, and the item is as read.
                (Some(version), Some(business_id)) => Cond::Expr(
                    "#version = :v AND #business_id = :business",
                    vec![(":v", n(version)), (":business", s(business_id.as_str()))],
                ),
                (replacing, _) => match replacing {
                    None => Cond::Absent,
                    // Wrong tries against an identifier with no secret leave an item with no
                    // version (`WrongTryCounted`): it is replaced like an unused secret, so those
                    // tries never block an issue.
                    Some(0) => Cond::Expr(
                        "attribute_not_exists(#version) AND attribute_not_exists(#business_id)",
                        vec![],
                    ),
                    Some(version) => Cond::Expr(
                        "#version = :v AND attribute_not_exists(#business_id)",
                        vec![(":v", n(version))],
                    ),
                },
            };
            tx.put_item("secret", item_of(secret)?, cond)?;
        }
        Change::SecretConsumed {
            secret,
            business_id,
            at,
        } => {
            let Key { pk, sk } = secret.key();
            // An activation secret opens a business only where none holds the identifier; a
            // recovery secret takes over only the business that held it when read.
            let mut values = vec![
                (":v", n(secret.version)),
                (":issued", av(&SecretStatus::Issued)?),
            ];
            let cond = match &secret.business_id {
                None => "#version = :v AND #secret_status = :issued AND attribute_not_exists(#business_id)",
                Some(held) => {
                    values.push((":business", s(held.as_str())));
                    "#version = :v AND #secret_status = :issued AND #business_id = :business"
                }
            };
            // Every code of the identifier dies with the one used.
            tx.update(
                "secret",
                pk,
                &sk,
                vec![
                    ("secret_status", av(&SecretStatus::Used)?),
                    ("business_id", s(business_id.as_str())),
                    ("used_at", s(at)),
                    ("version", n(secret.version + 1)),
                ],
                &["earlier"],
                Cond::Expr(cond, values),
            )?;
        }
        Change::IdentifierUnchanged {
            program,
            identifier,
            version,
        } => {
            let cond = match version {
                0 => Cond::Expr("attribute_not_exists(#version)", vec![]),
                version => Cond::Version(*version),
            };
            tx.check(
                "secret",
                keys::identifier(*program, identifier),
                keys::SECRET_SK,
                cond,
            )?;
        }
        Change::IdentifierFreed {
            program,
            identifier,
        } => {
            tx.update(
                "secret",
                keys::identifier(*program, identifier),
                keys::SECRET_SK,
                vec![],
                &["business_id"],
                Cond::Exists,
            )?;
        }
        Change::WrongTryCounted {
            program,
            identifier,
            reported_day,
        } => {
            // A phantom where the identifier has no secret, so unknown identifiers count alike.
            let set_if_absent = vec![
                ("phantom", Value::Bool(true)),
                ("program", av(program)?),
                ("identifier", av(identifier)?),
            ];
            let (pk, sk) = (keys::identifier(*program, identifier), keys::SECRET_SK);
            match reported_day {
                None => tx.count("secret", pk, sk, "failures", set_if_absent, Cond::Always)?,
                // Reported once a day: another try that reported it first wins.
                Some(day) => tx.count_and_set(
                    "secret",
                    pk,
                    sk,
                    "failures",
                    set_if_absent,
                    vec![("reported_day", n(day))],
                    Cond::Expr(
                        "attribute_not_exists(#reported_day) OR #reported_day < :day",
                        vec![(":day", n(day))],
                    ),
                )?,
            };
        }
        Change::CredentialTryCounted {
            program,
            identifier,
            credential,
            tries,
            restart,
        } => {
            let (pk, sk) = (
                keys::identifier(*program, identifier),
                keys::credential_tries(credential),
            );
            let set = vec![
                ("issue_no", n(tries.issue_no)),
                ("until", n(tries.until)),
                ("ttl", n(tries.until)),
            ];
            // Never conditional: a credential's own tries never make its attempt a conflict.
            if *restart {
                let mut set = set;
                set.push(("count", n(1)));
                tx.update("tries", pk, &sk, set, &[], Cond::Always)?;
            } else {
                tx.count_and_set("tries", pk, &sk, "count", vec![], set, Cond::Always)?;
            }
        }
        Change::CodeRequestCounted { credential, hour } => {
            tx.count(
                "code requests",
                keys::activation_attempts(credential, *hour),
                keys::CODE_REQUESTS_SK,
                "count",
                vec![("ttl", n((hour + 2) * 3600))],
                Cond::Always,
            )?;
        }
        Change::AttemptCounted {
            credential,
            hour,
            max,
        } => {
            tx.count(
                "attempts",
                keys::activation_attempts(credential, *hour),
                keys::RATE_SK,
                "count",
                vec![("ttl", n((hour + 2) * 3600))],
                Cond::Expr(
                    "attribute_not_exists(#count) OR #count < :max",
                    vec![(":max", n(max))],
                ),
            )?;
        }
        other => unreachable!("not an identifier's secret or a counted try: {other:?}"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::identifier::BusinessIdentifier;
    use crate::domain::onboarding::{IdentifierSecret, SecretPurpose};
    use crate::domain::Program;
    use crate::store::commit::fixtures::store;
    use crate::store::commit::write;

    fn secret(version: u64) -> IdentifierSecret {
        let identifier = BusinessIdentifier::parse(Program::Emanifest, "8ABC").unwrap();
        IdentifierSecret {
            program: Program::Emanifest,
            identifier,
            version,
            phantom: false,
            failures: 0,
            issue: None,
            secret_status: Some(SecretStatus::Issued),
            business_id: None,
            issue_no: 1,
            letter_id: None,
            earlier: Vec::new(),
            renewed_at: None,
            reported_day: None,
            purpose: SecretPurpose::Activation,
        }
    }

    /// What each way of issuing a secret asks of the identifier's item. Replacing the item
    /// wrong tries made (read as version 0: it has none) must not ask for a version it
    /// cannot have.
    #[test]
    fn secret_issued_conditions() {
        let cases = [
            (None, "attribute_not_exists(pk)"),
            (
                Some(0),
                "attribute_not_exists(#version) AND attribute_not_exists(#business_id)",
            ),
            (
                Some(3),
                "#version = :v AND attribute_not_exists(#business_id)",
            ),
        ];
        let store = store();
        for (replacing, expected) in cases {
            let mut tx = store.tx();
            let change = Change::SecretIssued {
                secret: secret(replacing.map_or(1, |v| v + 1)),
                replacing,
            };
            write(&mut tx, &change).unwrap();
            assert_eq!(
                tx.conditions(),
                [Some(expected.to_owned())],
                "{replacing:?}"
            );
        }
    }

    /// What the codes' changes ask of the table: counted tries never make an attempt a
    /// conflict; a report goes once a day; a letter is withdrawn unless it is mailed; a request
    /// that sends no code checks the identifier as read.
    #[test]
    fn code_conditions() {
        use crate::domain::onboarding::CredentialTries;
        use crate::domain::LetterId;
        let identifier = BusinessIdentifier::parse(Program::Emanifest, "8ABC").unwrap();
        let credential = crate::domain::rules::access::tests::credential("alex");
        let tries = CredentialTries {
            issue_no: 1,
            count: 2,
            until: 9,
        };
        let wrong = |reported_day| Change::WrongTryCounted {
            program: Program::Emanifest,
            identifier: identifier.clone(),
            reported_day,
        };
        let counted = |restart| Change::CredentialTryCounted {
            program: Program::Emanifest,
            identifier: identifier.clone(),
            credential: credential.clone(),
            tries: tries.clone(),
            restart,
        };
        let unchanged = |version| Change::IdentifierUnchanged {
            program: Program::Emanifest,
            identifier: identifier.clone(),
            version,
        };
        let cases = [
            (wrong(None), None),
            (
                wrong(Some(20_000)),
                Some("attribute_not_exists(#reported_day) OR #reported_day < :day"),
            ),
            (counted(true), None),
            (counted(false), None),
            (
                Change::LetterReplaced {
                    letter_id: LetterId::from_random(&[1; 20]),
                    at: "2026-11-25T00:00:00Z".into(),
                },
                Some("attribute_exists(pk) AND #status <> :mailed"),
            ),
            (unchanged(0), Some("attribute_not_exists(#version)")),
            (unchanged(3), Some("#version = :expected_version")),
        ];
        let store = store();
        for (change, expected) in cases {
            let mut tx = store.tx();
            write(&mut tx, &change).unwrap();
            assert_eq!(tx.conditions(), [expected.map(str::to_owned)], "{change:?}");
        }
    }
}
