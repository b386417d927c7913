//! `DELETE /businesses/{id}`: the owner closes the business; members lose access at once.

use crate::app::App;
use crate::clock::Fresh;
use crate::domain::rules::{access::Access, business};
use crate::domain::BusinessId;
use crate::error::Result;
use crate::http::Caller;

pub async fn close_business(app: &App, caller: &Caller, business_id: &BusinessId) -> Result<()> {
    let partition = app.store.business_partition(business_id, false).await?;
    let access = Access::among(&caller.credential, &partition)?;
    let plan = business::close(&access, &partition.members, &mut Fresh::draw()?)?;
    app.store.apply(plan).await
}
