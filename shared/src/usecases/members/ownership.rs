//! Ownership transfer: the owner names a member (`POST /businesses/{id}/ownership-transfer`),
//! that member accepts (`…/accept`), or the owner cancels (`DELETE`).

use serde::Serialize;

use crate::app::App;
use crate::clock::{self, Fresh};
use crate::domain::business::Role;
use crate::domain::commands::OwnershipTransferRequest;
use crate::domain::member::Member;
use crate::domain::rules::access::Access;
use crate::domain::rules::{ownership, step_up};
use crate::domain::user::{UrnEntry, User};
use crate::domain::Caller;
use crate::domain::{BusinessId, Urn};
use crate::error::Result;
use crate::store::reads::Want;
use crate::usecases::business::{self, BusinessView};

#[derive(Debug, Serialize)]
pub struct TransferView {
    pub to_urn: Urn,
    pub status: &'static str,
    pub expires_at: String,
}

/// Whether the caller may still ask for a transfer of this business: a repeated request
/// (same `Idempotency-Key`) gets its first answer only then, and only to a recent sign-in.
pub async fn may_request_transfer(
    app: &App,
    caller: &Caller,
    business_id: &BusinessId,
) -> Result<()> {
    step_up::recent(&caller.sign_in, clock::now().epoch)?;
    let access = business::access(app, &caller.credential, business_id).await?;
    Ok(ownership::may_request(&access)?)
}

/// `POST /businesses/{id}/ownership-transfer`: the owner names a member to take over.
pub async fn request_transfer(
    app: &App,
    caller: &Caller,
    request: OwnershipTransferRequest,
) -> Result<TransferView> {
    let mut fresh = Fresh::draw()?;
    step_up::recent(&caller.sign_in, fresh.now.epoch)?;
    let (id, to) = (&request.business_id, &request.to_urn);
    let me = &caller.credential;
    // One read: the caller's access, the member named, who their URN belongs to, and the
    // caller's own account (both are told where they asked to be).
    let mut found = app
        .store
        .read(&[
            Want::User(me),
            Want::Membership(me, id),
            Want::Business(id),
            Want::Member(id, to),
            Want::Urn(to),
        ])
        .await?;
    let owner: Option<User> = found.next()?;
    crate::usecases::users::activity::admitted_if_any(app, owner.as_ref()).await?;
    let access = Access::of(me, owner.as_ref(), found.next()?, found.next()?)?;
    let target: Option<Member> = found.next()?;
    let person: Option<UrnEntry> = found.next()?;
    let (plan, transfer) = ownership::request(
        &access,
        to,
        target.as_ref(),
        person.as_ref(),
        owner.as_ref(),
        &mut fresh,
    )?;
    app.store.apply(plan).await?;
    Ok(TransferView {
        to_urn: transfer.to_urn,
        status: "pending",
        expires_at: clock::at(transfer.expires_at).rfc3339,
    })
}

/// `POST /businesses/{id}/ownership-transfer/accept`: the named member becomes owner and the
/// former owner proxy, in one write.
pub async fn accept_transfer(
    app: &App,
    caller: &Caller,
    business_id: &BusinessId,
) -> Result<BusinessView> {
    // One Query: the business, every member (the heir and the owner among them) and the
    // transfer, which says where to tell both.
    let mut fresh = Fresh::draw()?;
    step_up::recent(&caller.sign_in, fresh.now.epoch)?;
    let (access, partition) = business::among(app, &caller.credential, business_id, true).await?;
    let (plan, after) = ownership::accept(&access, &partition, &mut fresh)?;
    app.store.apply(plan).await?;
    Ok(BusinessView::new(after, Role::Owner))
}

/// `DELETE /businesses/{id}/ownership-transfer`: the owner cancels a pending transfer.
pub async fn cancel_transfer(app: &App, caller: &Caller, business_id: &BusinessId) -> Result<()> {
    let access = business::access(app, &caller.credential, business_id).await?;
    let plan = ownership::cancel(&access, &mut Fresh::draw()?)?;
    app.store.apply(plan).await
}
