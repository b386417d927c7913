//! Opening a delegation: the grantor's owner offers one, or the grantee's asks for one; the
//! answer is the same whatever the other identifier is.

use crate::app::App;
use crate::clock::{self, Fresh};
use crate::domain::delegation::{OpenDelegation, Side};
use crate::domain::onboarding::IdentifierSecret;
use crate::domain::rules::access::Access;
use crate::domain::rules::{delegation as rules, step_up};
use crate::domain::user::User;
use crate::domain::BusinessId;
use crate::domain::Caller;
use crate::error::Result;
use crate::store::reads::Want;
use crate::usecases::business;

use super::tell_and_apply;
use super::views::DelegationView;

/// Whether the caller may still open a delegation for this business: a repeated offer or
/// request (same `Idempotency-Key`) gets its first answer only then, and only to a recent
/// sign-in.
pub async fn may_open(app: &App, caller: &Caller, business_id: &BusinessId) -> Result<()> {
    step_up::recent(&caller.sign_in, clock::now().epoch)?;
    let access = business::access(app, &caller.credential, business_id).await?;
    Ok(rules::may_decide(&access)?)
}

/// `POST /businesses/{id}/delegations` (`from` grantor) and `…/delegation-requests` (`from`
/// grantee): 202 whatever the other identifier is; it waits for the other owner's answer.
/// Opening either needs a recent sign-in: an offer hands out power, a request asks for it.
pub async fn open(
    app: &App,
    caller: &Caller,
    command: OpenDelegation,
    from: Side,
) -> Result<DelegationView> {
    let mut fresh = Fresh::draw()?;
    step_up::recent(&caller.sign_in, fresh.now.epoch)?;
    let (me, id) = (&caller.credential, &command.business_id);
    // One read: the caller's access, and the other identifier's secret item, which names its
    // live account if it has one (the same read whether or not it does).
    let mut found = app
        .store
        .read(&[
            Want::User(me),
            Want::Membership(me, id),
            Want::Business(id),
            Want::Secret(command.other_program, &command.other_identifier),
        ])
        .await?;
    let account: Option<User> = found.next()?;
    crate::usecases::users::activity::admitted_if_any(app, account.as_ref()).await?;
    let access = Access::of(me, account.as_ref(), found.next()?, found.next()?)?;
    let secret: Option<IdentifierSecret> = found.next()?;
    let other = secret.and_then(|s| s.business_id);
    let (plan, delegation) = rules::open(&access, &command, from, other, &mut fresh)?;
    tell_and_apply(
        app,
        &access,
        account.as_ref(),
        plan,
        &delegation,
        &mut fresh,
    )
    .await?;
    Ok(DelegationView::new(delegation, from))
}
