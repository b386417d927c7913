//! Baseline (a): the smallest lambda_http function (cargo lambda's template, current-thread
//! runtime like the project's functions). Touches no AWS service.
use lambda_http::{run, service_fn, Body, Error, Request, Response};

async fn handler(_request: Request) -> Result<Response<Body>, Error> {
    Ok(Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(Body::from(r#"{"message":"hello"}"#))?)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    lambda_http::tracing::init_default_subscriber();
    run(service_fn(handler)).await
}
