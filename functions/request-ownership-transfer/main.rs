//! POST /businesses/{id}/ownership-transfer: the owner names the member to take over.
use shared::{
    domain::{commands::OwnershipTransferRequest, BusinessId},
    http::Reply,
    usecases::members,
    Needs,
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::lambda::serve_idempotent(
        Needs::API_WITH_PEPPER,
        |app, caller, request| async move {
            let business_id = BusinessId::try_from(&request)?;
            members::may_request_transfer(app, &caller, &business_id).await
        },
        |app, caller, request| async move {
            let transfer = OwnershipTransferRequest::try_from(&request)?;
            Reply::created(&members::request_transfer(app, &caller, transfer).await?)
        },
    )
    .await
}
