//! The store side of telling every member of a business (owner recovery): the recovery's
//! transaction puts a `MembersToTell` record; its stream record brings `membership-followups`,
//! which tells a bounded step of members (in URN order) and, in the same transaction, moves the
//! record's `after` on (a new stream record: the next step) or, with nobody left, deletes it.
//!
//! Each step's transaction is conditional on the record's `after` as the step read it: a step
//! that runs twice (a redelivered record) finds it moved on and writes nothing, so no member is
//! told twice, and none is skipped.

use super::dynamo::{from_item, key, s, to_item, Cond, DynamoStore};
use super::keys::{self, Keyed};
use super::outbox::{NoticeRecord, GRACE_SECS};
use crate::domain::member::{Member, MembersToTell};
use crate::domain::notice::Notice;
use crate::domain::user::UrnEntry;
use crate::domain::Urn;
use crate::error::Result;

impl DynamoStore {
    /// The record of members still to be told, if it is still there.
    pub async fn members_to_tell(&self, tell_id: &str) -> Result<Option<MembersToTell>> {
        let wanted = [(keys::members_to_tell(tell_id), keys::TELL_SK)];
        let found = self.get_many(&wanted).await?.into_iter().next().flatten();
        found.map(from_item).transpose()
    }

    /// At most `limit` members of the record's business after URN `after` (all from the first
    /// when empty), each with who their URN belongs to (their e-mail and language), and
    /// whether there are more. One Query and one BatchGetItem.
    pub async fn members_after(
        &self,
        tell: &MembersToTell,
        limit: usize,
    ) -> Result<(Vec<(Member, Option<UrnEntry>)>, bool)> {
        let pk = keys::business(&tell.business_id);
        let start = (!tell.after.is_empty()).then(|| key(pk.clone(), &keys::member(&tell.after)));
        let (items, next) = self
            .page(pk, Some(keys::MEMBER_PREFIX), None, limit + 1, true, start)
            .await?;
        let more = items.len() > limit || next.is_some();
        let members: Vec<Member> = items
            .into_iter()
            .take(limit)
            .map(from_item)
            .collect::<Result<_>>()?;
        if members.is_empty() {
            return Ok((Vec::new(), more));
        }
        let wanted: Vec<(String, &str)> = members
            .iter()
            .map(|m| (keys::urn(&m.urn), keys::URN_SK))
            .collect();
        let entries = self.get_many(&wanted).await?;
        let mut told = Vec::with_capacity(members.len());
        for (member, entry) in members.into_iter().zip(entries) {
            told.push((member, entry.map(from_item).transpose()?));
        }
        Ok((told, more))
    }

    /// Writes `notices` and moves the record on past `last` (or deletes it, with nobody left
    /// after), if it is still where the step read it. False if it was not (a step that ran
    /// twice): nothing is written.
    pub async fn told(
        &self,
        tell: &MembersToTell,
        notices: &[Notice],
        last: Option<&Urn>,
        more: bool,
    ) -> Result<bool> {
        let due = crate::clock::at(crate::clock::now().epoch + GRACE_SECS);
        let mut tx = self.tx();
        for notice in notices {
            let record = NoticeRecord::pending(notice, &due.rfc3339);
            tx.put_item("notice", to_item(&record)?, Cond::Absent)?;
        }
        let read_at = Cond::Expr("#after = :read", vec![(":read", s(&tell.after))]);
        let record = tell.key();
        match last.filter(|_| more) {
            Some(last) => tx.update(
                "members to tell",
                record.pk,
                &record.sk,
                vec![("after", s(last.as_str()))],
                &[],
                read_at,
            )?,
            None => tx.delete("members to tell", record.pk, &record.sk, read_at)?,
        };
        Ok(self.commit(tx).await?.is_ok())
    }
}
