//! POST /users/me/credential-transfers: a one-time code to move the account to another credential.
use shared::{http::Reply, usecases::users, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API_WITH_PEPPER, |app, request| async move {
        let caller = app.caller(&request)?;
        Reply::created(&users::start_credential_transfer(app, &caller).await?)
    })
    .await
}
