//! Ownership moves in two steps: the owner names a member, and that member accepts within
//! seven days. Accepting makes them owner and the former owner proxy in one write, so the
//! business has exactly one owner at every moment. One transfer is pending at a time.

use serde_json::json;

use crate::clock::{self, Fresh};
use crate::domain::business::{BusinessAccount, Permission, Role};
use crate::domain::member::{Member, NoticeContact, OwnershipTransfer};
use crate::domain::notice::{Notice, NoticeKind};
use crate::domain::plan::{Change, Plan};
use crate::domain::user::{UrnEntry, User};
use crate::domain::{Changed, Refusal, Urn};

use super::access::{Access, BusinessPartition};

/// A pending ownership transfer lives seven days.
pub const TRANSFER_SECS: i64 = 7 * 86_400;

/// `POST /businesses/{id}/ownership-transfer`: the owner names the member `to_urn` to take
/// over. `target` is that member as read, `person` who their URN belongs to, and `owner` the
/// caller's own user account (both are told, each in their language). Answers the plan and
/// the transfer it leaves pending.
/// Who may ask for a transfer at all: the owner of an authorized business (also what a repeated
/// request must still be, to get its first answer again).
pub fn may_request(access: &Access) -> Result<(), Refusal> {
    access.require(Permission::BusinessManage)?;
    access.require_authorized(Refusal::MembersWaitForTerms)
}

pub fn request(
    access: &Access,
    to_urn: &Urn,
    target: Option<&Member>,
    person: Option<&UrnEntry>,
    owner: Option<&User>,
    fresh: &mut Fresh,
) -> Result<(Plan, OwnershipTransfer), Refusal> {
    may_request(access)?;
    if &access.membership.urn == to_urn {
        return Err(Refusal::AlreadyOwner);
    }
    let (Some(target), Some(person)) = (target, person) else {
        return Err(Refusal::NotAMember);
    };
    // User accounts are never deleted: the caller's is missing only if it moved to another
    // credential after their token was issued.
    let owner = owner.ok_or(Refusal::NoUserAccount)?;
    let now = fresh.now.clone();
    let expires = clock::at(now.epoch + TRANSFER_SECS);
    let transfer = OwnershipTransfer {
        business_id: access.business_id().clone(),
        from_urn: access.membership.urn.clone(),
        to_urn: to_urn.clone(),
        from: owner.contact(),
        to: person.contact(),
        requested_at: now.rfc3339.clone(),
        expires_at: expires.epoch,
    };
    let after = json!({ "to_urn": to_urn, "expires_at": expires.rfc3339 });
    let audit = access
        .audit("ownership.transfer_requested", None, Some(after), fresh)
        .about(to_urn, &person.name);
    let legal_name = &access.business.business.legal_name;
    let mut tell = |contact: &NoticeContact, other: &NoticeContact, to_you: bool| {
        let kind = NoticeKind::TransferRequested {
            name: contact.name.clone(),
            legal_name: legal_name.clone(),
            other: other.name.clone(),
            to_you,
            expires_at: expires.rfc3339.clone(),
        };
        Change::Notice(Notice::to(contact, fresh.id(), &now.rfc3339, kind))
    };
    let (to_heir, to_owner) = (
        tell(&transfer.to, &transfer.from, true),
        tell(&transfer.from, &transfer.to, false),
    );
    let plan = Plan::new(Changed::Business)
        .with(
            Change::OwnershipTransferRequested {
                transfer: transfer.clone(),
                now: now.epoch,
            },
            Refusal::TransferAlreadyPending,
        )
        .and(Change::BusinessStillAuthorized {
            business_id: access.business_id().clone(),
        })
        // Named as read: removed or changed meanwhile, the request is refused.
        .and(Change::MemberUnchanged {
            member: target.clone(),
        })
        .and(Change::Audit(audit))
        .and(to_heir)
        .and(to_owner);
    Ok((plan, transfer))
}

/// `POST /businesses/{id}/ownership-transfer/accept`: the named member, from the business's
/// partition as read (`access` is theirs), becomes owner and the former owner proxy. Answers
/// the plan and the business as it leaves it.
pub fn accept(
    access: &Access,
    partition: &BusinessPartition,
    fresh: &mut Fresh,
) -> Result<(Plan, BusinessAccount), Refusal> {
    let transfer = partition
        .transfer
        .as_ref()
        .ok_or(Refusal::NoTransferPending)?;
    let heir_urn = &access.membership.urn;
    if &transfer.to_urn != heir_urn {
        return Err(Refusal::TransferNamesAnother);
    }
    if transfer.expires_at <= fresh.now.epoch {
        return Err(Refusal::TransferExpired);
    }
    access.require_authorized(Refusal::MembersWaitForTerms)?;
    let mut plan = Plan::new(Changed::Business);
    let member = |urn: &Urn| partition.members.iter().find(|m| &m.urn == urn);
    let (Some(heir), Some(owner)) = (
        member(heir_urn),
        member(&access.business.business.owner_urn),
    ) else {
        // Both were members when the transfer was requested: one has left since.
        return Err(plan.meanwhile());
    };
    let after = access.next_business(fresh, |after| {
        after.business.owner_urn = heir_urn.clone();
    });
    // First, so that a transfer accepted or cancelled meanwhile says so.
    plan.push(
        Change::OwnershipTransferAccepted {
            business_id: access.business_id().clone(),
            to_urn: heir_urn.clone(),
            now: fresh.now.epoch,
        },
        Refusal::TransferEnded,
    );
    access.change_business(
        &mut plan,
        "ownership.transfer_accepted",
        after.clone(),
        fresh,
    );
    for (member, role) in [(heir, Role::Owner), (owner, Role::Proxy)] {
        plan.add(Change::MemberRoleChanged {
            member: Member {
                role,
                version: member.version + 1,
                ..member.clone()
            },
        });
    }
    // Told where the transfer said, as their accounts were when it was requested.
    let legal_name = &after.business.legal_name;
    for (contact, other, to_you) in [
        (&transfer.to, &transfer.from, true),
        (&transfer.from, &transfer.to, false),
    ] {
        let kind = NoticeKind::TransferCompleted {
            name: contact.name.clone(),
            legal_name: legal_name.clone(),
            other: other.name.clone(),
            to_you,
        };
        let notice = Notice::to(contact, fresh.id(), &fresh.now.rfc3339, kind);
        plan.add(Change::Notice(notice));
    }
    Ok((plan, after))
}

/// `DELETE /businesses/{id}/ownership-transfer`: the owner cancels the pending transfer (the
/// write finds whether there is one).
pub fn cancel(access: &Access, fresh: &mut Fresh) -> Result<Plan, Refusal> {
    access.require(Permission::BusinessManage)?;
    let audit = access.audit("ownership.transfer_cancelled", None, None, fresh);
    Ok(Plan::new(Changed::Business)
        .with(
            Change::OwnershipTransferCancelled {
                business_id: access.business_id().clone(),
            },
            Refusal::NoTransferPending,
        )
        .and(Change::Audit(audit)))
}

#[cfg(test)]
mod tests {
    use super::super::access::tests::{access, account, business, credential, member, person, urn};
    use super::*;
    use crate::domain::business::BusinessStatus::{self, Activated, Authorized};
    use Role::{Browser, Owner, Proxy, User as Staff};

    const NOW: i64 = 1_795_000_000;
    /// The member named to take over.
    const HEIR: u64 = 5;

    fn fresh() -> Fresh {
        Fresh::fixed(NOW)
    }

    #[test]
    fn request_table() {
        let ok = Ok(());
        // (caller's role, status, URN named, it is a member, it has an account,
        //  the caller has an account, expected)
        #[rustfmt::skip]
        let cases = vec![
            (Owner, Authorized, HEIR, true, true, true, ok.clone()),
            (Proxy, Authorized, HEIR, true, true, true, Err(Refusal::RoleDoesNotAllow)),
            (Staff, Authorized, HEIR, true, true, true, Err(Refusal::RoleDoesNotAllow)),
            (Browser, Authorized, HEIR, true, true, true, Err(Refusal::RoleDoesNotAllow)),
            (Owner, Activated, HEIR, true, true, true, Err(Refusal::MembersWaitForTerms)),
            (Proxy, Activated, HEIR, true, true, true, Err(Refusal::RoleDoesNotAllow)),
            (Owner, Authorized, 1, true, true, true, Err(Refusal::AlreadyOwner)),
            (Owner, Authorized, HEIR, false, true, true, Err(Refusal::NotAMember)),
            (Owner, Authorized, HEIR, true, false, true, Err(Refusal::NotAMember)),
            (Owner, Authorized, HEIR, false, false, true, Err(Refusal::NotAMember)),
            (Owner, Authorized, HEIR, true, true, false, Err(Refusal::NoUserAccount)),
        ];
        for (i, (role, status, to, is_member, has_account, owner_has_account, expected)) in
            cases.into_iter().enumerate()
        {
            let target = is_member.then(|| member(to, Proxy));
            let got = request(
                &access(1, role, status),
                &urn(to),
                target.as_ref(),
                has_account.then(|| person(to)).as_ref(),
                owner_has_account.then(|| account(1)).as_ref(),
                &mut fresh(),
            );
            assert_eq!(
                got.as_ref().map(drop).map_err(Clone::clone),
                expected,
                "case {i}"
            );
        }
    }

    #[test]
    fn a_request_is_pending_seven_days_one_at_a_time_and_tells_both() {
        let target = member(HEIR, Proxy);
        let (plan, transfer) = request(
            &access(1, Owner, Authorized),
            &urn(HEIR),
            Some(&target),
            Some(&person(HEIR)),
            Some(&account(1)),
            &mut fresh(),
        )
        .unwrap();
        assert_eq!(transfer.expires_at, NOW + 7 * 86_400);
        assert_eq!(
            (&transfer.from_urn, &transfer.to_urn),
            (&urn(1), &urn(HEIR))
        );
        assert_eq!(transfer.to, person(HEIR).contact());
        assert_eq!(transfer.from, account(1).contact());
        let steps = plan.steps();
        assert_eq!(steps[0].if_refused, Refusal::TransferAlreadyPending);
        assert_eq!(
            steps[0].change,
            Change::OwnershipTransferRequested {
                transfer: transfer.clone(),
                now: NOW
            }
        );
        assert!(plan.changes().any(|c| c
            == &Change::MemberUnchanged {
                member: target.clone()
            }));
        assert!(plan
            .changes()
            .any(|c| matches!(c, Change::BusinessStillAuthorized { .. })));
        let expires = clock::at(NOW + TRANSFER_SECS).rfc3339;
        assert!(plan.changes().any(|c| matches!(c,
            Change::Audit(e) if e.action == "ownership.transfer_requested"
                && e.after == Some(json!({ "to_urn": urn(HEIR), "expires_at": expires }))
                && e.actor_name == Some(account(1).name.clone())
                && e.subject_urn == Some(urn(HEIR))
                && e.subject_name == Some(person(HEIR).name))));
        let told: Vec<_> = plan
            .changes()
            .filter_map(|c| match c {
                Change::Notice(n) => match &n.kind {
                    NoticeKind::TransferRequested { to_you, .. } => Some((n.to.clone(), *to_you)),
                    _ => None,
                },
                _ => None,
            })
            .collect();
        assert_eq!(
            told,
            [(person(HEIR).email, true), (account(1).email, false)]
        );
    }

    /// A business owned by member 1, with a proxy (2), a user (3) and the heir (5), and a
    /// transfer to `to` expiring at `expires_at`.
    fn partition(status: BusinessStatus, to: Option<(u64, i64)>) -> BusinessPartition {
        BusinessPartition {
            business: Some(business(status)),
            members: vec![
                member(1, Owner),
                member(2, Proxy),
                member(3, Staff),
                member(HEIR, Staff),
            ],
            transfer: to.map(|(to, expires_at)| OwnershipTransfer {
                business_id: business(status).business.business_id,
                from_urn: urn(1),
                to_urn: urn(to),
                from: person(1).contact(),
                to: person(to).contact(),
                requested_at: "2026-11-20T00:00:00Z".into(),
                expires_at,
            }),
        }
    }

    fn accept_as(
        n: u64,
        partition: &BusinessPartition,
    ) -> Result<(Plan, BusinessAccount), Refusal> {
        let access = Access::among(
            &credential(&format!("user-{n}")),
            Some(&account(n)),
            partition,
        )
        .unwrap();
        accept(&access, partition, &mut fresh())
    }

    #[test]
    fn accept_table() {
        let live = Some((HEIR, NOW + 60));
        let ok = Ok(());
        let mut owner_left = partition(Authorized, live);
        owner_left.members.retain(|m| m.role != Owner);
        #[rustfmt::skip]
        let cases = vec![
            ("the heir, live", HEIR, partition(Authorized, live), ok.clone()),
            ("the heir, a second to go", HEIR, partition(Authorized, Some((HEIR, NOW + 1))), ok.clone()),
            ("nothing pending", HEIR, partition(Authorized, None), Err(Refusal::NoTransferPending)),
            ("another member", 3, partition(Authorized, live), Err(Refusal::TransferNamesAnother)),
            ("the owner", 1, partition(Authorized, live), Err(Refusal::TransferNamesAnother)),
            ("expired now", HEIR, partition(Authorized, Some((HEIR, NOW))), Err(Refusal::TransferExpired)),
            ("not authorized", HEIR, partition(Activated, live), Err(Refusal::MembersWaitForTerms)),
            ("the owner left", HEIR, owner_left, Err(Refusal::ChangedMeanwhile(Changed::Business))),
        ];
        for (name, caller, partition, expected) in cases {
            let got = accept_as(caller, &partition);
            assert_eq!(
                got.as_ref().map(drop).map_err(Clone::clone),
                expected,
                "{name}"
            );
        }
    }

    #[test]
    fn accepting_makes_one_owner_and_the_former_owner_proxy_in_one_plan() {
        let (plan, after) =
            accept_as(HEIR, &partition(Authorized, Some((HEIR, NOW + 60)))).unwrap();
        assert_eq!(after.business.owner_urn, urn(HEIR));
        assert_eq!(after.business.version, 4, "moves from the version read");
        let steps = plan.steps();
        assert_eq!(steps[0].if_refused, Refusal::TransferEnded);
        assert!(matches!(&steps[0].change,
            Change::OwnershipTransferAccepted { to_urn, now: NOW, .. } if to_urn == &urn(HEIR)));
        assert!(plan.changes().any(|c| c
            == &Change::BusinessChanged {
                after: after.clone()
            }));
        let roles: Vec<_> = plan
            .changes()
            .filter_map(|c| match c {
                Change::MemberRoleChanged { member } => {
                    Some((member.urn.clone(), member.role, member.version))
                }
                _ => None,
            })
            .collect();
        assert_eq!(roles, [(urn(HEIR), Owner, 3), (urn(1), Proxy, 3)]);
        assert!(plan.changes().any(|c| matches!(c,
            Change::Audit(e) if e.action == "ownership.transfer_accepted" && e.actor_urn == urn(HEIR))));
        let told: Vec<_> = plan
            .changes()
            .filter_map(|c| match c {
                Change::Notice(n) => match &n.kind {
                    NoticeKind::TransferCompleted { to_you, .. } => Some((n.to.clone(), *to_you)),
                    _ => None,
                },
                _ => None,
            })
            .collect();
        assert_eq!(told, [(person(HEIR).email, true), (person(1).email, false)]);
    }

    #[test]
    fn only_the_owner_cancels_and_the_write_finds_whether_one_is_pending() {
        for (role, allowed) in [(Owner, true), (Proxy, false), (Staff, false)] {
            let got = cancel(&access(1, role, Authorized), &mut fresh());
            let Ok(plan) = got else {
                assert!(!allowed, "{role:?}");
                assert_eq!(got.unwrap_err(), Refusal::RoleDoesNotAllow);
                continue;
            };
            assert!(allowed, "{role:?}");
            assert_eq!(plan.steps()[0].if_refused, Refusal::NoTransferPending);
            assert!(matches!(
                plan.steps()[0].change,
                Change::OwnershipTransferCancelled { .. }
            ));
            assert!(plan.changes().any(
                |c| matches!(c, Change::Audit(e) if e.action == "ownership.transfer_cancelled")
            ));
        }
    }
}
