//! Answering and ending a delegation: the side it waits for accepts, either side ends it, and
//! both owners are told.

use crate::app::App;
use crate::clock::Fresh;
use crate::domain::delegation::{DelegationAt, Side};
use crate::domain::rules::{delegation as rules, step_up};
use crate::domain::Caller;
use crate::error::Result;

use super::views::DelegationView;
use super::{access_and_delegation, tell_and_apply};

/// `POST /businesses/{id}/delegations/{delegation_id}/accept`: the owner of the side it waits
/// for accepts (a recent sign-in: it starts acting for another business, or lets one act).
pub async fn accept(app: &App, caller: &Caller, at: DelegationAt) -> Result<DelegationView> {
    let mut fresh = Fresh::draw()?;
    step_up::recent(&caller.sign_in, fresh.now.epoch)?;
    let (access, account, read) = access_and_delegation(app, caller, &at).await?;
    let (plan, after) = rules::accept(&access, read, &mut fresh)?;
    tell_and_apply(app, &access, account.as_ref(), plan, &after, &mut fresh).await?;
    let side = after.side_of(&access.business).unwrap_or(Side::Grantee);
    Ok(DelegationView::new(after, side))
}

/// `DELETE /businesses/{id}/delegations/{delegation_id}`: either side's owner ends it (no
/// recent sign-in needed: taking power back is never made harder).
pub async fn end(app: &App, caller: &Caller, at: DelegationAt) -> Result<()> {
    let mut fresh = Fresh::draw()?;
    let (access, account, read) = access_and_delegation(app, caller, &at).await?;
    let (plan, after) = rules::end(&access, read, &mut fresh)?;
    tell_and_apply(app, &access, account.as_ref(), plan, &after, &mut fresh).await
}
