//! `DELETE /businesses/{id}`: the owner closes the business; members lose access at once. The
//! write ends a first chunk of memberships; `membership-followups` ends the rest
//! (`usecases::followups`).

use crate::app::App;
use crate::clock::Fresh;
use crate::domain::rules::business;
use crate::domain::BusinessId;
use crate::error::Result;
use crate::http::Caller;

pub async fn close_business(app: &App, caller: &Caller, business_id: &BusinessId) -> Result<()> {
    let (access, partition) = super::among(app, &caller.credential, business_id, false).await?;
    let plan = business::close(&access, &partition.members, &mut Fresh::draw()?)?;
    app.store.apply(plan).await
}
