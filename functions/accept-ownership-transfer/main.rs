//! POST /businesses/{id}/ownership-transfer/accept: the named member becomes owner.
use shared::{domain::BusinessId, http::Reply, usecases::members, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API, |app, request| async move {
        let caller = app.caller(&request)?;
        let business_id = BusinessId::try_from(&request)?;
        Reply::ok(&members::accept_transfer(app, &caller, &business_id).await?)
    })
    .await
}
