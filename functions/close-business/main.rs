//! DELETE /businesses/{id}: the owner closes the business account; members lose access.
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
        businesses::close_business(app, &caller, &id).await?;
        Reply::no_content()
    })
    .await
}
