//! The Lambda edge of every function: logging, the `App` loaded once per cold start, and each
//! request or event answered by the function's handler; a refusal or failure becomes its
//! problem response here. The use cases below it never see a request.

use std::convert::Infallible;
use std::future::Future;

use lambda_http::{service_fn, Body, Request, Response};
use tokio::sync::OnceCell;

use crate::app::{App, Needs};
use crate::error::Result;
use crate::http::{problem::problem_response, Caller, Reply};

impl App {
    /// Who is calling: the request's bearer token, checked with the keys loaded at cold start.
    pub fn caller(&self, request: &Request) -> Result<Caller> {
        self.tokens()?.verify_request(request)
    }
}

/// Log lines on stdout as Lambda's advanced logging controls ask: JSON when
/// `AWS_LAMBDA_LOG_FORMAT` is `JSON`; the level from `AWS_LAMBDA_LOG_LEVEL`, else `RUST_LOG`
/// (a level name only), else info. The same lines as lambda_runtime's own subscriber, whose
/// per-target filter this portal does not use.
fn init_logging() {
    use tracing_subscriber::filter::LevelFilter;
    let level = std::env::var("AWS_LAMBDA_LOG_LEVEL")
        .or_else(|_| std::env::var("RUST_LOG"))
        .ok()
        .and_then(|level| level.trim().parse::<LevelFilter>().ok())
        .unwrap_or(LevelFilter::INFO);
    let json = std::env::var("AWS_LAMBDA_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"));
    let lines = tracing_subscriber::fmt()
        .with_target(false)
        .without_time()
        .with_max_level(level);
    // A subscriber set already (a test harness) keeps its own.
    let _ = match json {
        true => lines.json().try_init(),
        false => lines.try_init(),
    };
}

/// Runs a function: sets up logging, loads the `App` during the cold start, then answers each
/// request with `handler`. If loading fails (Secrets Manager unreachable, say) the start is
/// logged as failed and every request gets a 503 while loading is tried again, instead of the
/// function crashing in a loop.
pub async fn serve<F, Fut>(needs: Needs, handler: F) -> Result<(), lambda_http::Error>
where
    F: Fn(&'static App, Request) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Reply>> + Send,
{
    init_logging();
    let app: &'static OnceCell<App> = Box::leak(Box::new(OnceCell::new()));
    let handler: &'static F = Box::leak(Box::new(handler));
    if let Err(e) = app.get_or_try_init(|| App::load(needs)).await {
        tracing::error!(error = %e, "cold start failed: configuration or secrets could not be loaded; answering 503");
    }
    lambda_http::run(service_fn(move |request: Request| async move {
        let result = match app.get_or_try_init(|| App::load(needs)).await {
            Ok(app) => handler(app, request).await,
            Err(e) => Err(e),
        };
        Ok::<Response<Body>, Infallible>(respond(result))
    }))
    .await
}

/// `serve` for a creating POST: the caller is authenticated first, then `handler` runs at most
/// once per `Idempotency-Key` (see `idempotency`); a repeat gets the kept answer only once
/// `may_repeat` says the caller may still make the request. It seals the kept responses with
/// the pepper, so `needs` must include it (`Needs::API_WITH_PEPPER`).
pub async fn serve_idempotent<F, Fut, R, RFut>(
    needs: Needs,
    may_repeat: R,
    handler: F,
) -> Result<(), lambda_http::Error>
where
    F: Fn(&'static App, Caller, Request) -> Fut + Send + Sync + Copy + 'static,
    Fut: Future<Output = Result<Reply>> + Send,
    R: Fn(&'static App, Caller, Request) -> RFut + Send + Sync + Copy + 'static,
    RFut: Future<Output = Result<()>> + Send,
{
    serve(needs, move |app, request| async move {
        let caller = app.caller(&request)?;
        let pepper = app.pepper()?;
        let asker = caller.clone();
        crate::idempotency::once(
            &app.store,
            pepper,
            &caller.clone(),
            request,
            move |request| may_repeat(app, asker, request),
            move |request| handler(app, caller, request),
        )
        .await
    })
    .await
}

/// The `may_repeat` of a request whose answer is the caller's own (their new account, their
/// activation, their registration): the key is scoped to their credential, so a repeat needs
/// no other check.
pub async fn own_answer(_: &'static App, _: Caller, _: Request) -> Result<()> {
    Ok(())
}

/// Runs a function invoked by an event source (the table's stream, an EventBridge schedule):
/// the `App` loaded once, then `handler` per event. A failure is returned to Lambda, which
/// retries the event (stream) or records it (schedule: the next run tries again).
pub async fn serve_events<E, F, Fut, T>(needs: Needs, handler: F) -> Result<(), lambda_http::Error>
where
    E: serde::de::DeserializeOwned + Send + 'static,
    F: Fn(&'static App, E) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<T>> + Send,
    T: serde::Serialize,
{
    use lambda_http::lambda_runtime::{run, service_fn, LambdaEvent};
    init_logging();
    let app: &'static OnceCell<App> = Box::leak(Box::new(OnceCell::new()));
    let handler: &'static F = Box::leak(Box::new(handler));
    if let Err(e) = app.get_or_try_init(|| App::load(needs)).await {
        tracing::error!(error = %e, "cold start failed: configuration or secrets could not be loaded");
    }
    run(service_fn(move |event: LambdaEvent<E>| async move {
        let app = app
            .get_or_try_init(|| App::load(needs))
            .await
            .map_err(lambda_http::Error::from)?;
        handler(app, event.payload)
            .await
            .map_err(lambda_http::Error::from)
    }))
    .await
}

/// Runs a function that needs no backing service (health, programs).
pub async fn serve_static<F>(handler: F) -> Result<(), lambda_http::Error>
where
    F: Fn(Request) -> Result<Reply> + Send + Sync + 'static,
{
    init_logging();
    let handler: &'static F = Box::leak(Box::new(handler));
    lambda_http::run(service_fn(move |request: Request| async move {
        Ok::<Response<Body>, Infallible>(respond(handler(request)))
    }))
    .await
}

fn respond(result: Result<Reply>) -> Response<Body> {
    match result {
        Ok(reply) => reply.into_response(),
        Err(e) => problem_response(&e),
    }
}
