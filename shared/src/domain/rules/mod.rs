//! Every rule of the portal, as a pure decision: given what a use case read (and the moment,
//! and fresh ids), a `Plan` to write or a `Refusal`. Each module has its table test beside it.

pub mod access;
pub mod accounts;
pub mod activation;
pub mod business;
pub mod business_register;
pub mod consent;
pub mod credential_transfer;
pub mod delegation;
pub mod dormancy;
pub mod email_change;
pub mod email_feedback;
pub mod imports;
pub mod letters;
pub mod ownership;
pub mod recovery;
pub mod replay;
pub mod roles;
pub mod secrets;
pub mod step_up;
pub mod support;
pub mod to_do;
