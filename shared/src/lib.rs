//! trade-portal-accounts: the shared library behind every function.
//!
//! Data flows one way: `functions/*` → `lambda` (the edge, with `http`) → `usecases` →
//! (`domain`, `store`, `notify`). The domain has no AWS in it; the use cases never see a request
//! (`http` parses it into a command); functions hold no business rule and make no SDK call.

pub mod app;
pub mod clock;
pub mod config;
pub mod domain;
pub mod error;
pub mod http;
pub mod idempotency;
pub mod lambda;
pub mod metrics;
pub mod notify;
pub mod secrets;
pub mod signing;
pub mod store;
pub mod usecases;

pub use app::{App, Needs};
pub use error::{Error, Result};
pub use lambda::{serve, serve_static};
