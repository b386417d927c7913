//! One module per capability; each use case loads, decides with the domain's rules, commits
//! in one write, then delivers the notices the commit queued.

pub mod business;
pub mod businesses;
pub mod members;
pub mod secrets;
pub mod users;
