//! GET /agency/audit?cursor=: what the agency's officers did, newest first (agency officers).
use shared::{
    http::{query_param, Reply},
    usecases::agency,
    Needs,
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API, |app, request| async move {
        let caller = app.caller(&request)?;
        let cursor = query_param(&request, "cursor");
        Reply::ok(&agency::audit_page(app, &caller, cursor.as_deref()).await?)
    })
    .await
}
