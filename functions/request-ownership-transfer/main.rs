//! POST /businesses/{id}/ownership-transfer: the owner names the member to take over.
use shared::{
    http::{path_param, Reply},
    usecases::{businesses, members},
    Needs,
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::app::serve_idempotent(Needs::API_WITH_PEPPER, |app, caller, request| async move {
        let id = businesses::parse_business_id(path_param(&request, "id").as_deref())?;
        let to = members::parse_transfer(request.body())?;
        Reply::created(&members::request_transfer(app, &caller, &id, &to).await?)
    })
    .await
}
