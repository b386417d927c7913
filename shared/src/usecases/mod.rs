//! One module per capability. Each use case reads once (`store::reads`), asks a rule in
//! `domain::rules` for a plan or a refusal, and hands the plan to the store (`store::commit`),
//! which writes it, with its audit event and notices, as one conditional write.

pub mod agency;
pub mod business;
pub mod delegations;
pub mod dormancy;
pub mod email_feedback;
pub mod followups;
pub mod imports;
pub mod key_rotation;
pub mod members;
pub mod secrets;
pub mod support;
pub mod users;
