//! PUT /businesses/{id}/members/{urn}: grant or change a role, within the caller's power.
use shared::{domain::commands::PutMember, http::Reply, usecases::members, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API, |app, request| async move {
        let caller = app.caller(&request)?;
        let command = PutMember::try_from(&request)?;
        Reply::ok(&members::put_member(app, &caller, command).await?)
    })
    .await
}
