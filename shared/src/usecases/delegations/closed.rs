//! A closed business's delegations: `membership-followups` ends its open ones a few at a time,
//! telling each other side's owner.

use crate::app::App;
use crate::clock::Fresh;
use crate::domain::business::{BusinessAccount, BusinessStatus};
use crate::domain::delegation::Delegation;
use crate::domain::rules::delegation as rules;
use crate::domain::BusinessId;
use crate::error::Result;
use crate::store::reads::Want;

use super::both_owners;

/// Delegations of a closed business that one follow-up step ends: each is its own small
/// transaction after two reads for whom to tell, so a broker with hundreds takes a few steps.
pub const CLOSE_STEP: usize = 20;

/// `membership-followups`, for a closed business: ends at most `CLOSE_STEP` of its open
/// delegations (one Query of its lists, both ways), telling each other side's owner. Returns
/// how many it ended and whether any is left (one that changed meanwhile is left for the next
/// step, which reads it again).
pub async fn end_for_closed(app: &App, business_id: &BusinessId) -> Result<(usize, bool)> {
    let mut found = app.store.read(&[Want::Business(business_id)]).await?;
    let Some(closed) = found
        .next::<BusinessAccount>()?
        .filter(|b| b.business.status == BusinessStatus::Closed)
    else {
        return Ok((0, false));
    };
    let b = &closed.business;
    let lists = app
        .store
        .delegation_lists(b.program, &b.identifier, None)
        .await?;
    let probe = Fresh::draw()?;
    let mut open: Vec<Delegation> = lists
        .into_iter()
        .filter(|d| rules::end_for_closed(d, &closed, &[], &mut probe.clone()).is_some())
        .collect();
    let mut left = open.len() > CLOSE_STEP;
    open.truncate(CLOSE_STEP);
    let mut ended = 0;
    for delegation in open {
        let owners = both_owners(app, &delegation).await?;
        let Some(plan) = rules::end_for_closed(&delegation, &closed, &owners, &mut Fresh::draw()?)
        else {
            continue;
        };
        match app.store.apply(plan).await {
            Ok(()) => ended += 1,
            Err(crate::error::Error::Refused(_)) => left = true,
            Err(e) => return Err(e),
        }
    }
    Ok((ended, left))
}
