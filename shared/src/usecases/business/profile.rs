//! `PATCH /businesses/{id}`: the owner changes the business's details, once authorized.

use crate::app::App;
use crate::clock::Fresh;
use crate::domain::rules::business;
use crate::error::Result;
use crate::http::Caller;
use crate::usecases::businesses::BusinessPatch;

use super::BusinessView;

pub async fn update_business(
    app: &App,
    caller: &Caller,
    business_id: &str,
    patch: BusinessPatch,
    if_match: Option<u64>,
) -> Result<BusinessView> {
    let access = super::access(app, &caller.credential, business_id).await?;
    let (plan, after) = business::update(&access, patch, if_match, &mut Fresh::draw()?)?;
    app.store.apply(plan).await?;
    Ok(BusinessView::new(after, access.role()))
}
