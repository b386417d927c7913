//! Ending a delegation: by either side's owner, by the portal when a party closes its
//! account, or by the daily sweep once its end day has passed.

use crate::clock::Fresh;
use crate::domain::business::{BusinessAccount, Permission};
use crate::domain::delegation::{
    Day, Delegation, DelegationNews, DelegationStatus, DelegationStep, Side,
};
use crate::domain::plan::{Change, Plan};
use crate::domain::{Changed, Refusal};

use super::super::access::Access;
use super::news::{tell, Owner};
use super::{awaiting, moved_on, party_to};

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
    Ok(moved_on(&d, access, side, status, action, fresh))
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

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::super::news_of;
    use super::*;
    use crate::domain::business::BusinessStatus::Authorized;
    use crate::domain::business::Role;
    use crate::domain::rules::access::tests::{access, business};
    use crate::domain::BusinessId;
    use Role::{Owner, Proxy};

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
