//! Secrets Manager: the credential provider's JWKS and the pepper, fetched once per cold start.

use aws_lc_rs::{aead, hmac};

use crate::error::{Error, Result};

pub struct SecretsManager {
    client: aws_sdk_secretsmanager::Client,
}

impl SecretsManager {
    pub fn new(client: aws_sdk_secretsmanager::Client) -> Self {
        Self { client }
    }

    /// The string values of `secret_ids`, in their order, in one call: one secret by
    /// GetSecretValue; several by BatchGetSecretValue (a cold start's second round trip costs
    /// ~0.4 ms of CPU, BENCHMARKS.md), which fails as a whole if any one cannot be read.
    pub async fn strings(&self, secret_ids: &[&str]) -> Result<Vec<String>> {
        match secret_ids {
            [] => Ok(Vec::new()),
            [one] => Ok(vec![self.string(one).await?]),
            several => self.batch(several).await,
        }
    }

    async fn batch(&self, secret_ids: &[&str]) -> Result<Vec<String>> {
        let out = self
            .client
            .batch_get_secret_value()
            .set_secret_id_list(Some(secret_ids.iter().map(|id| id.to_string()).collect()))
            .send()
            .await
            .map_err(|e| unavailable(format_args!("BatchGetSecretValue {secret_ids:?}"), e))?;
        if let Some(e) = out.errors().first() {
            return Err(Error::Unavailable(format!(
                "Secrets Manager BatchGetSecretValue {}: {} {}",
                e.secret_id().unwrap_or("?"),
                e.error_code().unwrap_or("?"),
                e.message().unwrap_or("")
            )));
        }
        // Each asked for by ARN (as the template passes them) or by name (as locally).
        let values = out.secret_values();
        secret_ids
            .iter()
            .map(|&id| {
                values
                    .iter()
                    .find(|v| v.arn() == Some(id) || v.name() == Some(id))
                    .and_then(|v| v.secret_string())
                    .map(str::to_owned)
                    .ok_or_else(|| Error::Unavailable(format!("secret {id} has no string value")))
            })
            .collect()
    }

    async fn string(&self, secret_id: &str) -> Result<String> {
        let out = self
            .client
            .get_secret_value()
            .secret_id(secret_id)
            .send()
            .await
            .map_err(|e| unavailable(format_args!("GetSecretValue {secret_id}"), e))?;
        out.secret_string
            .ok_or_else(|| Error::Unavailable(format!("secret {secret_id} has no string value")))
    }
}

/// The stages of one secret's versions, as a rotation step reads them.
pub struct SecretVersions {
    pub rotation_enabled: bool,
    /// (version id, its stages)
    pub versions: Vec<(String, Vec<String>)>,
}

impl SecretVersions {
    pub fn has(&self, version: &str, stage: &str) -> bool {
        self.versions
            .iter()
            .any(|(v, stages)| v == version && stages.iter().any(|s| s == stage))
    }

    pub fn holding(&self, stage: &str) -> Option<&str> {
        self.versions
            .iter()
            .find(|(_, stages)| stages.iter().any(|s| s == stage))
            .map(|(v, _)| v.as_str())
    }
}

/// What a rotation function does with its secret (the four steps Secrets Manager invokes).
impl SecretsManager {
    pub async fn versions(&self, secret_id: &str) -> Result<SecretVersions> {
        let out = self
            .client
            .describe_secret()
            .secret_id(secret_id)
            .send()
            .await
            .map_err(|e| unavailable(format_args!("DescribeSecret {secret_id}"), e))?;
        Ok(SecretVersions {
            rotation_enabled: out.rotation_enabled().unwrap_or(false),
            versions: out
                .version_ids_to_stages()
                .map(|m| m.iter().map(|(v, s)| (v.clone(), s.clone())).collect())
                .unwrap_or_default(),
        })
    }

    /// The value at `stage` (and `version`, if given); None if no version holds it.
    pub async fn staged(
        &self,
        secret_id: &str,
        stage: &str,
        version: Option<&str>,
    ) -> Result<Option<String>> {
        let out = self
            .client
            .get_secret_value()
            .secret_id(secret_id)
            .version_stage(stage)
            .set_version_id(version.map(str::to_owned))
            .send()
            .await;
        match out {
            Ok(out) => Ok(out.secret_string),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_resource_not_found_exception()) =>
            {
                Ok(None)
            }
            Err(e) => Err(unavailable(
                format_args!("GetSecretValue {secret_id} {stage}"),
                e,
            )),
        }
    }

    /// Stores `value` as version `version` labelled AWSPENDING.
    pub async fn put_pending(&self, secret_id: &str, version: &str, value: &str) -> Result<()> {
        self.client
            .put_secret_value()
            .secret_id(secret_id)
            .client_request_token(version)
            .secret_string(value)
            .version_stages("AWSPENDING")
            .send()
            .await
            .map_err(|e| unavailable(format_args!("PutSecretValue {secret_id}"), e))?;
        Ok(())
    }

    /// Moves AWSCURRENT to `version` (from `from`, which keeps AWSPREVIOUS).
    pub async fn make_current(
        &self,
        secret_id: &str,
        version: &str,
        from: Option<&str>,
    ) -> Result<()> {
        self.client
            .update_secret_version_stage()
            .secret_id(secret_id)
            .version_stage("AWSCURRENT")
            .move_to_version_id(version)
            .set_remove_from_version_id(from.map(str::to_owned))
            .send()
            .await
            .map_err(|e| unavailable(format_args!("UpdateSecretVersionStage {secret_id}"), e))?;
        Ok(())
    }
}

/// Secrets Manager did not answer `call`: the cold start fails (503s) and is tried again.
fn unavailable(call: std::fmt::Arguments<'_>, e: impl std::error::Error) -> Error {
    Error::Unavailable(format!(
        "Secrets Manager {call}: {}",
        aws_sdk_secretsmanager::error::DisplayErrorContext(&e)
    ))
}

/// The pepper: an HMAC-SHA256 key for hashing shared secrets and one-time codes, so what is
/// stored cannot be checked against guesses without Secrets Manager. A second key derived from
/// it seals (AES-256-GCM) the few secrets that must wait in the table for delivery: a letter
/// not yet mailed, an e-mail not yet sent.
pub struct Pepper {
    hash_key: hmac::Key,
    seal_key: aead::LessSafeKey,
}

impl Pepper {
    pub fn new(secret: &str) -> Result<Self> {
        if secret.len() < 32 {
            return Err(Error::Unavailable(
                "the pepper secret is shorter than 32 characters".into(),
            ));
        }
        let hash_key = hmac::Key::new(hmac::HMAC_SHA256, secret.as_bytes());
        let derived = hmac::sign(&hash_key, b"seal-key-v1");
        let seal_key = aead::UnboundKey::new(&aead::AES_256_GCM, derived.as_ref())
            .map_err(|_| Error::Internal("deriving the sealing key".into()))?;
        Ok(Self {
            hash_key,
            seal_key: aead::LessSafeKey::new(seal_key),
        })
    }

    /// Encrypts `plain` for storage until delivery: hex of nonce ‖ ciphertext ‖ tag.
    pub fn seal(&self, plain: &str) -> Result<String> {
        let nonce_bytes = crate::clock::random::<12>()?;
        let mut data = plain.as_bytes().to_vec();
        self.seal_key
            .seal_in_place_append_tag(
                aead::Nonce::assume_unique_for_key(nonce_bytes),
                aead::Aad::empty(),
                &mut data,
            )
            .map_err(|_| Error::Internal("sealing".into()))?;
        Ok(hex(&nonce_bytes) + &hex(&data))
    }

    pub fn open(&self, sealed: &str) -> Result<String> {
        let bytes =
            unhex(sealed).ok_or_else(|| Error::Internal("a sealed value is not hex".into()))?;
        if bytes.len() < 12 + 16 {
            return Err(Error::Internal("a sealed value is too short".into()));
        }
        let (nonce, rest) = bytes.split_at(12);
        let nonce = aead::Nonce::try_assume_unique_for_key(nonce)
            .map_err(|_| Error::Internal("nonce".into()))?;
        let mut data = rest.to_vec();
        let plain = self
            .seal_key
            .open_in_place(nonce, aead::Aad::empty(), &mut data)
            .map_err(|_| Error::Internal("a sealed value does not open with this pepper".into()))?;
        String::from_utf8(plain.to_vec())
            .map_err(|_| Error::Internal("a sealed value is not text".into()))
    }

    /// Keyed hash of a canonical code, domain-separated by `purpose`, hex-encoded.
    pub fn hash(&self, purpose: &str, canonical: &str) -> String {
        let mut ctx = hmac::Context::with_key(&self.hash_key);
        ctx.update(purpose.as_bytes());
        ctx.update(b"\x00");
        ctx.update(canonical.as_bytes());
        hex(ctx.sign().as_ref())
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes
        .iter()
        .flat_map(|b| {
            [
                DIGITS[usize::from(b >> 4)] as char,
                DIGITS[usize::from(b & 15)] as char,
            ]
        })
        .collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_keyed_and_seals_open_only_with_their_pepper() {
        let pepper = Pepper::new(&"p".repeat(64)).unwrap();
        let other = Pepper::new(&"q".repeat(64)).unwrap();
        assert_eq!(pepper.hash("x", "ABC"), pepper.hash("x", "ABC"));
        assert_ne!(pepper.hash("x", "ABC"), other.hash("x", "ABC"));
        assert_ne!(pepper.hash("x", "ABC"), pepper.hash("y", "ABC"));
        let sealed = pepper.seal("ABCD-EFGH").unwrap();
        assert!(!sealed.contains("ABCD"));
        assert_ne!(
            sealed,
            pepper.seal("ABCD-EFGH").unwrap(),
            "a fresh nonce each time"
        );
        assert_eq!(pepper.open(&sealed).unwrap(), "ABCD-EFGH");
        assert!(other.open(&sealed).is_err());
        assert!(pepper.open("zz").is_err());
        assert!(Pepper::new("short").is_err());
    }
}
