//! The grantee's members chosen to act under a delegation: kept on the delegation (`Agent`),
//! and under each agent's credential (`ActingFor`), where their sign-in finds it.

use serde::{Deserialize, Serialize};

use super::DelegatedPermissions;
use crate::domain::business::LegalName;
use crate::domain::ids::{BusinessId, DelegationId};
use crate::domain::{CredentialId, PersonName, Urn};

/// A member of the grantee chosen to act for the grantor, within the grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agent {
    pub urn: Urn,
    pub name: PersonName,
    /// Where their side (`ActingFor`) lives.
    #[serde(flatten)]
    pub credential: CredentialId,
    pub permissions: DelegatedPermissions,
    pub since: String,
}

/// An agent's own side, under their credential beside their memberships: `GET
/// /users/me/businesses` finds it in the same Query, then checks the delegation still holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActingFor {
    #[serde(flatten)]
    pub credential: CredentialId,
    pub urn: Urn,
    pub delegation_id: DelegationId,
    /// The business acted for (the grantor).
    pub business_id: BusinessId,
    /// The business whose member the agent is (the grantee).
    pub through_business_id: BusinessId,
    pub through_legal_name: Option<LegalName>,
}
