//! Configuration from the environment, read once per cold start. The names match the
//! template's `Globals.Function.Environment` and the local stack's.

use crate::error::{Error, Result};

#[derive(Debug, Clone)]
pub struct Config {
    pub table_name: String,
    pub jwt_keys_secret_id: String,
    pub pepper_secret_id: String,
    /// The secret the delegation-proof signing key is made from (only the functions that sign
    /// or check proofs read it).
    pub delegation_key_secret_id: Option<String>,
    /// How long a function uses the key ring it loaded before it reads the secret again
    /// (`DELEGATION_KEYS_MAX_AGE_SECONDS`, default 300): a rotation reaches every warm function
    /// within this, and a new key starts signing twice this after it is added (RELIABILITY.md).
    pub delegation_keys_max_age: i64,
    pub notice_sender: String,
    /// The SES configuration set every notice names, whose events (bounces, complaints) reach
    /// `ses-feedback`.
    pub ses_configuration_set: Option<String>,
    /// The SNS topic SES publishes that configuration set's events to: `ses-feedback` takes
    /// messages from it only.
    pub ses_feedback_topic_arn: Option<String>,
    pub jwt_issuer: String,
    pub jwt_audience: String,
    /// The agency's mailbox for reports of wrong tries piling up on an identifier (optional:
    /// without it, only the contact on file is told).
    pub agency_notice_email: Option<String>,
    /// Lambda's own: where the function runs, so where its table, secrets and SES are.
    pub aws_region: String,
    /// Lambda's own: this function's name, which every AWS call names as its app (CloudTrail's
    /// user agent), so an operator can tell which function made it.
    pub function_name: Option<String>,
}

fn var(name: &str) -> Result<String> {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .ok_or_else(|| Error::Unavailable(format!("environment variable {name} is not set")))
}

/// The AWS SDK's own endpoint variables: `AWS_ENDPOINT_URL_<SERVICE>`, else `AWS_ENDPOINT_URL`.
/// Set only where the services are emulated (the local stack); in Lambda the SDK resolves the
/// region's endpoint.
pub fn endpoint_url(service: &str) -> Option<String> {
    var(&format!("AWS_ENDPOINT_URL_{service}"))
        .or_else(|_| var("AWS_ENDPOINT_URL"))
        .ok()
}

impl Config {
    pub fn from_env() -> Result<Self> {
        Ok(Self {
            table_name: var("TABLE_NAME")?,
            jwt_keys_secret_id: var("JWT_KEYS_SECRET_ID")?,
            pepper_secret_id: var("PEPPER_SECRET_ID")?,
            delegation_key_secret_id: var("DELEGATION_KEY_SECRET_ID").ok(),
            delegation_keys_max_age: var("DELEGATION_KEYS_MAX_AGE_SECONDS")
                .ok()
                .and_then(|v| v.parse().ok())
                .filter(|&s: &i64| s >= 0)
                .unwrap_or(300),
            notice_sender: var("NOTICE_SENDER")?,
            ses_configuration_set: var("SES_CONFIGURATION_SET").ok(),
            ses_feedback_topic_arn: var("SES_FEEDBACK_TOPIC_ARN").ok(),
            jwt_issuer: var("JWT_ISSUER")?,
            jwt_audience: var("JWT_AUDIENCE")?,
            agency_notice_email: var("AGENCY_NOTICE_EMAIL").ok(),
            aws_region: var("AWS_REGION")?,
            function_name: var("AWS_LAMBDA_FUNCTION_NAME").ok(),
        })
    }
}
