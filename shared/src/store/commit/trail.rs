//! What every change leaves behind: its audit events, each written once, and its notices,
//! put in the outbox for the stream to send.

use crate::domain::plan::Change;
use crate::error::Result;
use crate::store::dynamo::{item_of, to_item, Cond, Tx};
use crate::store::outbox::{self, NoticeRecord};

/// Writes an audit event or a notice into `tx` (`commit::write` routes only these here).
pub(super) fn write(tx: &mut Tx<'_>, change: &Change) -> Result<()> {
    match change {
        Change::Audit(event) => {
            tx.put_item("audit", item_of(event)?, Cond::Absent)?;
        }
        Change::AgencyAudit(event) => {
            tx.put_item("agency audit", item_of(event)?, Cond::Absent)?;
        }
        Change::Notice(notice) => {
            // The stream sends it; the retry schedule looks at it only after a grace period.
            let due = crate::clock::at(crate::clock::now().epoch + outbox::GRACE_SECS);
            let record = NoticeRecord::pending(notice, &due.rfc3339);
            tx.put_item("notice", to_item(&record)?, Cond::Absent)?;
        }
        other => unreachable!("not an audit event or a notice: {other:?}"),
    }
    Ok(())
}
