//! The DynamoDB adapter: reads by key or query (never a scan) and writes as one conditional
//! transaction per use case, so no update is lost and nothing is half-written. Here: the
//! client, item mapping, reads by key, and which failures are 503 (retry) or 500 (a bug).

mod batch;
mod query;
#[cfg(test)]
mod tests;
mod tx;
mod write;

use std::collections::HashMap;

use aws_sdk_dynamodb::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::types::AttributeValue;
use aws_sdk_dynamodb::Client;
use serde::{de::DeserializeOwned, Serialize};

use super::keys;
use crate::error::{Error, Result};

pub use tx::{Cond, Tx};
pub use write::Refused;

pub type Item = HashMap<String, AttributeValue>;
pub use aws_sdk_dynamodb::types::AttributeValue as Value;

pub struct DynamoStore {
    pub(super) client: Client,
    pub(super) table: String,
}

pub fn s(v: impl Into<String>) -> Value {
    Value::S(v.into())
}

pub fn n(v: impl ToString) -> Value {
    Value::N(v.to_string())
}

/// Any serializable value as an attribute value.
pub fn av<T: Serialize>(v: &T) -> Result<Value> {
    serde_dynamo::to_attribute_value(v)
        .map_err(|e| Error::Internal(format!("mapping a value: {e}")))
}

/// A DynamoDB failure that is not a refused condition: the service is unreachable, throttled
/// or failing (503, retry), or the request was malformed (a bug: 500).
pub(super) fn failure<E: ProvideErrorMetadata + std::error::Error + 'static, R: std::fmt::Debug>(
    op: &str,
    e: SdkError<E, R>,
) -> Error {
    let message = format!("DynamoDB {op}: {}", DisplayErrorContext(&e));
    match e.code() {
        Some("ValidationException" | "SerializationException") => Error::Internal(message),
        _ => Error::Unavailable(message),
    }
}

/// An entity as an item: its fields and its key.
pub(crate) fn item_of<T: Serialize + keys::Keyed>(entity: &T) -> Result<Item> {
    let keys::Key { pk, sk } = entity.key();
    let mut item = to_item(entity)?;
    item.insert(keys::PK.to_owned(), s(pk));
    item.insert(keys::SK.to_owned(), s(sk));
    Ok(item)
}

pub fn to_item<T: Serialize>(record: &T) -> Result<Item> {
    serde_dynamo::to_item(record).map_err(|e| Error::Internal(format!("mapping an item: {e}")))
}

pub fn from_item<T: DeserializeOwned>(item: Item) -> Result<T> {
    serde_dynamo::from_item(item).map_err(|e| Error::Internal(format!("reading an item: {e}")))
}

/// An item a batch read may or may not have found, as a record.
pub fn decode<T: DeserializeOwned>(item: Option<Item>) -> Result<Option<T>> {
    item.map(from_item).transpose()
}

pub fn key(pk: String, sk: &str) -> Item {
    HashMap::from([(keys::PK.to_owned(), s(pk)), (keys::SK.to_owned(), s(sk))])
}

fn built<T, E: std::fmt::Display>(r: std::result::Result<T, E>) -> Result<T> {
    r.map_err(|e| Error::Internal(format!("building a transaction item: {e}")))
}

impl DynamoStore {
    pub fn new(client: Client, table: String) -> Self {
        Self { client, table }
    }

    /// One item by key, strongly consistent (the write that follows conditions on it).
    pub async fn get<T: DeserializeOwned>(&self, pk: String, sk: &str) -> Result<Option<T>> {
        self.get_item(pk, sk).await?.map(from_item).transpose()
    }

    /// One item by key, as stored, strongly consistent.
    pub async fn get_item(&self, pk: String, sk: &str) -> Result<Option<Item>> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(pk, sk)))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| failure("GetItem", e))?;
        Ok(out.item)
    }
}
