//! `Idempotency-Key` on the creating POSTs: a repeat of the same request with the same key
//! within 24 hours gets the first response again, without its side effects happening twice
//! (no second account, notice or secret).
//!
//! The key is claimed with a conditional write before the change; the response is kept
//! (sealed with the pepper: it may hold a shared secret) once the change is committed. A
//! repeat while the first is still running gets 409; a failed request releases its claim, so
//! the same key can be tried again.

use std::future::Future;

use aws_lc_rs::digest;
use lambda_http::{http::StatusCode, Request};
use serde::{Deserialize, Serialize};

use crate::clock;
use crate::error::{Error, Result};
use crate::http::{Caller, Reply};
use crate::secrets::Pepper;
use crate::store::dynamo::{n, s, Cond};
use crate::store::keys;
use crate::store::DynamoStore;

/// How long a key is remembered.
const KEEP_SECS: i64 = 24 * 3600;
/// A claim older than this whose request never finished (its function died, or the store went
/// away before the claim could be released) may be claimed again: functions time out at 10 s.
const STALE_CLAIM_SECS: i64 = 60;

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
    ttl: i64,
}

/// The key as sent: 1 to 255 visible ASCII characters.
fn parse_key(request: &Request) -> Result<Option<String>> {
    let Some(value) = request.headers().get("idempotency-key") else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 255 && k.bytes().all(|b| b.is_ascii_graphic()));
    key.map(|k| Some(k.to_owned())).ok_or_else(|| {
        Error::invalid(
            "Idempotency-Key",
            "must be 1 to 255 visible ASCII characters",
        )
    })
}

/// What makes two requests "the same": method, path and body.
fn fingerprint(request: &Request) -> String {
    let mut ctx = digest::Context::new(&digest::SHA256);
    ctx.update(request.method().as_str().as_bytes());
    ctx.update(b" ");
    ctx.update(request.uri().path().as_bytes());
    ctx.update(b"\n");
    ctx.update(request.body().as_ref());
    ctx.finish()
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Runs `handler` at most once per (credential, key) within 24 hours: the claim and the kept
/// response are in `store`, the response sealed with `pepper`.
pub async fn once<F, Fut>(
    store: &DynamoStore,
    pepper: &Pepper,
    caller: &Caller,
    request: Request,
    handler: F,
) -> Result<Reply>
where
    F: FnOnce(Request) -> Fut,
    Fut: Future<Output = Result<Reply>>,
{
    let Some(key) = parse_key(&request)? else {
        return handler(request).await;
    };
    let now = clock::now();
    let pk = keys::idempotency(&caller.credential, &key);
    let claim = IdempotencyRecord {
        pk: pk.clone(),
        sk: keys::IDEMP_SK.to_owned(),
        fingerprint: fingerprint(&request),
        status: "in_progress".into(),
        response_status: None,
        sealed_response: None,
        created_at: now.rfc3339.clone(),
        claimed_at: now.epoch,
        ttl: now.epoch + KEEP_SECS,
    };
    let mut tx = store.tx();
    // An expired record (past its `ttl`, not yet swept by DynamoDB) or a stale claim may be
    // claimed again.
    let cond = Cond::Expr(
        "attribute_not_exists(pk) OR #ttl < :now OR (#status = :in_progress AND #claimed_at < :stale)",
        vec![(":now", n(now.epoch)), (":in_progress", s("in_progress")), (":stale", n(now.epoch - STALE_CLAIM_SECS))],
    );
    tx.put("claim", &claim, cond)?;
    if store.commit(tx).await?.is_err() {
        let first: Option<IdempotencyRecord> = store.get(pk, keys::IDEMP_SK).await?;
        // Until a claim whose request never finished goes stale and may be claimed again.
        let in_progress = |claimed_at: i64| Error::InProgress {
            retry_after_secs: (claimed_at + STALE_CLAIM_SECS - now.epoch).clamp(1, STALE_CLAIM_SECS)
                as u64,
        };
        let first = first.ok_or_else(|| in_progress(now.epoch))?;
        if first.fingerprint != claim.fingerprint {
            return Err(Error::invalid(
                "Idempotency-Key",
                "was already used for a different request",
            ));
        }
        return match (first.response_status, first.sealed_response) {
            (Some(status), Some(sealed)) => {
                let status =
                    StatusCode::from_u16(status).map_err(|e| Error::Internal(e.to_string()))?;
                Ok(Reply::raw(status, Some(pepper.open(&sealed)?)))
            }
            _ => Err(in_progress(first.claimed_at)),
        };
    }
    match handler(request).await {
        Ok(reply) => {
            let sealed = match reply.body() {
                Some(body) => pepper.seal(body)?,
                None => pepper.seal("")?,
            };
            let set = vec![
                ("status", s("completed")),
                ("response_status", n(reply.status().as_u16())),
                ("sealed_response", s(sealed)),
            ];
            // The change is committed: if remembering the answer fails, a repeat gets 409, not a
            // second change.
            if let Err(e) = store
                .update_one(pk, keys::IDEMP_SK, set, &[], Cond::Exists)
                .await
            {
                tracing::warn!(error = %e, "could not keep the response for an idempotency key");
            }
            Ok(reply)
        }
        Err(error) => {
            // Nothing was changed: release the key so the same request can be tried again.
            let released = store
                .update_one(pk, keys::IDEMP_SK, vec![("ttl", n(0))], &[], Cond::Exists)
                .await;
            if !matches!(released, Ok(Ok(()))) {
                tracing::warn!("could not release an idempotency key after a failed request");
            }
            Err(error)
        }
    }
}
