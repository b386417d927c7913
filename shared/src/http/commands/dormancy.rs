//! Dormant accounts: an officer reinstates a retired one.

use lambda_http::Request;

use crate::domain::commands::UserReinstatement;
use crate::domain::Urn;
use crate::error::{Error, Result};
use crate::http::path_param;

/// `POST /agency/users/{urn}/reinstate`: a mistyped URN is refused (422) before anything is
/// read; the body, if any, is not read.
impl TryFrom<&Request> for UserReinstatement {
    type Error = Error;

    fn try_from(request: &Request) -> Result<Self> {
        let raw = path_param(request, "urn").unwrap_or_default();
        let urn = Urn::parse(&raw).map_err(|e| Error::invalid("urn", e.to_string()))?;
        Ok(Self { urn })
    }
}
