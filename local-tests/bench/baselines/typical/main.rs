//! Baseline (b): a "typical" SDK function. `aws_config::load_defaults` with default features,
//! DynamoDB + Secrets Manager + SES clients, one secret fetched at start, one GetItem per
//! request (the caller's user item, as `GET /users/me` reads it). No token check.
use aws_config::BehaviorVersion;
use aws_sdk_dynamodb::types::AttributeValue;
use lambda_http::request::RequestContext;
use lambda_http::{run, service_fn, Body, Error, Request, RequestExt, Response};

struct App {
    dynamodb: aws_sdk_dynamodb::Client,
    _ses: aws_sdk_sesv2::Client,
    _secret: String,
    table: String,
}

fn claim(request: &Request, name: &str) -> String {
    match request.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(context)) => context
            .authorizer
            .as_ref()
            .and_then(|a| a.jwt.as_ref())
            .and_then(|jwt| jwt.claims.get(name).cloned())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

async fn handler(app: &App, request: Request) -> Result<Response<Body>, Error> {
    let pk = format!("CRED#{}#{}", claim(&request, "idp"), claim(&request, "sub"));
    let out = app
        .dynamodb
        .get_item()
        .table_name(&app.table)
        .key("pk", AttributeValue::S(pk))
        .key("sk", AttributeValue::S("USER".into()))
        .send()
        .await?;
    let found = out.item.is_some();
    Ok(Response::builder()
        .status(if found { 200 } else { 404 })
        .header("content-type", "application/json")
        .body(Body::from(serde_json::json!({ "found": found }).to_string()))?)
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    lambda_http::tracing::init_default_subscriber();
    let config = aws_config::load_defaults(BehaviorVersion::latest()).await;
    let dynamodb = aws_sdk_dynamodb::Client::new(&config);
    let secrets = aws_sdk_secretsmanager::Client::new(&config);
    let ses = aws_sdk_sesv2::Client::new(&config);
    let secret = secrets
        .get_secret_value()
        .secret_id(std::env::var("JWT_KEYS_SECRET_ID")?)
        .send()
        .await?
        .secret_string
        .unwrap_or_default();
    let app: &'static App = Box::leak(Box::new(App {
        dynamodb,
        _ses: ses,
        _secret: secret,
        table: std::env::var("TABLE_NAME")?,
    }));
    run(service_fn(move |request: Request| handler(app, request))).await
}
