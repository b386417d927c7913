//! Owner recovery: when the Account Owner left without transferring ownership, the agency
//! issues a recovery secret for the business's identifier (`secrets::issue`), and whoever
//! activates with it takes over the same business account: they become its owner (promoted if
//! they were a member, their old role gone), the former owner becomes a proxy, and everything
//! else stays — the other members, the consent history, the audit trail, the status. Every
//! member is told, a step at a time by the follow-up (a business may have more members than
//! one transaction holds notices).
//!
//! Only the two people whose roles change are written here, whatever the business's size.

use serde_json::json;

use crate::clock::Fresh;
use crate::domain::business::{BusinessAccount, BusinessStatus, Role};
use crate::domain::member::{Member, MembersToTell, Membership};
use crate::domain::notice::{Notice, NoticeKind};
use crate::domain::plan::{Change, Plan};
use crate::domain::user::UrnEntry;
use crate::domain::{Changed, Refusal};

use super::access::{audit_event, Actor, BusinessPartition};
use super::activation::{attempt_counted, ActivationState, Attempt};

/// `POST /businesses` with a live recovery secret (`activation::decide` answered `Recovers`):
/// `partition` is the business that holds the identifier, with every member and its pending
/// transfer. Answers the plan and the business as it leaves it.
pub fn take_over(
    state: &ActivationState,
    attempt: Attempt,
    partition: &BusinessPartition,
    fresh: &mut Fresh,
) -> Result<(Plan, BusinessAccount), Refusal> {
    let user = state.user.as_ref().ok_or(Refusal::NoUserAccount)?;
    let secret = state.secret.as_ref().ok_or(Refusal::SecretUsed)?;
    let meanwhile = Refusal::ChangedMeanwhile(Changed::Identifier);
    // The secret named this business when read; closed since (or gone), the identifier was
    // freed meanwhile.
    let business = partition
        .business
        .as_ref()
        .filter(|b| {
            b.business.status != BusinessStatus::Closed
                && secret.business_id.as_ref() == Some(&b.business.business_id)
        })
        .ok_or_else(|| meanwhile.clone())?;
    let business_id = business.business.business_id.clone();
    let member = |urn| partition.members.iter().find(|m| &m.urn == urn);
    let former = member(&business.business.owner_urn).ok_or_else(|| meanwhile.clone())?;
    let mine = member(&user.urn);

    let now = fresh.now.rfc3339.clone();
    let mut after = business.clone();
    after.business.owner_urn = user.urn.clone();
    after.business.owner_contact = attempt.owner_contact;
    after.business.updated_at = now.clone();
    after.business.version += 1;

    let (counted, too_many) = attempt_counted(state, fresh);
    let mut plan = Plan::new(Changed::Identifier)
        .with(counted, too_many)
        .with(
            Change::SecretConsumed {
                secret: secret.clone(),
                business_id: business_id.clone(),
                at: now.clone(),
            },
            Refusal::SecretUsed,
        )
        .and(Change::BusinessChanged {
            after: after.clone(),
        });
    // The new owner: promoted if a member (the owner already: nothing moves), else added.
    let owner = match mine {
        Some(me) if me.urn == former.urn => me.clone(),
        Some(me) => {
            let promoted = Member {
                role: Role::Owner,
                version: me.version + 1,
                ..me.clone()
            };
            plan.add(Change::MemberRoleChanged {
                member: promoted.clone(),
            });
            promoted
        }
        None => {
            let added = super::access::new_owner(&business_id, user, &now);
            plan.add(Change::MemberAdded {
                member: added.clone(),
                membership: Membership::of(&added, &after),
            });
            added
        }
    };
    if former.urn != owner.urn {
        plan.add(Change::MemberRoleChanged {
            member: Member {
                role: Role::Proxy,
                version: former.version + 1,
                ..former.clone()
            },
        });
    }
    // A transfer the former owner asked for must not undo the recovery once accepted.
    if partition.transfer.is_some() {
        plan.add(Change::OwnershipTransferCancelled {
            business_id: business_id.clone(),
        });
    }
    let actor = Actor {
        urn: &owner.urn,
        name: &user.name,
        credential: &state.caller,
    };
    let audit = audit_event(
        &business_id,
        actor,
        "ownership.recovered",
        Some(json!({ "owner_urn": former.urn })),
        Some(json!({ "owner_urn": owner.urn })),
        fresh,
    )
    .about(&former.urn, &former.name);
    plan.add(Change::Audit(audit));
    plan.add(Change::MembersToBeTold(MembersToTell {
        tell_id: fresh.id(),
        business_id,
        legal_name: after.business.legal_name.clone(),
        new_owner: user.name.clone(),
        after: String::new(),
        created_at: now,
    }));
    Ok((plan, after))
}

/// The notices of one follow-up step: each member read, in their language, with their role
/// now. A member whose URN the index no longer has (never expected) is passed over.
pub fn tell(
    tell: &MembersToTell,
    members: &[(Member, Option<UrnEntry>)],
    fresh: &mut Fresh,
) -> Vec<Notice> {
    members
        .iter()
        .filter_map(|(member, entry)| {
            let entry = entry.as_ref().filter(|e| e.urn == member.urn)?;
            let kind = NoticeKind::OwnerRecovered {
                name: entry.name.clone(),
                legal_name: tell.legal_name.clone(),
                new_owner: tell.new_owner.clone(),
                role: member.role,
            };
            Some(Notice::to(
                &entry.contact(),
                fresh.id(),
                &fresh.now.rfc3339,
                kind,
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::access::tests::{account, business, credential, member, urn};
    use super::super::activation::MAX_ATTEMPTS_AN_HOUR;
    use super::*;
    use crate::domain::business::BusinessStatus::{Activated, Authorized, Closed};
    use crate::domain::identifier::BusinessIdentifier;
    use crate::domain::member::OwnershipTransfer;
    use crate::domain::onboarding::{IdentifierSecret, SecretPurpose, SecretStatus};
    use crate::domain::{BusinessId, Program};
    use Role::{Browser, Owner, Proxy, User as Staff};

    const NOW: i64 = 1_795_000_000;
    /// The caller's URN number in the fixtures (`accounts::tests::user` is `urn(9)`).
    const ME: u64 = 9;

    fn secret(business_id: &BusinessId) -> IdentifierSecret {
        IdentifierSecret {
            program: Program::Emanifest,
            identifier: BusinessIdentifier::parse(Program::Emanifest, "8ABC").unwrap(),
            version: 4,
            phantom: false,
            failures: 0,
            issue: None,
            secret_status: Some(SecretStatus::Issued),
            business_id: Some(business_id.clone()),
            issue_no: 2,
            letter_id: None,
            earlier: Vec::new(),
            renewed_at: None,
            reported_day: None,
            purpose: SecretPurpose::Recovery,
        }
    }

    fn state(business_id: &BusinessId) -> ActivationState {
        ActivationState {
            caller: credential("alex"),
            user: Some(super::super::accounts::tests::user("alex", 1)),
            secret: Some(secret(business_id)),
            my_tries: None,
            attempts_this_hour: 0,
            agency: None,
        }
    }

    fn attempt() -> Attempt {
        let b = business(Activated).business;
        Attempt {
            program: b.program,
            identifier: b.identifier,
            secret_hash: "right".into(),
            owner_contact: b.owner_contact,
        }
    }

    /// A business (owner `urn(1)`) in `status`, with members 1 (owner), 2 (user), 3 (browser)
    /// and, if `mine`, the caller with that role.
    fn partition(status: BusinessStatus, mine: Option<Role>) -> BusinessPartition {
        let mut members = vec![member(1, Owner), member(2, Staff), member(3, Browser)];
        if let Some(role) = mine {
            members.push(member(ME, role));
        }
        BusinessPartition {
            business: Some(business(status)),
            members,
            transfer: None,
        }
    }

    /// The roles the plan writes, by URN number: (added, role) or (changed, role).
    fn roles(plan: &Plan) -> Vec<(&'static str, u64, Role)> {
        let number = |m: &Member| (1..=ME).find(|&i| urn(i) == m.urn).unwrap();
        plan.changes()
            .filter_map(|c| match c {
                Change::MemberAdded { member, membership } => {
                    assert_eq!(membership.role, member.role);
                    Some(("added", number(member), member.role))
                }
                Change::MemberRoleChanged { member } => {
                    Some(("changed", number(member), member.role))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn take_over_table() {
        let id = business(Activated).business.business_id;
        let other = BusinessId::parse("01jdbusiness0000000000000b").unwrap();
        let meanwhile = Err(Refusal::ChangedMeanwhile(Changed::Identifier));
        // (name, business status, the caller's role before, the business the secret names,
        //  expected: the roles written, or the refusal)
        #[rustfmt::skip]
        let cases = vec![
            ("a stranger takes over; the former owner is a proxy", Authorized, None, &id,
                Ok(vec![("added", ME, Owner), ("changed", 1, Proxy)])),
            ("an activated business keeps its status too", Activated, None, &id,
                Ok(vec![("added", ME, Owner), ("changed", 1, Proxy)])),
            ("a proxy is promoted, their old role goes", Authorized, Some(Proxy), &id,
                Ok(vec![("changed", ME, Owner), ("changed", 1, Proxy)])),
            ("a browser is promoted", Authorized, Some(Browser), &id,
                Ok(vec![("changed", ME, Owner), ("changed", 1, Proxy)])),
            ("closed meanwhile", Closed, None, &id, meanwhile.clone()),
            ("the secret names another business", Authorized, None, &other, meanwhile),
        ];
        for (name, status, mine, named, expected) in cases {
            let mut state = state(&id);
            state.secret = Some(secret(named));
            let got = take_over(
                &state,
                attempt(),
                &partition(status, mine),
                &mut Fresh::fixed(NOW),
            );
            let got = got.map(|(plan, after)| {
                // The same business, its status kept, the caller its owner.
                assert_eq!(after.business.business_id, id, "{name}");
                assert_eq!(after.business.status, status, "{name}");
                assert_eq!(after.business.owner_urn, urn(ME), "{name}");
                roles(&plan)
            });
            assert_eq!(got, expected, "{name}");
        }
    }

    #[test]
    fn the_owner_recovering_their_own_business_keeps_every_role() {
        let mut state = state(&business(Authorized).business.business_id);
        state.user = Some(account(1));
        let (plan, after) = take_over(
            &state,
            attempt(),
            &partition(Authorized, None),
            &mut Fresh::fixed(NOW),
        )
        .unwrap();
        assert!(roles(&plan).is_empty());
        assert_eq!(after.business.owner_urn, urn(1));
    }

    #[test]
    fn a_take_over_consumes_the_secret_touches_two_members_and_tells_everyone() {
        let id = business(Authorized).business.business_id;
        let mut read = partition(Authorized, Some(Staff));
        let transfer = OwnershipTransfer {
            business_id: id.clone(),
            from_urn: urn(1),
            to_urn: urn(2),
            from: account(1).contact(),
            to: account(2).contact(),
            requested_at: "2026-11-01T00:00:00Z".into(),
            expires_at: NOW + 60,
        };
        read.transfer = Some(transfer);
        let (plan, after) =
            take_over(&state(&id), attempt(), &read, &mut Fresh::fixed(NOW)).unwrap();
        let steps = plan.steps();
        assert!(matches!(
            steps[0].change,
            Change::AttemptCounted {
                max: MAX_ATTEMPTS_AN_HOUR,
                ..
            }
        ));
        assert!(matches!(
            steps[0].if_refused,
            Refusal::TooManyAttempts { .. }
        ));
        assert!(
            matches!(&steps[1].change, Change::SecretConsumed { business_id, secret, .. } if *business_id == id && secret.version == 4)
        );
        assert_eq!(steps[1].if_refused, Refusal::SecretUsed);
        assert!(plan.changes().any(
            |c| matches!(c, Change::BusinessChanged { after: a } if a.business.version == after.business.version && a.business.version == business(Authorized).business.version + 1)
        ));
        // The pending transfer the former owner asked for is cancelled.
        assert!(plan
            .changes()
            .any(|c| matches!(c, Change::OwnershipTransferCancelled { business_id } if *business_id == id)));
        // Nobody but the two people whose roles change is written.
        assert_eq!(roles(&plan).len(), 2);
        let audit = plan
            .changes()
            .find_map(|c| match c {
                Change::Audit(a) => Some(a),
                _ => None,
            })
            .expect("audited");
        assert_eq!(audit.action, "ownership.recovered");
        assert_eq!(audit.actor_urn, urn(ME));
        assert_eq!(audit.before, Some(json!({ "owner_urn": urn(1) })));
        // Named as they were: the caller, and the owner the recovery replaced.
        assert_eq!(audit.actor_name, state(&id).user.map(|u| u.name));
        assert_eq!(audit.subject_urn, Some(urn(1)));
        assert_eq!(audit.subject_name, Some(member(1, Role::Owner).name));
        // Every member is told by the follow-up, from the first.
        let tell = plan
            .changes()
            .find_map(|c| match c {
                Change::MembersToBeTold(t) => Some(t),
                _ => None,
            })
            .expect("members told");
        assert_eq!((tell.business_id.clone(), tell.after.as_str()), (id, ""));
        assert_eq!(
            tell.new_owner,
            super::super::accounts::tests::user("alex", 1).name
        );
        assert!(!plan.changes().any(|c| matches!(c, Change::Notice(_))));
    }

    #[test]
    fn every_member_read_is_told_in_their_language_with_their_role() {
        use super::super::access::tests::person;
        use crate::domain::Language;
        let record = MembersToTell {
            tell_id: "t1".into(),
            business_id: business(Authorized).business.business_id,
            legal_name: business(Authorized).business.legal_name,
            new_owner: account(ME).name,
            after: String::new(),
            created_at: "2026-11-25T00:00:00Z".into(),
        };
        // (member, who the URN index says it is, expected: to whom, language, role)
        let read = vec![
            (member(ME, Owner), Some(person(ME))),
            (member(1, Proxy), Some(person(1))),
            (member(2, Staff), Some(person(2))),
            (member(3, Browser), None),
            (member(4, Staff), Some(person(5))),
        ];
        let told: Vec<_> = tell(&record, &read, &mut Fresh::fixed(NOW))
            .into_iter()
            .map(|n| match n.kind {
                NoticeKind::OwnerRecovered {
                    role, new_owner, ..
                } => {
                    assert_eq!(new_owner, account(ME).name);
                    (n.to.as_str().to_owned(), n.language, role)
                }
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            told,
            [
                ("person-9@example.com".to_owned(), Language::En, Owner),
                ("person-1@example.com".to_owned(), Language::En, Proxy),
                ("person-2@example.com".to_owned(), Language::Fr, Staff),
            ]
        );
    }
}
