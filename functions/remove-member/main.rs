//! DELETE /businesses/{id}/members/{urn}: remove a member, within the caller's power.
use shared::{domain::commands::RemoveMember, http::Reply, usecases::members, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API, |app, request| async move {
        let caller = app.caller(&request)?;
        let command = RemoveMember::try_from(&request)?;
        members::remove_member(app, &caller, command).await?;
        Reply::no_content()
    })
    .await
}
