//! PATCH /businesses/{id}: the owner changes the business's information once authorized; with
//! `If-Match`, only if it is still the version the owner read.
use shared::{domain::commands::BusinessPatch, http::Reply, usecases::business, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API, |app, request| async move {
        let caller = app.caller(&request)?;
        let patch = BusinessPatch::try_from(&request)?;
        Reply::ok(&business::update_business(app, &caller, patch).await?)
    })
    .await
}
