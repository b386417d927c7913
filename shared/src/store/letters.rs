//! The letter queue as stored: pending letters are in a sparse index (GSI1 `LETTERS#pending`,
//! by created time), which `Change::LetterMailed` takes them out of.

use super::dynamo::{from_item, DynamoStore};
use super::keys;
use crate::domain::onboarding::Letter;
use crate::error::Result;

/// Letters a Query page holds at most.
const PAGE: i32 = 100;

impl DynamoStore {
    /// Every letter waiting to be mailed, oldest first, a page at a time.
    pub async fn pending_letters(&self) -> Result<Vec<Letter>> {
        let mut letters = Vec::new();
        let mut cursor = None;
        loop {
            let (items, next) = self
                .query_page(
                    keys::LETTERS_PENDING.into(),
                    Some(keys::GSI1),
                    PAGE,
                    false,
                    cursor,
                )
                .await?;
            for item in items {
                letters.push(from_item(item)?);
            }
            match next {
                Some(next) => cursor = Some(next),
                None => return Ok(letters),
            }
        }
    }
}
