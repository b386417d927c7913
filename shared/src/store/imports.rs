//! A batch import's report as stored: its lines in the import's partition (`LINE#{line}`,
//! zero-padded, so they sort in the file's order), a page from after a line at a time.

use super::dynamo::{failure, from_item, s, DynamoStore};
use super::keys;
use crate::domain::import::{ImportId, LineRecord};
use crate::error::Result;

impl DynamoStore {
    /// Up to `limit` lines of an import after `after_line`, in the file's order, and whether
    /// there may be more.
    pub async fn import_lines(
        &self,
        import_id: &ImportId,
        after_line: u32,
        limit: i32,
    ) -> Result<(Vec<LineRecord>, bool)> {
        let out = self
            .client
            .query()
            .table_name(&self.table)
            .consistent_read(true)
            .key_condition_expression("pk = :pk AND sk BETWEEN :from AND :to")
            .expression_attribute_values(":pk", s(keys::import(import_id)))
            .expression_attribute_values(
                ":from",
                s(keys::import_line(after_line.saturating_add(1))),
            )
            .expression_attribute_values(":to", s(keys::LINE_LAST))
            .limit(limit)
            .send()
            .await
            .map_err(|e| failure("Query", e))?;
        let more = out.last_evaluated_key.is_some();
        let lines = out
            .items
            .unwrap_or_default()
            .into_iter()
            .map(from_item)
            .collect::<Result<Vec<LineRecord>>>()?;
        Ok((lines, more))
    }
}
