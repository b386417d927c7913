//! GET /health: the function runtime answers; touches no backing service.
use shared::http::Reply;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve_static(|_request| Reply::ok(&serde_json::json!({ "status": "ok" }))).await
}
