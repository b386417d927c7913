//! `PUT /businesses/{id}/information-sharing`: the owner gives or withdraws CADI consent; each
//! decision is kept in the history, and the business shows the latest.

use crate::app::App;
use crate::clock::Fresh;
use crate::domain::business::Consent;
use crate::domain::commands::ConsentOrder;
use crate::domain::rules::consent;
use crate::domain::Caller;
use crate::error::Result;
use crate::usecases::business;

pub async fn record_consent(app: &App, caller: &Caller, order: ConsentOrder) -> Result<Consent> {
    let access = business::access(app, &caller.credential, &order.business_id).await?;
    let (plan, consent) = consent::record(&access, order, &mut Fresh::draw()?)?;
    app.store.apply(plan).await?;
    Ok(consent)
}
