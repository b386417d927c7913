//! `PATCH /businesses/{id}`: the owner changes the business's details, once authorized.

use crate::app::App;
use crate::clock::Fresh;
use crate::domain::commands::BusinessPatch;
use crate::domain::rules::business;
use crate::domain::Caller;
use crate::error::Result;

use super::BusinessView;

pub async fn update_business(
    app: &App,
    caller: &Caller,
    patch: BusinessPatch,
) -> Result<BusinessView> {
    let access = super::access(app, &caller.credential, &patch.business_id).await?;
    let (plan, after) = business::update(&access, patch, &mut Fresh::draw()?)?;
    app.store.apply(plan).await?;
    Ok(BusinessView::new(after, access.role()))
}
