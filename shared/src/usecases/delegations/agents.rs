//! Agents: the grantee's owner or a proxy chooses members to act under a delegation, or takes
//! them off it.

use crate::app::App;
use crate::clock::Fresh;
use crate::domain::delegation::{AgentOrder, Delegation, Side};
use crate::domain::member::Member;
use crate::domain::rules::access::Access;
use crate::domain::rules::delegation as rules;
use crate::domain::Caller;
use crate::error::Result;

use super::read_at;
use super::views::DelegationView;

/// `PUT /businesses/{id}/delegations/{delegation_id}/agents/{urn}`: the grantee's owner or
/// a proxy chooses a member to act under an active delegation. One read: the caller's access,
/// the delegation and the member.
pub async fn assign_agent(app: &App, caller: &Caller, order: AgentOrder) -> Result<DelegationView> {
    let mut fresh = Fresh::draw()?;
    let (access, read, member) = access_delegation_and_member(app, caller, &order).await?;
    let (plan, after) = rules::assign(&access, read, member.as_ref(), &order, &mut fresh)?;
    app.store.apply(plan).await?;
    Ok(DelegationView::new(after, Side::Grantee))
}

/// `DELETE /businesses/{id}/delegations/{delegation_id}/agents/{urn}`: a person comes off it.
/// One read: the caller's access, the delegation and the person's membership (where their
/// side of it lives now).
pub async fn remove_agent(app: &App, caller: &Caller, order: AgentOrder) -> Result<()> {
    let mut fresh = Fresh::draw()?;
    let (access, read, member) = access_delegation_and_member(app, caller, &order).await?;
    let plan = rules::unassign(&access, read, member.as_ref(), &order, &mut fresh)?;
    app.store.apply(plan).await
}

/// One read for an agent order: the caller's access, the delegation, and the member named.
async fn access_delegation_and_member(
    app: &App,
    caller: &Caller,
    order: &AgentOrder,
) -> Result<(Access, Option<Delegation>, Option<Member>)> {
    let (access, _, delegation, member) = read_at(app, caller, &order.at, Some(&order.urn)).await?;
    Ok((access, delegation, member))
}
