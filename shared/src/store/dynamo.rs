//! The DynamoDB adapter: one read round and at most one write per use case; every write is
//! conditional or a transaction, so no update is lost and nothing is half-written.

use std::collections::HashMap;

use aws_sdk_dynamodb::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{AttributeValue, Delete, Put, TransactWriteItem, Update};
use aws_sdk_dynamodb::Client;
use serde::{de::DeserializeOwned, Serialize};

use super::keys;
use super::records::{CredentialTransferRecord, NoticeRecord, UrnRecord, UserRecord};
use crate::domain::{CredentialId, UserAccount};
use crate::error::{Error, Result};
use crate::notify::Notice;

pub type Item = HashMap<String, AttributeValue>;

pub struct DynamoStore {
    client: Client,
    table: String,
}

/// Why a transaction was refused: which of its items failed its condition (by position), or
/// that another transaction touched the same items at the same moment.
#[derive(Debug)]
pub enum TxRefused {
    Condition(Vec<usize>),
    Conflict,
}

fn s(v: impl Into<String>) -> AttributeValue {
    AttributeValue::S(v.into())
}

fn n(v: impl ToString) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

/// A DynamoDB failure that is not a refused condition: the service is unreachable, throttled
/// or failing (503, retry), or the request was malformed (a bug: 500).
fn failure<E: ProvideErrorMetadata + std::error::Error + 'static, R: std::fmt::Debug>(op: &str, e: SdkError<E, R>) -> Error {
    let message = format!("DynamoDB {op}: {}", DisplayErrorContext(&e));
    match e.code() {
        Some("ValidationException" | "SerializationException") => Error::Internal(message),
        _ => Error::Unavailable(message),
    }
}

pub fn to_item<T: Serialize>(record: &T) -> Result<Item> {
    serde_dynamo::to_item(record).map_err(|e| Error::Internal(format!("mapping an item: {e}")))
}

pub fn from_item<T: DeserializeOwned>(item: Item) -> Result<T> {
    serde_dynamo::from_item(item).map_err(|e| Error::Internal(format!("reading an item: {e}")))
}

impl DynamoStore {
    pub fn new(client: Client, table: String) -> Self {
        Self { client, table }
    }

    fn key(pk: String, sk: &str) -> Item {
        HashMap::from([(keys::PK.to_owned(), s(pk)), (keys::SK.to_owned(), s(sk))])
    }

    // ------------------------------------------------------------ building blocks

    async fn get(&self, pk: String, sk: &str) -> Result<Option<Item>> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(pk, sk)))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| failure("GetItem", e))?;
        Ok(out.item)
    }

    /// A Put that must not overwrite anything.
    pub fn put_new(&self, item: Item) -> Result<TransactWriteItem> {
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(pk)")
            .build()
            .map_err(|e| Error::Internal(e.to_string()))?;
        Ok(TransactWriteItem::builder().put(put).build())
    }

    /// A Put that replaces an item only if its `version` is still `expected`.
    pub fn put_versioned(&self, item: Item, expected: u64) -> Result<TransactWriteItem> {
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression("version = :expected")
            .expression_attribute_values(":expected", n(expected))
            .build()
            .map_err(|e| Error::Internal(e.to_string()))?;
        Ok(TransactWriteItem::builder().put(put).build())
    }

    fn delete_if(&self, pk: String, sk: &str, condition: &str, values: Item) -> Result<TransactWriteItem> {
        let delete = Delete::builder()
            .table_name(&self.table)
            .set_key(Some(Self::key(pk, sk)))
            .condition_expression(condition)
            .set_expression_attribute_values((!values.is_empty()).then_some(values))
            .build()
            .map_err(|e| Error::Internal(e.to_string()))?;
        Ok(TransactWriteItem::builder().delete(delete).build())
    }

    fn notice_puts(&self, notices: &[Notice]) -> Result<Vec<TransactWriteItem>> {
        notices.iter().map(|n| self.put_new(to_item(&NoticeRecord::pending(n))?)).collect()
    }

    /// Runs one transaction. A refused condition or a concurrent transaction comes back as
    /// `Ok(Err(..))` for the use case to decide what it means; anything else is an `Error`.
    pub async fn transact(&self, items: Vec<TransactWriteItem>) -> Result<Result<(), TxRefused>> {
        let result = self.client.transact_write_items().set_transact_items(Some(items)).send().await;
        match result {
            Ok(_) => Ok(Ok(())),
            Err(e) => match e.as_service_error() {
                Some(TransactWriteItemsError::TransactionCanceledException(ex)) => {
                    let reasons = ex.cancellation_reasons();
                    let failed: Vec<usize> = reasons
                        .iter()
                        .enumerate()
                        .filter(|(_, r)| r.code() == Some("ConditionalCheckFailed"))
                        .map(|(i, _)| i)
                        .collect();
                    if !failed.is_empty() {
                        Ok(Err(TxRefused::Condition(failed)))
                    } else if reasons.iter().any(|r| r.code() == Some("TransactionConflict")) {
                        Ok(Err(TxRefused::Conflict))
                    } else {
                        Err(failure("TransactWriteItems", e))
                    }
                }
                _ => Err(failure("TransactWriteItems", e)),
            },
        }
    }

    // ------------------------------------------------------------ user accounts

    pub async fn user(&self, credential: &CredentialId) -> Result<Option<UserRecord>> {
        self.get(keys::credential(credential), keys::USER_SK).await?.map(from_item).transpose()
    }

    /// Creates the user item and claims its URN, with the confirmation notice, in one
    /// transaction. Refused item 0: this credential has an account; item 1: the URN is taken.
    pub async fn create_user(
        &self,
        credential: &CredentialId,
        user: &UserAccount,
        notices: &[Notice],
    ) -> Result<Result<(), TxRefused>> {
        let record = UserRecord::new(credential, user);
        let mut items = vec![self.put_new(to_item(&record)?)?, self.put_new(to_item(&UrnRecord::of(&record))?)?];
        items.extend(self.notice_puts(notices)?);
        self.transact(items).await
    }

    /// Writes a changed profile over `expected_version`, and the URN index beside it.
    pub async fn update_user(&self, record: &UserRecord, expected_version: u64) -> Result<Result<(), TxRefused>> {
        let items = vec![
            self.put_versioned(to_item(record)?, expected_version)?,
            self.put_existing(to_item(&UrnRecord::of(record))?)?,
        ];
        self.transact(items).await
    }

    /// A Put over an item that must already exist (it is kept in step, never created here).
    fn put_existing(&self, item: Item) -> Result<TransactWriteItem> {
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression("attribute_exists(pk)")
            .build()
            .map_err(|e| Error::Internal(e.to_string()))?;
        Ok(TransactWriteItem::builder().put(put).build())
    }

    // ------------------------------------------------------------ credential transfer

    /// Records a new transfer code: the user item remembers its hash (so a newer code replaces
    /// an older one) and the code item points back at the account.
    pub async fn start_credential_transfer(
        &self,
        user: &UserRecord,
        transfer: &CredentialTransferRecord,
        code_hash: &str,
    ) -> Result<Result<(), TxRefused>> {
        let update = Update::builder()
            .table_name(&self.table)
            .set_key(Some(Self::key(user.pk.clone(), keys::USER_SK)))
            .update_expression("SET transfer_code_hash = :hash")
            .condition_expression("version = :expected")
            .expression_attribute_values(":hash", s(code_hash))
            .expression_attribute_values(":expected", n(user.version))
            .build()
            .map_err(|e| Error::Internal(e.to_string()))?;
        let items = vec![TransactWriteItem::builder().update(update).build(), self.put_new(to_item(transfer)?)?];
        self.transact(items).await
    }

    pub async fn credential_transfer(&self, code_hash: &str) -> Result<Option<CredentialTransferRecord>> {
        self.get(keys::credential_transfer(code_hash), keys::XFER_SK).await?.map(from_item).transpose()
    }

    /// Every item under a credential (the user item now; its memberships as they come).
    pub async fn credential_partition(&self, credential: &CredentialId) -> Result<Vec<Item>> {
        let mut items = Vec::new();
        let mut start = None;
        loop {
            let out = self
                .client
                .query()
                .table_name(&self.table)
                .key_condition_expression("pk = :pk")
                .expression_attribute_values(":pk", s(keys::credential(credential)))
                .consistent_read(true)
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(|e| failure("Query", e))?;
            items.extend(out.items.unwrap_or_default());
            match out.last_evaluated_key {
                Some(key) => start = Some(key),
                None => return Ok(items),
            }
        }
    }

    /// Moves a user account to another credential in one transaction: every item of the old
    /// partition is deleted (the user item on its version and live code) and written again
    /// under the new credential (which must have no account), the URN index re-pointed, the
    /// code consumed and the notice queued.
    pub async fn move_account(
        &self,
        from: &UserRecord,
        to: &CredentialId,
        partition: Vec<Item>,
        code_hash: &str,
        notices: &[Notice],
    ) -> Result<Result<(), TxRefused>> {
        let new_pk = keys::credential(to);
        let mut items = Vec::with_capacity(partition.len() * 2 + 3);
        for mut item in partition {
            let sk = match item.get(keys::SK) {
                Some(AttributeValue::S(sk)) => sk.clone(),
                _ => return Err(Error::Internal("an item without a string sort key".into())),
            };
            if sk == keys::USER_SK {
                let values = HashMap::from([(":v".to_owned(), n(from.version)), (":h".to_owned(), s(code_hash))]);
                items.push(self.delete_if(from.pk.clone(), &sk, "version = :v AND transfer_code_hash = :h", values)?);
                item.insert("idp".into(), s(to.idp.as_str()));
                item.insert("sub".into(), s(to.sub.clone()));
                item.insert("version".into(), n(from.version + 1));
                item.remove("transfer_code_hash");
            } else {
                items.push(self.delete_if(from.pk.clone(), &sk, "attribute_exists(pk)", HashMap::new())?);
            }
            item.insert(keys::PK.into(), s(new_pk.clone()));
            items.push(self.put_new(item)?);
        }
        let urn_update = Update::builder()
            .table_name(&self.table)
            .set_key(Some(Self::key(keys::urn(&from.urn), keys::URN_SK)))
            .update_expression("SET idp = :idp, #sub = :sub")
            .condition_expression("attribute_exists(pk)")
            .expression_attribute_names("#sub", "sub")
            .expression_attribute_values(":idp", s(to.idp.as_str()))
            .expression_attribute_values(":sub", s(to.sub.clone()))
            .build()
            .map_err(|e| Error::Internal(e.to_string()))?;
        items.push(TransactWriteItem::builder().update(urn_update).build());
        items.push(self.delete_if(keys::credential_transfer(code_hash), keys::XFER_SK, "attribute_exists(pk)", HashMap::new())?);
        items.extend(self.notice_puts(notices)?);
        self.transact(items).await
    }

    // ------------------------------------------------------------ outbox

    pub async fn mark_notice_sent(&self, id: &str) -> Result<()> {
        self.client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(keys::notice(id), keys::NOTICE_SK)))
            .update_expression("SET #status = :sent, tries = tries + :one REMOVE gsi1pk, gsi1sk")
            .condition_expression("#status = :pending")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":sent", s("sent"))
            .expression_attribute_values(":pending", s("pending"))
            .expression_attribute_values(":one", n(1))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| failure("UpdateItem", e))
    }

    pub async fn record_notice_failure(&self, id: &str) -> Result<()> {
        self.client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(keys::notice(id), keys::NOTICE_SK)))
            .update_expression("SET tries = tries + :one")
            .condition_expression("attribute_exists(pk)")
            .expression_attribute_values(":one", n(1))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| failure("UpdateItem", e))
    }
}
