//! PATCH /users/me: name, e-mail, phone, language.
use shared::{domain::UserPatch, http::Reply, usecases::users, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API, |app, request| async move {
        let caller = app.caller(&request)?;
        let patch = UserPatch::try_from(&request)?;
        Reply::ok(&users::update_me(app, &caller, patch).await?)
    })
    .await
}
