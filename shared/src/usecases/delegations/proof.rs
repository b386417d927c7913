//! The signed proof of a delegation: given to either side's owners and proxies, checked by
//! anyone who holds one, with the public keys to check it offline.

use serde::Serialize;

use crate::app::App;
use crate::clock::{self, Fresh};
use crate::domain::delegation::{
    Delegation, DelegationAt, DelegationStatus, ProofCheck, ProofClaims,
};
use crate::domain::ids::DelegationId;
use crate::domain::rules::delegation as rules;
use crate::domain::Caller;
use crate::error::Result;
use crate::store::reads::Want;

use super::access_and_delegation;

/// A proof of delegation, signed.
#[derive(Debug, Serialize)]
pub struct ProofView {
    /// The compact JWS (EdDSA), checked offline with the keys at `/.well-known/delegation-keys`.
    pub proof: String,
    pub kid: String,
    pub valid_until: String,
    pub claims: ProofClaims,
}

/// `GET /businesses/{id}/delegations/{delegation_id}/proof`: one read (the caller's access
/// and the delegation), then the signature; nothing is written.
pub async fn proof(app: &App, caller: &Caller, at: DelegationAt) -> Result<ProofView> {
    let keys = app.proof_keys().await?;
    let mut fresh = Fresh::draw()?;
    let (access, _, read) = access_and_delegation(app, caller, &at).await?;
    let claims = rules::proof(&access, read, &mut fresh)?;
    // The key that signs now: the newest whose time has come (signing::Ring).
    let signer = keys.signing_at(fresh.now.epoch);
    Ok(ProofView {
        proof: signer.sign(&claims)?,
        kid: signer.kid().to_owned(),
        valid_until: clock::at(claims.exp).rfc3339,
        claims,
    })
}

/// `GET /.well-known/delegation-keys`: the public keys proofs are checked with: every key of
/// the ring whose proofs may still be in force, and the next one before it signs.
pub async fn proof_keys(app: &App) -> Result<serde_json::Value> {
    Ok(app.proof_keys().await?.jwks(clock::now().epoch))
}

/// What `POST /delegation-proofs/check` says of a proof.
#[derive(Debug, Serialize)]
pub struct ProofCheckView {
    pub delegation_id: DelegationId,
    /// The delegation is active, as the proof states it, and the proof has not expired.
    pub in_force: bool,
    /// The delegation's status now (null if it is not found).
    pub status: Option<DelegationStatus>,
    pub valid_until: String,
    pub checked_at: String,
}

/// `POST /delegation-proofs/check`: anyone holding a proof asks whether it still holds. The
/// signature first (a forgery is refused before anything is read), then one GetItem.
pub async fn check_proof(app: &App, check: ProofCheck) -> Result<ProofCheckView> {
    let now = clock::now();
    // By its kid, against the keys of the ring published now.
    let claims: ProofClaims = app
        .proof_keys()
        .await?
        .verify(&check.proof, now.epoch)
        .filter(|c: &ProofClaims| c.iss == crate::domain::delegation::PROOF_ISSUER)
        .ok_or(crate::domain::Refusal::NotAProof)?;
    let mut found = app.store.read(&[Want::Delegation(&claims.sub)]).await?;
    let read: Option<Delegation> = found.next()?;
    let (in_force, status) = rules::still_holds(&claims, read.as_ref(), now.epoch);
    Ok(ProofCheckView {
        delegation_id: claims.sub,
        in_force,
        status,
        valid_until: clock::at(claims.exp).rfc3339,
        checked_at: now.rfc3339,
    })
}
