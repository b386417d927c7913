//! DELETE /businesses/{id}/members/{urn}: remove a member, within the caller's power.
use shared::{
    http::{if_match, path_param, Reply},
    usecases::{businesses, members},
    Needs,
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API, |app, request| async move {
        let caller = app.caller(&request)?;
        let id = businesses::parse_business_id(path_param(&request, "id").as_deref())?;
        let urn = members::parse_urn(path_param(&request, "urn").as_deref())?;
        let if_match = if_match(&request)?;
        members::remove_member(app, &caller, &id, &urn, if_match).await?;
        Reply::no_content()
    })
    .await
}
