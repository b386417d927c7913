//! Members' requests: roles, ownership transfer, information-sharing consent.

use lambda_http::Request;

use crate::domain::business::{PositionTitle, Role};
use crate::domain::commands::{ConsentOrder, OwnershipTransferRequest, PutMember, RemoveMember};
use crate::domain::{BusinessId, PersonName, Urn};
use crate::error::{Error, Result};
use crate::http::{if_match, path_param, Fields};

/// The route's `{urn}`: a mistyped one is refused (422) before anything is read.
fn path_urn(request: &Request) -> Result<Urn> {
    let raw = path_param(request, "urn").unwrap_or_default();
    Urn::parse(&raw).map_err(|e| Error::invalid("urn", e.to_string()))
}

/// `PUT /businesses/{id}/members/{urn}` `{role}`, with `If-Match`.
impl TryFrom<&Request> for PutMember {
    type Error = Error;

    fn try_from(request: &Request) -> Result<Self> {
        let business_id = BusinessId::try_from(request)?;
        let urn = path_urn(request)?;
        let mut f = Fields::from_body(request.body())?;
        let role = f.required("role", |s| match Role::parse(s) {
            Ok(Role::Owner) | Err(_) => {
                Err("must be proxy, user or browser (ownership moves only by transfer)")
            }
            Ok(role) => Ok(role),
        });
        f.finish()?;
        Ok(PutMember {
            business_id,
            urn,
            role: role?,
            if_match: if_match(request)?,
        })
    }
}

/// `DELETE /businesses/{id}/members/{urn}`, with `If-Match`.
impl TryFrom<&Request> for RemoveMember {
    type Error = Error;

    fn try_from(request: &Request) -> Result<Self> {
        let business_id = BusinessId::try_from(request)?;
        let urn = path_urn(request)?;
        Ok(RemoveMember {
            business_id,
            urn,
            if_match: if_match(request)?,
        })
    }
}

/// `POST /businesses/{id}/ownership-transfer` `{to_urn}`.
impl TryFrom<&Request> for OwnershipTransferRequest {
    type Error = Error;

    fn try_from(request: &Request) -> Result<Self> {
        let business_id = BusinessId::try_from(request)?;
        let mut f = Fields::from_body(request.body())?;
        let to_urn = f.required("to_urn", Urn::parse);
        f.finish()?;
        Ok(OwnershipTransferRequest {
            business_id,
            to_urn: to_urn?,
        })
    }
}

/// `PUT /businesses/{id}/information-sharing`.
impl TryFrom<&Request> for ConsentOrder {
    type Error = Error;

    fn try_from(request: &Request) -> Result<Self> {
        let business_id = BusinessId::try_from(request)?;
        let mut f = Fields::from_body(request.body())?;
        let consent = f.required_bool("consent");
        let signatory_name = f.required("signatory_name", PersonName::parse);
        let signatory_title = f.required("signatory_title", PositionTitle::parse);
        f.finish()?;
        Ok(ConsentOrder {
            business_id,
            consent: consent?,
            signatory_name: signatory_name?,
            signatory_title: signatory_title?,
        })
    }
}
