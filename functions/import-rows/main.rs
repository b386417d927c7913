//! POST /agency/imports/{import_id}/rows: one bounded step of a batch import (agency
//! officers): each row is issued its code and put in the register, or refused with its reason;
//! a row done before is only reported again.
use shared::{domain::import::ImportStep, http::Reply, usecases::imports, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API_WITH_PEPPER, |app, request| async move {
        let caller = app.caller(&request)?;
        imports::may_import(&caller)?;
        let step = ImportStep::try_from(&request)?;
        Reply::ok(&imports::import_step(app, &caller, step).await?)
    })
    .await
}
