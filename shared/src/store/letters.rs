//! The letter queue as stored: every letter is in GSI1 under its status (`LETTERS#{status}`,
//! by created time), and moves with it. A page is one Query of one status; its cursor says the
//! status it was made for and the last letter read, in hex. The partition always comes from
//! the status asked for, so a cursor cannot reach another status's letters.
//!
//! Every letter is also named in its identifier's list (`LETTERSOF#…`, see `keys`): an officer
//! searching a Client Number (or the Business Number registered with it) reads that one
//! partition, then the letters.

use std::fmt;

use super::dynamo::{from_item, s, DynamoStore, Item};
use super::keys;
use super::reads::Want;
use crate::domain::commands::BusinessLookup;
use crate::domain::onboarding::{Letter, LetterStatus, Registration};
use crate::domain::LetterId;
use crate::domain::Program;
use crate::error::Result;

/// Letters a page holds at most.
pub const PAGE: i32 = 100;

/// Where a page of letters stopped: the next page of the same status starts after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterCursor {
    status: LetterStatus,
    /// The created time and id of the last letter read (its GSI1 sort key).
    created_at: String,
    letter_id: LetterId,
}

/// Longer than any cursor a page gives.
const MAX_CURSOR: usize = 200;

impl LetterCursor {
    /// A cursor as a page of `status` gave it (`Display`); `None` when it is not one, or was
    /// made for another status.
    pub fn parse(raw: &str, status: LetterStatus) -> Option<Self> {
        let text = super::audit::cursor_text(raw, MAX_CURSOR)?;
        let (made_for, rest) = text.split_once('|')?;
        let (created_at, id) = rest.rsplit_once('#')?;
        (LetterStatus::parse(made_for)? == status && !created_at.is_empty()).then_some(())?;
        Some(Self {
            status,
            created_at: created_at.to_owned(),
            letter_id: LetterId::parse(id).ok()?,
        })
    }

    /// Where the Query starts again: the index's keys and the table's, all from the cursor's
    /// own letter.
    fn start(&self) -> Item {
        Item::from([
            ("gsi1pk".to_owned(), s(keys::letters(self.status))),
            (
                "gsi1sk".to_owned(),
                s(keys::letters_sk(&self.created_at, &self.letter_id)),
            ),
            (keys::PK.to_owned(), s(keys::letter(&self.letter_id))),
            (keys::SK.to_owned(), s(keys::LETTER_SK)),
        ])
    }
}

impl fmt::Display for LetterCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = format!(
            "{}|{}",
            self.status.as_str(),
            keys::letters_sk(&self.created_at, &self.letter_id)
        );
        super::audit::write_cursor(f, &text)
    }
}

impl DynamoStore {
    /// A page of the letters in `status`, oldest first, from after `cursor`; and the cursor
    /// of the next page, if there may be more.
    pub async fn letters_page(
        &self,
        status: LetterStatus,
        cursor: Option<&LetterCursor>,
    ) -> Result<(Vec<Letter>, Option<LetterCursor>)> {
        let start = cursor.map(LetterCursor::start);
        let (items, last) = self
            .query_page(keys::letters(status), Some(keys::GSI1), PAGE, false, start)
            .await?;
        let letters = items
            .into_iter()
            .map(from_item)
            .collect::<Result<Vec<Letter>>>()?;
        let next = last.and(letters.last()).map(|l| LetterCursor {
            status,
            created_at: l.created_at.clone(),
            letter_id: l.letter_id.clone(),
        });
        Ok((letters, next))
    }
}

impl DynamoStore {
    /// The letters of one identifier (a program's identifier, or a registered Business
    /// Number: its registration first), newest first, at most a page: one Query of the
    /// identifier's list, one BatchGetItem.
    pub async fn letters_of(&self, of: &BusinessLookup) -> Result<Vec<Letter>> {
        let list = match of {
            BusinessLookup::Identifier(program, identifier) => {
                keys::letters_of(*program, identifier)
            }
            // A registered Business Number's letters are those of the Client Number it was
            // given (a registration's first letter, and every new code asked for since).
            BusinessLookup::BusinessNumber(bn9) => {
                let registration = self
                    .read(&[Want::Registration(bn9.as_str())])
                    .await?
                    .next::<Registration>()?;
                match registration {
                    Some(r) => keys::letters_of(Program::Ttp, &r.client_number),
                    None => return Ok(Vec::new()),
                }
            }
        };
        let (items, _) = self.query_page(list, None, PAGE, true, None).await?;
        let ids = items
            .iter()
            .filter_map(|item| item.get("letter_id")?.as_s().ok())
            .map(|id| LetterId::parse(id).map_err(|e| crate::error::Error::Internal(e.to_string())))
            .collect::<Result<Vec<LetterId>>>()?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let wants: Vec<Want> = ids.iter().map(Want::Letter).collect();
        let mut found = self.read(&wants).await?;
        let mut letters = Vec::with_capacity(ids.len());
        for _ in &ids {
            letters.extend(found.next::<Letter>()?);
        }
        Ok(letters)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cursor(status: LetterStatus) -> LetterCursor {
        LetterCursor {
            status,
            created_at: "2026-11-01T00:00:00Z".into(),
            letter_id: LetterId::from_random(&[3; 20]),
        }
    }

    #[test]
    fn a_cursor_reads_back_for_its_own_status_only() {
        use LetterStatus::{Mailed, Pending, Review, Withdrawn};
        for status in [Review, Pending, Mailed, Withdrawn] {
            let shown = cursor(status).to_string();
            assert!(shown.bytes().all(|b| b.is_ascii_hexdigit()));
            for asked in [Review, Pending, Mailed, Withdrawn] {
                let expected = (asked == status).then(|| cursor(status));
                assert_eq!(
                    LetterCursor::parse(&shown, asked),
                    expected,
                    "{status:?} {asked:?}"
                );
            }
        }
    }

    #[test]
    fn what_no_page_gave_is_not_a_cursor() {
        let hex = |t: &str| t.bytes().map(|b| format!("{b:02x}")).collect::<String>();
        let id = LetterId::from_random(&[3; 20]);
        let forged = [
            String::new(),
            "zz".into(),
            "414".into(),
            hex("pending"),
            hex(&format!("pending|#{id}")),
            hex("pending|2026-11-01T00:00:00Z#not-an-id"),
            hex(&format!("LETTERS#pending|2026#{id}")),
            "41".repeat(MAX_CURSOR / 2 + 1),
        ];
        for raw in forged {
            assert_eq!(
                LetterCursor::parse(&raw, LetterStatus::Pending),
                None,
                "{raw}"
            );
        }
        let start = cursor(LetterStatus::Pending).start();
        assert_eq!(start["pk"], s(format!("LETTER#{id}")));
        assert_eq!(start["gsi1pk"], s("LETTERS#pending"));
    }
}
