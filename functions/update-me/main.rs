//! PATCH /users/me: name, phone, language; a new e-mail waits for the code sent to it.
use shared::{domain::UserPatch, http::Reply, usecases::users, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API_WITH_PEPPER, |app, request| async move {
        let caller = app.caller(&request)?;
        let patch = UserPatch::try_from(&request)?;
        Reply::ok(&users::update_me(app, &caller, patch).await?)
    })
    .await
}
