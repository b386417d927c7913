//! GET /users/me: the caller's own user account.
use shared::{http::Reply, usecases::users, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API, |app, request| async move {
        let caller = app.caller(&request)?;
        Reply::ok(&users::get_me(app, &caller).await?)
    })
    .await
}
