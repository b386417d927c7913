//! `DELETE /businesses/{id}/members/{urn}`: taking a member's role away.

use super::{not_own, not_stale, power_over};
use serde_json::json;

use crate::clock::Fresh;
use crate::domain::business::Role;
use crate::domain::commands::RemoveMember;
use crate::domain::member::Member;
use crate::domain::notice::{Notice, NoticeKind};
use crate::domain::plan::{Change, Plan};
use crate::domain::user::UrnEntry;
use crate::domain::{Changed, Refusal};

use crate::domain::rules::access::Access;

/// `DELETE /businesses/{id}/members/{urn}`: the member loses their role, on both sides of the
/// membership. `person` (who the URN belongs to) is told, if the URN still has a user account.
pub fn remove(
    access: &Access,
    command: &RemoveMember,
    person: Option<&UrnEntry>,
    current: Option<&Member>,
    fresh: &mut Fresh,
) -> Result<Plan, Refusal> {
    not_own(access, &command.urn)?;
    let current = current.ok_or(Refusal::NoSuchMember)?;
    if current.role == Role::Owner {
        return Err(Refusal::OwnerRemovedByTransferOnly);
    }
    access.require(power_over(current.role))?;
    access.require_authorized(Refusal::MembersWaitForTerms)?;
    not_stale(Some(current), command.if_match)?;
    let before = json!({ "urn": current.urn, "role": current.role });
    let audit = access
        .audit("member.role_removed", Some(before), None, fresh)
        .about(&current.urn, &current.name);
    let mut plan = Plan::new(Changed::Member)
        .and(Change::BusinessStillAuthorized {
            business_id: access.business_id().clone(),
        })
        .and(Change::MemberRemoved {
            member: current.clone(),
        })
        .and(Change::Audit(audit));
    if let Some(person) = person {
        let kind = NoticeKind::RoleRemoved {
            name: person.name.clone(),
            legal_name: access.business.business.legal_name.clone(),
        };
        let notice = Notice::to(&person.contact(), fresh.id(), &fresh.now.rfc3339, kind);
        plan.add(Change::Notice(notice));
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::super::*;
    use super::*;

    #[test]
    fn remove_table() {
        let ok: Result<(), Refusal> = Ok(());
        // (caller, their role, status, target's current role, If-Match, expected)
        #[rustfmt::skip]
        let cases = vec![
            (1, Owner, Authorized, Some(Proxy), None, ok.clone()),
            (1, Owner, Authorized, Some(User), None, ok.clone()),
            (1, Owner, Authorized, Some(Browser), Some(2), ok.clone()),
            (2, Proxy, Authorized, Some(User), None, ok.clone()),
            (2, Proxy, Authorized, Some(Browser), None, ok.clone()),
            (2, Proxy, Authorized, Some(Proxy), None, Err(Refusal::RoleDoesNotAllow)),
            (2, User, Authorized, Some(Browser), None, Err(Refusal::RoleDoesNotAllow)),
            (2, Browser, Authorized, Some(Browser), None, Err(Refusal::RoleDoesNotAllow)),
            (2, Proxy, Authorized, Some(Owner), None, Err(Refusal::OwnerRemovedByTransferOnly)),
            (1, Owner, Authorized, None, None, Err(Refusal::NoSuchMember)),
            (1, Owner, Authorized, None, Some(0), Err(Refusal::NoSuchMember)),
            (1, Owner, Activated, Some(User), None, Err(Refusal::MembersWaitForTerms)),
            (2, Proxy, Activated, Some(Proxy), None, Err(Refusal::RoleDoesNotAllow)),
            (1, Owner, Authorized, Some(User), Some(1), Err(Refusal::Stale(Changed::Member))),
        ];
        for (i, (me, role, status, current, if_match, expected)) in cases.into_iter().enumerate() {
            let current = current.map(|r| member(TARGET, r));
            let got = remove(
                &access(me, role, status),
                &remove_command(TARGET, if_match),
                Some(&person(TARGET)),
                current.as_ref(),
                &mut Fresh::fixed(NOW),
            );
            assert_eq!(
                got.as_ref().map(drop).map_err(Clone::clone),
                expected,
                "case {i}"
            );
            if let Ok(plan) = got {
                assert!(plan.changes().any(|c| matches!(c,
                    Change::MemberRemoved { member } if member == current.as_ref().unwrap())));
            }
        }
        let own = remove(
            &access(1, Owner, Authorized),
            &remove_command(1, None),
            Some(&person(1)),
            Some(&member(1, Owner)),
            &mut Fresh::fixed(NOW),
        );
        assert_eq!(own.unwrap_err(), Refusal::OwnRole);
    }

    #[test]
    fn a_removed_member_is_told_if_their_account_is_there() {
        for (account, notices) in [(Some(person(TARGET)), 1), (None, 0)] {
            let plan = remove(
                &access(1, Owner, Authorized),
                &remove_command(TARGET, None),
                account.as_ref(),
                Some(&member(TARGET, User)),
                &mut Fresh::fixed(NOW),
            )
            .unwrap();
            let told = plan.changes().filter(|c| {
                matches!(c,
                Change::Notice(n) if matches!(n.kind, NoticeKind::RoleRemoved { .. }))
            });
            assert_eq!(told.count(), notices);
            assert!(matches!(
                plan.steps()[0].change,
                Change::BusinessStillAuthorized { .. }
            ));
            assert!(plan.changes().any(|c| matches!(c,
                Change::Audit(e) if e.action == "member.role_removed" && e.after.is_none()
                    && e.before == Some(json!({ "urn": urn(TARGET), "role": "user" })))));
        }
    }
}
