//! `Idempotency-Key` records as stored: one item per (credential, key), claimed by a
//! conditional write, completed with the sealed answer, or released after a failure.

use serde::{Deserialize, Serialize};

use super::dynamo::{n, s, Cond, DynamoStore};
use super::keys;
use crate::clock;
use crate::domain::rules::replay::{Answer, Claim, Kept};
use crate::domain::CredentialId;
use crate::error::Result;

const IN_PROGRESS: &str = "in_progress";
const COMPLETED: &str = "completed";

/// `IDEMP#{idp}#{sub}#{key}` / `IDEMP`.
#[derive(Debug, Serialize, Deserialize)]
struct IdempotencyRecord {
    pk: String,
    sk: String,
    fingerprint: String,
    status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    response_status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sealed_response: Option<String>,
    created_at: String,
    claimed_at: i64,
    /// DynamoDB's TTL attribute: when the key is forgotten (0 once released).
    ttl: i64,
}

impl From<IdempotencyRecord> for Kept {
    fn from(r: IdempotencyRecord) -> Self {
        let answer = match (r.response_status, r.sealed_response) {
            (Some(status), Some(sealed_body)) => Some(Answer {
                status,
                sealed_body,
            }),
            _ => None,
        };
        Kept {
            claim: Claim {
                fingerprint: r.fingerprint,
                claimed_at: r.claimed_at,
                expires_at: r.ttl,
            },
            answer,
        }
    }
}

impl DynamoStore {
    /// Claims `key` for the request of `claim`, only where `replay::decide` would let it: no
    /// record, an expired or released one, or a claim gone stale that never completed. `false`
    /// when someone holds it (read it with `idempotency_key`).
    pub async fn claim_idempotency_key(
        &self,
        credential: &CredentialId,
        key: &str,
        claim: &Claim,
    ) -> Result<bool> {
        let record = IdempotencyRecord {
            pk: keys::idempotency(credential, key),
            sk: keys::IDEMP_SK.to_owned(),
            fingerprint: claim.fingerprint.clone(),
            status: IN_PROGRESS.into(),
            response_status: None,
            sealed_response: None,
            created_at: clock::at(claim.claimed_at).rfc3339,
            claimed_at: claim.claimed_at,
            ttl: claim.expires_at,
        };
        let cond = Cond::Expr(
            "attribute_not_exists(pk) OR #ttl < :now OR (#status = :in_progress AND #claimed_at < :stale)",
            vec![
                (":now", n(claim.claimed_at)),
                (":in_progress", s(IN_PROGRESS)),
                (":stale", n(claim.stale_before())),
            ],
        );
        let mut tx = self.tx();
        tx.put("claim", &record, cond)?;
        Ok(self.commit(tx).await?.is_ok())
    }

    /// What `key` holds (strongly consistent: read right after a refused claim).
    pub async fn idempotency_key(
        &self,
        credential: &CredentialId,
        key: &str,
    ) -> Result<Option<Kept>> {
        let record: Option<IdempotencyRecord> = self
            .get(keys::idempotency(credential, key), keys::IDEMP_SK)
            .await?;
        Ok(record.map(Kept::from))
    }

    /// Keeps the first request's `answer` with its claim. `false` if the claim is gone.
    pub async fn complete_idempotency_key(
        &self,
        credential: &CredentialId,
        key: &str,
        answer: &Answer,
    ) -> Result<bool> {
        let set = vec![
            ("status", s(COMPLETED)),
            ("response_status", n(answer.status)),
            ("sealed_response", s(&answer.sealed_body)),
        ];
        let written = self
            .update_one(
                keys::idempotency(credential, key),
                keys::IDEMP_SK,
                set,
                &[],
                Cond::Exists,
            )
            .await?;
        Ok(written.is_ok())
    }

    /// Releases `key` after a request that changed nothing: its record expires at once, so the
    /// same request may be tried again with it. `false` if the claim is gone.
    pub async fn release_idempotency_key(
        &self,
        credential: &CredentialId,
        key: &str,
    ) -> Result<bool> {
        let written = self
            .update_one(
                keys::idempotency(credential, key),
                keys::IDEMP_SK,
                vec![("ttl", n(0))],
                &[],
                Cond::Exists,
            )
            .await?;
        Ok(written.is_ok())
    }
}
