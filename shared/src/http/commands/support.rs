//! The support desk's look-ups: a URN from the path, a business by program and identifier or
//! by Business Number from the query.

use lambda_http::Request;

use crate::domain::commands::{BusinessLookup, UserLookup};
use crate::domain::identifier::{Bn9, BusinessIdentifier};
use crate::domain::{Program, Urn};
use crate::error::{Error, Result};
use crate::http::{path_param, query_param};

/// `GET /agency/users/{urn}`: a mistyped URN (check digit) is refused (422) before anything
/// is read or audited.
impl TryFrom<&Request> for UserLookup {
    type Error = Error;

    fn try_from(request: &Request) -> Result<Self> {
        let raw = path_param(request, "urn").unwrap_or_default();
        let urn = Urn::parse(&raw).map_err(|e| Error::invalid("urn", e.to_string()))?;
        Ok(UserLookup { urn })
    }
}

/// `GET /agency/businesses?program=&identifier=` or `?business_number=`.
impl TryFrom<&Request> for BusinessLookup {
    type Error = Error;

    fn try_from(request: &Request) -> Result<Self> {
        business_asked(request)?.ok_or_else(|| {
            Error::invalid(
                "identifier",
                "give program and identifier, or business_number",
            )
        })
    }
}

/// The business a query names (`business_number`, or `program` and `identifier`), if it names
/// one (the business search and the letters of one business share it).
pub(super) fn business_asked(request: &Request) -> Result<Option<BusinessLookup>> {
    let business_number = query_param(request, "business_number");
    let program = query_param(request, "program");
    let identifier = query_param(request, "identifier");
    match (business_number, program, identifier) {
        (None, None, None) => Ok(None),
        (Some(bn), None, None) => Bn9::parse(&bn)
            .map(|bn| Some(BusinessLookup::BusinessNumber(bn)))
            .map_err(|e| Error::invalid("business_number", e.to_string())),
        (None, Some(program), Some(identifier)) => {
            let program = Program::parse(&program)
                .ok_or_else(|| Error::invalid("program", "must be ttp, emanifest or cers"))?;
            BusinessIdentifier::parse(program, &identifier)
                .map(|identifier| Some(BusinessLookup::Identifier(program, identifier)))
                .map_err(|e| Error::invalid("identifier", e.to_string()))
        }
        _ => Err(Error::invalid(
            "identifier",
            "give program and identifier, or business_number",
        )),
    }
}
