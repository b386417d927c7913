//! PATCH /businesses/{id}: the owner changes the business's information once authorized.
use shared::{
    http::{path_param, Reply},
    usecases::businesses,
    Needs,
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API, |app, request| async move {
        let caller = app.caller(&request)?;
        let id = businesses::parse_business_id(path_param(&request, "id").as_deref())?;
        let patch = businesses::parse_business_patch(request.body())?;
        Reply::ok(&businesses::update_business(app, &caller, &id, patch).await?)
    })
    .await
}
