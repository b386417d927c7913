//! POST /activation-code-requests: a new code to the address on file, whatever the identifier.
use shared::{domain::commands::ActivationCodeRequest, http::Reply, usecases::secrets, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API_WITH_PEPPER, |app, request| async move {
        let caller = app.caller(&request)?;
        let code_request = ActivationCodeRequest::try_from(&request)?;
        secrets::request_new_code(app, &caller, code_request).await?;
        Reply::accepted(&serde_json::json!({ "status": "accepted" }))
    })
    .await
}
