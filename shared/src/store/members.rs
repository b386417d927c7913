//! A business's members a page at a time, in URN order. A page ends with a cursor: the last
//! member's sort key, in hex. The partition always comes from the business asked for, so a
//! cursor cannot reach another business's members.

use std::fmt;

use super::audit::{cursor_text, write_cursor};
use super::dynamo::{from_item, key, DynamoStore};
use super::keys;
use crate::domain::member::Member;
use crate::domain::BusinessId;
use crate::error::Result;

/// Where a page of members stopped: the next page starts after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembersCursor {
    /// The sort key of the last member read (`MEMBER#{urn}`).
    after: String,
}

/// Longer than any cursor a page gives (`MEMBER#` and a URN, in hex).
const MAX_CURSOR: usize = 80;

impl MembersCursor {
    /// A cursor as a page gave it (`Display`); `None` when it is not one.
    pub fn parse(raw: &str) -> Option<Self> {
        let after = cursor_text(raw, MAX_CURSOR)?;
        after
            .starts_with(keys::MEMBER_PREFIX)
            .then_some(Self { after })
    }
}

impl fmt::Display for MembersCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_cursor(f, &self.after)
    }
}

impl DynamoStore {
    /// Up to `limit` members of the business (its `MEMBER#` items), from after `cursor`; and
    /// the cursor of the next page, if there may be more. One Query.
    pub async fn members_page(
        &self,
        business_id: &BusinessId,
        limit: u32,
        cursor: Option<&MembersCursor>,
    ) -> Result<(Vec<Member>, Option<MembersCursor>)> {
        let pk = keys::business(business_id);
        let start = cursor.map(|c| key(pk.clone(), &c.after));
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        let (items, last) = self
            .page(pk, Some(keys::MEMBER_PREFIX), None, limit, true, start)
            .await?;
        let members = items
            .into_iter()
            .map(from_item)
            .collect::<Result<Vec<Member>>>()?;
        let next = last.and_then(|last| {
            let after = last.get(keys::SK)?.as_s().ok()?.clone();
            Some(MembersCursor { after })
        });
        Ok((members, next))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_members_sort_key_reads_back_as_a_cursor() {
        let cursor = MembersCursor {
            after: keys::member("1234567894"),
        };
        assert_eq!(MembersCursor::parse(&cursor.to_string()), Some(cursor));
        let meta = MembersCursor {
            after: keys::META_SK.into(),
        };
        // (the text sent, whether it is a cursor)
        let cases = [
            (meta.to_string(), false),
            (String::new(), false),
            ("zz".into(), false),
            ("4d".repeat(41), false),
        ];
        for (raw, expected) in cases {
            assert_eq!(MembersCursor::parse(&raw).is_some(), expected, "{raw}");
        }
    }
}
