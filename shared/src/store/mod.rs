//! DynamoDB: the key scheme, item mapping, and one read round plus one write per use case.

pub mod agency_audit;
pub mod audit;
pub mod commit;
pub mod delegations;
pub mod dormancy;
pub mod dynamo;
pub mod followups;
pub mod idempotency;
pub mod imports;
pub mod keys;
pub mod letters;
pub mod members;
pub mod outbox;
pub mod reads;
pub mod telling;

pub use dynamo::DynamoStore;
