//! What a user account's changes ask of the table: a unique URN, a credential transfer as
//! read, an undeliverable address, and dormancy (the day index, warnings, retirement).

use super::{version_before, with};
use crate::domain::plan::Change;
use crate::domain::user::User;
use crate::domain::CredentialId;
use crate::error::Result;
use crate::store::dynamo::{av, item_of, n, s, Cond, Item, Tx, Value};
use crate::store::followups;
use crate::store::keys::{self, Key, Keyed};

/// A user account's place in the index by day: under its last active day.
fn in_day(credential: &CredentialId, day: i64) -> Vec<(&'static str, Value)> {
    vec![
        ("gsi1pk", s(keys::active(day))),
        ("gsi1sk", s(keys::credential(credential))),
    ]
}

/// A user account's item, in the index under its last active day unless it is retired.
fn user_item(user: &User) -> Result<Item> {
    let item = item_of(user)?;
    Ok(match (user.active_day, &user.retired_at) {
        (Some(day), None) => with(item, in_day(&user.credential, day)),
        _ => item,
    })
}

/// Writes a user account's change into `tx` (`commit::write` routes only these here).
pub(super) fn write(tx: &mut Tx<'_>, change: &Change) -> Result<()> {
    match change {
        Change::UserCreated(user) => {
            tx.put_item("user", user_item(user)?, Cond::Absent)?;
        }
        Change::UrnClaimed(entry) => {
            tx.put_item("urn", item_of(entry)?, Cond::Absent)?;
        }
        Change::ProfileChanged { user } => {
            let entry = crate::domain::user::UrnEntry::of(user);
            tx.put_item("user", user_item(user)?, version_before(user.version))?
                .put_item("urn", item_of(&entry)?, Cond::Exists)?;
        }
        Change::CredentialTransferStarted { user, code } => {
            let Key { pk, sk } = user.key();
            tx.update(
                "user",
                pk,
                &sk,
                vec![("transfer_code_hash", s(&code.code_hash))],
                &[],
                Cond::Version(user.version),
            )?
            .put_item(
                "code",
                with(item_of(code)?, vec![("ttl", n(code.expires_at))]),
                Cond::Absent,
            )?;
        }
        Change::UserMoved {
            from,
            to,
            memberships,
            acting_for,
        } => {
            let code_hash = from.transfer_code_hash.clone().unwrap_or_default();
            let old = from.key();
            tx.delete(
                "old user",
                old.pk,
                &old.sk,
                Cond::Expr(
                    "#version = :v AND #transfer_code_hash = :h",
                    vec![(":v", n(from.version)), (":h", s(&code_hash))],
                ),
            )?
            .put_item("new user", user_item(to)?, Cond::Absent)?;
            for membership in memberships {
                followups::move_membership(tx, membership, &from.credential, &to.credential)?;
            }
            for acting in acting_for {
                followups::move_acting_for(tx, acting, &to.credential)?;
            }
            tx.update(
                "urn",
                keys::urn(&from.urn),
                keys::URN_SK,
                vec![
                    ("idp", s(to.credential.idp().as_str())),
                    ("sub", s(to.credential.sub())),
                ],
                &[],
                Cond::Exists,
            )?
            .delete(
                "code",
                keys::credential_transfer(&code_hash),
                keys::XFER_SK,
                Cond::Exists,
            )?;
        }
        Change::AddressUndeliverable(mark) => {
            tx.put_item("undeliverable address", item_of(mark)?, Cond::Absent)?;
        }
        Change::AccountUndeliverable {
            urn,
            credential,
            email,
            mark,
        } => {
            tx.count_and_set(
                "user",
                keys::credential(credential),
                keys::USER_SK,
                "version",
                vec![],
                vec![("undeliverable", av(mark)?)],
                Cond::Expr(
                    "#urn = :urn AND #email = :email",
                    vec![(":urn", s(urn.as_str())), (":email", s(email.as_str()))],
                ),
            )?;
        }
        Change::ActiveOn { credential, day } => {
            // The day only moves forward, and a retired account stays out of the index.
            let mut set = vec![("active_day", n(day))];
            set.extend(in_day(credential, *day));
            tx.update(
                "user",
                keys::credential(credential),
                keys::USER_SK,
                set,
                &[],
                Cond::Expr(
                    "attribute_exists(pk) AND attribute_not_exists(#retired_at) AND (attribute_not_exists(#active_day) OR #active_day < :day)",
                    vec![(":day", n(day))],
                ),
            )?;
        }
        Change::DormancyWarned { credential, day } => {
            // Once per dormant day: a second run of the sweep that day warns nobody again.
            tx.update(
                "user",
                keys::credential(credential),
                keys::USER_SK,
                vec![("warned_day", n(day))],
                &[],
                Cond::Expr(
                    "#active_day = :day AND attribute_not_exists(#retired_at) AND (attribute_not_exists(#warned_day) OR #warned_day <> :day)",
                    vec![(":day", n(day))],
                ),
            )?;
        }
        Change::AccountRetired { user, at } => {
            let Key { pk, sk } = user.key();
            tx.update(
                "user",
                pk,
                &sk,
                vec![("retired_at", s(at))],
                &["gsi1pk", "gsi1sk"],
                // Not if a request came in since the sweep read it.
                Cond::Expr(
                    "#active_day = :day AND attribute_not_exists(#retired_at)",
                    vec![(":day", n(user.active_day.unwrap_or_default()))],
                ),
            )?
            .update(
                "urn",
                keys::urn(&user.urn),
                keys::URN_SK,
                vec![("retired", Value::Bool(true))],
                &[],
                Cond::Exists,
            )?;
        }
        Change::AccountReinstated { user } => {
            let Key { pk, sk } = user.key();
            let mut set = vec![("active_day", n(user.active_day.unwrap_or_default()))];
            set.extend(in_day(
                &user.credential,
                user.active_day.unwrap_or_default(),
            ));
            tx.update(
                "user",
                pk,
                &sk,
                set,
                &["retired_at", "warned_day"],
                Cond::Expr("attribute_exists(#retired_at)", vec![]),
            )?
            .update(
                "urn",
                keys::urn(&user.urn),
                keys::URN_SK,
                vec![],
                &["retired"],
                Cond::Exists,
            )?;
        }

        other => unreachable!("not a user account's change: {other:?}"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::commit::fixtures::store;
    use crate::store::commit::write;

    /// What dormancy asks of the user item: the day only moves forward and never for a retired
    /// account; a warning once per dormant day; a retirement only if no request came since the
    /// day read; a reinstatement only of a retired account. Its URN index entry follows.
    #[test]
    fn dormancy_conditions() {
        use crate::domain::rules::access::tests::account;
        let user = crate::domain::user::User {
            active_day: Some(20_000),
            ..account(3)
        };
        let cases = [
            (
                Change::ActiveOn {
                    credential: user.credential.clone(),
                    day: 20_730,
                },
                vec![Some("attribute_exists(pk) AND attribute_not_exists(#retired_at) AND (attribute_not_exists(#active_day) OR #active_day < :day)")],
            ),
            (
                Change::DormancyWarned {
                    credential: user.credential.clone(),
                    day: 20_000,
                },
                vec![Some("#active_day = :day AND attribute_not_exists(#retired_at) AND (attribute_not_exists(#warned_day) OR #warned_day <> :day)")],
            ),
            (
                Change::AccountRetired {
                    user: user.clone(),
                    at: "2026-11-18T00:00:00Z".into(),
                },
                vec![
                    Some("#active_day = :day AND attribute_not_exists(#retired_at)"),
                    Some("attribute_exists(pk)"),
                ],
            ),
            (
                Change::AccountReinstated { user: user.clone() },
                vec![
                    Some("attribute_exists(#retired_at)"),
                    Some("attribute_exists(pk)"),
                ],
            ),
        ];
        let store = store();
        for (change, expected) in cases {
            let mut tx = store.tx();
            write(&mut tx, &change).unwrap();
            let expected: Vec<Option<String>> =
                expected.into_iter().map(|c| c.map(str::to_owned)).collect();
            assert_eq!(tx.conditions(), expected, "{change:?}");
        }
    }

    /// A user account is in the index by day under its last active day, unless retired.
    #[test]
    fn a_user_item_is_indexed_by_its_last_active_day_until_retired() {
        use crate::domain::rules::access::tests::account;
        let cases = [
            (None, None, None),
            (Some(20_000), None, Some("ACTIVE#20000")),
            (Some(20_000), Some("2026-01-01T00:00:00Z"), None),
        ];
        for (day, retired, expected) in cases {
            let user = crate::domain::user::User {
                active_day: day,
                retired_at: retired.map(Into::into),
                ..account(3)
            };
            let item = user_item(&user).unwrap();
            assert_eq!(
                item.get("gsi1pk")
                    .and_then(|v| v.as_s().ok())
                    .map(String::as_str),
                expected
            );
            if expected.is_some() {
                assert_eq!(
                    item.get("gsi1sk").and_then(|v| v.as_s().ok()),
                    Some(&keys::credential(&user.credential))
                );
            }
        }
    }
}
