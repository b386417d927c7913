//! A transaction being built: each item with its condition and a label, every `#name` an
//! expression uses declared, so a use case writes conditions in the portal's own words.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{ConditionCheck, Delete, Put, TransactWriteItem, Update};
use serde::Serialize;

use super::{built, key, n, to_item, DynamoStore, Item, Value};
use crate::error::Result;

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
    pub(super) items: Vec<TransactWriteItem>,
    pub(super) labels: Vec<&'static str>,
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
    pub fn tx(&self) -> Tx<'_> {
        Tx {
            table: &self.table,
            items: Vec::new(),
            labels: Vec::new(),
        }
    }
}
