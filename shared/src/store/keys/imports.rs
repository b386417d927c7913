//! A batch import's partition: the import, its lines in the file's order, and each identifier
//! a line took.

use super::{Key, Keyed};
use crate::domain::identifier::BusinessIdentifier;
use crate::domain::import::{IdentifierClaim, Import, ImportId, LineRecord};
use crate::domain::programs::Program;

pub const IMPORT_SK: &str = "IMPORT";
pub const LINE_PREFIX: &str = "LINE#";
/// Past every line's sort key: the end of a report Query.
pub const LINE_LAST: &str = "LINE#~";

pub fn import(id: &ImportId) -> String {
    format!("IMPORT#{id}")
}

/// A line's sort key, zero-padded so lines sort in the file's order.
pub fn import_line(line: u32) -> String {
    format!("{LINE_PREFIX}{line:07}")
}

pub fn import_claim(program: Program, identifier: &BusinessIdentifier) -> String {
    format!("CLAIM#{}#{}", program.as_str(), identifier.as_str())
}

impl Keyed for Import {
    fn key(&self) -> Key {
        Key::new(import(&self.import_id), IMPORT_SK)
    }
}

impl Keyed for LineRecord {
    fn key(&self) -> Key {
        Key::new(import(&self.import_id), import_line(self.line))
    }
}

impl Keyed for IdentifierClaim {
    fn key(&self) -> Key {
        Key::new(
            import(&self.import_id),
            import_claim(self.program, &self.identifier),
        )
    }
}
