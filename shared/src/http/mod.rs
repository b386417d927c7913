//! The HTTP edge: authentication, request bodies, replies and problem responses.

pub mod auth;
pub mod body;
pub mod problem;
pub mod reply;

pub use auth::{Caller, TokenVerifier};
pub use body::Fields;
pub use reply::Reply;

use lambda_http::{Request, RequestExt};

/// A path parameter of the route (`{id}`), as API Gateway passed it.
pub fn path_param(request: &Request, name: &str) -> Option<String> {
    request.path_parameters_ref().and_then(|p| p.first(name)).map(str::to_owned)
}

/// A query-string parameter.
pub fn query_param(request: &Request, name: &str) -> Option<String> {
    request.query_string_parameters_ref().and_then(|p| p.first(name)).map(str::to_owned)
}
