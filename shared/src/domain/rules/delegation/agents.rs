//! Passing a delegation to staff: the grantee's owner or a proxy chooses members to act for
//! the grantor, within the grant, and what an agent's side gives them each day.

use crate::clock::Fresh;
use crate::domain::business::Permission;
use crate::domain::delegation::{ActingFor, Agent, AgentOrder, Day, Delegation, Side};
use crate::domain::member::Member;
use crate::domain::plan::{Change, Plan};
use crate::domain::Refusal;

use super::super::access::Access;
use super::{party_to, save};

/// The delegation as read, for a route of the grantee's people: the caller's business must be
/// the grantee, and the caller an owner or proxy (who manage its staff).
fn as_grantee(access: &Access, read: Option<Delegation>) -> Result<Delegation, Refusal> {
    let (d, side) = party_to(access, read)?;
    if side != Side::Grantee {
        return Err(Refusal::AgentsChosenByGrantee);
    }
    access.require(Permission::MembersManageStaff)?;
    Ok(d)
}

/// The agent's own side of the delegation.
fn acting_for(d: &Delegation, agent: &Agent) -> Result<ActingFor, Refusal> {
    // Active means both sides took part, so both are known by id.
    let business_id = d
        .grantor
        .business_id
        .clone()
        .ok_or(Refusal::DelegationNotActive)?;
    let through = d
        .grantee
        .business_id
        .clone()
        .ok_or(Refusal::DelegationNotActive)?;
    Ok(ActingFor {
        credential: agent.credential.clone(),
        urn: agent.urn.clone(),
        delegation_id: d.delegation_id.clone(),
        business_id,
        through_business_id: through,
        through_legal_name: d.grantee.legal_name.clone(),
    })
}

/// `PUT /businesses/{id}/delegations/{delegation_id}/agents/{urn}`: the grantee's owner or a
/// proxy chooses a member (`member`, as read) to act under an active delegation, with at most
/// what it grants. Choosing them again changes their permissions.
pub fn assign(
    access: &Access,
    read: Option<Delegation>,
    member: Option<&Member>,
    order: &AgentOrder,
    fresh: &mut Fresh,
) -> Result<(Plan, Delegation), Refusal> {
    let d = as_grantee(access, read)?;
    if !d.in_force(Day::of(fresh.now.epoch)) {
        return Err(Refusal::DelegationNotActive);
    }
    let member = member.ok_or(Refusal::NoSuchMember)?;
    let permissions = order.permissions.unwrap_or(d.permissions);
    if !permissions.within(d.permissions) {
        return Err(Refusal::AgentBeyondGrant);
    }
    let agent = Agent {
        urn: member.urn.clone(),
        name: member.name.clone(),
        credential: member.credential.clone(),
        permissions,
        since: fresh.now.rfc3339.clone(),
    };
    let mut after = d.clone();
    after.agents.retain(|a| a.urn != agent.urn);
    after.agents.push(agent.clone());
    after.version += 1;
    let acting = acting_for(&after, &agent)?;
    let mut plan = save(
        access,
        Some(&d),
        after.clone(),
        "delegation.agent_assigned",
        fresh,
    );
    plan.push(
        Change::AgentAssigned(acting),
        Refusal::ActsThroughAnotherDelegation,
    );
    // Named as read: removed from the business meanwhile, nobody is assigned.
    plan.add(Change::MemberUnchanged {
        member: member.clone(),
    });
    Ok((plan, after))
}

/// `DELETE /businesses/{id}/delegations/{delegation_id}/agents/{urn}`: the grantee's owner or
/// a proxy takes a person off a delegation (whatever its state: an ended one too).
pub fn unassign(
    access: &Access,
    read: Option<Delegation>,
    member: Option<&Member>,
    order: &AgentOrder,
    fresh: &mut Fresh,
) -> Result<Plan, Refusal> {
    let d = as_grantee(access, read)?;
    let agent = d
        .agents
        .iter()
        .find(|a| a.urn == order.urn)
        .cloned()
        .ok_or(Refusal::NoSuchAgent)?;
    let mut after = d.clone();
    after.agents.retain(|a| a.urn != agent.urn);
    after.version += 1;
    let acting = acting_for(&d, &agent)?;
    let mut plan = save(access, Some(&d), after, "delegation.agent_removed", fresh);
    // Their side lives under the credential they had when chosen, or (a credential transfer
    // since moved it) under the one their membership names now.
    if let Some(now) = member
        .map(|m| &m.credential)
        .filter(|c| **c != acting.credential)
    {
        plan.add(Change::AgentRemoved(ActingFor {
            credential: now.clone(),
            ..acting.clone()
        }));
    }
    plan.add(Change::AgentRemoved(acting));
    Ok(plan)
}

/// What a person's side of a delegation gives them today: the permissions they act with, or
/// none once the delegation is not in force, they are no longer its agent, or (`through_member`)
/// no longer a member of the business it was given to.
pub fn acting_permissions(
    acting: &ActingFor,
    delegation: Option<&Delegation>,
    through_member: bool,
    today: Day,
) -> Option<crate::domain::delegation::DelegatedPermissions> {
    let d = delegation?;
    if !through_member || !d.in_force(today) || d.delegation_id != acting.delegation_id {
        return None;
    }
    d.agents
        .iter()
        .find(|a| a.urn == acting.urn)
        .map(|a| a.permissions.min_with(d.permissions))
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;
    use crate::domain::business::BusinessStatus::Authorized;
    use crate::domain::business::Role;
    use crate::domain::delegation::{DelegatedPermissions, DelegationStatus};
    use crate::domain::rules::access::tests::access;
    use crate::domain::BusinessId;
    use Role::{Owner, Proxy, User as Staff};

    fn agent_order(urn_n: u64, permissions: Option<DelegatedPermissions>) -> AgentOrder {
        AgentOrder {
            at: crate::domain::delegation::DelegationAt {
                business_id: BusinessId::parse(OTHER_ID).unwrap(),
                delegation_id: offered().delegation_id,
            },
            urn: crate::domain::rules::access::tests::urn(urn_n),
            permissions,
        }
    }

    /// Member `n` of the grantee.
    fn grantee_member(n: u64) -> Member {
        let mut m = crate::domain::rules::access::tests::member(n, Staff);
        m.business_id = BusinessId::parse(OTHER_ID).unwrap();
        m
    }

    #[test]
    fn the_grantees_owner_or_proxy_passes_it_to_a_member_within_the_grant() {
        use DelegatedPermissions::{View, ViewSubmit};
        use DelegationStatus::*;
        let grantor = || access(1, Owner, Authorized);
        let cases = [
            (other_access(7, Owner), Active, true, None, Ok(ViewSubmit)),
            (other_access(7, Proxy), Active, true, Some(View), Ok(View)),
            (
                other_access(7, Owner),
                Active,
                true,
                Some(ViewSubmit),
                Ok(ViewSubmit),
            ),
            (
                other_access(7, Staff),
                Active,
                true,
                None,
                Err(Refusal::RoleDoesNotAllow),
            ),
            (
                grantor(),
                Active,
                true,
                None,
                Err(Refusal::AgentsChosenByGrantee),
            ),
            (
                other_access(7, Owner),
                Pending,
                true,
                None,
                Err(Refusal::DelegationNotActive),
            ),
            (
                other_access(7, Owner),
                Ended,
                true,
                None,
                Err(Refusal::DelegationNotActive),
            ),
            (
                other_access(7, Owner),
                Active,
                false,
                None,
                Err(Refusal::NoSuchMember),
            ),
        ];
        for (who, status, is_member, asked, expected) in cases {
            let d = Delegation {
                status,
                ..active_with_both_known()
            };
            let member = grantee_member(8);
            let got = assign(
                &who,
                Some(d),
                is_member.then_some(&member),
                &agent_order(8, asked),
                &mut fresh(),
            );
            let got = got.map(|(plan, after)| {
                assert!(plan
                    .changes()
                    .any(|c| matches!(c, Change::AgentAssigned(a) if a.urn == member.urn)));
                after.agents[0].permissions
            });
            assert_eq!(got, expected, "{status:?} {asked:?}");
        }
        // Never more than the grant.
        let view_only = Delegation {
            permissions: View,
            ..active_with_both_known()
        };
        let got = assign(
            &other_access(7, Owner),
            Some(view_only),
            Some(&grantee_member(8)),
            &agent_order(8, Some(ViewSubmit)),
            &mut fresh(),
        );
        assert_eq!(got.map(|_| ()), Err(Refusal::AgentBeyondGrant));
    }

    #[test]
    fn an_agent_comes_off_it_and_loses_what_it_gave() {
        let (_, with_agent) = assign(
            &other_access(7, Owner),
            Some(active_with_both_known()),
            Some(&grantee_member(8)),
            &agent_order(8, None),
            &mut fresh(),
        )
        .unwrap();
        // Where their side is removed: under the credential they were chosen with, and under
        // the one their membership names now if a credential transfer moved them since.
        let mut moved = grantee_member(8);
        moved.credential = crate::domain::rules::access::tests::credential("moved");
        let chosen_with = grantee_member(8).credential;
        let cases = [
            (None, vec![chosen_with.clone()]),
            (Some(grantee_member(8)), vec![chosen_with.clone()]),
            (
                Some(moved.clone()),
                vec![moved.credential.clone(), chosen_with.clone()],
            ),
        ];
        for (member, expected) in cases {
            let removed = unassign(
                &other_access(7, Proxy),
                Some(with_agent.clone()),
                member.as_ref(),
                &agent_order(8, None),
                &mut fresh(),
            )
            .unwrap();
            let under: Vec<_> = removed
                .changes()
                .filter_map(|c| match c {
                    Change::AgentRemoved(a) => Some(a.credential.clone()),
                    _ => None,
                })
                .collect();
            assert_eq!(under, expected, "{member:?}");
        }
        assert_eq!(
            unassign(
                &other_access(7, Owner),
                Some(with_agent.clone()),
                None,
                &agent_order(9, None),
                &mut fresh()
            )
            .map(|_| ()),
            Err(Refusal::NoSuchAgent)
        );

        let acting = acting_for(&with_agent, &with_agent.agents[0]).unwrap();
        let today = Day::of(NOW);
        let ended = Delegation {
            status: DelegationStatus::Ended,
            ..with_agent.clone()
        };
        let without = Delegation {
            agents: vec![],
            ..with_agent.clone()
        };
        let cases = [
            (
                Some(&with_agent),
                true,
                today,
                Some(DelegatedPermissions::ViewSubmit),
            ),
            (Some(&with_agent), false, today, None), // no longer a member of the grantee
            (Some(&ended), true, today, None),
            (Some(&without), true, today, None),
            (Some(&with_agent), true, Day::of(NOW + 400 * 86_400), None), // past its end day
            (None, true, today, None),
        ];
        for (i, (d, member, day, expected)) in cases.into_iter().enumerate() {
            assert_eq!(
                acting_permissions(&acting, d, member, day),
                expected,
                "case {i}"
            );
        }
    }
}
