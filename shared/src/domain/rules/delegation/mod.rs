//! Delegation between business accounts: one business's owner opens it (the grantor offers,
//! or the grantee asks), the other business's owner answers, and either side ends it. Only
//! owners decide, as for every other grant of power over a business (the permission table's
//! `business:manage`); owners and proxies see the lists.
//!
//! The other business is named by program and identifier, and the answer to opening is the
//! same whether it has an account or not: a stranger learns nothing about an identifier.

use serde_json::json;

use crate::clock::Fresh;
use crate::domain::business::Permission;
use crate::domain::business::{BusinessAccount, LegalName};
use crate::domain::delegation::DelegationNews;
use crate::domain::delegation::{
    ActingFor, Agent, AgentOrder, Day, Delegation, DelegationStatus, DelegationStep,
    DelegationTerms, Direction, OpenDelegation, Party, ProofClaims, Side, PROOF_ISSUER,
};
use crate::domain::member::{Member, NoticeContact};
use crate::domain::notice::{Notice, NoticeKind};
use crate::domain::plan::{Change, Plan};
use crate::domain::{BusinessId, Changed, Refusal};

use super::access::{audit_event, Access};

/// The furthest end day: two years from today.
pub const MAX_YEARS: i32 = 2;

/// Who may open, answer or end a delegation for their business: its owner, once the program's
/// terms are accepted.
pub fn may_decide(access: &Access) -> Result<(), Refusal> {
    access.require(Permission::BusinessManage)?;
    access.require_authorized(Refusal::DelegationsWaitForTerms)
}

fn check_terms(terms: &DelegationTerms, today: Day) -> Result<(), Refusal> {
    if terms.ends_on <= today || terms.ends_on > today.plus_years(MAX_YEARS) {
        return Err(Refusal::DelegationEndOutOfRange);
    }
    Ok(())
}

/// What both audit trails keep of a delegation.
fn audit_json(d: &Delegation) -> serde_json::Value {
    json!({
        "delegation_id": d.delegation_id,
        "grantor": { "program": d.grantor.program, "business_identifier": d.grantor.identifier.as_str() },
        "grantee": { "program": d.grantee.program, "business_identifier": d.grantee.identifier.as_str() },
        "permissions": d.permissions,
        "ends_on": d.ends_on,
        "status": d.status,
    })
}

/// The delegation saved, with an audit event in the caller's trail and (where the other
/// business's account is known) in the other's.
fn save(
    access: &Access,
    before: Option<&Delegation>,
    after: Delegation,
    action: &str,
    fresh: &mut Fresh,
) -> Plan {
    let (old, new) = (before.map(audit_json), Some(audit_json(&after)));
    let mut plan = Plan::new(Changed::Delegation).with(
        Change::DelegationSaved {
            delegation: after.clone(),
            replacing: before.map(|d| d.version),
        },
        Refusal::ChangedMeanwhile(Changed::Delegation),
    );
    plan.add(Change::BusinessStillAuthorized {
        business_id: access.business_id().clone(),
    });
    plan.add(Change::Audit(access.audit(
        action,
        old.clone(),
        new.clone(),
        fresh,
    )));
    let other: Option<&BusinessId> = [&after.grantor, &after.grantee]
        .into_iter()
        .filter_map(|p| p.business_id.as_ref())
        .find(|id| *id != access.business_id());
    if let Some(other) = other {
        let event = audit_event(other, access.actor(), action, old, new, fresh);
        plan.add(Change::Audit(event));
    }
    plan
}

/// `POST /businesses/{id}/delegations` (`from` = grantor: an offer) or
/// `…/delegation-requests` (`from` = grantee: a request). `other_account` is the live account
/// of the named identifier, if any (kept, never shown to the caller).
pub fn open(
    access: &Access,
    command: &OpenDelegation,
    from: Side,
    other_account: Option<BusinessId>,
    fresh: &mut Fresh,
) -> Result<(Plan, Delegation), Refusal> {
    may_decide(access)?;
    let today = Day::of(fresh.now.epoch);
    check_terms(&command.terms, today)?;
    let own = Party::of(&access.business);
    if own.program == command.other_program && own.identifier == command.other_identifier {
        return Err(Refusal::DelegationToItself);
    }
    let other = Party::named(
        command.other_program,
        command.other_identifier.clone(),
        other_account,
    );
    let (grantor, grantee, status, action) = match from {
        Side::Grantor => (own, other, DelegationStatus::Pending, "offered"),
        Side::Grantee => (other, own, DelegationStatus::Requested, "requested"),
    };
    let delegation = Delegation {
        delegation_id: fresh.delegation_id(),
        grantor,
        grantee,
        permissions: command.terms.permissions,
        ends_on: command.terms.ends_on,
        note: command.terms.note.clone(),
        status,
        history: vec![step(access, from, action, fresh)],
        created_at: fresh.now.rfc3339.clone(),
        version: 1,
        agents: Vec::new(),
        reminded: false,
    };
    let plan = save(
        access,
        None,
        delegation.clone(),
        &format!("delegation.{action}"),
        fresh,
    );
    Ok((plan, delegation))
}

fn step(access: &Access, side: Side, action: &str, fresh: &Fresh) -> DelegationStep {
    DelegationStep {
        action: action.to_owned(),
        side: Some(side),
        by_urn: Some(access.membership.urn.clone()),
        at: fresh.now.rfc3339.clone(),
    }
}

/// The delegation as read and the caller's side of it: 404 unless the caller's business is a
/// party (nobody else learns that the id exists).
fn party_to(access: &Access, read: Option<Delegation>) -> Result<(Delegation, Side), Refusal> {
    let delegation = read.ok_or(Refusal::NoSuchDelegation)?;
    let side = delegation
        .side_of(&access.business)
        .ok_or(Refusal::NoSuchDelegation)?;
    Ok((delegation, side))
}

/// The side whose answer an open, unanswered delegation waits for.
fn awaiting(status: DelegationStatus) -> Option<Side> {
    match status {
        DelegationStatus::Pending => Some(Side::Grantee),
        DelegationStatus::Requested => Some(Side::Grantor),
        _ => None,
    }
}

/// The delegation moved on by the caller's side: status, history, their business named in full.
fn moved_on(
    d: &Delegation,
    access: &Access,
    side: Side,
    status: DelegationStatus,
    action: &str,
    fresh: &Fresh,
) -> Delegation {
    let mut after = d.clone();
    after.status = status;
    after.history.push(step(access, side, action, fresh));
    after.version += 1;
    match side {
        Side::Grantor => after.grantor = Party::of(&access.business),
        Side::Grantee => after.grantee = Party::of(&access.business),
    }
    after
}

/// `POST /businesses/{id}/delegations/{delegation_id}/accept`: the owner of the side it waits
/// for accepts the offer (grantee) or approves the request (grantor); it is active at once.
pub fn accept(
    access: &Access,
    read: Option<Delegation>,
    fresh: &mut Fresh,
) -> Result<(Plan, Delegation), Refusal> {
    let (d, side) = party_to(access, read)?;
    may_decide(access)?;
    let today = Day::of(fresh.now.epoch);
    let waits_for = awaiting(d.status_on(today)).ok_or(Refusal::DelegationClosed)?;
    if waits_for != side {
        return Err(Refusal::DelegationAwaitsTheOtherSide);
    }
    let action = match side {
        Side::Grantee => "accepted",
        Side::Grantor => "approved",
    };
    let after = moved_on(&d, access, side, DelegationStatus::Active, action, fresh);
    let plan = save(
        access,
        Some(&d),
        after.clone(),
        &format!("delegation.{action}"),
        fresh,
    );
    Ok((plan, after))
}

/// `DELETE /businesses/{id}/delegations/{delegation_id}`: either side's owner ends it at any
/// time. Unanswered, it is declined (by the side it waited for) or withdrawn (by the other);
/// active, it is ended.
pub fn end(
    access: &Access,
    read: Option<Delegation>,
    fresh: &mut Fresh,
) -> Result<(Plan, Delegation), Refusal> {
    let (d, side) = party_to(access, read)?;
    access.require(Permission::BusinessManage)?;
    let (status, action) =
        ending(&d, side, Day::of(fresh.now.epoch)).ok_or(Refusal::DelegationClosed)?;
    let after = moved_on(&d, access, side, status, action, fresh);
    let plan = save(
        access,
        Some(&d),
        after.clone(),
        &format!("delegation.{action}"),
        fresh,
    );
    Ok((plan, after))
}

/// What ending an open delegation by `side` makes of it: active, it is ended; unanswered, it
/// is declined (by the side it waited for) or withdrawn (by the other). None once it is closed.
fn ending(d: &Delegation, side: Side, today: Day) -> Option<(DelegationStatus, &'static str)> {
    match d.status_on(today) {
        DelegationStatus::Active => Some((DelegationStatus::Ended, "ended")),
        open => awaiting(open).map(|waits_for| match waits_for == side {
            true => (DelegationStatus::Declined, "declined"),
            false => (DelegationStatus::Withdrawn, "withdrawn"),
        }),
    }
}

/// A business closed (`membership-followups`): each of its open delegations ends as if its
/// owner had ended it, recorded as `closed`, and the other side's owner is told. None if
/// `closed` is not a party (a later account for the same identifier) or it is no longer open.
pub fn end_for_closed(
    read: &Delegation,
    closed: &BusinessAccount,
    owners: &[Owner],
    fresh: &mut Fresh,
) -> Option<Plan> {
    let side = read.side_of(closed)?;
    let (status, _) = ending(read, side, Day::of(fresh.now.epoch))?;
    Some(closed_by_the_portal(
        read,
        status,
        Some(side),
        (CLOSED, DelegationNews::Closed),
        owners,
        fresh,
    ))
}

/// A delegation the portal itself closes (no person's step: its end day passed, or a party
/// closed its account), recorded as `news` in its history, both owners told.
fn closed_by_the_portal(
    read: &Delegation,
    status: DelegationStatus,
    side: Option<Side>,
    (action, news): (&str, DelegationNews),
    owners: &[Owner],
    fresh: &mut Fresh,
) -> Plan {
    let mut after = read.clone();
    after.status = status;
    after.version += 1;
    after.history.push(DelegationStep {
        action: action.into(),
        side,
        by_urn: None,
        at: fresh.now.rfc3339.clone(),
    });
    let mut plan = Plan::new(Changed::Delegation).with(
        Change::DelegationSaved {
            delegation: after.clone(),
            replacing: Some(read.version),
        },
        Refusal::ChangedMeanwhile(Changed::Delegation),
    );
    tell(&mut plan, &after, news, owners, fresh);
    plan
}

/// The history's step (and the news) of a delegation ended because a party closed.
const CLOSED: &str = "closed";

/// `GET /businesses/{id}/delegations?direction=`: owners and proxies see every delegation
/// their business gives or receives (open and closed), each as of today.
pub fn list(
    access: &Access,
    read: Vec<Delegation>,
    direction: Option<Direction>,
    today: Day,
) -> Result<Vec<Delegation>, Refusal> {
    access.require(Permission::MembersList)?;
    // The lists are kept by identifier: a delegation of an earlier account of the same
    // identifier (closed, the identifier freed) is not this business's.
    Ok(read
        .into_iter()
        .filter(|d| match direction {
            Some(direction) => d.party(direction.side()).is(&access.business),
            None => d.side_of(&access.business).is_some(),
        })
        .map(|mut d| {
            d.status = d.status_on(today);
            d
        })
        .collect())
}

// ---------------------------------------------------------------- passing it to staff

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

// ---------------------------------------------------------------- the signed proof

/// `GET /businesses/{id}/delegations/{delegation_id}/proof`: what a proof of an active
/// delegation states, for the owners and proxies of either side (to show a customs officer,
/// or another system); valid until the end of its end day.
pub fn proof(
    access: &Access,
    read: Option<Delegation>,
    fresh: &mut Fresh,
) -> Result<ProofClaims, Refusal> {
    let (d, _) = party_to(access, read)?;
    access.require(Permission::MembersList)?;
    if !d.in_force(Day::of(fresh.now.epoch)) {
        return Err(Refusal::DelegationNotActive);
    }
    Ok(ProofClaims {
        iss: PROOF_ISSUER.to_owned(),
        jti: fresh.id(),
        sub: d.delegation_id.clone(),
        iat: fresh.now.epoch,
        exp: d.ends_on.end_epoch(),
        program: d.program(),
        grantor: (&d.grantor).into(),
        grantee: (&d.grantee).into(),
        permissions: d.permissions,
        ends_on: d.ends_on,
    })
}

/// Whether a proof (its claims, as its signature vouched) still holds at `now`: the
/// delegation it names still active, not past the proof's expiry. The status says why not.
pub fn still_holds(
    claims: &ProofClaims,
    read: Option<&Delegation>,
    now: i64,
) -> (bool, Option<DelegationStatus>) {
    let status = read.map(|d| d.status_on(Day::of(now)));
    let holds = status == Some(DelegationStatus::Active)
        && now < claims.exp
        && read.is_some_and(|d| d.permissions == claims.permissions && d.ends_on == claims.ends_on);
    (holds, status)
}

/// The daily sweep: an open delegation past its end day is recorded as expired (it stopped
/// counting at the end of that day already: `Delegation::status_on`). None if it is not due.
pub fn expire(read: &Delegation, owners: &[Owner], fresh: &mut Fresh) -> Option<Plan> {
    let today = Day::of(fresh.now.epoch);
    if !read.status.is_open() || read.status_on(today) != DelegationStatus::Expired {
        return None;
    }
    Some(closed_by_the_portal(
        read,
        DelegationStatus::Expired,
        None,
        ("expired", DelegationNews::Expired),
        owners,
        fresh,
    ))
}

// ---------------------------------------------------------------- telling both owners

/// An owner to tell, and the business they own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    pub contact: NoticeContact,
    pub legal_name: LegalName,
}

/// The news of the step a decision just took (the last of the history).
pub fn news_of(d: &Delegation) -> Option<DelegationNews> {
    d.history
        .last()
        .and_then(|step| DelegationNews::of_action(&step.action))
}

/// Each owner told what happened, in their language, in the same write as the change.
pub fn tell(
    plan: &mut Plan,
    d: &Delegation,
    news: DelegationNews,
    owners: &[Owner],
    fresh: &mut Fresh,
) {
    for owner in owners {
        let kind = NoticeKind::Delegation {
            name: owner.contact.name.clone(),
            legal_name: owner.legal_name.clone(),
            news,
            grantor: d.grantor.shown(),
            grantee: d.grantee.shown(),
            program: d.program(),
            permissions: d.permissions,
            ends_on: d.ends_on.to_string(),
        };
        let notice = Notice::to(&owner.contact, fresh.id(), &fresh.now.rfc3339, kind);
        plan.add(Change::Notice(notice));
    }
}

/// Days before its end day that both owners are reminded.
pub const REMIND_DAYS: i64 = 30;

/// The daily sweep's reminder: an active delegation whose end day is at most `REMIND_DAYS`
/// away, not reminded yet, is marked reminded and both owners are told. None if not due.
pub fn remind(read: &Delegation, owners: &[Owner], fresh: &mut Fresh) -> Option<Plan> {
    let today = Day::of(fresh.now.epoch);
    if read.reminded || !read.in_force(today) || read.ends_on > today.plus_days(REMIND_DAYS) {
        return None;
    }
    let mut after = read.clone();
    after.reminded = true;
    after.version += 1;
    let mut plan = Plan::new(Changed::Delegation).with(
        Change::DelegationSaved {
            delegation: after.clone(),
            replacing: Some(read.version),
        },
        Refusal::ChangedMeanwhile(Changed::Delegation),
    );
    tell(&mut plan, &after, DelegationNews::EndingSoon, owners, fresh);
    Some(plan)
}

#[cfg(test)]
mod tests {
    use super::super::access::tests::{access, business, BUSINESS_ID};
    use super::*;
    use crate::domain::business::BusinessStatus::{Activated, Authorized};
    use crate::domain::business::{BusinessAccount, LegalName, Role};
    use crate::domain::delegation::{AgentOrder, DelegatedPermissions};
    use crate::domain::identifier::BusinessIdentifier;
    use crate::domain::Program;
    use Role::{Browser, Owner, Proxy, User as Staff};

    /// 2026-11-18T…Z
    const NOW: i64 = 1_795_000_000;
    const OTHER_ID: &str = "01jdbusiness0000000000000b";

    fn fresh() -> Fresh {
        Fresh::fixed(NOW)
    }

    fn day(s: &str) -> Day {
        Day::parse(s).unwrap()
    }

    fn terms(ends_on: &str) -> DelegationTerms {
        DelegationTerms {
            permissions: DelegatedPermissions::ViewSubmit,
            ends_on: day(ends_on),
            note: None,
        }
    }

    /// The other business: eManifest carrier "8XYZ".
    fn other_business() -> BusinessAccount {
        let mut b = business(Authorized);
        b.business.business_id = BusinessId::parse(OTHER_ID).unwrap();
        b.business.identifier = BusinessIdentifier::parse(Program::Emanifest, "8XYZ").unwrap();
        b.business.legal_name = LegalName::parse("Border Brokers Inc.").unwrap();
        b
    }

    /// Member `n` of the other business, with `role`.
    fn other_access(n: u64, role: Role) -> Access {
        let mut a = access(n, role, Authorized);
        a.business = other_business();
        a.membership.business_id = a.business.business.business_id.clone();
        a
    }

    fn command(identifier: &str, ends_on: &str) -> OpenDelegation {
        OpenDelegation {
            business_id: BusinessId::parse(BUSINESS_ID).unwrap(),
            other_program: Program::Emanifest,
            other_identifier: BusinessIdentifier::parse(Program::Emanifest, identifier).unwrap(),
            terms: terms(ends_on),
        }
    }

    /// Our business (`BUSINESS_ID`, "8ABC") offered a delegation to "8XYZ" (whose account the
    /// grant found).
    fn offered() -> Delegation {
        let (_, d) = open(
            &access(1, Owner, Authorized),
            &command("8XYZ", "2027-06-30"),
            Side::Grantor,
            Some(BusinessId::parse(OTHER_ID).unwrap()),
            &mut fresh(),
        )
        .unwrap();
        d
    }

    fn with_status(status: DelegationStatus) -> Delegation {
        Delegation {
            status,
            ..offered()
        }
    }

    #[test]
    fn who_may_open_and_what_end_day() {
        let cases = [
            (Owner, Authorized, "8XYZ", "2027-06-30", Ok(())),
            (Owner, Authorized, "8XYZ", "2026-11-19", Ok(())),
            (Owner, Authorized, "8XYZ", "2028-11-18", Ok(())),
            (
                Owner,
                Authorized,
                "8XYZ",
                "2028-11-19",
                Err(Refusal::DelegationEndOutOfRange),
            ),
            (
                Owner,
                Authorized,
                "8XYZ",
                "2026-11-18",
                Err(Refusal::DelegationEndOutOfRange),
            ),
            (
                Owner,
                Authorized,
                "8XYZ",
                "2025-01-01",
                Err(Refusal::DelegationEndOutOfRange),
            ),
            (
                Owner,
                Authorized,
                "8ABC",
                "2027-06-30",
                Err(Refusal::DelegationToItself),
            ),
            (
                Owner,
                Activated,
                "8XYZ",
                "2027-06-30",
                Err(Refusal::DelegationsWaitForTerms),
            ),
            (
                Proxy,
                Authorized,
                "8XYZ",
                "2027-06-30",
                Err(Refusal::RoleDoesNotAllow),
            ),
            (
                Staff,
                Authorized,
                "8XYZ",
                "2027-06-30",
                Err(Refusal::RoleDoesNotAllow),
            ),
            (
                Browser,
                Authorized,
                "8XYZ",
                "2027-06-30",
                Err(Refusal::RoleDoesNotAllow),
            ),
        ];
        for (role, status, identifier, ends_on, expected) in cases {
            for from in [Side::Grantor, Side::Grantee] {
                let got = open(
                    &access(1, role, status),
                    &command(identifier, ends_on),
                    from,
                    None,
                    &mut fresh(),
                )
                .map(|_| ());
                assert_eq!(
                    got, expected,
                    "{role:?} {status:?} {identifier} {ends_on} {from:?}"
                );
            }
        }
    }

    #[test]
    fn an_offer_waits_for_the_grantee_and_a_request_for_the_grantor() {
        let cases = [
            (
                Side::Grantor,
                DelegationStatus::Pending,
                "delegation.offered",
            ),
            (
                Side::Grantee,
                DelegationStatus::Requested,
                "delegation.requested",
            ),
        ];
        for (from, status, action) in cases {
            let known = Some(BusinessId::parse(OTHER_ID).unwrap());
            for other in [None, known] {
                let (plan, d) = open(
                    &access(1, Owner, Authorized),
                    &command("8XYZ", "2027-06-30"),
                    from,
                    other.clone(),
                    &mut fresh(),
                )
                .unwrap();
                assert_eq!(d.status, status);
                assert_eq!(d.party(from).business_id.as_deref_id(), Some(BUSINESS_ID));
                assert!(d.party(from).legal_name.is_some());
                let theirs = match from {
                    Side::Grantor => &d.grantee,
                    Side::Grantee => &d.grantor,
                };
                assert_eq!(theirs.identifier.as_str(), "8XYZ");
                assert_eq!(theirs.legal_name, None);
                // Both trails where the other account is known, ours alone otherwise.
                let trails: Vec<&str> = plan
                    .changes()
                    .filter_map(|c| match c {
                        Change::Audit(e) if e.action == action => Some(e.business_id.as_str()),
                        _ => None,
                    })
                    .collect();
                let expected: Vec<&str> = match other {
                    Some(_) => vec![BUSINESS_ID, OTHER_ID],
                    None => vec![BUSINESS_ID],
                };
                assert_eq!(trails, expected, "{from:?}");
                assert!(matches!(
                    plan.changes().next(),
                    Some(Change::DelegationSaved {
                        replacing: None,
                        ..
                    })
                ));
            }
        }
    }

    trait AsDeref {
        fn as_deref_id(&self) -> Option<&str>;
    }
    impl AsDeref for Option<BusinessId> {
        fn as_deref_id(&self) -> Option<&str> {
            self.as_ref().map(BusinessId::as_str)
        }
    }

    #[test]
    fn only_the_side_it_waits_for_accepts() {
        use DelegationStatus::*;
        let grantor = || access(1, Owner, Authorized);
        let cases: [(Access, DelegationStatus, Result<&str, Refusal>); 9] = [
            (other_access(7, Owner), Pending, Ok("accepted")),
            (grantor(), Requested, Ok("approved")),
            (
                grantor(),
                Pending,
                Err(Refusal::DelegationAwaitsTheOtherSide),
            ),
            (
                other_access(7, Owner),
                Requested,
                Err(Refusal::DelegationAwaitsTheOtherSide),
            ),
            (
                other_access(7, Proxy),
                Pending,
                Err(Refusal::RoleDoesNotAllow),
            ),
            (
                other_access(7, Owner),
                Active,
                Err(Refusal::DelegationClosed),
            ),
            (
                other_access(7, Owner),
                Declined,
                Err(Refusal::DelegationClosed),
            ),
            (
                other_access(7, Owner),
                Ended,
                Err(Refusal::DelegationClosed),
            ),
            (
                other_access(7, Owner),
                Withdrawn,
                Err(Refusal::DelegationClosed),
            ),
        ];
        for (who, status, expected) in cases {
            let got = accept(&who, Some(with_status(status)), &mut fresh());
            match (got, expected) {
                (Ok((plan, after)), Ok(action)) => {
                    assert_eq!(after.status, Active);
                    assert_eq!(after.history.last().unwrap().action, action);
                    assert_eq!(after.version, 2);
                    // The answering side is named in full from now on.
                    let side = after.history.last().unwrap().side.unwrap();
                    assert!(after.party(side).legal_name.is_some(), "{status:?}");
                    assert!(matches!(
                        plan.changes().next(),
                        Some(Change::DelegationSaved {
                            replacing: Some(1),
                            ..
                        })
                    ));
                }
                (got, expected) => {
                    assert_eq!(got.map(|_| ()), expected.map(|_| ()), "{status:?}")
                }
            }
        }
    }

    #[test]
    fn strangers_and_past_end_days_get_nothing() {
        let stranger = {
            let mut a = other_access(9, Owner);
            a.business.business.identifier =
                BusinessIdentifier::parse(Program::Emanifest, "8QQQ").unwrap();
            a
        };
        // A later account for the same identifier is not the party the grant found.
        let successor = {
            let mut a = other_access(9, Owner);
            a.business.business.business_id =
                BusinessId::parse("01jdbusiness0000000000000c").unwrap();
            a
        };
        for who in [stranger, successor] {
            assert_eq!(
                accept(&who, Some(offered()), &mut fresh()).map(|_| ()),
                Err(Refusal::NoSuchDelegation)
            );
            assert_eq!(
                end(&who, Some(offered()), &mut fresh()).map(|_| ()),
                Err(Refusal::NoSuchDelegation)
            );
        }
        assert_eq!(
            accept(&other_access(7, Owner), None, &mut fresh()).map(|_| ()),
            Err(Refusal::NoSuchDelegation)
        );
        let past = Fresh::fixed(NOW + 400 * 86_400);
        assert_eq!(
            accept(&other_access(7, Owner), Some(offered()), &mut past.clone()).map(|_| ()),
            Err(Refusal::DelegationClosed)
        );
    }

    #[test]
    fn either_side_ends_it() {
        use DelegationStatus::*;
        let grantor = || access(1, Owner, Authorized);
        let grantee = || other_access(7, Owner);
        let cases = [
            (grantor(), Active, Ok(Ended)),
            (grantee(), Active, Ok(Ended)),
            (grantee(), Pending, Ok(Declined)),
            (grantor(), Pending, Ok(Withdrawn)),
            (grantor(), Requested, Ok(Declined)),
            (grantee(), Requested, Ok(Withdrawn)),
            (grantee(), Ended, Err(Refusal::DelegationClosed)),
            (grantor(), Expired, Err(Refusal::DelegationClosed)),
            (
                other_access(7, Proxy),
                Active,
                Err(Refusal::RoleDoesNotAllow),
            ),
        ];
        for (who, status, expected) in cases {
            let got =
                end(&who, Some(with_status(status)), &mut fresh()).map(|(plan, _)| {
                    match plan.changes().next() {
                        Some(Change::DelegationSaved { delegation, .. }) => delegation.status,
                        other => panic!("{other:?}"),
                    }
                });
            assert_eq!(got, expected, "{status:?}");
        }
    }

    #[test]
    fn lists_hold_the_businesss_own_side_as_of_today() {
        let active = with_status(DelegationStatus::Active);
        let cases = [
            (
                access(1, Owner, Authorized),
                Some(Direction::Given),
                NOW,
                Ok(vec![DelegationStatus::Active]),
            ),
            (
                access(1, Proxy, Authorized),
                Some(Direction::Given),
                NOW,
                Ok(vec![DelegationStatus::Active]),
            ),
            (
                access(1, Owner, Authorized),
                Some(Direction::Received),
                NOW,
                Ok(vec![]),
            ),
            (
                other_access(7, Owner),
                Some(Direction::Received),
                NOW,
                Ok(vec![DelegationStatus::Active]),
            ),
            (
                other_access(7, Owner),
                None,
                NOW + 400 * 86_400,
                Ok(vec![DelegationStatus::Expired]),
            ),
            (
                access(1, Staff, Authorized),
                Some(Direction::Given),
                NOW,
                Err(Refusal::RoleDoesNotAllow),
            ),
        ];
        for (who, direction, now, expected) in cases {
            let got = list(&who, vec![active.clone()], direction, Day::of(now))
                .map(|ds| ds.into_iter().map(|d| d.status).collect::<Vec<_>>());
            assert_eq!(got, expected, "{direction:?} {now}");
        }
    }

    #[test]
    fn the_sweep_records_only_what_is_past_its_end_day() {
        use DelegationStatus::*;
        let after_end = NOW + 400 * 86_400;
        let cases = [
            (Active, after_end, true),
            (Pending, after_end, true),
            (Requested, after_end, true),
            (Active, NOW, false),
            (Ended, after_end, false),
            (Expired, after_end, false),
        ];
        for (status, now, due) in cases {
            let plan = expire(&with_status(status), &[], &mut Fresh::fixed(now));
            assert_eq!(plan.is_some(), due, "{status:?}");
        }
    }

    fn active_with_both_known() -> Delegation {
        let mut d = with_status(DelegationStatus::Active);
        d.grantee = Party::of(&other_business());
        d
    }

    fn agent_order(urn_n: u64, permissions: Option<DelegatedPermissions>) -> AgentOrder {
        AgentOrder {
            at: crate::domain::delegation::DelegationAt {
                business_id: BusinessId::parse(OTHER_ID).unwrap(),
                delegation_id: offered().delegation_id,
            },
            urn: super::super::access::tests::urn(urn_n),
            permissions,
        }
    }

    /// Member `n` of the grantee.
    fn grantee_member(n: u64) -> Member {
        let mut m = super::super::access::tests::member(n, Staff);
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
        moved.credential = super::super::access::tests::credential("moved");
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

    fn owner(n: u64) -> super::Owner {
        super::Owner {
            contact: super::super::access::tests::person(n).contact(),
            legal_name: LegalName::parse(&format!("Business {n}")).unwrap(),
        }
    }

    fn told(plan: &Plan) -> Vec<(String, DelegationNews)> {
        plan.changes()
            .filter_map(|c| match c {
                Change::Notice(n) => match &n.kind {
                    NoticeKind::Delegation { news, .. } => Some((n.to.as_str().to_owned(), *news)),
                    _ => None,
                },
                _ => None,
            })
            .collect()
    }

    #[test]
    fn each_step_tells_every_owner_given_what_happened() {
        let owners = [owner(1), owner(7)];
        let emails = || owners.iter().map(|o| o.contact.email.as_str().to_owned());
        let (_, offer) = open(
            &access(1, Owner, Authorized),
            &command("8XYZ", "2027-06-30"),
            Side::Grantor,
            None,
            &mut fresh(),
        )
        .unwrap();
        let (_, accepted) =
            accept(&other_access(7, Owner), Some(offer.clone()), &mut fresh()).unwrap();
        let (_, ended) = end(
            &access(1, Owner, Authorized),
            Some(accepted.clone()),
            &mut fresh(),
        )
        .unwrap();
        let cases = [
            (&offer, DelegationNews::Offered),
            (&accepted, DelegationNews::Accepted),
            (&ended, DelegationNews::Ended),
        ];
        for (d, news) in cases {
            assert_eq!(news_of(d), Some(news));
            let mut plan = Plan::new(Changed::Delegation);
            tell(&mut plan, d, news, &owners, &mut fresh());
            let expected: Vec<_> = emails().map(|e| (e, news)).collect();
            assert_eq!(told(&plan), expected);
        }
        // The grantor's own notice names the grantee only as typed, until it takes part.
        let mut plan = Plan::new(Changed::Delegation);
        tell(
            &mut plan,
            &offer,
            DelegationNews::Offered,
            &owners[..1],
            &mut fresh(),
        );
        let Some(Change::Notice(Notice {
            kind: NoticeKind::Delegation { grantee, .. },
            ..
        })) = plan.changes().next()
        else {
            panic!("a notice")
        };
        assert_eq!(grantee, "8XYZ");
    }

    #[test]
    fn owners_are_reminded_once_within_30_days_of_the_end_day() {
        use DelegationStatus::*;
        let ends = day("2027-06-30");
        let at = |d: &str| {
            let (y, m, dd) = (
                d[0..4].parse::<i32>().unwrap(),
                d[5..7].parse::<u8>().unwrap(),
                d[8..10].parse::<u8>().unwrap(),
            );
            let date =
                time::Date::from_calendar_date(y, time::Month::try_from(m).unwrap(), dd).unwrap();
            date.midnight().assume_utc().unix_timestamp() + 3600
        };
        let cases = [
            (Active, false, "2027-05-31", true),
            (Active, false, "2027-06-15", true),
            (Active, false, "2027-05-30", false), // 31 days before
            (Active, true, "2027-06-15", false),  // reminded already
            (Pending, false, "2027-06-15", false),
            (Ended, false, "2027-06-15", false),
            (Active, false, "2027-07-01", false), // past its end day
        ];
        for (status, reminded, today, due) in cases {
            let d = Delegation {
                status,
                reminded,
                ends_on: ends,
                ..offered()
            };
            let plan = remind(&d, &[owner(1), owner(7)], &mut Fresh::fixed(at(today)));
            assert_eq!(plan.is_some(), due, "{status:?} {reminded} {today}");
            if let Some(plan) = plan {
                assert_eq!(told(&plan).len(), 2);
                assert!(matches!(
                    plan.changes().next(),
                    Some(Change::DelegationSaved { delegation, .. }) if delegation.reminded
                ));
            }
        }
    }

    #[test]
    fn a_proof_is_given_for_an_active_delegation_and_holds_while_it_does() {
        use DelegationStatus::*;
        let active = active_with_both_known();
        let cases = [
            (access(1, Owner, Authorized), Active, Ok(())),
            (access(1, Proxy, Authorized), Active, Ok(())),
            (other_access(7, Owner), Active, Ok(())),
            (
                other_access(7, Staff),
                Active,
                Err(Refusal::RoleDoesNotAllow),
            ),
            (
                access(1, Owner, Authorized),
                Pending,
                Err(Refusal::DelegationNotActive),
            ),
            (
                access(1, Owner, Authorized),
                Ended,
                Err(Refusal::DelegationNotActive),
            ),
        ];
        for (who, status, expected) in cases {
            let d = Delegation {
                status,
                ..active.clone()
            };
            assert_eq!(
                proof(&who, Some(d), &mut fresh()).map(|_| ()),
                expected,
                "{status:?}"
            );
        }
        let claims = proof(
            &access(1, Owner, Authorized),
            Some(active.clone()),
            &mut fresh(),
        )
        .unwrap();
        assert_eq!(
            claims.exp,
            Day::parse("2027-07-01").unwrap().end_epoch() - 86_400
        );
        assert_eq!(
            claims.grantee.legal_name.as_deref(),
            Some("Border Brokers Inc.")
        );
        let ended = Delegation {
            status: Ended,
            ..active.clone()
        };
        let cases = [
            (Some(&active), NOW, (true, Some(Active))),
            (Some(&ended), NOW, (false, Some(Ended))),
            (Some(&active), claims.exp, (false, Some(Expired))),
            (None, NOW, (false, None)),
        ];
        for (d, now, expected) in cases {
            assert_eq!(still_holds(&claims, d, now), expected, "{now}");
        }
    }

    #[test]
    fn a_business_that_closes_ends_its_open_delegations_and_the_other_owner_is_told() {
        use DelegationStatus::*;
        let ours = business(Authorized);
        let theirs = other_business();
        let mut later = other_business();
        later.business.business_id = BusinessId::parse("01jdbusiness0000000000000c").unwrap();
        // (the delegation's status, the business that closed, expected status after: None = untouched)
        let cases = [
            (Active, &ours, Some(Ended)),
            (Active, &theirs, Some(Ended)),
            // Unanswered: the side it waited for declines by closing; the other withdraws.
            (Pending, &theirs, Some(Declined)),
            (Pending, &ours, Some(Withdrawn)),
            (Requested, &ours, Some(Declined)),
            (Ended, &ours, None),
            (Expired, &theirs, None),
            // A later account for the same identifier is not the party.
            (Active, &later, None),
        ];
        for (status, closed, expected) in cases {
            let mut d = active_with_both_known();
            d.status = status;
            let plan = end_for_closed(&d, closed, &[owner(3)], &mut fresh());
            let after = plan.as_ref().map(|plan| {
                let saved = plan.changes().find_map(|c| match c {
                    Change::DelegationSaved {
                        delegation,
                        replacing,
                    } => {
                        assert_eq!(*replacing, Some(d.version));
                        Some(delegation.clone())
                    }
                    _ => None,
                });
                let told = plan
                    .changes()
                    .filter(|c| matches!(c, Change::Notice(_)))
                    .count();
                assert_eq!(told, 1, "{status:?}");
                saved.unwrap()
            });
            assert_eq!(after.as_ref().map(|d| d.status), expected, "{status:?}");
            if let Some(after) = after {
                let step = after.history.last().unwrap();
                assert_eq!(step.action, "closed");
                assert_eq!(news_of(&after), Some(DelegationNews::Closed));
                assert!(!after.in_force(Day::of(NOW)));
            }
        }
        // Past its end day it has expired already: closing changes nothing.
        let mut old = active_with_both_known();
        old.ends_on = day("2026-01-31");
        assert!(end_for_closed(&old, &ours, &[], &mut fresh()).is_none());
    }
}
