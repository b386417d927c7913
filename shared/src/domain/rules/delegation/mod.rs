//! Delegation between business accounts: one business's owner opens it (the grantor offers,
//! or the grantee asks), the other business's owner answers, and either side ends it. Only
//! owners decide, as for every other grant of power over a business (the permission table's
//! `business:manage`); owners and proxies see the lists.
//!
//! The other business is named by program and identifier, and the answer to opening is the
//! same whether it has an account or not: a stranger learns nothing about an identifier.
//!
//! Each capability has its own file, its table tests beside it: opening and answering
//! (`open`), ending (`ending`), the lists (`list`), agents (`agents`), the signed proof
//! (`proof`) and telling both owners (`news`). What they share is here.

mod agents;
mod ending;
#[cfg(test)]
mod fixtures;
mod list;
mod news;
mod open;
mod proof;

pub use agents::{acting_permissions, assign, unassign};
pub use ending::{end, end_for_closed, expire};
pub use list::list;
pub use news::{news_of, remind, tell, Owner, REMIND_DAYS};
pub use open::{accept, open};
pub use proof::{proof, still_holds};

use serde_json::json;

use crate::clock::Fresh;
use crate::domain::business::Permission;
use crate::domain::delegation::{Delegation, DelegationStatus, DelegationStep, Party, Side};
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

/// The delegation moved on by the caller's side (status, history, their business named in
/// full), and the plan that saves it, audited as `delegation.{action}`.
fn moved_on(
    d: &Delegation,
    access: &Access,
    side: Side,
    status: DelegationStatus,
    action: &str,
    fresh: &mut Fresh,
) -> (Plan, Delegation) {
    let mut after = d.clone();
    after.status = status;
    after.history.push(step(access, side, action, fresh));
    after.version += 1;
    match side {
        Side::Grantor => after.grantor = Party::of(&access.business),
        Side::Grantee => after.grantee = Party::of(&access.business),
    }
    let plan = save(
        access,
        Some(d),
        after.clone(),
        &format!("delegation.{action}"),
        fresh,
    );
    (plan, after)
}
