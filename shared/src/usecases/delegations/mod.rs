//! Delegations between business accounts: one business's owner offers one (or asks for one),
//! the other's owner answers, either ends it; owners and proxies list them. Each reads once,
//! asks `rules::delegation`, and writes the plan.
//!
//! One file per capability, in the routes' words: opening (`open`), answering and ending
//! (`answer`), the lists (`list`), agents (`agents`), the signed proof (`proof`), the daily
//! sweep (`sweep`) and a closed business's delegations (`closed`); what they share is here.

mod agents;
mod answer;
mod closed;
mod list;
mod open;
mod proof;
mod sweep;
mod views;

pub use agents::{assign_agent, remove_agent};
pub use answer::{accept, end};
pub use closed::{end_for_closed, CLOSE_STEP};
pub use list::list;
pub use open::{may_open, open};
pub use proof::{check_proof, proof, proof_keys, ProofCheckView, ProofView};
pub use sweep::{expire_due, SweepSummary, SWEEP_DAYS};
pub use views::{AgentView, DelegationView, PartyView};

use crate::app::App;
use crate::clock::Fresh;
use crate::domain::business::{BusinessAccount, BusinessStatus};
use crate::domain::delegation::{Delegation, DelegationAt, Side};
use crate::domain::member::Member;
use crate::domain::rules::access::Access;
use crate::domain::rules::delegation::{self as rules, Owner};
use crate::domain::user::UrnEntry;
use crate::domain::user::User;
use crate::domain::Caller;
use crate::domain::Plan;
use crate::domain::{BusinessId, Urn};
use crate::error::Result;
use crate::store::reads::Want;

/// The owner of a business, to tell: two reads (the business, then its owner's URN entry),
/// made alike whether or not there is such a business, so the calls never say which.
async fn owner_of(app: &App, business_id: Option<&BusinessId>) -> Result<Option<Owner>> {
    let nobody = BusinessId::from_random(&[0; 20]);
    let mut found = app
        .store
        .read(&[Want::Business(business_id.unwrap_or(&nobody))])
        .await?;
    let business: Option<BusinessAccount> = match business_id {
        Some(_) => found.next()?,
        None => None,
    };
    let business = business.filter(|b| b.business.status != BusinessStatus::Closed);
    let no_urn = Urn::from_random(0);
    let owner_urn = business.as_ref().map(|b| b.business.owner_urn.clone());
    let mut found = app
        .store
        .read(&[Want::Urn(owner_urn.as_ref().unwrap_or(&no_urn))])
        .await?;
    let entry: Option<UrnEntry> = found.next()?;
    Ok(match (business, entry, owner_urn) {
        (Some(b), Some(entry), Some(_)) => Some(Owner {
            contact: entry.contact(),
            legal_name: b.business.legal_name,
        }),
        _ => None,
    })
}

/// The other side's account id, as the delegation knows it.
fn other_side(access: &Access, d: &Delegation) -> Option<BusinessId> {
    let side = d.side_of(&access.business)?;
    let other = match side {
        Side::Grantor => &d.grantee,
        Side::Grantee => &d.grantor,
    };
    other.business_id.clone()
}

/// Tells both owners what became of `delegation`, where it is news (the caller, and the other
/// business's owner where it has an account), and writes the plan.
async fn tell_and_apply(
    app: &App,
    access: &Access,
    account: Option<&User>,
    mut plan: Plan,
    delegation: &Delegation,
    fresh: &mut Fresh,
) -> Result<()> {
    let other = other_side(access, delegation);
    let owners = owners(app, access, account, other.as_ref()).await?;
    if let Some(news) = rules::news_of(delegation) {
        rules::tell(&mut plan, delegation, news, &owners, fresh);
    }
    app.store.apply(plan).await
}

/// Who is told of a step: the caller (an owner: only owners decide) and the other business's
/// owner, where it has an account.
async fn owners(
    app: &App,
    access: &Access,
    account: Option<&User>,
    other: Option<&BusinessId>,
) -> Result<Vec<Owner>> {
    let mine = account.map(|a| Owner {
        contact: a.contact(),
        legal_name: access.business.business.legal_name.clone(),
    });
    let theirs = owner_of(app, other).await?;
    Ok(mine.into_iter().chain(theirs).collect())
}

/// The caller's access and the delegation the path names, in one read.
async fn access_and_delegation(
    app: &App,
    caller: &Caller,
    at: &DelegationAt,
) -> Result<(Access, Option<User>, Option<Delegation>)> {
    let (access, account, delegation, _) = read_at(app, caller, at, None).await?;
    Ok((access, account, delegation))
}

/// One read: the caller's account and access to `at`'s business, the delegation, and (for an
/// agent order) the member named.
async fn read_at(
    app: &App,
    caller: &Caller,
    at: &DelegationAt,
    member: Option<&Urn>,
) -> Result<(Access, Option<User>, Option<Delegation>, Option<Member>)> {
    let me = &caller.credential;
    let mut wants = vec![
        Want::User(me),
        Want::Membership(me, &at.business_id),
        Want::Business(&at.business_id),
        Want::Delegation(&at.delegation_id),
    ];
    if let Some(urn) = member {
        wants.push(Want::Member(&at.business_id, urn));
    }
    let mut found = app.store.read(&wants).await?;
    let account: Option<User> = found.next()?;
    crate::usecases::users::activity::admitted_if_any(app, account.as_ref()).await?;
    let access = Access::of(me, account.as_ref(), found.next()?, found.next()?)?;
    let delegation = found.next()?;
    let member = match member {
        Some(_) => found.next()?,
        None => None,
    };
    Ok((access, account, delegation, member))
}

/// Both parties' owners, where they have accounts.
async fn both_owners(app: &App, d: &Delegation) -> Result<Vec<Owner>> {
    let grantor = owner_of(app, d.grantor.business_id.as_ref()).await?;
    let grantee = owner_of(app, d.grantee.business_id.as_ref()).await?;
    Ok(grantor.into_iter().chain(grantee).collect())
}
