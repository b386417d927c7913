//! The DynamoDB adapter: reads by key or query (never a scan) and writes as one conditional
//! transaction per use case, so no update is lost and nothing is half-written.

use std::collections::HashMap;

use aws_sdk_dynamodb::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{
    AttributeValue, ConditionCheck, Delete, KeysAndAttributes, Put, TransactWriteItem, Update,
};
use aws_sdk_dynamodb::Client;
use serde::{de::DeserializeOwned, Serialize};

use super::keys;
use crate::error::{Error, Result};

pub type Item = HashMap<String, AttributeValue>;
pub use aws_sdk_dynamodb::types::AttributeValue as Value;

pub struct DynamoStore {
    pub(super) client: Client,
    pub(super) table: String,
}

/// The condition a transaction item must meet.
pub enum Cond {
    /// No condition.
    Always,
    /// The item must not exist (create, claim a unique key).
    Absent,
    /// The item must exist (kept in step, never created here).
    Exists,
    /// The item's `version` must still be this (optimistic lock).
    Version(u64),
    /// Any other condition, with its values. Attribute names are written `#name`.
    Expr(&'static str, Vec<(&'static str, Value)>),
}

/// A transaction being built: each item has a label, so a refusal says which failed.
pub struct Tx<'a> {
    table: &'a str,
    items: Vec<TransactWriteItem>,
    labels: Vec<&'static str>,
}

/// Why a transaction was refused: the labels of the items whose condition failed, or (empty)
/// another transaction touched the same items at the same moment.
#[derive(Debug)]
pub struct Refused {
    pub failed: Vec<&'static str>,
    /// The positions in the transaction of the items whose condition failed.
    pub items: Vec<usize>,
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

/// The outcome of a single-item conditional write, as `commit` gives a transaction's.
fn single<T, E, R>(
    op: &str,
    label: &'static str,
    result: std::result::Result<T, SdkError<E, R>>,
) -> Result<Result<(), Refused>>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    match result {
        Ok(_) => Ok(Ok(())),
        Err(e) => match e.code() {
            Some("ConditionalCheckFailedException") => Ok(Err(Refused {
                failed: vec![label],
                items: vec![0],
            })),
            // The item is in another transaction's way: refused like a conflicting one.
            Some("TransactionConflictException") => Ok(Err(Refused {
                failed: vec![],
                items: vec![],
            })),
            _ => Err(failure(op, e)),
        },
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

/// The `#name` placeholders an expression uses, declared as themselves, so reserved words
/// (`status`, `sub`, `version`, `ttl`) need no care anywhere.
fn names_in(expressions: &[&str]) -> Option<HashMap<String, String>> {
    let mut names = HashMap::new();
    for expression in expressions {
        for word in expression.split(|c: char| !(c.is_alphanumeric() || c == '#' || c == '_')) {
            if let Some(name) = word.strip_prefix('#') {
                names.insert(word.to_owned(), name.to_owned());
            }
        }
    }
    (!names.is_empty()).then_some(names)
}

impl Cond {
    fn parts(self) -> (Option<String>, Item) {
        match self {
            Cond::Always => (None, Item::new()),
            Cond::Absent => (Some("attribute_not_exists(pk)".into()), Item::new()),
            Cond::Exists => (Some("attribute_exists(pk)".into()), Item::new()),
            Cond::Version(v) => (
                Some("#version = :expected_version".into()),
                Item::from([(":expected_version".into(), n(v))]),
            ),
            Cond::Expr(expr, values) => (
                Some(expr.to_owned()),
                values.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
            ),
        }
    }
}

impl Tx<'_> {
    /// Puts a whole record.
    pub fn put<T: Serialize>(
        &mut self,
        label: &'static str,
        record: &T,
        cond: Cond,
    ) -> Result<&mut Self> {
        self.put_item(label, to_item(record)?, cond)
    }

    pub fn put_item(&mut self, label: &'static str, item: Item, cond: Cond) -> Result<&mut Self> {
        let (expr, values) = cond.parts();
        let put = built(
            Put::builder()
                .table_name(self.table)
                .set_item(Some(item))
                .set_expression_attribute_names(names_in(&[expr.as_deref().unwrap_or_default()]))
                .set_condition_expression(expr)
                .set_expression_attribute_values((!values.is_empty()).then_some(values))
                .build(),
        )?;
        self.push(label, TransactWriteItem::builder().put(put).build())
    }

    pub fn delete(
        &mut self,
        label: &'static str,
        pk: String,
        sk: &str,
        cond: Cond,
    ) -> Result<&mut Self> {
        let (expr, values) = cond.parts();
        let delete = built(
            Delete::builder()
                .table_name(self.table)
                .set_key(Some(key(pk, sk)))
                .set_expression_attribute_names(names_in(&[expr.as_deref().unwrap_or_default()]))
                .set_condition_expression(expr)
                .set_expression_attribute_values((!values.is_empty()).then_some(values))
                .build(),
        )?;
        self.push(label, TransactWriteItem::builder().delete(delete).build())
    }

    /// Sets `set` attributes and removes `remove` ones.
    pub fn update(
        &mut self,
        label: &'static str,
        pk: String,
        sk: &str,
        set: Vec<(&'static str, Value)>,
        remove: &[&'static str],
        cond: Cond,
    ) -> Result<&mut Self> {
        let (expr, mut values) = cond.parts();
        let mut clauses = Vec::new();
        for (name, value) in set {
            values.insert(format!(":set_{name}"), value);
            clauses.push(format!("#{name} = :set_{name}"));
        }
        let mut update_expression = String::new();
        if !clauses.is_empty() {
            update_expression = format!("SET {}", clauses.join(", "));
        }
        if !remove.is_empty() {
            let removed: Vec<String> = remove.iter().map(|name| format!("#{name}")).collect();
            update_expression = format!("{update_expression} REMOVE {}", removed.join(", "));
        }
        self.push_update(label, pk, sk, update_expression, expr, values)
    }

    /// Adds one to `counter` (from nothing if the item or the attribute is new), and sets the
    /// `set_if_absent` attributes where they are not set yet.
    pub fn count(
        &mut self,
        label: &'static str,
        pk: String,
        sk: &str,
        counter: &'static str,
        set_if_absent: Vec<(&'static str, Value)>,
        cond: Cond,
    ) -> Result<&mut Self> {
        self.count_and_set(label, pk, sk, counter, set_if_absent, vec![], cond)
    }

    /// `count`, and sets the `set` attributes whatever they were.
    #[allow(clippy::too_many_arguments)]
    pub fn count_and_set(
        &mut self,
        label: &'static str,
        pk: String,
        sk: &str,
        counter: &'static str,
        set_if_absent: Vec<(&'static str, Value)>,
        set: Vec<(&'static str, Value)>,
        cond: Cond,
    ) -> Result<&mut Self> {
        let (expr, mut values) = cond.parts();
        values.insert(":count_one".to_owned(), n(1));
        let mut update_expression = format!("ADD #{counter} :count_one");
        let mut sets = Vec::new();
        for (name, value) in set_if_absent {
            values.insert(format!(":set_{name}"), value);
            sets.push(format!("#{name} = if_not_exists(#{name}, :set_{name})"));
        }
        for (name, value) in set {
            values.insert(format!(":set_{name}"), value);
            sets.push(format!("#{name} = :set_{name}"));
        }
        if !sets.is_empty() {
            update_expression = format!("{update_expression} SET {}", sets.join(", "));
        }
        self.push_update(label, pk, sk, update_expression, expr, values)
    }

    /// The condition of each item so far, for tests of what a change asks of the table.
    #[cfg(test)]
    pub(crate) fn conditions(&self) -> Vec<Option<String>> {
        self.items
            .iter()
            .map(|item| {
                let put = item.put().and_then(|p| p.condition_expression());
                let update = item.update().and_then(|u| u.condition_expression());
                let delete = item.delete().and_then(|d| d.condition_expression());
                let check = item.condition_check().map(|c| c.condition_expression());
                put.or(update).or(delete).or(check).map(str::to_owned)
            })
            .collect()
    }

    /// How many items the transaction writes or checks so far.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    fn push(&mut self, label: &'static str, item: TransactWriteItem) -> Result<&mut Self> {
        self.items.push(item);
        self.labels.push(label);
        Ok(self)
    }

    fn push_update(
        &mut self,
        label: &'static str,
        pk: String,
        sk: &str,
        update_expression: String,
        expr: Option<String>,
        values: HashMap<String, Value>,
    ) -> Result<&mut Self> {
        let names = names_in(&[&update_expression, expr.as_deref().unwrap_or_default()]);
        let update = built(
            Update::builder()
                .table_name(self.table)
                .set_key(Some(key(pk, sk)))
                .update_expression(update_expression.trim())
                .set_condition_expression(expr)
                .set_expression_attribute_names(names)
                .set_expression_attribute_values((!values.is_empty()).then_some(values))
                .build(),
        )?;
        self.push(label, TransactWriteItem::builder().update(update).build())
    }

    /// Only a condition on an item the transaction does not change (e.g. the business's status).
    pub fn check(
        &mut self,
        label: &'static str,
        pk: String,
        sk: &str,
        cond: Cond,
    ) -> Result<&mut Self> {
        let (expr, values) = cond.parts();
        let expr = expr.unwrap_or_else(|| "attribute_exists(pk)".into());
        let check = built(
            ConditionCheck::builder()
                .table_name(self.table)
                .set_key(Some(key(pk, sk)))
                .set_expression_attribute_names(names_in(&[&expr]))
                .condition_expression(expr)
                .set_expression_attribute_values((!values.is_empty()).then_some(values))
                .build(),
        )?;
        self.push(
            label,
            TransactWriteItem::builder().condition_check(check).build(),
        )
    }
}

impl DynamoStore {
    pub fn new(client: Client, table: String) -> Self {
        Self { client, table }
    }

    pub fn tx(&self) -> Tx<'_> {
        Tx {
            table: &self.table,
            items: Vec::new(),
            labels: Vec::new(),
        }
    }

    /// Runs one transaction. A refused condition or a concurrent transaction comes back as
    /// `Ok(Err(Refused))` for the use case to say what it means; anything else is an `Error`.
    pub async fn commit(&self, tx: Tx<'_>) -> Result<Result<(), Refused>> {
        let Tx {
            mut items, labels, ..
        } = tx;
        if let ([label], [_]) = (labels.as_slice(), items.as_slice()) {
            if let Some(item) = items.pop() {
                return self.write_one(item, label).await;
            }
        }
        let result = self
            .client
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await;
        match result {
            Ok(_) => Ok(Ok(())),
            Err(e) => match e.as_service_error() {
                Some(TransactWriteItemsError::TransactionCanceledException(ex)) => {
                    let reasons = ex.cancellation_reasons();
                    let items: Vec<usize> = reasons
                        .iter()
                        .enumerate()
                        .filter(|(_, r)| r.code() == Some("ConditionalCheckFailed"))
                        .map(|(i, _)| i)
                        .collect();
                    let failed: Vec<&'static str> = items
                        .iter()
                        .filter_map(|&i| labels.get(i).copied())
                        .collect();
                    let conflict = reasons
                        .iter()
                        .any(|r| r.code() == Some("TransactionConflict"));
                    if failed.is_empty() && !conflict {
                        return Err(failure("TransactWriteItems", e));
                    }
                    Ok(Err(Refused { failed, items }))
                }
                _ => Err(failure("TransactWriteItems", e)),
            },
        }
    }

    /// A transaction of one item, written as that item's own conditional Put/Update/Delete:
    /// the same all-or-nothing, half the write capacity of a transaction.
    async fn write_one(
        &self,
        item: TransactWriteItem,
        label: &'static str,
    ) -> Result<Result<(), Refused>> {
        let TransactWriteItem {
            put,
            update,
            delete,
            condition_check,
            ..
        } = item;
        match (put, update, delete, condition_check) {
            (Some(p), None, None, None) => single(
                "PutItem",
                label,
                self.client
                    .put_item()
                    .table_name(p.table_name)
                    .set_item(Some(p.item))
                    .set_condition_expression(p.condition_expression)
                    .set_expression_attribute_names(p.expression_attribute_names)
                    .set_expression_attribute_values(p.expression_attribute_values)
                    .send()
                    .await,
            ),
            (None, Some(u), None, None) => single(
                "UpdateItem",
                label,
                self.client
                    .update_item()
                    .table_name(u.table_name)
                    .set_key(Some(u.key))
                    .update_expression(u.update_expression)
                    .set_condition_expression(u.condition_expression)
                    .set_expression_attribute_names(u.expression_attribute_names)
                    .set_expression_attribute_values(u.expression_attribute_values)
                    .send()
                    .await,
            ),
            (None, None, Some(d), None) => single(
                "DeleteItem",
                label,
                self.client
                    .delete_item()
                    .table_name(d.table_name)
                    .set_key(Some(d.key))
                    .set_condition_expression(d.condition_expression)
                    .set_expression_attribute_names(d.expression_attribute_names)
                    .set_expression_attribute_values(d.expression_attribute_values)
                    .send()
                    .await,
            ),
            _ => Err(Error::Internal(format!(
                "a one-item write ({label}) that is not a put, an update or a delete"
            ))),
        }
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

    /// Several items by key in one BatchGetItem (strongly consistent), in the order asked, so a
    /// use case reads everything it decides on in one call. DynamoDB may leave keys
    /// unprocessed under throttling: those are asked again, a bounded number of times.
    pub async fn get_many(&self, wanted: &[(String, &str)]) -> Result<Vec<Option<Item>>> {
        const ATTEMPTS: u32 = 4;
        let mut found: Vec<Item> = Vec::with_capacity(wanted.len());
        // BatchGetItem refuses a repeated key; each is asked once and answered to every asker.
        let mut unique: Vec<&(String, &str)> = Vec::with_capacity(wanted.len());
        for k in wanted {
            if !unique.contains(&k) {
                unique.push(k);
            }
        }
        let mut keys_left: Vec<Item> = unique.iter().map(|(pk, sk)| key(pk.clone(), sk)).collect();
        for attempt in 0..ATTEMPTS {
            if keys_left.is_empty() {
                break;
            }
            if attempt > 0 {
                tokio::time::sleep(std::time::Duration::from_millis(25 << attempt)).await;
            }
            let request = built(
                KeysAndAttributes::builder()
                    .set_keys(Some(std::mem::take(&mut keys_left)))
                    .consistent_read(true)
                    .build(),
            )?;
            let out = self
                .client
                .batch_get_item()
                .request_items(&self.table, request)
                .send()
                .await
                .map_err(|e| failure("BatchGetItem", e))?;
            found.extend(
                out.responses
                    .and_then(|mut r| r.remove(&self.table))
                    .unwrap_or_default(),
            );
            keys_left = out
                .unprocessed_keys
                .and_then(|mut u| u.remove(&self.table))
                .map(|k| k.keys)
                .unwrap_or_default();
        }
        if !keys_left.is_empty() {
            return Err(Error::Unavailable(
                "DynamoDB left keys unprocessed (throttled)".into(),
            ));
        }
        let same = |item: &Item, (pk, sk): &(String, &str)| {
            item.get(keys::PK).and_then(|v| v.as_s().ok()) == Some(pk)
                && item
                    .get(keys::SK)
                    .and_then(|v| v.as_s().ok())
                    .map(String::as_str)
                    == Some(*sk)
        };
        Ok(wanted
            .iter()
            .map(|k| found.iter().find(|item| same(item, k)).cloned())
            .collect())
    }

    /// Every item of a partition whose sort key starts with `prefix` (all of it for "").
    pub async fn query_prefix(&self, pk: String, prefix: &str) -> Result<Vec<Item>> {
        match prefix {
            "" => self.query_all(pk, "pk = :pk", &[]).await,
            _ => {
                self.query_all(
                    pk,
                    "pk = :pk AND begins_with(sk, :from)",
                    &[(":from", prefix)],
                )
                .await
            }
        }
    }

    /// Every item of a partition with `from <= sk <= to` (see `keys::BUSINESS_AND_MEMBERS`).
    pub async fn query_between(&self, pk: String, (from, to): (&str, &str)) -> Result<Vec<Item>> {
        let range = [(":from", from), (":to", to)];
        self.query_all(pk, "pk = :pk AND sk BETWEEN :from AND :to", &range)
            .await
    }

    /// A strongly consistent Query to its last page.
    async fn query_all(
        &self,
        pk: String,
        condition: &'static str,
        values: &[(&str, &str)],
    ) -> Result<Vec<Item>> {
        let mut items = Vec::new();
        let mut start = None;
        loop {
            let mut query = self
                .client
                .query()
                .table_name(&self.table)
                .consistent_read(true)
                .key_condition_expression(condition)
                .expression_attribute_values(":pk", s(pk.clone()))
                .set_exclusive_start_key(start);
            for (name, value) in values {
                query = query.expression_attribute_values(*name, s(*value));
            }
            let out = query.send().await.map_err(|e| failure("Query", e))?;
            items.extend(out.items.unwrap_or_default());
            match out.last_evaluated_key {
                Some(next) => start = Some(next),
                None => return Ok(items),
            }
        }
    }

    /// One page of a partition, newest (highest sort key) first, from after `cursor`.
    pub async fn query_page(
        &self,
        pk: String,
        index: Option<&str>,
        limit: i32,
        newest_first: bool,
        cursor: Option<Item>,
    ) -> Result<(Vec<Item>, Option<Item>)> {
        let partition = if index.is_some() { "gsi1pk" } else { keys::PK };
        let out = self
            .client
            .query()
            .table_name(&self.table)
            .set_index_name(index.map(str::to_owned))
            .key_condition_expression(format!("{partition} = :pk"))
            .expression_attribute_values(":pk", s(pk))
            .scan_index_forward(!newest_first)
            .limit(limit)
            .set_exclusive_start_key(cursor)
            .send()
            .await
            .map_err(|e| failure("Query", e))?;
        Ok((out.items.unwrap_or_default(), out.last_evaluated_key))
    }

    /// Items of a GSI1 partition whose `gsi1sk` is at most `upto`, oldest first.
    pub async fn due(&self, gsi1pk: &str, upto: &str, limit: i32) -> Result<Vec<Item>> {
        let out = self
            .client
            .query()
            .table_name(&self.table)
            .index_name(keys::GSI1)
            .key_condition_expression("gsi1pk = :pk AND gsi1sk <= :upto")
            .expression_attribute_values(":pk", s(gsi1pk))
            .expression_attribute_values(":upto", s(upto))
            .limit(limit)
            .send()
            .await
            .map_err(|e| failure("Query", e))?;
        Ok(out.items.unwrap_or_default())
    }

    /// Applies one single-item update outside a transaction (outbox and letter bookkeeping).
    pub async fn update_one(
        &self,
        pk: String,
        sk: &str,
        set: Vec<(&'static str, Value)>,
        remove: &[&'static str],
        cond: Cond,
    ) -> Result<Result<(), Refused>> {
        let mut tx = self.tx();
        tx.update("item", pk, sk, set, remove, cond)?;
        self.commit(tx).await
    }
}
