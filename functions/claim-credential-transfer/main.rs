//! POST /credential-transfers/claim: another credential takes the user account over.
use shared::{domain::commands::CredentialTransferClaim, http::Reply, usecases::users, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API_WITH_PEPPER, |app, request| async move {
        let caller = app.caller(&request)?;
        let claim = CredentialTransferClaim::try_from(&request)?;
        Reply::ok(&users::claim_credential_transfer(app, &caller, claim).await?)
    })
    .await
}
