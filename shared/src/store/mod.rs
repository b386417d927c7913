//! DynamoDB: the key scheme, item mapping, and one read round plus one write per use case.

pub mod audit;
pub mod commit;
pub mod dynamo;
pub mod keys;
pub mod reads;
pub mod records;

#[cfg(test)]
mod adapter_tests;

pub use dynamo::DynamoStore;
