//! DELETE /businesses/{id}: the owner closes the business account; members lose access.
use shared::{domain::BusinessId, http::Reply, usecases::business, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API, |app, request| async move {
        let caller = app.caller(&request)?;
        let business_id = BusinessId::try_from(&request)?;
        business::close_business(app, &caller, &business_id).await?;
        Reply::no_content()
    })
    .await
}
