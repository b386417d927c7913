//! A business's audit trail, a page at a time, newest first. A page ends with a cursor: the
//! last sort key it read, in hex. The partition always comes from the business asked for, so
//! a cursor cannot reach another business's trail.

use std::fmt;

use super::dynamo::{from_item, key, DynamoStore};
use super::keys;
use crate::domain::audit::AuditEvent;
use crate::domain::BusinessId;
use crate::error::Result;

/// Where a page of the trail stopped: the next page starts after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditCursor {
    /// The sort key of the last event read.
    after: String,
}

/// Longer than any cursor a page gives (a sort key is 20 digits, `#` and an id).
const MAX_CURSOR: usize = 400;

impl AuditCursor {
    /// A cursor as a page gave it (`Display`); `None` when it is not one.
    pub fn parse(raw: &str) -> Option<Self> {
        let after = cursor_text(raw, MAX_CURSOR)?;
        Some(Self { after })
    }
}

impl fmt::Display for AuditCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_cursor(f, &self.after)
    }
}

/// A page's cursor as it travels: its text in hex, so it is opaque and URL-safe. The audit
/// trails and the letter queue all write theirs so.
pub(super) fn write_cursor(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    text.bytes().try_for_each(|b| write!(f, "{b:02x}"))
}

/// The text of a cursor `write_cursor` wrote, or `None` when `raw` is not one (empty, not
/// hex, over `max` characters, not UTF-8).
pub(super) fn cursor_text(raw: &str, max: usize) -> Option<String> {
    if raw.is_empty() || !raw.len().is_multiple_of(2) || raw.len() > max {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..raw.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(raw.get(i..i + 2)?, 16).ok())
        .collect();
    String::from_utf8(bytes?).ok()
}

impl DynamoStore {
    /// Up to `limit` events of the business's trail, newest first, from after `cursor`; and
    /// the cursor of the next page, if the trail may go on.
    pub async fn audit_page(
        &self,
        business_id: &BusinessId,
        limit: u32,
        cursor: Option<&AuditCursor>,
    ) -> Result<(Vec<AuditEvent>, Option<AuditCursor>)> {
        let start = cursor.map(|c| key(keys::audit(business_id), &c.after));
        let limit = i32::try_from(limit).unwrap_or(i32::MAX);
        let (items, last) = self
            .query_page(keys::audit(business_id), None, limit, true, start)
            .await?;
        let events = items
            .into_iter()
            .map(from_item)
            .collect::<Result<Vec<AuditEvent>>>()?;
        let next = last.and_then(|last| {
            let after = last.get(keys::SK)?.as_s().ok()?.clone();
            Some(AuditCursor { after })
        });
        Ok((events, next))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_as_the_sort_key_it_was_made_from() {
        let sk = keys::audit_sk("00000001795000000000000000", "0w3ge1r70w3ge1r70w3ge1r70w");
        let cursor = AuditCursor { after: sk.clone() };
        let shown = cursor.to_string();
        assert!(shown.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(AuditCursor::parse(&shown), Some(AuditCursor { after: sk }));
    }

    #[test]
    fn what_no_page_gave_is_not_a_cursor() {
        let too_long = "41".repeat(MAX_CURSOR / 2 + 1);
        for raw in ["", "zz", "414", "c328", too_long.as_str()] {
            assert_eq!(AuditCursor::parse(raw), None, "{raw}");
        }
        assert!(AuditCursor::parse(&"41".repeat(MAX_CURSOR / 2)).is_some());
    }
}
