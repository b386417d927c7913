//! Delegations between business accounts: one business's owner offers one (or asks for one),
//! the other's owner answers, either ends it; owners and proxies list them. Each reads once,
//! asks `rules::delegation`, and writes the plan.

use serde::Serialize;

use crate::app::App;
use crate::clock::{self, Fresh};
use crate::domain::business::{BusinessAccount, BusinessStatus};
use crate::domain::business::{LegalName, Permission};
use crate::domain::delegation::{
    Agent, AgentOrder, Day, DelegatedPermissions, Delegation, DelegationAt, DelegationNote,
    DelegationStatus, DelegationStep, DelegationsQuery, OpenDelegation, Party, ProofCheck,
    ProofClaims, Side,
};
use crate::domain::ids::DelegationId;
use crate::domain::member::Member;
use crate::domain::onboarding::IdentifierSecret;
use crate::domain::rules::access::Access;
use crate::domain::rules::delegation::Owner;
use crate::domain::rules::{delegation as rules, step_up};
use crate::domain::user::UrnEntry;
use crate::domain::user::User;
use crate::domain::Program;
use crate::domain::{BusinessId, PersonName, Urn};
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
    let (mut plan, delegation) = rules::open(&access, &command, from, other.clone(), &mut fresh)?;
    let owners = owners(app, &access, account.as_ref(), other.as_ref()).await?;
    if let Some(news) = rules::news_of(&delegation) {
        rules::tell(&mut plan, &delegation, news, &owners, &mut fresh);
    }
    app.store.apply(plan).await?;
    Ok(DelegationView::new(delegation, from))
}

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

/// The other side's account id, as the delegation knows it.
fn other_side(access: &Access, d: &Delegation) -> Option<BusinessId> {
    let side = d.side_of(&access.business)?;
    let other = match side {
        Side::Grantor => &d.grantee,
        Side::Grantee => &d.grantor,
    };
    other.business_id.clone()
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

/// `POST /businesses/{id}/delegations/{delegation_id}/accept`: the owner of the side it waits
/// for accepts (a recent sign-in: it starts acting for another business, or lets one act).
pub async fn accept(app: &App, caller: &Caller, at: DelegationAt) -> Result<DelegationView> {
    let mut fresh = Fresh::draw()?;
    step_up::recent(&caller.sign_in, fresh.now.epoch)?;
    let (access, account, read) = access_and_delegation(app, caller, &at).await?;
    let (mut plan, after) = rules::accept(&access, read, &mut fresh)?;
    let owners = owners(
        app,
        &access,
        account.as_ref(),
        other_side(&access, &after).as_ref(),
    )
    .await?;
    if let Some(news) = rules::news_of(&after) {
        rules::tell(&mut plan, &after, news, &owners, &mut fresh);
    }
    app.store.apply(plan).await?;
    let side = after.side_of(&access.business).unwrap_or(Side::Grantee);
    Ok(DelegationView::new(after, side))
}

/// `DELETE /businesses/{id}/delegations/{delegation_id}`: either side's owner ends it (no
/// recent sign-in needed: taking power back is never made harder).
pub async fn end(app: &App, caller: &Caller, at: DelegationAt) -> Result<()> {
    let mut fresh = Fresh::draw()?;
    let (access, account, read) = access_and_delegation(app, caller, &at).await?;
    let (mut plan, after) = rules::end(&access, read, &mut fresh)?;
    let owners = owners(
        app,
        &access,
        account.as_ref(),
        other_side(&access, &after).as_ref(),
    )
    .await?;
    if let Some(news) = rules::news_of(&after) {
        rules::tell(&mut plan, &after, news, &owners, &mut fresh);
    }
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

/// What a sweep did.
#[derive(Debug, Default, Serialize)]
pub struct SweepSummary {
    pub expired: usize,
    pub reminded: usize,
    pub changed_meanwhile: usize,
}

/// Days back (and, for reminders, before the reminder day) the daily sweep looks: a run
/// missed for up to a week is caught up.
pub const SWEEP_DAYS: i64 = 7;

/// Both parties' owners, where they have accounts.
async fn both_owners(app: &App, d: &Delegation) -> Result<Vec<Owner>> {
    let grantor = owner_of(app, d.grantor.business_id.as_ref()).await?;
    let grantee = owner_of(app, d.grantee.business_id.as_ref()).await?;
    Ok(grantor.into_iter().chain(grantee).collect())
}

/// The daily sweep (schedule), reading GSI1 by end day (never a scan): each open delegation
/// whose end day was one of the last `SWEEP_DAYS` days is recorded as expired (it had stopped
/// counting already at the end of its day), and each active one ending within
/// `rules::REMIND_DAYS` (from the last `SWEEP_DAYS` days' reminder days) is reminded, once;
/// both owners are told of each.
pub async fn expire_due(app: &App) -> Result<SweepSummary> {
    let today = Day::of(clock::now().epoch);
    let mut summary = SweepSummary::default();
    let expiring = (1..=SWEEP_DAYS).map(|back| (today.plus_days(-back), true));
    let reminding = (0..SWEEP_DAYS).map(|back| (today.plus_days(rules::REMIND_DAYS - back), false));
    for (day, expire) in expiring.chain(reminding) {
        loop {
            let due = app.store.delegations_ending(&day).await?;
            let full = due.len() as i32 >= crate::store::delegations::SWEEP_PAGE;
            let mut progressed = false;
            for delegation in due {
                let mut fresh = Fresh::draw()?;
                // Whether it is due at all, before reading whom to tell.
                let due = match expire {
                    true => rules::expire(&delegation, &[], &mut fresh.clone()),
                    false => rules::remind(&delegation, &[], &mut fresh.clone()),
                };
                if due.is_none() {
                    continue;
                }
                let owners = both_owners(app, &delegation).await?;
                let plan = match expire {
                    true => rules::expire(&delegation, &owners, &mut fresh),
                    false => rules::remind(&delegation, &owners, &mut fresh),
                };
                let Some(plan) = plan else { continue };
                match app.store.apply(plan).await {
                    Ok(()) if expire => summary.expired += 1,
                    Ok(()) => summary.reminded += 1,
                    Err(crate::error::Error::Refused(_)) => summary.changed_meanwhile += 1,
                    Err(e) => return Err(e),
                }
                progressed = true;
            }
            // A reminded one stays in its day's partition: a full page of those ends the day.
            if !full || !progressed || !expire {
                break;
            }
        }
    }
    Ok(summary)
}

/// Delegations of a closed business that one follow-up step ends: each is its own small
/// transaction after two reads for whom to tell, so a broker with hundreds takes a few steps.
pub const CLOSE_STEP: usize = 20;

/// `membership-followups`, for a closed business: ends at most `CLOSE_STEP` of its open
/// delegations (one Query of its lists, both ways), telling each other side's owner. Returns
/// how many it ended and whether any is left (one that changed meanwhile is left for the next
/// step, which reads it again).
pub async fn end_for_closed(app: &App, business_id: &BusinessId) -> Result<(usize, bool)> {
    let mut found = app.store.read(&[Want::Business(business_id)]).await?;
    let Some(closed) = found
        .next::<BusinessAccount>()?
        .filter(|b| b.business.status == BusinessStatus::Closed)
    else {
        return Ok((0, false));
    };
    let b = &closed.business;
    let lists = app
        .store
        .delegation_lists(b.program, &b.identifier, None)
        .await?;
    let probe = Fresh::draw()?;
    let mut open: Vec<Delegation> = lists
        .into_iter()
        .filter(|d| rules::end_for_closed(d, &closed, &[], &mut probe.clone()).is_some())
        .collect();
    let mut left = open.len() > CLOSE_STEP;
    open.truncate(CLOSE_STEP);
    let mut ended = 0;
    for delegation in open {
        let owners = both_owners(app, &delegation).await?;
        let Some(plan) = rules::end_for_closed(&delegation, &closed, &owners, &mut Fresh::draw()?)
        else {
            continue;
        };
        match app.store.apply(plan).await {
            Ok(()) => ended += 1,
            Err(crate::error::Error::Refused(_)) => left = true,
            Err(e) => return Err(e),
        }
    }
    Ok((ended, left))
}
