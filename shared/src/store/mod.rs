//! DynamoDB: the key scheme, item mapping, and one read round plus one write per use case.

pub mod commit;
pub mod dynamo;
pub mod idempotency;
pub mod keys;
pub mod letters;
pub mod outbox;
pub mod reads;
pub mod records;

pub use dynamo::DynamoStore;
