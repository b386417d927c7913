//! Sending a transaction: TransactWriteItems, or one item's own conditional write, and which
//! answers are refusals (a condition failed, or another transaction was in the way).

use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::TransactWriteItem;

use super::{failure, Cond, DynamoStore, Tx, Value};
use crate::error::{Error, Result};

/// Why a transaction was refused: the labels of the items whose condition failed, or (empty)
/// another transaction touched the same items at the same moment.
#[derive(Debug)]
pub struct Refused {
    pub failed: Vec<&'static str>,
    /// The positions in the transaction of the items whose condition failed.
    pub items: Vec<usize>,
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

impl DynamoStore {
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
