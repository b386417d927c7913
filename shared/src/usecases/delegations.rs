//! Delegations between business accounts: one business's owner offers one (or asks for one),
//! the other's owner answers, either ends it; owners and proxies list them. Each reads once,
//! asks `rules::delegation`, and writes the plan.

use serde::Serialize;

use crate::app::App;
use crate::clock::{self, Fresh};
use crate::domain::business::{LegalName, Permission};
use crate::domain::delegation::{
    Agent, AgentOrder, DelegatedPermissions, Day, Delegation, DelegationAt, DelegationNote,
    DelegationStatus, DelegationStep, DelegationsQuery, OpenDelegation, Party, Side,
};
use crate::domain::member::Member;
use crate::domain::{PersonName, Urn};
use crate::domain::ids::DelegationId;
use crate::domain::onboarding::IdentifierSecret;
use crate::domain::rules::access::Access;
use crate::domain::rules::{delegation as rules, step_up};
use crate::domain::user::User;
use crate::domain::Program;
use crate::error::Result;
use crate::http::Caller;
use crate::store::reads::Want;
use crate::usecases::business;

/// A party as the other side sees it: never its account id, and its legal name only once it
/// took part (a business named by identifier alone stays so until it answers).
#[derive(Debug, Serialize)]
pub struct PartyView {
    pub program: Program,
    pub business_identifier: String,
    pub legal_name: Option<LegalName>,
}

impl From<&Party> for PartyView {
    fn from(p: &Party) -> Self {
        Self {
            program: p.program,
            business_identifier: p.identifier.as_str().to_owned(),
            legal_name: p.legal_name.clone(),
        }
    }
}

/// A delegation as one of its parties sees it.
#[derive(Debug, Serialize)]
pub struct DelegationView {
    pub delegation_id: DelegationId,
    /// `given` or `received`, from the business asked about.
    pub direction: &'static str,
    pub program: Program,
    pub grantor: PartyView,
    pub grantee: PartyView,
    pub permissions: DelegatedPermissions,
    /// What the grantee's people may do for the grantor while it is active.
    pub grants: &'static [Permission],
    pub ends_on: Day,
    pub note: Option<DelegationNote>,
    pub status: DelegationStatus,
    /// Who did what, oldest first.
    pub history: Vec<DelegationStep>,
    pub created_at: String,
    pub version: u64,
    /// The grantee's members who act under it (both sides see who).
    pub agents: Vec<AgentView>,
}

#[derive(Debug, Serialize)]
pub struct AgentView {
    pub urn: Urn,
    pub name: PersonName,
    pub permissions: DelegatedPermissions,
    pub since: String,
}

impl From<Agent> for AgentView {
    fn from(a: Agent) -> Self {
        Self {
            urn: a.urn,
            name: a.name,
            permissions: a.permissions,
            since: a.since,
        }
    }
}

impl DelegationView {
    fn new(d: Delegation, side: Side) -> Self {
        Self {
            delegation_id: d.delegation_id.clone(),
            direction: match side {
                Side::Grantor => "given",
                Side::Grantee => "received",
            },
            program: d.program(),
            grantor: (&d.grantor).into(),
            grantee: (&d.grantee).into(),
            permissions: d.permissions,
            grants: d.permissions.permissions(),
            ends_on: d.ends_on,
            note: d.note,
            status: d.status,
            history: d.history,
            created_at: d.created_at,
            version: d.version,
            agents: d.agents.into_iter().map(AgentView::from).collect(),
        }
    }
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
    let access = Access::of(me, account.as_ref(), found.next()?, found.next()?)?;
    let secret: Option<IdentifierSecret> = found.next()?;
    let other = secret.and_then(|s| s.business_id);
    let (plan, delegation) = rules::open(&access, &command, from, other, &mut fresh)?;
    app.store.apply(plan).await?;
    Ok(DelegationView::new(delegation, from))
}

/// The caller's access and the delegation the path names, in one read.
async fn access_and_delegation(
    app: &App,
    caller: &Caller,
    at: &DelegationAt,
) -> Result<(Access, Option<Delegation>)> {
    let me = &caller.credential;
    let mut found = app
        .store
        .read(&[
            Want::User(me),
            Want::Membership(me, &at.business_id),
            Want::Business(&at.business_id),
            Want::Delegation(&at.delegation_id),
        ])
        .await?;
    let account: Option<User> = found.next()?;
    let access = Access::of(me, account.as_ref(), found.next()?, found.next()?)?;
    Ok((access, found.next()?))
}

/// `POST /businesses/{id}/delegations/{delegation_id}/accept`: the owner of the side it waits
/// for accepts (a recent sign-in: it starts acting for another business, or lets one act).
pub async fn accept(app: &App, caller: &Caller, at: DelegationAt) -> Result<DelegationView> {
    let mut fresh = Fresh::draw()?;
    step_up::recent(&caller.sign_in, fresh.now.epoch)?;
    let (access, read) = access_and_delegation(app, caller, &at).await?;
    let (plan, after) = rules::accept(&access, read, &mut fresh)?;
    app.store.apply(plan).await?;
    let side = after.side_of(&access.business).unwrap_or(Side::Grantee);
    Ok(DelegationView::new(after, side))
}

/// `DELETE /businesses/{id}/delegations/{delegation_id}`: either side's owner ends it (no
/// recent sign-in needed: taking power back is never made harder).
pub async fn end(app: &App, caller: &Caller, at: DelegationAt) -> Result<()> {
    let mut fresh = Fresh::draw()?;
    let (access, read) = access_and_delegation(app, caller, &at).await?;
    let plan = rules::end(&access, read, &mut fresh)?;
    app.store.apply(plan).await
}

/// `GET /businesses/{id}/delegations?direction=`: the caller's access, then one Query of the
/// business's lists (kept by its identifier, which the first read gives).
pub async fn list(
    app: &App,
    caller: &Caller,
    query: DelegationsQuery,
) -> Result<Vec<DelegationView>> {
    let access = business::access(app, &caller.credential, &query.business_id).await?;
    access.require(Permission::MembersList)?;
    let b = &access.business.business;
    let read = app
        .store
        .delegation_lists(b.program, &b.identifier, query.direction)
        .await?;
    let today = Day::of(clock::now().epoch);
    let shown = rules::list(&access, read, query.direction, today)?;
    Ok(shown
        .into_iter()
        .filter_map(|d| {
            let side = d.side_of(&access.business)?;
            Some(DelegationView::new(d, side))
        })
        .collect())
}

/// `PUT /businesses/{id}/delegations/{delegation_id}/agents/{urn}`: the grantee's owner or
/// a proxy chooses a member to act under an active delegation. One read: the caller's access,
/// the delegation and the member.
pub async fn assign_agent(
    app: &App,
    caller: &Caller,
    order: AgentOrder,
) -> Result<DelegationView> {
    let mut fresh = Fresh::draw()?;
    let me = &caller.credential;
    let at = &order.at;
    let mut found = app
        .store
        .read(&[
            Want::User(me),
            Want::Membership(me, &at.business_id),
            Want::Business(&at.business_id),
            Want::Delegation(&at.delegation_id),
            Want::Member(&at.business_id, &order.urn),
        ])
        .await?;
    let account: Option<User> = found.next()?;
    let access = Access::of(me, account.as_ref(), found.next()?, found.next()?)?;
    let read: Option<Delegation> = found.next()?;
    let member: Option<Member> = found.next()?;
    let (plan, after) = rules::assign(&access, read, member.as_ref(), &order, &mut fresh)?;
    app.store.apply(plan).await?;
    Ok(DelegationView::new(after, Side::Grantee))
}

/// `DELETE /businesses/{id}/delegations/{delegation_id}/agents/{urn}`: a person comes off it.
pub async fn remove_agent(app: &App, caller: &Caller, order: AgentOrder) -> Result<()> {
    let mut fresh = Fresh::draw()?;
    let (access, read) = access_and_delegation(app, caller, &order.at).await?;
    let plan = rules::unassign(&access, read, &order, &mut fresh)?;
    app.store.apply(plan).await
}

/// What a sweep did.
#[derive(Debug, Default, Serialize)]
pub struct SweepSummary {
    pub expired: usize,
    pub changed_meanwhile: usize,
}

/// Days back the daily sweep looks: a run missed for up to a week is caught up.
pub const SWEEP_DAYS_BACK: i64 = 7;

/// The daily sweep (schedule): each open delegation whose end day was one of the last
/// `SWEEP_DAYS_BACK` days is recorded as expired, read by day from GSI1 (never a scan). It had
/// stopped counting already at the end of its day: this only writes it down.
pub async fn expire_due(app: &App) -> Result<SweepSummary> {
    let fresh = Fresh::draw()?;
    let today = Day::of(fresh.now.epoch);
    let mut summary = SweepSummary::default();
    for back in 1..=SWEEP_DAYS_BACK {
        let day = today.plus_days(-back);
        loop {
            let due = app.store.delegations_ending(&day).await?;
            let full = due.len() as i32 >= crate::store::delegations::SWEEP_PAGE;
            let mut progressed = false;
            for delegation in due {
                let Some(plan) = rules::expire(&delegation, &fresh) else {
                    continue;
                };
                match app.store.apply(plan).await {
                    Ok(()) => {
                        summary.expired += 1;
                        progressed = true;
                    }
                    Err(crate::error::Error::Refused(_)) => summary.changed_meanwhile += 1,
                    Err(e) => return Err(e),
                }
            }
            if !full || !progressed {
                break;
            }
        }
    }
    Ok(summary)
}
