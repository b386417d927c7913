//! GET /users/me/businesses: the caller's business accounts, with role and permissions.
use shared::{http::Reply, usecases::business, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API, |app, request| async move {
        let caller = app.caller(&request)?;
        Reply::ok(&business::my_businesses(app, &caller).await?)
    })
    .await
}
