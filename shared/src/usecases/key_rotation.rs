//! Rotation of the delegation proof signing key: the four steps Secrets Manager invokes the
//! rotation function with (`createSecret`, `setSecret`, `testSecret`, `finishSecret`), on the
//! version `ClientRequestToken` names. The new version is the ring with one more key
//! (`signing::Ring::rotated`): the earlier keys stay, so every proof they signed still verifies.

use serde::{Deserialize, Serialize};

use crate::app::App;
use crate::clock;
use crate::error::{Error, Result};
use crate::signing::{ProofKeys, Ring};

const CURRENT: &str = "AWSCURRENT";
const PENDING: &str = "AWSPENDING";

/// The event Secrets Manager invokes a rotation function with.
#[derive(Debug, Deserialize)]
pub struct RotationEvent {
    #[serde(rename = "SecretId")]
    pub secret_id: String,
    #[serde(rename = "ClientRequestToken")]
    pub version: String,
    #[serde(rename = "Step")]
    pub step: Step,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum Step {
    CreateSecret,
    SetSecret,
    TestSecret,
    FinishSecret,
}

/// What a step did (logged by Lambda as the function's answer).
#[derive(Debug, Serialize)]
pub struct StepDone {
    pub step: Step,
    pub outcome: &'static str,
    /// The kids of the ring's keys, oldest first (after createSecret and testSecret).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub kids: Vec<String>,
}

pub async fn rotate(app: &App, event: RotationEvent) -> Result<StepDone> {
    let ours = app.config.delegation_key_secret_id.as_deref();
    if ours != Some(event.secret_id.as_str()) {
        return Err(Error::Internal(format!(
            "asked to rotate {}, not the delegation signing secret",
            event.secret_id
        )));
    }
    let secrets = &app.secrets;
    let id = event.secret_id.as_str();
    let version = event.version.as_str();
    let versions = secrets.versions(id).await?;
    if !versions.rotation_enabled {
        return Err(Error::Internal(format!("rotation is not enabled on {id}")));
    }
    let done = |outcome, kids| StepDone {
        step: event.step,
        outcome,
        kids,
    };
    if versions.has(version, CURRENT) {
        return Ok(done("already current", Vec::new()));
    }
    // Secrets Manager opens the version (AWSPENDING, no value) before createSecret; a version
    // it has not opened is created by createSecret itself (an emulator's RotateSecret).
    let known = versions.versions.iter().any(|(v, _)| v == version);
    let opening = event.step == Step::CreateSecret && !known;
    if !opening && !versions.has(version, PENDING) {
        return Err(Error::Internal(format!(
            "version {version} of {id} is not pending rotation"
        )));
    }
    match event.step {
        Step::CreateSecret => {
            if let Some(pending) = secrets.staged(id, PENDING, Some(version)).await? {
                return Ok(done("already created", kids(&pending)?));
            }
            let current = secrets
                .staged(id, CURRENT, None)
                .await?
                .ok_or_else(|| Error::Unavailable(format!("{id} has no current version")))?;
            let seed = hex(&clock::random::<32>()?);
            // The new key signs once every function has read the ring that publishes it.
            let delay = 2 * app.config.delegation_keys_max_age;
            let next = Ring::parse(&current)?.rotated(seed, clock::now().epoch, delay);
            let value = next.to_secret();
            secrets.put_pending(id, version, &value).await?;
            Ok(done("created", kids(&value)?))
        }
        // The key lives only in this secret: there is no other system to set it in.
        Step::SetSecret => Ok(done("nothing to set", Vec::new())),
        Step::TestSecret => {
            let pending = secrets
                .staged(id, PENDING, Some(version))
                .await?
                .ok_or_else(|| Error::Internal(format!("{id} has no pending version {version}")))?;
            let current = secrets.staged(id, CURRENT, None).await?.unwrap_or_default();
            test(&current, &pending)?;
            Ok(done("tested", kids(&pending)?))
        }
        Step::FinishSecret => {
            let from = versions.holding(CURRENT).map(str::to_owned);
            secrets.make_current(id, version, from.as_deref()).await?;
            Ok(done("made current", Vec::new()))
        }
    }
}

/// The pending ring signs a proof its own published keys verify, and still publishes every key
/// the current ring publishes now (no proof in force stops verifying).
fn test(current: &str, pending: &str) -> Result<()> {
    let now = clock::now().epoch;
    let next = ProofKeys::new(pending)?;
    let claims = serde_json::json!({"iss": "rotation test", "iat": now});
    let later = now + 86_400;
    let proof = next.signing_at(later).sign(&claims)?;
    if next.verify::<serde_json::Value>(&proof, later).is_none() {
        return Err(Error::Internal(
            "the pending key ring cannot verify its own proof".into(),
        ));
    }
    let published = |jwks: serde_json::Value| -> Vec<String> {
        jwks["keys"]
            .as_array()
            .map(|keys| {
                keys.iter()
                    .filter_map(|k| k["kid"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let still = published(next.jwks(now));
    if let Ok(before) = ProofKeys::new(current) {
        if let Some(lost) = published(before.jwks(now))
            .into_iter()
            .find(|k| !still.contains(k))
        {
            return Err(Error::Internal(format!(
                "the pending key ring drops {lost}, still published"
            )));
        }
    }
    Ok(())
}

fn kids(secret: &str) -> Result<Vec<String>> {
    let ring = Ring::parse(secret)?;
    ring.keys
        .iter()
        .map(|k| crate::signing::ProofSigner::new(&k.seed).map(|s| s.kid().to_owned()))
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
