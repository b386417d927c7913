//! POST /activation-code-requests: a new code to the address on file, whatever the identifier.
use shared::{http::Reply, usecases::secrets, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API_WITH_PEPPER, |app, request| async move {
        let caller = app.caller(&request)?;
        let (program, identifier) = secrets::parse_code_request(request.body())?;
        secrets::request_new_code(app, &caller, program, identifier).await?;
        Reply::accepted(&serde_json::json!({ "status": "accepted" }))
    })
    .await
}
