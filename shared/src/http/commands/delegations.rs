//! Delegations' requests: the other business by program and identifier, the terms, and the
//! delegation a path names.

use lambda_http::Request;

use super::program_and_identifier;
use crate::domain::delegation::{
    AgentOrder, Day, DelegatedPermissions, DelegationAt, DelegationNote, DelegationTerms,
    DelegationsQuery, Direction, OpenDelegation, ProofCheck,
};
use crate::domain::ids::DelegationId;
use crate::domain::{BusinessId, Urn};
use crate::error::{Error, Result};
use crate::http::{path_param, query_param, Fields};

/// `POST /businesses/{id}/delegations` and `…/delegation-requests`
/// `{program, business_identifier, permissions, ends_on, note?}`: `program` and
/// `business_identifier` name the other business.
impl TryFrom<&Request> for OpenDelegation {
    type Error = Error;

    fn try_from(request: &Request) -> Result<Self> {
        let business_id = BusinessId::try_from(request)?;
        let mut f = Fields::from_body(request.body())?;
        let other = program_and_identifier(&mut f, "business_identifier");
        let permissions = f.required("permissions", DelegatedPermissions::parse);
        let ends_on = f.required("ends_on", Day::parse);
        let note = f.optional("note", DelegationNote::parse);
        f.finish()?;
        let (other_program, other_identifier) = other?;
        Ok(OpenDelegation {
            business_id,
            other_program,
            other_identifier,
            terms: DelegationTerms {
                permissions: permissions?,
                ends_on: ends_on?,
                note: note?,
            },
        })
    }
}

/// `…/delegations/{delegation_id}`: an id of any other shape names nothing (404).
impl TryFrom<&Request> for DelegationAt {
    type Error = Error;

    fn try_from(request: &Request) -> Result<Self> {
        let business_id = BusinessId::try_from(request)?;
        let delegation_id = path_param(request, "delegation_id")
            .and_then(|id| DelegationId::parse(&id).ok())
            .ok_or(Error::NotFound(
                "No such delegation for this business account.",
            ))?;
        Ok(DelegationAt {
            business_id,
            delegation_id,
        })
    }
}

/// `GET /businesses/{id}/delegations?direction=given|received` (both when absent).
impl TryFrom<&Request> for DelegationsQuery {
    type Error = Error;

    fn try_from(request: &Request) -> Result<Self> {
        let business_id = BusinessId::try_from(request)?;
        let direction = query_param(request, "direction")
            .map(|raw| Direction::parse(&raw).map_err(|e| Error::invalid("direction", e)))
            .transpose()?;
        Ok(DelegationsQuery {
            business_id,
            direction,
        })
    }
}

/// `PUT …/delegations/{delegation_id}/agents/{urn}` `{permissions?}`, and `DELETE` of the same
/// (no body): a mistyped URN is refused (422) before anything is read.
impl TryFrom<&Request> for AgentOrder {
    type Error = Error;

    fn try_from(request: &Request) -> Result<Self> {
        let at = DelegationAt::try_from(request)?;
        let raw = path_param(request, "urn").unwrap_or_default();
        let urn = Urn::parse(&raw).map_err(|e| Error::invalid("urn", e.to_string()))?;
        let permissions = match request.method().as_str() {
            // No body: the delegation's own permissions.
            "PUT" if !matches!(request.body(), lambda_http::Body::Empty) => {
                let mut f = Fields::from_body(request.body())?;
                let permissions = f.optional("permissions", DelegatedPermissions::parse);
                f.finish()?;
                permissions?
            }
            _ => None,
        };
        Ok(AgentOrder {
            at,
            urn,
            permissions,
        })
    }
}

/// `POST /delegation-proofs/check` `{proof}`: a compact JWS, at most 8 KiB.
impl TryFrom<&Request> for ProofCheck {
    type Error = Error;

    fn try_from(request: &Request) -> Result<Self> {
        let mut f = Fields::from_body(request.body())?;
        let proof = f.required("proof", |s| {
            let shaped = !s.is_empty()
                && s.len() <= 8 * 1024
                && s.split('.').count() == 3
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
            shaped
                .then(|| s.to_owned())
                .ok_or("must be a proof of delegation: three base64url parts joined by dots")
        });
        f.finish()?;
        Ok(ProofCheck { proof: proof? })
    }
}
