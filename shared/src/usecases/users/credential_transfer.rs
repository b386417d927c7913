//! `POST /users/me/credential-transfers` and `POST /credential-transfers/claim`: moving a user
//! account to another credential with a one-time code. Only the code's keyed hash is kept.

use serde::Serialize;

use crate::app::App;
use crate::clock::{self, Fresh};
use crate::domain::code::{self, TRANSFER_CODE_CHARS};
use crate::domain::commands::CredentialTransferClaim;
use crate::domain::rules::{credential_transfer, step_up};
use crate::domain::user::User;
use crate::domain::Caller;
use crate::error::{Error, Result};
use crate::store::reads::Want;

use super::UserView;

/// What the pepper hashes transfer codes as (so the hash is worth nothing for anything else).
const TRANSFER_CODE_PURPOSE: &str = "credential-transfer";

#[derive(Debug, Serialize)]
pub struct CredentialTransferView {
    /// Shown once, here; only its keyed hash is kept.
    pub transfer_code: String,
    pub expires_at: String,
}

/// `POST /users/me/credential-transfers`: a one-time code, shown once, that lets another
/// credential take this user account over within ten minutes.
pub async fn start_credential_transfer(
    app: &App,
    caller: &Caller,
) -> Result<CredentialTransferView> {
    let mut fresh = Fresh::draw()?;
    step_up::recent(&caller.sign_in, fresh.now.epoch)?;
    let mut found = app.store.read(&[Want::User(&caller.credential)]).await?;
    let user: Option<User> = found.next()?;
    super::activity::admitted_if_any(app, user.as_ref()).await?;
    let shown = code::render(&clock::random::<7>()?, TRANSFER_CODE_CHARS * 5);
    let canonical = code::normalize(&shown, TRANSFER_CODE_CHARS)
        .ok_or_else(|| Error::Internal("a rendered code did not normalize".into()))?;
    let hash = app.pepper()?.hash(TRANSFER_CODE_PURPOSE, &canonical);
    let (plan, code) = credential_transfer::start(user, hash, &mut fresh)?;
    app.store.apply(plan).await?;
    Ok(CredentialTransferView {
        transfer_code: shown,
        expires_at: clock::at(code.expires_at).rfc3339,
    })
}

/// `POST /credential-transfers/claim`: the caller's credential (which has no user account)
/// takes over the account the code was made for, with every membership; the old credential
/// is unlinked.
pub async fn claim_credential_transfer(
    app: &App,
    caller: &Caller,
    claim: CredentialTransferClaim,
) -> Result<UserView> {
    let mut fresh = Fresh::draw()?;
    let hash = app
        .pepper()?
        .hash(TRANSFER_CODE_PURPOSE, claim.transfer_code.as_str());
    // Two reads, one after the other: the code says whose account moves. A rare request.
    let mut found = app
        .store
        .read(&[Want::TransferCode(&hash), Want::User(&caller.credential)])
        .await?;
    let code = found.next()?;
    let caller_has_account = found.next::<User>()?.is_some();
    let code = credential_transfer::code_to_claim(caller_has_account, code, fresh.now.epoch)?;
    let from = app.store.user_partition(&code.credential).await?;
    // A retired account moves nowhere until an officer reinstates it.
    if from.user.as_ref().is_some_and(|u| u.retired_at.is_some()) {
        return Err(crate::domain::Refusal::AccountRetired.into());
    }
    let (plan, moved) = credential_transfer::claim(
        &caller.credential,
        &code,
        from.user,
        from.memberships,
        from.acting_for,
        &mut fresh,
    )?;
    app.store.apply(plan).await?;
    Ok(moved.into())
}
