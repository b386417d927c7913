//! The agency audit, a page at a time, newest first. Events are kept by month
//! (`AGENCYAUDIT#{YYYY-MM}`), so no one partition takes every officer's writes for ever; a page
//! reads the months back from the cursor's (or the current one) until it is full. Its cursor
//! is the month it stopped in and the last sort key read there, in hex: the partition is built
//! from a parsed month only, so a cursor reaches nothing but the agency audit.

use std::fmt;

use super::dynamo::{from_item, key, DynamoStore};
use super::keys;
use crate::domain::agency_audit::{AgencyAuditEvent, Month, PAGE};
use crate::error::Result;

/// The month the agency audit began: nothing is kept before it.
const FIRST_MONTH: &str = "2026-01";
/// Months a page reads back at most: a long quiet spell gives a short page and a cursor.
const MONTHS_A_PAGE: usize = 12;

/// Where a page of the agency audit stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgencyAuditCursor {
    month: Month,
    /// The sort key of the last event read in `month`; none: start at the month's newest.
    after: Option<String>,
}

/// Longer than any cursor a page gives (a month, `|`, 20 digits, `#` and an id).
const MAX_CURSOR: usize = 200;

impl AgencyAuditCursor {
    /// The first page: this month, from its newest event.
    pub fn newest(month: Month) -> Self {
        Self { month, after: None }
    }

    /// A cursor as a page gave it (`Display`); `None` when it is not one.
    pub fn parse(raw: &str) -> Option<Self> {
        let text = super::audit::cursor_text(raw, MAX_CURSOR)?;
        let (month, after) = text.split_once('|')?;
        let after = match after {
            "" => None,
            sk => {
                let (stamp, _) = sk.split_once('#')?;
                (stamp.len() == 20 && stamp.bytes().all(|b| b.is_ascii_digit())).then_some(())?;
                Some(sk.to_owned())
            }
        };
        Some(Self {
            month: Month::parse(month)?,
            after,
        })
    }
}

impl fmt::Display for AgencyAuditCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = format!("{}|{}", self.month, self.after.as_deref().unwrap_or(""));
        super::audit::write_cursor(f, &text)
    }
}

impl DynamoStore {
    /// Up to `PAGE` events, newest first, from `from`; and the cursor of the next page, if the
    /// audit may go on.
    pub async fn agency_audit_page(
        &self,
        from: AgencyAuditCursor,
    ) -> Result<(Vec<AgencyAuditEvent>, Option<AgencyAuditCursor>)> {
        let first = Month::parse(FIRST_MONTH);
        let mut events = Vec::new();
        let mut at = from;
        for _ in 0..MONTHS_A_PAGE {
            if first.is_some_and(|first| at.month < first) {
                return Ok((events, None));
            }
            let pk = keys::agency_audit(&at.month.to_string());
            let start = at.after.as_ref().map(|sk| key(pk.clone(), sk));
            let want = PAGE as usize - events.len();
            let (items, last) = self.query_page(pk, None, want as i32, true, start).await?;
            for item in items {
                events.push(from_item::<AgencyAuditEvent>(item)?);
            }
            let last_sk = last.and_then(|l| l.get(keys::SK)?.as_s().ok().cloned());
            match last_sk {
                // More in this month: the page is full.
                Some(sk) => {
                    return Ok((
                        events,
                        Some(AgencyAuditCursor {
                            month: at.month,
                            after: Some(sk),
                        }),
                    ))
                }
                None => at = AgencyAuditCursor::newest(at.month.previous()),
            }
            if events.len() >= PAGE as usize {
                break;
            }
        }
        let ended = first.is_some_and(|first| at.month < first);
        Ok((events, (!ended).then_some(at)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_as_made() {
        let month = Month::parse("2026-11").unwrap();
        let cursors = [
            AgencyAuditCursor::newest(month),
            AgencyAuditCursor {
                month,
                after: Some(keys::audit_sk(
                    "17950000000000000000",
                    "0w3ge1r70w3ge1r70w3ge1r70w",
                )),
            },
        ];
        for cursor in cursors {
            let shown = cursor.to_string();
            assert!(shown.bytes().all(|b| b.is_ascii_hexdigit()));
            assert_eq!(AgencyAuditCursor::parse(&shown), Some(cursor));
        }
    }

    #[test]
    fn what_no_page_gave_is_not_a_cursor() {
        let hex = |t: &str| t.bytes().map(|b| format!("{b:02x}")).collect::<String>();
        let forged = [
            String::new(),
            "zz".into(),
            hex("2026-11"),
            hex("2026-13|"),
            hex("BUS#x|"),
            hex("2026-11|AUDIT#x"),
            hex("2026-11|123#id"),
            "41".repeat(MAX_CURSOR / 2 + 1),
        ];
        for raw in forged {
            assert_eq!(AgencyAuditCursor::parse(&raw), None, "{raw}");
        }
    }
}
