//! Members' requests: roles, ownership transfer, information-sharing consent, the audit trail.

use lambda_http::Request;

use crate::domain::audit::{PAGE_DEFAULT, PAGE_MAX};
use crate::domain::business::{PositionTitle, Role};
use crate::domain::commands::{
    AuditQuery, ConsentOrder, MembersQuery, OwnershipTransferRequest, PutMember, RemoveMember,
};
use crate::domain::{BusinessId, Email, PersonName, Urn};
use crate::error::{Error, Result};
use crate::http::{if_match, path_param, query_param, Fields};

/// The route's `{urn}`: a mistyped one is refused (422) before anything is read.
fn path_urn(request: &Request) -> Result<Urn> {
    let raw = path_param(request, "urn").unwrap_or_default();
    Urn::parse(&raw).map_err(|e| Error::invalid("urn", e.to_string()))
}

/// `PUT /businesses/{id}/members/{urn}` `{role, email?}`, with `If-Match`.
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
        let email = f.optional("email", Email::parse);
        f.finish()?;
        Ok(PutMember {
            business_id,
            urn,
            role: role?,
            if_match: if_match(request)?,
            email: email?,
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

/// A page size from `?limit=`: `default` when absent, refused (422) outside 1 to `max`.
fn page_limit(request: &Request, default: u32, max: u32) -> Result<u32> {
    match query_param(request, "limit") {
        None => Ok(default),
        Some(raw) => raw
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| {
                Error::invalid("limit", format!("must be a whole number from 1 to {max}"))
            }),
    }
}

/// `GET /businesses/{id}/members?limit=&cursor=`: a page size out of range is refused (422)
/// before anything is read.
impl TryFrom<&Request> for MembersQuery {
    type Error = Error;

    fn try_from(request: &Request) -> Result<Self> {
        use crate::domain::member::PAGE_MAX as MEMBERS_MAX;
        Ok(MembersQuery {
            business_id: BusinessId::try_from(request)?,
            limit: page_limit(request, MEMBERS_MAX, MEMBERS_MAX)?,
            cursor: query_param(request, "cursor"),
        })
    }
}

/// `GET /businesses/{id}/audit?limit=&cursor=`: a page size out of range is refused (422)
/// before anything is read.
impl TryFrom<&Request> for AuditQuery {
    type Error = Error;

    fn try_from(request: &Request) -> Result<Self> {
        let business_id = BusinessId::try_from(request)?;
        let limit = page_limit(request, PAGE_DEFAULT, PAGE_MAX)?;
        Ok(AuditQuery {
            business_id,
            limit,
            cursor: query_param(request, "cursor"),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use lambda_http::RequestExt;

    use super::*;

    fn audit_request(query: &[(&str, &str)]) -> Request {
        let pairs = |kv: &[(&str, &str)]| -> HashMap<String, String> {
            kv.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        Request::default()
            .with_path_parameters(pairs(&[("id", "01jd0x6m3k2v7q8r9s0t1u2v3w")]))
            .with_query_string_parameters(pairs(query))
    }

    #[test]
    fn an_audit_page_holds_1_to_100_events() {
        // (the query, the limit it gives: None for 422 on `limit`)
        let cases = [
            (&[][..], Some(PAGE_DEFAULT)),
            (&[("limit", "1")], Some(1)),
            (&[("limit", "100")], Some(100)),
            (&[("limit", "0")], None),
            (&[("limit", "101")], None),
            (&[("limit", "-1")], None),
            (&[("limit", "ten")], None),
        ];
        for (query, expected) in cases {
            match (AuditQuery::try_from(&audit_request(query)), expected) {
                (Ok(q), Some(limit)) => assert_eq!(q.limit, limit, "{query:?}"),
                (Err(Error::Invalid(fields)), None) => {
                    assert_eq!(fields[0].field, "limit", "{query:?}")
                }
                (got, _) => panic!("{query:?}: {:?}", got.map(|q| q.limit)),
            }
        }
    }

    #[test]
    fn the_cursor_is_passed_on_as_sent() {
        let query = AuditQuery::try_from(&audit_request(&[("cursor", "zz")])).unwrap();
        assert_eq!(query.cursor.as_deref(), Some("zz"));
        assert_eq!(query.business_id.as_str(), "01jd0x6m3k2v7q8r9s0t1u2v3w");
    }

    #[test]
    fn a_members_page_holds_1_to_1000_members_and_all_of_them_by_default() {
        // (the query, the limit it gives: None for 422 on `limit`)
        let cases = [
            (&[][..], Some(1000)),
            (&[("limit", "1")], Some(1)),
            (&[("limit", "1000")], Some(1000)),
            (&[("limit", "0")], None),
            (&[("limit", "1001")], None),
            (&[("limit", "lots")], None),
        ];
        for (query, expected) in cases {
            match (MembersQuery::try_from(&audit_request(query)), expected) {
                (Ok(q), Some(limit)) => assert_eq!(q.limit, limit, "{query:?}"),
                (Err(Error::Invalid(fields)), None) => {
                    assert_eq!(fields[0].field, "limit", "{query:?}")
                }
                (got, _) => panic!("{query:?}: {:?}", got.map(|q| q.limit)),
            }
        }
    }
}
