//! The daily sweep: delegations past their end day are recorded as expired, and those ending
//! soon are reminded, once; both owners are told of each.

use serde::Serialize;

use crate::app::App;
use crate::clock::{self, Fresh};
use crate::domain::delegation::Day;
use crate::domain::rules::delegation as rules;
use crate::error::Result;

use super::both_owners;

/// What a sweep did.
#[derive(Debug, Default, Serialize)]
pub struct SweepSummary {
    pub expired: usize,
    pub reminded: usize,
    pub changed_meanwhile: usize,
}

/// Days back (and, for reminders, before the reminder day) the daily sweep looks: a run
/// missed for up to a week is caught up.
pub const SWEEP_DAYS: i64 = 7;

/// The daily sweep (schedule), reading GSI1 by end day (never a scan): each open delegation
/// whose end day was one of the last `SWEEP_DAYS` days is recorded as expired (it had stopped
/// counting already at the end of its day), and each active one ending within
/// `rules::REMIND_DAYS` (from the last `SWEEP_DAYS` days' reminder days) is reminded, once;
/// both owners are told of each.
pub async fn expire_due(app: &App) -> Result<SweepSummary> {
    let today = Day::of(clock::now().epoch);
    let mut summary = SweepSummary::default();
    let expiring = (1..=SWEEP_DAYS).map(|back| (today.plus_days(-back), true));
    let reminding = (0..SWEEP_DAYS).map(|back| (today.plus_days(rules::REMIND_DAYS - back), false));
    for (day, expire) in expiring.chain(reminding) {
        loop {
            let due = app.store.delegations_ending(&day).await?;
            let full = due.len() as i32 >= crate::store::delegations::SWEEP_PAGE;
            let mut progressed = false;
            for delegation in due {
                let mut fresh = Fresh::draw()?;
                // Whether it is due at all, before reading whom to tell.
                let due = match expire {
                    true => rules::expire(&delegation, &[], &mut fresh.clone()),
                    false => rules::remind(&delegation, &[], &mut fresh.clone()),
                };
                if due.is_none() {
                    continue;
                }
                let owners = both_owners(app, &delegation).await?;
                let plan = match expire {
                    true => rules::expire(&delegation, &owners, &mut fresh),
                    false => rules::remind(&delegation, &owners, &mut fresh),
                };
                let Some(plan) = plan else { continue };
                match app.store.apply(plan).await {
                    Ok(()) if expire => summary.expired += 1,
                    Ok(()) => summary.reminded += 1,
                    Err(crate::error::Error::Refused(_)) => summary.changed_meanwhile += 1,
                    Err(e) => return Err(e),
                }
                progressed = true;
            }
            // A reminded one stays in its day's partition: a full page of those ends the day.
            if !full || !progressed || !expire {
                break;
            }
        }
    }
    Ok(summary)
}
