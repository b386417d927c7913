//! Queries of one partition (never a scan): to the last page, or one page at a time from a
//! cursor, on the table or on GSI1.

use super::{failure, s, DynamoStore, Item};
use crate::domain::Urn;
use crate::error::Result;
use crate::store::keys;

impl DynamoStore {
    /// One page of a partition, strongly consistent, in sort-key order (`forward`) or reverse:
    /// at most `limit` items read, from the sort-key `prefix` if given, and of those only the
    /// ones whose `urn` is `urn` if given. Also the key to go on from, if DynamoDB stopped.
    pub(in crate::store) async fn page(
        &self,
        pk: String,
        prefix: Option<&str>,
        urn: Option<&Urn>,
        limit: usize,
        forward: bool,
        start: Option<Item>,
    ) -> Result<(Vec<Item>, Option<Item>)> {
        let mut query = self
            .client
            .query()
            .table_name(&self.table)
            .consistent_read(true)
            .key_condition_expression(match prefix {
                Some(_) => "pk = :pk AND begins_with(sk, :prefix)",
                None => "pk = :pk",
            })
            .expression_attribute_values(":pk", s(pk))
            .scan_index_forward(forward)
            .limit(i32::try_from(limit).unwrap_or(i32::MAX))
            .set_exclusive_start_key(start);
        if let Some(prefix) = prefix {
            query = query.expression_attribute_values(":prefix", s(prefix));
        }
        if let Some(urn) = urn {
            query = query
                .filter_expression("#urn = :urn")
                .expression_attribute_names("#urn", "urn")
                .expression_attribute_values(":urn", s(urn.as_str()));
        }
        let out = query.send().await.map_err(|e| failure("Query", e))?;
        Ok((out.items.unwrap_or_default(), out.last_evaluated_key))
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
}
