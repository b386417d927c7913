//! trade-portal-accounts: the shared library behind every function.
//!
//! Data flows one way: `functions/*` → `usecases` → (`domain`, `store`, `notify`). The domain
//! has no AWS in it; functions hold no business rule and make no SDK call.

pub mod app;
pub mod clock;
pub mod config;
pub mod domain;
pub mod error;
pub mod http;
pub mod idempotency;
pub mod metrics;
pub mod notify;
pub mod secrets;
pub mod signing;
pub mod store;
pub mod usecases;

pub use app::{serve, serve_static, App, Needs};
pub use error::{Error, Result};
