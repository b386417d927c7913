//! GET /agency/imports/{import_id}: a page of a batch import's report (agency officers):
//! each line issued (identifier, purpose, channel, letter id) or refused (its reason).
use shared::{domain::import::ImportReportQuery, http::Reply, usecases::imports, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API, |app, request| async move {
        let caller = app.caller(&request)?;
        imports::may_import(&caller)?;
        let query = ImportReportQuery::try_from(&request)?;
        Reply::ok(&imports::import_report(app, &caller, query).await?)
    })
    .await
}
