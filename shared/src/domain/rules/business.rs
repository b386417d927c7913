//! A business account's own lifecycle after activation: the program's terms (→ authorized),
//! changes to its details (only once authorized), and closing.

use crate::clock::Fresh;
use crate::domain::business::{BusinessAccount, BusinessStatus, Permission};
use crate::domain::commands::BusinessPatch;
use crate::domain::member::{Member, Membership};
use crate::domain::plan::{Change, Plan};
use crate::domain::{Changed, Refusal};

use super::access::Access;

/// `POST /businesses/{id}/terms`: the owner accepts the program's current terms. Accepting
/// them again changes nothing.
pub fn accept_terms(access: &Access, version: &str, fresh: &mut Fresh) -> Result<Plan, Refusal> {
    access.require(Permission::BusinessManage)?;
    let business = &access.business.business;
    let current = business.program.rules().terms_version;
    if version != current {
        return Err(Refusal::ProgramTermsNotCurrent);
    }
    let mut plan = Plan::new(Changed::Business);
    if business.status == BusinessStatus::Authorized
        && business.terms_version.as_deref() == Some(current)
    {
        return Ok(plan);
    }
    let after = access.next_business(fresh, |after| {
        after.business.status = BusinessStatus::Authorized;
        after.business.terms_version = Some(current.to_owned());
    });
    access.change_business(&mut plan, "business.terms_accepted", after, fresh);
    if business.status != BusinessStatus::Authorized {
        // Members join only once authorized, so the owner's is the one summary to move on.
        plan.add(Change::MembershipStatusChanged {
            membership: Membership {
                status: BusinessStatus::Authorized,
                ..access.membership.clone()
            },
        });
    }
    Ok(plan)
}

/// `PATCH /businesses/{id}`: the owner changes the mailing address or their contact, only once
/// authorized, and (with `If-Match`) only on the version they read.
pub fn update(
    access: &Access,
    patch: BusinessPatch,
    fresh: &mut Fresh,
) -> Result<(Plan, BusinessAccount), Refusal> {
    access.require(Permission::BusinessManage)?;
    if patch
        .if_match
        .is_some_and(|expected| expected != access.business.business.version)
    {
        return Err(Refusal::Stale(Changed::Business));
    }
    access.require_authorized(Refusal::NotAuthorizedYet)?;
    let after = access.next_business(fresh, |after| {
        let contact = &mut after.business.owner_contact;
        if let Some(v) = patch.position_title {
            contact.position_title = v;
        }
        if let Some(v) = patch.address {
            contact.address = v;
        }
        if let Some(v) = patch.phone {
            contact.phone = v;
        }
        if let Some(v) = patch.email {
            contact.email = v;
        }
        if let Some(v) = patch.mailing_address {
            after.mailing_address = v;
        }
    });
    let mut plan = Plan::new(Changed::Business);
    access.change_business(&mut plan, "business.updated", after.clone(), fresh);
    Ok((plan, after))
}

/// Memberships a close ends in its own write (2 items each, beside the business, its audit
/// event and the identifier: 83 of DynamoDB's 100); `membership-followups` ends the rest, from
/// the closed business's stream record.
pub const CLOSE_FIRST_CHUNK: usize = 40;

/// `DELETE /businesses/{id}`: the owner closes the business. Every member loses access at
/// once (a closed business lets nobody in); their memberships end, and the identifier is free
/// for a new secret.
pub fn close(access: &Access, members: &[Member], fresh: &mut Fresh) -> Result<Plan, Refusal> {
    access.require(Permission::BusinessManage)?;
    let after = access.next_business(fresh, |after| {
        after.business.status = BusinessStatus::Closed;
    });
    let mut plan = Plan::new(Changed::Business);
    access.change_business(&mut plan, "business.closed", after, fresh);
    for member in members.iter().take(CLOSE_FIRST_CHUNK) {
        plan.add(Change::MembershipEnded {
            member: member.clone(),
        });
    }
    let business = &access.business.business;
    plan.add(Change::IdentifierFreed {
        program: business.program,
        identifier: business.identifier.clone(),
    });
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::super::access::tests::{access, member, BUSINESS_ID};
    use super::*;
    use crate::domain::business::Role;
    use crate::domain::{BusinessId, Email, Program};

    fn fresh() -> Fresh {
        Fresh::fixed(1_795_000_000)
    }

    fn business_after(plan: &Plan) -> Option<&BusinessAccount> {
        plan.changes().find_map(|c| match c {
            Change::BusinessChanged { after } => Some(after),
            _ => None,
        })
    }

    #[test]
    fn terms_table() {
        let current = Program::Emanifest.rules().terms_version;
        use BusinessStatus::{Activated, Authorized};
        // (role, status, version sent, expected: Err, or Ok(number of changes written))
        let cases: [(Role, BusinessStatus, &str, Result<usize, Refusal>); 5] = [
            (Role::Owner, Activated, current, Ok(3)),
            (
                Role::Owner,
                Activated,
                "1999-01",
                Err(Refusal::ProgramTermsNotCurrent),
            ),
            (
                Role::Proxy,
                Activated,
                current,
                Err(Refusal::RoleDoesNotAllow),
            ),
            (Role::Owner, Authorized, current, Ok(2)), // terms moved on: no summary to change
            (
                Role::User,
                Authorized,
                current,
                Err(Refusal::RoleDoesNotAllow),
            ),
        ];
        for (i, (role, status, version, expected)) in cases.into_iter().enumerate() {
            let got = accept_terms(&access(1, role, status), version, &mut fresh());
            assert_eq!(
                got.as_ref().map(|p| p.steps().len()).map_err(Clone::clone),
                expected,
                "case {i}"
            );
            if let Ok(plan) = got {
                let after = business_after(&plan).unwrap();
                assert_eq!(after.business.status, Authorized, "case {i}");
                assert_eq!(after.business.terms_version.as_deref(), Some(current));
                assert_eq!(after.business.version, 4, "moves from the version read");
            }
        }
    }

    #[test]
    fn accepting_the_same_terms_again_writes_nothing() {
        let mut a = access(1, Role::Owner, BusinessStatus::Authorized);
        a.business.business.terms_version = Some(Program::Emanifest.rules().terms_version.into());
        let plan = accept_terms(&a, Program::Emanifest.rules().terms_version, &mut fresh());
        assert!(plan.unwrap().is_empty());
    }

    #[test]
    fn update_table() {
        use BusinessStatus::{Activated, Authorized};
        let email = |if_match| BusinessPatch {
            business_id: BusinessId::parse(BUSINESS_ID).unwrap(),
            if_match,
            mailing_address: None,
            position_title: None,
            address: None,
            phone: None,
            email: Some(Email::parse("new@example.com").unwrap()),
        };
        let cases = [
            (Role::Owner, Authorized, None, Ok(())),
            (Role::Owner, Authorized, Some(3), Ok(())),
            (
                Role::Owner,
                Authorized,
                Some(2),
                Err(Refusal::Stale(Changed::Business)),
            ),
            (Role::Owner, Activated, None, Err(Refusal::NotAuthorizedYet)),
            (
                Role::Proxy,
                Authorized,
                None,
                Err(Refusal::RoleDoesNotAllow),
            ),
        ];
        for (i, (role, status, if_match, expected)) in cases.into_iter().enumerate() {
            let got = update(&access(1, role, status), email(if_match), &mut fresh());
            assert_eq!(
                got.as_ref().map(|_| ()).map_err(Clone::clone),
                expected,
                "case {i}"
            );
            if let Ok((_, after)) = got {
                assert_eq!(
                    after.business.owner_contact.email.as_str(),
                    "new@example.com"
                );
                assert_eq!(after.business.version, 4);
            }
        }
    }

    /// A close ends at most `CLOSE_FIRST_CHUNK` memberships in its own write; the follow-up
    /// ends the rest.
    #[test]
    fn closing_a_big_business_ends_a_first_chunk() {
        for (n, ended) in [
            (1, 1),
            (CLOSE_FIRST_CHUNK, CLOSE_FIRST_CHUNK),
            (150, CLOSE_FIRST_CHUNK),
        ] {
            let members: Vec<Member> = (1..=n as u64)
                .map(|i| member(i, if i == 1 { Role::Owner } else { Role::User }))
                .collect();
            let plan = close(
                &access(1, Role::Owner, BusinessStatus::Authorized),
                &members,
                &mut fresh(),
            )
            .unwrap();
            let got = plan
                .changes()
                .filter(|c| matches!(c, Change::MembershipEnded { .. }))
                .count();
            assert_eq!(got, ended, "{n} members");
        }
    }

    #[test]
    fn closing_ends_every_membership_and_frees_the_identifier() {
        let members = [
            member(1, Role::Owner),
            member(2, Role::Proxy),
            member(3, Role::User),
        ];
        for (role, allowed) in [(Role::Owner, true), (Role::Proxy, false)] {
            let got = close(
                &access(1, role, BusinessStatus::Authorized),
                &members,
                &mut fresh(),
            );
            let Ok(plan) = got else {
                assert!(!allowed);
                assert_eq!(got.unwrap_err(), Refusal::RoleDoesNotAllow);
                continue;
            };
            assert!(allowed);
            assert_eq!(
                business_after(&plan).unwrap().business.status,
                BusinessStatus::Closed
            );
            let ended = plan
                .changes()
                .filter(|c| matches!(c, Change::MembershipEnded { .. }))
                .count();
            assert_eq!(ended, 3);
            assert!(plan
                .changes()
                .any(|c| matches!(c, Change::IdentifierFreed { .. })));
            assert!(plan
                .changes()
                .any(|c| matches!(c, Change::Audit(e) if e.action == "business.closed")));
        }
    }
}
