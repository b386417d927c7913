//! The HTTP edge: authentication, request bodies, replies and problem responses.

pub mod auth;
pub mod body;
pub mod problem;
pub mod reply;

pub use auth::{Caller, TokenVerifier};
pub use body::Fields;
pub use reply::Reply;
