//! GET /businesses/{id}/audit?limit=&cursor=: the audit trail, newest first (owner, proxy).
use shared::{domain::commands::AuditQuery, http::Reply, usecases::members, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API, |app, request| async move {
        let caller = app.caller(&request)?;
        let query = AuditQuery::try_from(&request)?;
        Reply::ok(&members::audit_page(app, &caller, query).await?)
    })
    .await
}
