//! GET /programs: the portal terms version and each program's rules.
use shared::{domain::programs::programs_view, http::Reply};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve_static(|_request| Reply::ok(&programs_view())).await
}
