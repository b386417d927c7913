//! POST /agency/shared-secrets: an agency officer issues a business its shared secret.
use shared::{domain::commands::SecretOrder, http::Reply, usecases::secrets, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::lambda::serve_idempotent(
        Needs::API_WITH_PEPPER,
        |_, caller, _| async move { secrets::may_issue(&caller) },
        |app, caller, request| async move {
            let order = SecretOrder::try_from(&request)?;
            Reply::created(&secrets::issue_shared_secret(app, &caller, order).await?)
        },
    )
    .await
}
