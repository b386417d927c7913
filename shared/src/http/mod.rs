//! The HTTP edge: authentication, requests into the domain's commands, replies and problem
//! responses.

pub mod auth;
pub mod body;
mod commands;
pub mod problem;
pub mod reply;

pub use crate::domain::Caller;
pub use auth::TokenVerifier;
pub use body::Fields;
pub use reply::Reply;

use lambda_http::{Request, RequestExt};

/// A path parameter of the route (`{id}`), as API Gateway passed it.
pub fn path_param(request: &Request, name: &str) -> Option<String> {
    request
        .path_parameters_ref()
        .and_then(|p| p.first(name))
        .map(str::to_owned)
}

/// A query-string parameter.
pub fn query_param(request: &Request, name: &str) -> Option<String> {
    request
        .query_string_parameters_ref()
        .and_then(|p| p.first(name))
        .map(str::to_owned)
}

/// The version a client last read, from `If-Match: "3"` (or `W/"3"`): a change made on a
/// stale read is refused with 409 instead of silently replacing what another person did.
pub fn if_match(request: &Request) -> crate::Result<Option<u64>> {
    let Some(value) = request.headers().get("if-match") else {
        return Ok(None);
    };
    value
        .to_str()
        .ok()
        .map(|v| v.trim().trim_start_matches("W/").trim_matches('"'))
        .and_then(|v| v.parse().ok())
        .map(Some)
        .ok_or_else(|| {
            crate::Error::invalid("If-Match", "must be the version last read, e.g. \"3\"")
        })
}
