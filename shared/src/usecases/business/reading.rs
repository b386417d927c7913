//! `GET /businesses/{id}` and `GET /users/me/businesses`.

use std::collections::HashSet;

use serde::Serialize;

use crate::app::App;
use crate::clock;
use crate::domain::business::BusinessAccount;
use crate::domain::business::{BusinessStatus, LegalName, Permission, Role};
use crate::domain::delegation::{ActingFor, Day, DelegatedPermissions, Delegation};
use crate::domain::ids::DelegationId;
use crate::domain::member::{Membership, OwnershipTransfer};
use crate::domain::rules::access::Access;
use crate::domain::rules::delegation;
use crate::domain::rules::to_do::{self, ToDo};
use crate::domain::user::User;
use crate::domain::Caller;
use crate::domain::CredentialId;
use crate::domain::{BusinessId, Program, Refusal};
use crate::error::Result;
use crate::store::reads::Want;

use super::BusinessView;

/// One line of `GET /users/me/businesses`.
#[derive(Debug, Serialize)]
pub struct MyBusinessView {
    pub business_id: BusinessId,
    pub program: Program,
    pub legal_name: LegalName,
    pub status: BusinessStatus,
    /// None where the person acts for the business through a delegation, not as a member.
    pub role: Option<Role>,
    pub permissions: &'static [Permission],
    /// Set where the person acts for the business through a delegation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delegation: Option<ActingThrough>,
    /// What waits for the person on this business (terms, consent, an ownership transfer).
    pub to_do: Vec<ToDo>,
}

/// How a person acts for a business that is not theirs: the delegation, and the business of
/// theirs it was given to.
#[derive(Debug, Serialize)]
pub struct ActingThrough {
    pub delegation_id: DelegationId,
    pub through_business_id: BusinessId,
    pub through_legal_name: Option<LegalName>,
    pub permissions: DelegatedPermissions,
    pub ends_on: Day,
}

/// A member reads their business in one BatchGetItem. The same read asks for the caller's
/// side of a delegation of this business (`ACTFOR#{id}`): someone who acts for it through one
/// (and is no member) has it checked in a second read: the delegation still active with them
/// on it, and their membership of the business it was given to.
pub async fn get_business(
    app: &App,
    caller: &Caller,
    business_id: &BusinessId,
) -> Result<BusinessView> {
    let me = &caller.credential;
    let mut found = app
        .store
        .read(&[
            Want::User(me),
            Want::Membership(me, business_id),
            Want::Business(business_id),
            Want::ActingFor(me, business_id),
            // In the same BatchGetItem: what the dashboard and the transfer page show.
            Want::Transfer(business_id),
        ])
        .await?;
    let account: Option<User> = found.next()?;
    crate::usecases::users::activity::admitted_if_any(app, account.as_ref()).await?;
    let membership: Option<Membership> = found.next()?;
    let business: Option<BusinessAccount> = found.next()?;
    let acting: Option<ActingFor> = found.next()?;
    let transfer: Option<OwnershipTransfer> = found.next()?;
    match Access::of(me, account.as_ref(), membership, business.clone()) {
        Ok(access) => {
            let role = access.role();
            let pending = to_do::pending_transfer(
                &access.membership.urn,
                Some(role),
                transfer.as_ref(),
                clock::now().epoch,
            );
            let mut view = BusinessView::new(access.business, role);
            if let Some(t) = &pending {
                view.to_do.push(to_do::transfer_to_do(t));
            }
            view.ownership_transfer = Some(pending);
            Ok(view)
        }
        Err(refusal) => {
            let (Some(account), Some(business), Some(acting)) = (account, business, acting) else {
                return Err(refusal.into());
            };
            acting_view(app, me, &account, business, acting)
                .await?
                .ok_or_else(|| refusal.into())
        }
    }
}

/// The business as someone acting for it through a delegation sees it, if that still holds.
async fn acting_view(
    app: &App,
    me: &CredentialId,
    account: &User,
    business: BusinessAccount,
    acting: ActingFor,
) -> Result<Option<BusinessView>> {
    if acting.urn != account.urn || business.business.status == BusinessStatus::Closed {
        return Ok(None);
    }
    let mut found = app
        .store
        .read(&[
            Want::Delegation(&acting.delegation_id),
            Want::Membership(me, &acting.through_business_id),
            Want::Business(&acting.through_business_id),
        ])
        .await?;
    let delegation: Option<Delegation> = found.next()?;
    let through = Access::of(me, Some(account), found.next()?, found.next()?).is_ok();
    let today = Day::of(clock::now().epoch);
    let Some(permissions) =
        delegation::acting_permissions(&acting, delegation.as_ref(), through, today)
    else {
        return Ok(None);
    };
    let ends_on = delegation.map(|d| d.ends_on).unwrap_or(today);
    let mut view = BusinessView::new(business, Role::Browser);
    view.role = None;
    view.to_do = Vec::new();
    view.permissions = permissions.permissions();
    view.delegation = Some(ActingThrough {
        delegation_id: acting.delegation_id,
        through_business_id: acting.through_business_id,
        through_legal_name: acting.through_legal_name,
        permissions,
        ends_on,
    });
    Ok(Some(view))
}

/// One Query of the caller's partition (their user account and every membership), then one
/// BatchGetItem of those businesses: a closed business whose memberships are not all ended yet
/// (a big one, whose follow-up ends them after the close answered) is not listed, nor is a
/// membership of another URN (left under this credential by a credential transfer still being
/// moved).
pub async fn my_businesses(app: &App, caller: &Caller) -> Result<Vec<MyBusinessView>> {
    let partition = app.store.user_partition(&caller.credential).await?;
    let user = partition.user.ok_or(Refusal::NoUserAccount)?;
    crate::usecases::users::activity::admitted(app, &user).await?;
    let mine: Vec<_> = partition
        .memberships
        .into_iter()
        .filter(|m| m.urn == user.urn)
        .collect();
    let ids: Vec<BusinessId> = mine.iter().map(|m| m.business_id.clone()).collect();
    let acting: Vec<ActingFor> = partition
        .acting_for
        .into_iter()
        .filter(|a| a.urn == user.urn)
        .collect();
    // Still one round after the Query: the delegations are read beside the businesses (and
    // not at all by someone who acts for nobody).
    let (listed, acted_for) = tokio::try_join!(app.store.listed_businesses(&ids), async {
        match acting.is_empty() {
            true => Ok(Vec::new()),
            false => app.store.acted_for(&acting).await,
        }
    })?;
    let now = clock::now().epoch;
    let today = Day::of(now);
    let mut open: HashSet<BusinessId> = HashSet::new();
    let mut views: Vec<MyBusinessView> = Vec::with_capacity(mine.len());
    for (m, (business, transfer)) in mine.into_iter().zip(listed) {
        let Some(business) = business.filter(|b| b.business.status != BusinessStatus::Closed)
        else {
            continue;
        };
        open.insert(m.business_id.clone());
        let pending = to_do::pending_transfer(&m.urn, Some(m.role), transfer.as_ref(), now);
        let to_do = to_do::to_do(Some(m.role), &business, pending.as_ref());
        views.push(MyBusinessView {
            business_id: m.business_id,
            program: m.program,
            legal_name: m.legal_name,
            status: m.status,
            role: Some(m.role),
            permissions: m.role.permissions(),
            delegation: None,
            to_do,
        });
    }
    for (a, (delegation, business)) in acting.iter().zip(acted_for) {
        // A member of the business it was given to, still (and that business open).
        let through = open.contains(&a.through_business_id);
        let Some(permissions) =
            delegation::acting_permissions(a, delegation.as_ref(), through, today)
        else {
            continue;
        };
        let (Some(d), Some(business)) = (delegation, business) else {
            continue;
        };
        let b = business.business;
        // Closed, or listed already as one of theirs (a member there too).
        let listed = views.iter().any(|v| v.business_id == b.business_id);
        if b.status == BusinessStatus::Closed || listed {
            continue;
        }
        views.push(MyBusinessView {
            business_id: b.business_id,
            program: b.program,
            legal_name: b.legal_name,
            status: b.status,
            role: None,
            permissions: permissions.permissions(),
            delegation: Some(ActingThrough {
                delegation_id: d.delegation_id,
                through_business_id: a.through_business_id.clone(),
                through_legal_name: a.through_legal_name.clone(),
                permissions,
                ends_on: d.ends_on,
            }),
            to_do: Vec::new(),
        });
    }
    Ok(views)
}
