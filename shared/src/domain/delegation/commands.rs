//! The commands delegation requests become, each checked once at the edge: open, answer or
//! end one, choose an agent, check a proof, list a business's delegations.

use super::{Day, DelegatedPermissions, DelegationNote, Side};
use crate::domain::identifier::BusinessIdentifier;
use crate::domain::ids::{BusinessId, DelegationId};
use crate::domain::{Program, Urn};

/// Which list of a business: the delegations it gives, or those it receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Given,
    Received,
}

impl Direction {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        match input {
            "given" => Ok(Self::Given),
            "received" => Ok(Self::Received),
            _ => Err("must be given or received"),
        }
    }

    pub fn side(self) -> Side {
        match self {
            Self::Given => Side::Grantor,
            Self::Received => Side::Grantee,
        }
    }
}

/// What one business proposes to the other: permissions, end day and note.
#[derive(Debug, Clone)]
pub struct DelegationTerms {
    pub permissions: DelegatedPermissions,
    pub ends_on: Day,
    pub note: Option<DelegationNote>,
}

/// `POST /businesses/{id}/delegations` (the grantor offers) and
/// `POST /businesses/{id}/delegation-requests` (the grantee asks): the other business by its
/// program and identifier.
#[derive(Debug, Clone)]
pub struct OpenDelegation {
    pub business_id: BusinessId,
    pub other_program: Program,
    pub other_identifier: BusinessIdentifier,
    pub terms: DelegationTerms,
}

/// `POST /businesses/{id}/delegations/{delegation_id}/accept` and `DELETE` of the same.
#[derive(Debug, Clone)]
pub struct DelegationAt {
    pub business_id: BusinessId,
    pub delegation_id: DelegationId,
}

/// `PUT /businesses/{id}/delegations/{delegation_id}/agents/{urn}` `{permissions?}` (the
/// delegation's own when absent) and `DELETE` of the same (`permissions` none).
#[derive(Debug, Clone)]
pub struct AgentOrder {
    pub at: DelegationAt,
    pub urn: Urn,
    pub permissions: Option<DelegatedPermissions>,
}

/// `POST /delegation-proofs/check` `{proof}`.
#[derive(Debug, Clone)]
pub struct ProofCheck {
    pub proof: String,
}

/// `GET /businesses/{id}/delegations?direction=`.
#[derive(Debug, Clone)]
pub struct DelegationsQuery {
    pub business_id: BusinessId,
    /// Both lists when none.
    pub direction: Option<Direction>,
}
