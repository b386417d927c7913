//! What a batch import asks of the table: the import, each line and each identifier a line
//! takes, each written once.

use crate::domain::plan::Change;
use crate::error::Result;
use crate::store::dynamo::{item_of, Cond, Tx};

/// Writes a batch import's change into `tx` (`commit::write` routes only these here).
pub(super) fn write(tx: &mut Tx<'_>, change: &Change) -> Result<()> {
    match change {
        Change::ImportStarted(import) => {
            tx.put_item("import", item_of(import)?, Cond::Absent)?;
        }
        Change::ImportLineRecorded(record) => {
            tx.put_item("import line", item_of(record)?, Cond::Absent)?;
        }
        Change::ImportIdentifierClaimed(claim) => {
            tx.put_item("import claim", item_of(claim)?, Cond::Absent)?;
        }
        other => unreachable!("not a batch import's change: {other:?}"),
    }
    Ok(())
}
