//! What a function holds for its whole life: configuration, SDK clients, secrets. Built once
//! per cold start, outside the handler; handlers borrow it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_config::environment::EnvironmentVariableCredentialsProvider;
use aws_config::{
    retry::RetryConfig, timeout::TimeoutConfig, AppName, BehaviorVersion, Region, SdkConfig,
};
use aws_sdk_dynamodb::config::SharedCredentialsProvider;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::http::TokenVerifier;
use crate::notify::SesMailer;
use crate::secrets::{Pepper, SecretsManager};
use crate::signing::ProofKeys;
use crate::store::DynamoStore;

/// What a function loads at its cold start besides the table.
#[derive(Debug, Clone, Copy)]
pub struct Needs {
    /// The credential provider's keys, to verify bearer tokens (every API route).
    pub tokens: bool,
    /// The pepper that hashes shared secrets and one-time codes, and seals them for delivery.
    pub pepper: bool,
    /// SES, to send notices (only the outbox's senders: requests never send).
    pub mailer: bool,
    /// The key that signs delegation proofs (the proof, its published keys, its check).
    pub signing: bool,
}

impl Needs {
    pub const API: Needs = Needs {
        tokens: true,
        pepper: false,
        mailer: false,
        signing: false,
    };
    pub const API_WITH_PEPPER: Needs = Needs {
        tokens: true,
        pepper: true,
        mailer: false,
        signing: false,
    };
    /// A sender of notices (stream or schedule): no caller to authenticate; the pepper
    /// unseals the shared secrets some notices carry.
    pub const NOTICE_SENDER: Needs = Needs {
        tokens: false,
        pepper: true,
        mailer: true,
        signing: false,
    };
    /// A route that signs delegation proofs for its caller.
    pub const API_WITH_SIGNING: Needs = Needs {
        tokens: true,
        pepper: false,
        mailer: false,
        signing: true,
    };
    /// A public route about delegation proofs (their keys, their check): no caller.
    pub const PUBLIC_SIGNING: Needs = Needs {
        tokens: false,
        pepper: false,
        mailer: false,
        signing: true,
    };
    /// A function that only works on the table (the membership follow-ups, from the stream).
    pub const TABLE_ONLY: Needs = Needs {
        tokens: false,
        pepper: false,
        mailer: false,
        signing: false,
    };
}

/// A service's client on the shared configuration, at `AWS_ENDPOINT_URL_<SERVICE>` where that
/// is set (the local stack's emulators).
macro_rules! client {
    ($sdk:ident, $service:literal, $aws:expr) => {{
        let builder = $sdk::config::Builder::from($aws);
        let builder = match crate::config::endpoint_url($service) {
            Some(url) => builder.endpoint_url(url),
            None => builder,
        };
        $sdk::Client::from_conf(builder.build())
    }};
}

pub struct App {
    pub config: Config,
    pub store: DynamoStore,
    mailer: Option<SesMailer>,
    tokens: Option<TokenVerifier>,
    pepper: Option<Pepper>,
    proof_keys: Option<Mutex<LoadedKeys>>,
    pub secrets: SecretsManager,
}

/// The delegation key ring as last read, and when (epoch seconds).
struct LoadedKeys {
    keys: Arc<ProofKeys>,
    at: i64,
}

impl App {
    pub async fn load(needs: Needs) -> Result<Self> {
        let config = Config::from_env()?;
        let aws = sdk_config(&config)?;
        let secrets = SecretsManager::new(client!(aws_sdk_secretsmanager, "SECRETS_MANAGER", &aws));
        // Both secrets in one call: each call is ~0.4 ms of a cold start's CPU (BENCHMARKS.md).
        let signing_id = match (needs.signing, config.delegation_key_secret_id.as_deref()) {
            (true, None) => {
                return Err(Error::Unavailable(
                    "environment variable DELEGATION_KEY_SECRET_ID is not set".into(),
                ))
            }
            (_, id) => id.unwrap_or_default(),
        };
        let wanted = [
            (needs.tokens, config.jwt_keys_secret_id.as_str()),
            (needs.pepper, config.pepper_secret_id.as_str()),
            (needs.signing, signing_id),
        ];
        let ids: Vec<&str> = wanted
            .iter()
            .filter(|(w, _)| *w)
            .map(|(_, id)| *id)
            .collect();
        let mut values = secrets.strings(&ids).await?.into_iter();
        let jwks = needs.tokens.then(|| values.next()).flatten();
        let pepper = needs.pepper.then(|| values.next()).flatten();
        let signing = needs.signing.then(|| values.next()).flatten();
        let tokens = jwks
            .map(|jwks| TokenVerifier::from_jwks(&jwks, &config.jwt_issuer, &config.jwt_audience))
            .transpose()?;
        let pepper = pepper.as_deref().map(Pepper::new).transpose()?;
        let proof_keys = signing.as_deref().map(ProofKeys::new).transpose()?;
        Ok(Self {
            store: DynamoStore::new(
                client!(aws_sdk_dynamodb, "DYNAMODB", &aws),
                config.table_name.clone(),
            ),
            mailer: needs.mailer.then(|| {
                SesMailer::new(
                    client!(aws_sdk_sesv2, "SESV2", &aws),
                    config.notice_sender.clone(),
                    config.ses_configuration_set.clone(),
                )
            }),
            tokens,
            pepper,
            proof_keys: proof_keys.map(|keys| {
                Mutex::new(LoadedKeys {
                    keys: Arc::new(keys),
                    at: crate::clock::now().epoch,
                })
            }),
            secrets,
            config,
        })
    }

    /// The credential provider's keys, to check a request's token with (`lambda`).
    pub fn tokens(&self) -> Result<&TokenVerifier> {
        self.tokens.as_ref().ok_or_else(|| {
            Error::Internal("this function was started without the token keys".into())
        })
    }

    pub fn mailer(&self) -> Result<&SesMailer> {
        self.mailer
            .as_ref()
            .ok_or_else(|| Error::Internal("this function was started without SES".into()))
    }

    /// The delegation key ring, read again once it is older than the configured age, so a
    /// rotation reaches a warm function without waiting for its next cold start. If Secrets
    /// Manager does not answer, the ring it has keeps serving (and is tried again later).
    pub async fn proof_keys(&self) -> Result<Arc<ProofKeys>> {
        let held = self.proof_keys.as_ref().ok_or_else(|| {
            Error::Internal("this function was started without the delegation signing key".into())
        })?;
        let now = crate::clock::now().epoch;
        let (keys, at) = {
            let loaded = held.lock().unwrap_or_else(|e| e.into_inner());
            (loaded.keys.clone(), loaded.at)
        };
        if now - at < self.config.delegation_keys_max_age {
            return Ok(keys);
        }
        let id = self
            .config
            .delegation_key_secret_id
            .as_deref()
            .unwrap_or_default();
        // AWSCURRENT named: the version a rotation's finishSecret made current.
        let fresh = match self.secrets.staged(id, "AWSCURRENT", None).await {
            Ok(value) => value
                .map(|v| ProofKeys::new(&v))
                .transpose()
                .map(|k| k.map(Arc::new)),
            Err(e) => Err(e),
        };
        let keys = match fresh {
            Ok(Some(fresh)) => fresh,
            Ok(None) => keys,
            Err(e) => {
                tracing::warn!(error = %e, "the delegation key ring could not be read again; the loaded one serves");
                keys
            }
        };
        *held.lock().unwrap_or_else(|e| e.into_inner()) = LoadedKeys {
            keys: keys.clone(),
            at: now,
        };
        Ok(keys)
    }

    pub fn pepper(&self) -> Result<&Pepper> {
        self.pepper
            .as_ref()
            .ok_or_else(|| Error::Internal("this function was started without the pepper".into()))
    }
}

/// The SDK's shared configuration from what Lambda sets: the region, the execution role's
/// credentials in `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`, and the
/// function's name as the app every call names in its user agent (CloudTrail shows it). Not
/// `aws_config::load`: its profile-file, SSO, web-identity (STS), ECS and IMDS providers are
/// never used in Lambda, yet cost every cold start ~0.3 ms of CPU and every binary ~0.7 MB
/// (BENCHMARKS.md).
fn sdk_config(config: &Config) -> Result<SdkConfig> {
    // Bounded so that an unreachable service gives a prompt 503, never a hang.
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(1))
        .operation_attempt_timeout(Duration::from_secs(2))
        .operation_timeout(Duration::from_secs(5))
        .build();
    let app_name = config
        .function_name
        .as_deref()
        .and_then(|name| AppName::new(name.to_owned()).ok());
    let mut builder = SdkConfig::builder();
    builder.set_app_name(app_name);
    Ok(builder
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(config.aws_region.clone()))
        .credentials_provider(SharedCredentialsProvider::new(
            EnvironmentVariableCredentialsProvider::new(),
        ))
        .http_client(https_client()?)
        .timeout_config(timeouts)
        .retry_config(RetryConfig::standard().with_max_attempts(3))
        .build())
}

/// Amazon's root certificates, the only roots an AWS endpoint's certificate chains to.
const AMAZON_ROOTS: &[u8] = include_bytes!("../certs/amazon-trust-services.pem");

/// The SDK's HTTPS client (rustls with aws-lc, verification fully on), trusting Amazon's roots
/// only: parsing the system's ~140 roots costs ~4 ms of CPU on every cold start (BENCHMARKS.md)
/// for certificates no AWS endpoint uses. Where an operator points `SSL_CERT_FILE` at their own
/// bundle (a TLS-inspecting proxy, say), that bundle is trusted instead.
fn https_client() -> Result<aws_sdk_dynamodb::config::SharedHttpClient> {
    use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode, TlsContext, TrustStore};
    let trust_store = match std::env::var_os("SSL_CERT_FILE") {
        Some(_) => TrustStore::default(),
        None => TrustStore::empty().with_pem_certificate(AMAZON_ROOTS),
    };
    let context = TlsContext::builder()
        .with_trust_store(trust_store)
        .build()
        .map_err(|e| Error::Internal(format!("TLS context: {e}")))?;
    Ok(aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(CryptoMode::AwsLc))
        .tls_context(context)
        .build_https())
}

#[cfg(test)]
mod tests {
    use rustls_pki_types::{pem::PemObject, CertificateDer};

    /// The SDK's client panics on a PEM it cannot read, so the bundled roots are checked here.
    #[test]
    fn the_bundled_amazon_roots_are_five_readable_certificates() {
        let roots = CertificateDer::pem_slice_iter(super::AMAZON_ROOTS)
            .collect::<Result<Vec<_>, _>>()
            .expect("readable PEM");
        assert_eq!(roots.len(), 5);
        let names = String::from_utf8_lossy(super::AMAZON_ROOTS);
        for name in [
            "Amazon Root CA 1",
            "Amazon Root CA 4",
            "Starfield Services Root",
        ] {
            assert!(
                roots.iter().any(|der| contains(der, name)),
                "{name} missing in {names:.0}"
            );
        }
    }

    fn contains(der: &[u8], name: &str) -> bool {
        der.windows(name.len()).any(|w| w == name.as_bytes())
    }
}
