//! `DELETE /businesses/{id}`: the owner closes the business; members lose access at once. The
//! write ends a first chunk of memberships; `membership-followups` ends the rest
//! (`usecases::followups`).

use crate::app::App;
use crate::clock::Fresh;
use crate::domain::rules::{business, step_up};
use crate::domain::BusinessId;
use crate::domain::Caller;
use crate::error::Result;

pub async fn close_business(app: &App, caller: &Caller, business_id: &BusinessId) -> Result<()> {
    let mut fresh = Fresh::draw()?;
    step_up::recent(&caller.sign_in, fresh.now.epoch)?;
    let (access, partition) = super::among(app, &caller.credential, business_id, false).await?;
    let plan = business::close(&access, &partition.members, &mut fresh)?;
    app.store.apply(plan).await
}
