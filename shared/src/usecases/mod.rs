//! One module per capability; each use case loads, decides with the domain's rules, commits
//! in one write, then delivers the notices the commit queued.

pub mod business;
// The record-based helpers in `businesses` have no caller left once members are converted;
// they stay (unused) until users and secrets are converted too, then go.
#[allow(dead_code)]
pub mod businesses;
pub mod members;
pub mod secrets;
pub mod users;
