//! DELETE /businesses/{id}/ownership-transfer: the owner cancels a pending transfer.
use shared::{domain::BusinessId, http::Reply, usecases::members, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API, |app, request| async move {
        let caller = app.caller(&request)?;
        let business_id = BusinessId::try_from(&request)?;
        members::cancel_transfer(app, &caller, &business_id).await?;
        Reply::no_content()
    })
    .await
}
