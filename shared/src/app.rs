//! What a function holds for its whole life: configuration, SDK clients, secrets. Built once
//! per cold start, outside the handler; handlers borrow it.

use std::convert::Infallible;
use std::future::Future;
use std::time::Duration;

use aws_config::{retry::RetryConfig, timeout::TimeoutConfig, BehaviorVersion};
use lambda_http::{service_fn, Body, Request, Response};
use tokio::sync::OnceCell;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::http::{problem::problem_response, Caller, Reply, TokenVerifier};
use crate::notify::SesMailer;
use crate::secrets::{Pepper, SecretsManager};
use crate::store::DynamoStore;

/// What a function needs beyond the common set (table, mailer, token keys).
#[derive(Debug, Clone, Copy, Default)]
pub struct Needs {
    /// The pepper that hashes shared secrets and one-time codes.
    pub pepper: bool,
}

pub struct App {
    pub config: Config,
    pub store: DynamoStore,
    pub mailer: SesMailer,
    pub tokens: TokenVerifier,
    pepper: Option<Pepper>,
}

impl App {
    pub async fn load(needs: Needs) -> Result<Self> {
        let config = Config::from_env()?;
        // Bounded so that an unreachable service gives a prompt 503, never a hang.
        let timeouts = TimeoutConfig::builder()
            .connect_timeout(Duration::from_secs(1))
            .operation_attempt_timeout(Duration::from_secs(2))
            .operation_timeout(Duration::from_secs(5))
            .build();
        let aws = aws_config::defaults(BehaviorVersion::latest())
            .timeout_config(timeouts)
            .retry_config(RetryConfig::standard().with_max_attempts(3))
            .load()
            .await;
        let secrets = SecretsManager::new(aws_sdk_secretsmanager::Client::new(&aws));
        // Both secrets in one round trip's time.
        let (jwks, pepper) = tokio::join!(secrets.string(&config.jwt_keys_secret_id), async {
            if needs.pepper {
                secrets.string(&config.pepper_secret_id).await.map(Some)
            } else {
                Ok(None)
            }
        });
        let tokens = TokenVerifier::from_jwks(&jwks?, &config.jwt_issuer, &config.jwt_audience)?;
        let pepper = pepper?.as_deref().map(Pepper::new).transpose()?;
        Ok(Self {
            store: DynamoStore::new(aws_sdk_dynamodb::Client::new(&aws), config.table_name.clone()),
            mailer: SesMailer::new(aws_sdk_sesv2::Client::new(&aws), config.notice_sender.clone()),
            tokens,
            pepper,
            config,
        })
    }

    pub fn caller(&self, request: &Request) -> Result<Caller> {
        self.tokens.verify_request(request)
    }

    pub fn pepper(&self) -> Result<&Pepper> {
        self.pepper.as_ref().ok_or_else(|| Error::Internal("this function was started without the pepper".into()))
    }
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
    lambda_http::tracing::init_default_subscriber();
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

/// Runs a function that needs no backing service (health, programs).
pub async fn serve_static<F>(handler: F) -> Result<(), lambda_http::Error>
where
    F: Fn(Request) -> Result<Reply> + Send + Sync + 'static,
{
    lambda_http::tracing::init_default_subscriber();
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
