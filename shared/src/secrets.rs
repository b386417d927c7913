//! Secrets Manager: the credential provider's JWKS and the pepper, fetched once per cold start.

use aws_lc_rs::hmac;

use crate::error::{Error, Result};

pub struct SecretsManager {
    client: aws_sdk_secretsmanager::Client,
}

impl SecretsManager {
    pub fn new(client: aws_sdk_secretsmanager::Client) -> Self {
        Self { client }
    }

    pub async fn string(&self, secret_id: &str) -> Result<String> {
        let out = self
            .client
            .get_secret_value()
            .secret_id(secret_id)
            .send()
            .await
            .map_err(|e| Error::Unavailable(format!("Secrets Manager GetSecretValue {secret_id}: {}", aws_sdk_secretsmanager::error::DisplayErrorContext(&e))))?;
        out.secret_string
            .ok_or_else(|| Error::Unavailable(format!("secret {secret_id} has no string value")))
    }
}

/// The pepper: an HMAC-SHA256 key for hashing shared secrets and one-time codes, so what is
/// stored cannot be checked against guesses without Secrets Manager.
pub struct Pepper(hmac::Key);

impl Pepper {
    pub fn new(secret: &str) -> Result<Self> {
        if secret.len() < 32 {
            return Err(Error::Unavailable("the pepper secret is shorter than 32 characters".into()));
        }
        Ok(Self(hmac::Key::new(hmac::HMAC_SHA256, secret.as_bytes())))
    }

    /// Keyed hash of a canonical code, domain-separated by `purpose`, hex-encoded.
    pub fn hash(&self, purpose: &str, canonical: &str) -> String {
        let mut ctx = hmac::Context::with_key(&self.0);
        ctx.update(purpose.as_bytes());
        ctx.update(b"\x00");
        ctx.update(canonical.as_bytes());
        hex(ctx.sign().as_ref())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
