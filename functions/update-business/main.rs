//! PATCH /businesses/{id}: the owner changes the business's information once authorized; with
//! `If-Match`, only if it is still the version the owner read.
use shared::{
    http::{if_match, path_param, Reply},
    usecases::businesses,
    Needs,
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API, |app, request| async move {
        let caller = app.caller(&request)?;
        let id = businesses::parse_business_id(path_param(&request, "id").as_deref())?;
        let patch = businesses::parse_business_patch(request.body())?;
        let if_match = if_match(&request)?;
        Reply::ok(&businesses::update_business(app, &caller, &id, patch, if_match).await?)
    })
    .await
}
