//! `PUT /businesses/{id}/members/{urn}`: giving a person a role, or changing a member's.

use super::{not_own, not_stale, power_over};
use serde_json::json;

use crate::clock::Fresh;
use crate::domain::business::Role;
use crate::domain::commands::PutMember;
use crate::domain::member::{Member, Membership};
use crate::domain::notice::{Notice, NoticeKind};
use crate::domain::plan::{Change, Plan};
use crate::domain::user::UrnEntry;
use crate::domain::{Changed, Refusal};

use crate::domain::rules::access::Access;

/// `PUT /businesses/{id}/members/{urn}`: gives the user behind the URN a role, or changes the
/// member's role. `person` is who the URN belongs to and `current` the member as read (if they
/// are one). Answers the plan and the member as it leaves them; the same role again writes
/// nothing.
pub fn put(
    access: &Access,
    command: &PutMember,
    person: Option<&UrnEntry>,
    current: Option<&Member>,
    fresh: &mut Fresh,
) -> Result<(Plan, Member), Refusal> {
    not_own(access, &command.urn)?;
    if command.role == Role::Owner {
        return Err(Refusal::OwnerRoleByTransferOnly);
    }
    access.require(power_over(command.role))?;
    if let Some(current) = current {
        if current.role == Role::Owner {
            return Err(Refusal::OwnerRoleByTransferOnly);
        }
        access.require(power_over(current.role))?;
    }
    access.require_authorized(Refusal::MembersWaitForTerms)?;
    let person = person.ok_or(Refusal::NoUserWithUrn)?;
    if current.is_none() {
        // A URN and an e-mail that do not belong together are answered as an unknown URN.
        let email = command.email.as_ref().ok_or(Refusal::EmailNeededToAdd)?;
        // A retired account's URN too (dormant accounts): nobody adds it until it is reinstated.
        if !email.same_address(&person.email) || person.retired {
            return Err(Refusal::NoUserWithUrn);
        }
    }
    not_stale(current, command.if_match)?;
    let mut plan = Plan::new(Changed::Member);
    if let Some(current) = current.filter(|m| m.role == command.role) {
        return Ok((plan, current.clone()));
    }

    let now = fresh.now.rfc3339.clone();
    let legal_name = access.business.business.legal_name.clone();
    plan.add(Change::BusinessStillAuthorized {
        business_id: access.business_id().clone(),
    });
    let (member, action, kind) = match current {
        None => {
            let member = Member {
                business_id: access.business_id().clone(),
                urn: command.urn.clone(),
                name: person.name.clone(),
                role: command.role,
                since: now.clone(),
                credential: person.credential.clone(),
                version: 1,
            };
            plan.add(Change::MemberAdded {
                member: member.clone(),
                membership: Membership::of(&member, &access.business),
            });
            let kind = NoticeKind::RoleGranted {
                name: person.name.clone(),
                legal_name,
                role: command.role,
            };
            (member, "member.role_granted", kind)
        }
        Some(current) => {
            let member = Member {
                role: command.role,
                version: current.version + 1,
                ..current.clone()
            };
            plan.add(Change::MemberRoleChanged {
                member: member.clone(),
            });
            let kind = NoticeKind::RoleChanged {
                name: person.name.clone(),
                legal_name,
                from_role: current.role,
                to_role: command.role,
            };
            (member, "member.role_changed", kind)
        }
    };
    let before = current.map(|m| json!({ "urn": m.urn, "role": m.role }));
    let after = json!({ "urn": member.urn, "role": member.role });
    let audit = access.audit(action, before, Some(after), fresh);
    plan.add(Change::Audit(audit.about(&member.urn, &person.name)));
    plan.add(Change::Notice(Notice::to(
        &person.contact(),
        fresh.id(),
        &now,
        kind,
    )));
    Ok((plan, member))
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::super::*;
    use super::*;

    #[test]
    fn put_table() {
        use Put::{Added, Changed as RoleChanged, Refused, Unchanged};
        // (caller, their role, status, target's current role, target has an account,
        //  role given, If-Match, expected)
        #[rustfmt::skip]
        let cases = vec![
            // the owner gives proxy, user, browser; a proxy user and browser only
            (1, Owner, Authorized, None, true, Proxy, None, Added),
            (1, Owner, Authorized, None, true, User, None, Added),
            (1, Owner, Authorized, None, true, Browser, None, Added),
            (2, Proxy, Authorized, None, true, User, None, Added),
            (2, Proxy, Authorized, None, true, Browser, None, Added),
            (2, Proxy, Authorized, None, true, Proxy, None, Refused(Refusal::RoleDoesNotAllow)),
            (2, User, Authorized, None, true, Browser, None, Refused(Refusal::RoleDoesNotAllow)),
            (2, Browser, Authorized, None, true, Browser, None, Refused(Refusal::RoleDoesNotAllow)),
            // changing a role needs power over the old role and the new one
            (1, Owner, Authorized, Some(User), true, Proxy, None, RoleChanged),
            (1, Owner, Authorized, Some(Proxy), true, Browser, None, RoleChanged),
            (2, Proxy, Authorized, Some(User), true, Browser, None, RoleChanged),
            (2, Proxy, Authorized, Some(Proxy), true, User, None, Refused(Refusal::RoleDoesNotAllow)),
            (2, Proxy, Authorized, Some(Browser), true, Proxy, None, Refused(Refusal::RoleDoesNotAllow)),
            // the owner's role moves only by transfer, and nobody is made owner here
            (2, Proxy, Authorized, Some(Owner), true, User, None, Refused(Refusal::OwnerRoleByTransferOnly)),
            (1, Owner, Authorized, Some(User), true, Owner, None, Refused(Refusal::OwnerRoleByTransferOnly)),
            // only once authorized; the power is asked first, the URN's account after
            (1, Owner, Activated, None, true, User, None, Refused(Refusal::MembersWaitForTerms)),
            (2, Proxy, Activated, None, true, Proxy, None, Refused(Refusal::RoleDoesNotAllow)),
            (1, Owner, Activated, None, false, User, None, Refused(Refusal::MembersWaitForTerms)),
            (1, Owner, Authorized, None, false, User, None, Refused(Refusal::NoUserWithUrn)),
            // If-Match: 0 for someone not yet a member, else the member's version (2)
            (1, Owner, Authorized, None, true, User, Some(0), Added),
            (1, Owner, Authorized, None, true, User, Some(1), Refused(Refusal::Stale(Changed::Member))),
            (1, Owner, Authorized, Some(User), true, Browser, Some(2), RoleChanged),
            (1, Owner, Authorized, Some(User), true, Browser, Some(0), Refused(Refusal::Stale(Changed::Member))),
            // the same role again writes nothing, unless the read was stale
            (1, Owner, Authorized, Some(User), true, User, None, Unchanged),
            (2, Proxy, Authorized, Some(Browser), true, Browser, Some(2), Unchanged),
            (1, Owner, Authorized, Some(User), true, User, Some(1), Refused(Refusal::Stale(Changed::Member))),
        ];
        for (i, (me, role, status, current, has_account, given, if_match, expected)) in
            cases.into_iter().enumerate()
        {
            let current = current.map(|r| member(TARGET, r));
            let account = has_account.then(|| person(TARGET));
            let got = put(
                &access(me, role, status),
                &put_command(TARGET, given, if_match),
                account.as_ref(),
                current.as_ref(),
                &mut Fresh::fixed(NOW),
            );
            assert_eq!(outcome(got), expected, "case {i}");
        }
    }

    #[test]
    fn adding_a_person_needs_the_email_of_their_account() {
        use Put::{Added, Changed as RoleChanged, Refused};
        // (target's current role, e-mail given, expected)
        #[rustfmt::skip]
        let cases = [
            (None, Some("person-5@example.com"), Added),
            (None, Some("Person-5@EXAMPLE.com"), Added),
            // another person's address, or a near miss: as if the URN were unknown
            (None, Some("person-6@example.com"), Refused(Refusal::NoUserWithUrn)),
            (None, Some("person-5@example.org"), Refused(Refusal::NoUserWithUrn)),
            (None, None, Refused(Refusal::EmailNeededToAdd)),
            // changing a member's role needs none, and a wrong one is not asked about
            (Some(User), None, RoleChanged),
            (Some(User), Some("someone@example.com"), RoleChanged),
        ];
        for (i, (current, email, expected)) in cases.into_iter().enumerate() {
            let current = current.map(|r| member(TARGET, r));
            let command = PutMember {
                email: email.map(|e| Email::parse(e).unwrap()),
                ..put_command(TARGET, Browser, None)
            };
            let got = put(
                &access(1, Owner, Authorized),
                &command,
                Some(&person(TARGET)),
                current.as_ref(),
                &mut Fresh::fixed(NOW),
            );
            assert_eq!(outcome(got), expected, "case {i}");
        }
        // An unknown URN with any e-mail: the same answer as a URN and e-mail that do not match.
        let unknown = put(
            &access(1, Owner, Authorized),
            &put_command(TARGET, Browser, None),
            None,
            None,
            &mut Fresh::fixed(NOW),
        );
        assert_eq!(outcome(unknown), Refused(Refusal::NoUserWithUrn));
    }

    #[test]
    fn a_retired_accounts_urn_cannot_be_added() {
        use Put::{Added, Changed as RoleChanged, Refused};
        // (retired, already a member, expected): its memberships stay and can still change.
        let cases = [
            (false, false, Added),
            (true, false, Refused(Refusal::NoUserWithUrn)),
            (true, true, RoleChanged),
        ];
        for (i, (retired, member_already, expected)) in cases.into_iter().enumerate() {
            let who = UrnEntry {
                retired,
                ..person(TARGET)
            };
            let current = member_already.then(|| member(TARGET, User));
            let command = PutMember {
                email: Some(who.email.clone()),
                ..put_command(TARGET, Browser, None)
            };
            let got = put(
                &access(1, Owner, Authorized),
                &command,
                Some(&who),
                current.as_ref(),
                &mut Fresh::fixed(NOW),
            );
            assert_eq!(outcome(got), expected, "case {i}");
        }
    }

    #[test]
    fn nobody_changes_their_own_role() {
        for role in [Owner, Proxy, User, Browser] {
            let got = put(
                &access(2, role, Authorized),
                &put_command(2, Browser, None),
                Some(&person(2)),
                Some(&member(2, role)),
                &mut Fresh::fixed(NOW),
            );
            assert_eq!(got.unwrap_err(), Refusal::OwnRole, "{role:?}");
        }
    }

    #[test]
    fn a_new_member_gets_both_sides_an_audit_event_and_a_notice() {
        let (plan, added) = put(
            &access(1, Owner, Authorized),
            &put_command(TARGET, User, Some(0)),
            Some(&person(TARGET)),
            None,
            &mut Fresh::fixed(NOW),
        )
        .unwrap();
        let changes: Vec<_> = plan.changes().collect();
        assert!(matches!(
            changes[0],
            Change::BusinessStillAuthorized { business_id } if business_id.as_str() == BUSINESS_ID
        ));
        let Change::MemberAdded { member, membership } = changes[1] else {
            panic!("{:?}", changes[1]);
        };
        assert_eq!(member, &added);
        assert_eq!((member.role, member.version), (User, 1));
        assert_eq!(member.credential, person(TARGET).credential);
        assert_eq!(member.name, person(TARGET).name);
        assert_eq!(member.since, Fresh::fixed(NOW).now.rfc3339);
        assert_eq!((membership.role, membership.status), (User, Authorized));
        assert_eq!(membership.credential, member.credential);
        let Change::Audit(event) = changes[2] else {
            panic!("{:?}", changes[2]);
        };
        assert_eq!(event.action, "member.role_granted");
        assert_eq!(
            (event.actor_urn.clone(), event.before.clone()),
            (urn(1), None)
        );
        assert_eq!(
            event.after,
            Some(json!({ "urn": urn(TARGET), "role": "user" }))
        );
        let Change::Notice(notice) = changes[3] else {
            panic!("{:?}", changes[3]);
        };
        assert_eq!(notice.to, person(TARGET).email);
        assert!(matches!(
            notice.kind,
            NoticeKind::RoleGranted { role: User, .. }
        ));
        assert_eq!(changes.len(), 4);
        assert!(plan
            .steps()
            .iter()
            .all(|s| s.if_refused == Refusal::ChangedMeanwhile(Changed::Member)));
    }

    #[test]
    fn a_role_change_moves_the_member_on_from_the_version_read() {
        let (plan, changed) = put(
            &access(2, Proxy, Authorized),
            &put_command(TARGET, Browser, Some(2)),
            Some(&person(TARGET)),
            Some(&member(TARGET, User)),
            &mut Fresh::fixed(NOW),
        )
        .unwrap();
        assert_eq!((changed.role, changed.version), (Browser, 3));
        assert_eq!(changed.since, member(TARGET, User).since, "since stays");
        assert!(plan
            .changes()
            .any(|c| matches!(c, Change::MemberRoleChanged { member } if member == &changed)));
        assert!(plan.changes().any(|c| matches!(c,
            Change::Audit(e) if e.action == "member.role_changed"
                && e.before == Some(json!({ "urn": urn(TARGET), "role": "user" })))));
        assert!(plan.changes().any(|c| matches!(c,
        Change::Notice(n) if n.kind == NoticeKind::RoleChanged {
            name: person(TARGET).name,
            legal_name: business(Authorized).business.legal_name,
            from_role: User,
            to_role: Browser,
        })));
    }

    /// Each role event keeps, as they were when it was written, the names of who acted and of
    /// the member it is about: the trail still names them once they have left.
    #[test]
    fn role_events_keep_the_names_of_the_actor_and_the_member() {
        // (role the member has now, removed rather than given a role, action recorded)
        let cases = [
            (None, false, "member.role_granted"),
            (Some(User), false, "member.role_changed"),
            (Some(User), true, "member.role_removed"),
        ];
        for (i, (current, removing, action)) in cases.into_iter().enumerate() {
            let caller = access(1, Owner, Authorized);
            let current = current.map(|r| member(TARGET, r));
            let mut fresh = Fresh::fixed(NOW);
            let plan = if removing {
                let command = remove_command(TARGET, None);
                remove(
                    &caller,
                    &command,
                    Some(&person(TARGET)),
                    current.as_ref(),
                    &mut fresh,
                )
                .unwrap()
            } else {
                let command = put_command(TARGET, Browser, None);
                put(
                    &caller,
                    &command,
                    Some(&person(TARGET)),
                    current.as_ref(),
                    &mut fresh,
                )
                .unwrap()
                .0
            };
            let event = plan
                .changes()
                .find_map(|c| match c {
                    Change::Audit(e) => Some(e),
                    _ => None,
                })
                .expect("audited");
            assert_eq!(event.action, action, "case {i}");
            assert_eq!(event.actor_name, Some(account(1).name), "case {i}");
            assert_eq!(
                (event.subject_urn.clone(), event.subject_name.clone()),
                (Some(urn(TARGET)), Some(person(TARGET).name)),
                "case {i}"
            );
        }
    }
}
