//! `POST /agency/shared-secrets`: an agency officer issues a business its shared secret.

use serde::Serialize;

use crate::app::App;
use crate::clock::{self, Fresh};
use crate::domain::commands::SecretOrder;
use crate::domain::onboarding::{IdentifierSecret, SecretPurpose};
use crate::domain::programs::Delivery;
use crate::domain::rules::{secrets, step_up};
use crate::domain::Caller;
use crate::domain::{LetterId, Refusal};
use crate::error::{Error, Result};
use crate::store::reads::Want;

#[derive(Debug, Serialize)]
pub struct IssuedView {
    /// Shown once, here; only its keyed hash is kept.
    pub shared_secret: String,
    pub expires_at: String,
    pub delivery: Delivery,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub letter_id: Option<LetterId>,
    /// `activation`, or `recovery` where a business account holds the identifier.
    pub purpose: SecretPurpose,
}

/// Whether the caller may issue secrets: an agency officer (a repeated request gets its first
/// answer, the secret, only then).
pub fn may_issue(caller: &Caller) -> Result<()> {
    Ok(step_up::agency_only(
        caller.agency_officer,
        &caller.sign_in,
    )?)
}

/// A new secret for a business, replacing any unused one (and its counted tries); a recovery
/// secret where a business account holds the identifier (owner recovery); in the agency audit.
pub async fn issue_shared_secret(
    app: &App,
    caller: &Caller,
    order: SecretOrder,
) -> Result<IssuedView> {
    may_issue(caller)?;
    let mut found = app
        .store
        .read(&[Want::Secret(order.program, &order.identifier)])
        .await?;
    let current: Option<IdentifierSecret> = found.next()?;
    let (drawn, shown) = super::draw_secret(app.pepper()?, order.program, &order.identifier)?;
    let mut fresh = Fresh::draw()?;
    let decide = |letter_mailed: bool, fresh: &mut Fresh| {
        secrets::issue(
            &caller.credential,
            current.as_ref(),
            order.clone(),
            drawn.clone(),
            letter_mailed,
            fresh,
        )
    };
    let mut issued = decide(false, &mut fresh)?;
    match app.store.apply(issued.plan.clone()).await {
        // The letter with the code it replaces went out meanwhile: nothing to withdraw.
        Err(Error::Refused(Refusal::LetterAlreadyMailed)) => {
            issued = decide(true, &mut fresh)?;
            app.store.apply(issued.plan.clone()).await?;
        }
        outcome => outcome?,
    }
    Ok(IssuedView {
        shared_secret: shown,
        expires_at: clock::at(issued.expires_at).rfc3339,
        delivery: issued.delivery,
        letter_id: issued.letter_id,
        purpose: issued.purpose,
    })
}
