//! GET /businesses/{id}/audit?limit=&cursor=: the audit trail, newest first (owner, proxy).
use shared::{
    domain::BusinessId,
    http::{query_param, Reply},
    usecases::members,
    Needs,
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API, |app, request| async move {
        let caller = app.caller(&request)?;
        let id = BusinessId::try_from(&request)?;
        let (limit, cursor) = (
            query_param(&request, "limit"),
            query_param(&request, "cursor"),
        );
        Reply::ok(
            &members::audit_page(app, &caller, &id, limit.as_deref(), cursor.as_deref()).await?,
        )
    })
    .await
}
