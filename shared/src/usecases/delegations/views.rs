//! What the parties see of a delegation: never the other's account id, and its legal name
//! only once it took part.

use serde::Serialize;

use crate::domain::business::{LegalName, Permission};
use crate::domain::delegation::{
    Agent, Day, DelegatedPermissions, Delegation, DelegationNote, DelegationStatus, DelegationStep,
    Party, Side,
};
use crate::domain::ids::DelegationId;
use crate::domain::Program;
use crate::domain::{PersonName, Urn};

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
    pub(super) fn new(d: Delegation, side: Side) -> Self {
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
