//! PUT /businesses/{id}/information-sharing: the owner gives or withdraws CADI consent.
use shared::{domain::commands::ConsentOrder, http::Reply, usecases::members, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API, |app, request| async move {
        let caller = app.caller(&request)?;
        let order = ConsentOrder::try_from(&request)?;
        Reply::ok(&members::record_consent(app, &caller, order).await?)
    })
    .await
}
