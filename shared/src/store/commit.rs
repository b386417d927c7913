//! A plan becomes one conditional write. Every condition a change implies is written here, in
//! DynamoDB's terms, and nowhere else: a use case never sees an expression or a key.

use super::dynamo::{av, item_of, n, s, to_item, Cond, DynamoStore, Item, Tx, Value};
use super::followups;
use super::keys::{self, Key, Keyed};
use super::outbox::NoticeRecord;
use crate::domain::delegation::Side;
use crate::domain::onboarding::{LetterStatus, SecretStatus};
use crate::domain::plan::{Change, Plan};
use crate::domain::user::User;
use crate::domain::CredentialId;
use crate::error::{Error, Result};

impl DynamoStore {
    /// Writes `plan` all or nothing. When a change's condition no longer holds, nothing is
    /// written and the answer is that change's refusal (the first in the plan's order, if
    /// several failed), or the plan's own when the write collided with another request's.
    pub async fn apply(&self, plan: Plan) -> Result<()> {
        let meanwhile = plan.meanwhile();
        // Counted now, written once the plan is committed (the portal's events, see metrics).
        let events = crate::metrics::of_plan(&plan);
        let steps = plan.into_steps();
        let mut tx = self.tx();
        // The step each transaction item came from, to name the refusal of a failed item.
        let mut step_of_item = Vec::new();
        for (i, step) in steps.iter().enumerate() {
            let before = tx.len();
            write(&mut tx, &step.change)?;
            step_of_item.resize(tx.len(), i);
            debug_assert!(tx.len() > before, "every change writes or checks an item");
        }
        if tx.is_empty() {
            return Ok(());
        }
        match self.commit(tx).await? {
            Ok(()) => {
                crate::metrics::emit(&events);
                Ok(())
            }
            Err(refused) => {
                let first = refused
                    .items
                    .iter()
                    .filter_map(|&item| step_of_item.get(item))
                    .min();
                Err(Error::Refused(
                    first.map_or(meanwhile, |&step| steps[step].if_refused.clone()),
                ))
            }
        }
    }
}

fn with(mut item: Item, extra: Vec<(&str, Value)>) -> Item {
    for (name, value) in extra {
        item.insert(name.to_owned(), value);
    }
    item
}

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

fn version_before(version: u64) -> Cond {
    Cond::Version(version.saturating_sub(1))
}

/// A letter still in `status` (another officer's decision meanwhile makes this one late).
fn status_is(status: LetterStatus) -> Result<Cond> {
    Ok(Cond::Expr("#status = :was", vec![(":was", av(&status)?)]))
}

fn write(tx: &mut Tx<'_>, change: &Change) -> Result<()> {
    match change {
        // ---------------------------------------------------------------- user accounts
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

        // ---------------------------------------------------------------- business accounts
        Change::BusinessOpened(business) => {
            tx.put_item("business", item_of(business)?, Cond::Absent)?;
        }
        Change::BusinessChanged { after } => {
            tx.put_item(
                "business",
                item_of(after)?,
                version_before(after.business.version),
            )?;
        }
        Change::BusinessStillAuthorized { business_id } => {
            tx.check(
                "business",
                keys::business(business_id),
                keys::META_SK,
                Cond::Expr(
                    "#status = :authorized",
                    vec![(":authorized", s("authorized"))],
                ),
            )?;
        }
        Change::MemberAdded { member, membership } => {
            tx.put_item("member", item_of(member)?, Cond::Absent)?
                .put_item("membership", item_of(membership)?, Cond::Absent)?;
        }
        Change::MemberRoleChanged { member } => {
            let side = member.membership_key();
            tx.put_item("member", item_of(member)?, version_before(member.version))?
                .update(
                    "membership",
                    side.pk,
                    &side.sk,
                    vec![("role", av(&member.role)?)],
                    &[],
                    Cond::Exists,
                )?;
        }
        Change::MemberUnchanged { member } => {
            let Key { pk, sk } = member.key();
            tx.check("member", pk, &sk, Cond::Version(member.version))?;
        }
        Change::MemberRemoved { member } => {
            let (Key { pk, sk }, side) = (member.key(), member.membership_key());
            tx.delete("member", pk, &sk, Cond::Version(member.version))?
                .delete("membership", side.pk, &side.sk, Cond::Exists)?;
        }
        Change::MembershipEnded { member } => {
            followups::end_membership(tx, member)?;
        }
        Change::MembershipStatusChanged { membership } => {
            let Key { pk, sk } = membership.key();
            tx.update(
                "membership",
                pk,
                &sk,
                vec![("status", av(&membership.status)?)],
                &[],
                Cond::Exists,
            )?;
        }
        Change::OwnershipTransferRequested { transfer, now } => {
            tx.put_item(
                "transfer",
                with(item_of(transfer)?, vec![("ttl", n(transfer.expires_at))]),
                // One pending transfer at a time; an expired one may be replaced.
                Cond::Expr(
                    "attribute_not_exists(pk) OR #expires_at < :now",
                    vec![(":now", n(now))],
                ),
            )?;
        }
        Change::OwnershipTransferAccepted {
            business_id,
            to_urn,
            now,
        } => {
            tx.delete(
                "transfer",
                keys::business(business_id),
                keys::TRANSFER_SK,
                Cond::Expr(
                    "#to_urn = :me AND #expires_at > :now",
                    vec![(":me", s(to_urn.as_str())), (":now", n(now))],
                ),
            )?;
        }
        Change::OwnershipTransferCancelled { business_id } => {
            tx.delete(
                "transfer",
                keys::business(business_id),
                keys::TRANSFER_SK,
                Cond::Exists,
            )?;
        }
        Change::ConsentRecorded(entry) => {
            tx.put_item("consent", item_of(entry)?, Cond::Absent)?;
        }
        Change::MembersToBeTold(tell) => {
            tx.put_item("members to tell", item_of(tell)?, Cond::Absent)?;
        }

        // ---------------------------------------------------------------- identifiers, secrets
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
        Change::ImportStarted(import) => {
            tx.put_item("import", item_of(import)?, Cond::Absent)?;
        }
        Change::ImportLineRecorded(record) => {
            tx.put_item("import line", item_of(record)?, Cond::Absent)?;
        }
        Change::ImportIdentifierClaimed(claim) => {
            tx.put_item("import claim", item_of(claim)?, Cond::Absent)?;
        }
        Change::RegisterEntryPut(entry) => {
            tx.put_item("register entry", item_of(entry)?, Cond::Always)?;
        }

        // ---------------------------------------------------------------- delegations
        Change::DelegationSaved {
            delegation,
            replacing,
        } => {
            let mut item = item_of(delegation)?;
            if delegation.status.is_open() {
                // The sparse index the daily sweep reads by end day (no scan).
                item = with(
                    item,
                    vec![
                        ("gsi1pk", s(keys::delegations_ending(&delegation.ends_on))),
                        ("gsi1sk", s(delegation.delegation_id.as_str())),
                    ],
                );
            }
            let cond = replacing.map_or(Cond::Absent, Cond::Version);
            tx.put_item("delegation", item, cond)?;
            // Each party's list holds a copy, written with it (the lists need no second read).
            for side in [Side::Grantor, Side::Grantee] {
                let Key { pk, sk } = delegation.list_key(side);
                let copy = with(
                    to_item(delegation)?,
                    vec![(keys::PK, s(pk)), (keys::SK, s(sk))],
                );
                tx.put_item("delegation list", copy, Cond::Always)?;
            }
        }

        Change::AgentAssigned(acting) => {
            tx.put_item(
                "agent",
                item_of(acting)?,
                Cond::Expr(
                    "attribute_not_exists(pk) OR #delegation_id = :d",
                    vec![(":d", s(acting.delegation_id.as_str()))],
                ),
            )?;
        }
        Change::AgentRemoved(acting) => {
            let Key { pk, sk } = acting.key();
            tx.delete(
                "agent",
                pk,
                &sk,
                Cond::Expr(
                    "attribute_not_exists(pk) OR #delegation_id = :d",
                    vec![(":d", s(acting.delegation_id.as_str()))],
                ),
            )?;
        }

        // ---------------------------------------------------------------- with every change
        Change::Audit(event) => {
            tx.put_item("audit", item_of(event)?, Cond::Absent)?;
        }
        Change::AgencyAudit(event) => {
            tx.put_item("agency audit", item_of(event)?, Cond::Absent)?;
        }
        Change::Notice(notice) => {
            // The stream sends it; the retry schedule looks at it only after a grace period.
            let due = crate::clock::at(crate::clock::now().epoch + super::outbox::GRACE_SECS);
            let record = NoticeRecord::pending(notice, &due.rfc3339);
            tx.put_item("notice", to_item(&record)?, Cond::Absent)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::identifier::BusinessIdentifier;
    use crate::domain::onboarding::{IdentifierSecret, SecretPurpose};
    use crate::domain::Program;

    fn store() -> DynamoStore {
        let config = aws_sdk_dynamodb::Config::builder()
            .behavior_version(aws_sdk_dynamodb::config::BehaviorVersion::latest())
            .region(aws_sdk_dynamodb::config::Region::new("ca-central-1"))
            .build();
        DynamoStore::new(aws_sdk_dynamodb::Client::from_conf(config), "t".into())
    }

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
