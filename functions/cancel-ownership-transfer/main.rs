//! DELETE /businesses/{id}/ownership-transfer: the owner cancels a pending transfer.
use shared::{
    http::{path_param, Reply},
    usecases::{businesses, members},
    Needs,
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API, |app, request| async move {
        let caller = app.caller(&request)?;
        let id = businesses::parse_business_id(path_param(&request, "id").as_deref())?;
        members::cancel_transfer(app, &caller, &id).await?;
        Reply::no_content()
    })
    .await
}
