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

use crate::clock;
use crate::domain::rules::replay::{self, Answer, Claim, Replay, STALE_CLAIM_SECS};
use crate::domain::CredentialId;
use crate::error::{Error, Result};
use crate::http::{Caller, Reply};
use crate::secrets::Pepper;
use crate::store::DynamoStore;

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
/// response are in `store`, the response sealed with `pepper`. A repeat gets the kept answer
/// only if `may_repeat` still lets the caller make the request (an officer whose role was
/// removed, an owner who handed the business over, gets its refusal instead).
pub async fn once<F, Fut, R, RFut>(
    store: &DynamoStore,
    pepper: &Pepper,
    caller: &Caller,
    request: Request,
    may_repeat: R,
    handler: F,
) -> Result<Reply>
where
    F: FnOnce(Request) -> Fut,
    Fut: Future<Output = Result<Reply>>,
    R: FnOnce(Request) -> RFut,
    RFut: Future<Output = Result<()>>,
{
    let Some(key) = parse_key(&request)? else {
        return handler(request).await;
    };
    let me = &caller.credential;
    let claim = Claim::new(fingerprint(&request), clock::now().epoch);
    if let Some(repeat) = claim_or_repeat(store, pepper, me, &key, &claim).await? {
        may_repeat(request).await?;
        return Ok(repeat);
    }
    match handler(request).await {
        Ok(reply) => {
            let answer = Answer {
                status: reply.status().as_u16(),
                sealed_body: pepper.seal(reply.body().unwrap_or_default())?,
            };
            // The change is committed: if remembering the answer fails, a repeat gets 409, not a
            // second change.
            if !matches!(
                store.complete_idempotency_key(me, &key, &answer).await,
                Ok(true)
            ) {
                tracing::warn!("could not keep the response for an idempotency key");
            }
            Ok(reply)
        }
        Err(error) => {
            // Nothing was changed: release the key so the same request can be tried again.
            if !matches!(store.release_idempotency_key(me, &key).await, Ok(true)) {
                tracing::warn!("could not release an idempotency key after a failed request");
            }
            Err(error)
        }
    }
}

/// Claims `key` for this request (`None`: run it), or answers the repeat as `replay` says.
async fn claim_or_repeat(
    store: &DynamoStore,
    pepper: &Pepper,
    me: &CredentialId,
    key: &str,
    claim: &Claim,
) -> Result<Option<Reply>> {
    // Twice at most: a key found free after a refused claim was released, or went stale, in
    // between; it is claimed again.
    for _ in 0..2 {
        if store.claim_idempotency_key(me, key, claim).await? {
            return Ok(None);
        }
        let kept = store.idempotency_key(me, key).await?;
        match replay::decide(kept.as_ref(), &claim.fingerprint, claim.claimed_at) {
            Replay::Claim => continue,
            Replay::Answer(answer) => {
                let status = StatusCode::from_u16(answer.status)
                    .map_err(|e| Error::Internal(e.to_string()))?;
                return Ok(Some(Reply::raw(
                    status,
                    Some(pepper.open(&answer.sealed_body)?),
                )));
            }
            Replay::InProgress { retry_after_secs } => {
                return Err(Error::InProgress { retry_after_secs })
            }
            Replay::KeyReused => {
                return Err(Error::invalid(
                    "Idempotency-Key",
                    "was already used for a different request",
                ))
            }
        }
    }
    // Claimed by others both times: as busy as a claim made now.
    Err(Error::InProgress {
        retry_after_secs: STALE_CLAIM_SECS as u64,
    })
}
