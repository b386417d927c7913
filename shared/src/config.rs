//! Configuration from the environment, read once per cold start. The names match the
//! template's `Globals.Function.Environment` and the local stack's.

use crate::error::{Error, Result};

#[derive(Debug, Clone)]
pub struct Config {
    pub table_name: String,
    pub jwt_keys_secret_id: String,
    pub pepper_secret_id: String,
    pub notice_sender: String,
    pub jwt_issuer: String,
    pub jwt_audience: String,
}

fn var(name: &str) -> Result<String> {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .ok_or_else(|| Error::Unavailable(format!("environment variable {name} is not set")))
}

impl Config {
    pub fn from_env() -> Result<Self> {
        Ok(Self {
            table_name: var("TABLE_NAME")?,
            jwt_keys_secret_id: var("JWT_KEYS_SECRET_ID")?,
            pepper_secret_id: var("PEPPER_SECRET_ID")?,
            notice_sender: var("NOTICE_SENDER")?,
            jwt_issuer: var("JWT_ISSUER")?,
            jwt_audience: var("JWT_AUDIENCE")?,
        })
    }
}
