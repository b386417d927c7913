//! Closing a business ends every membership (both sides): a bounded first chunk in the
//! request's transaction, the rest in steps the business's `META` stream record brings.

use super::{
    absent_or_of, names_credential, refused_step, FOLLOWUP_STEPS, ITEMS_TO_END, MAX_TX_ITEMS,
};
use crate::domain::business::BusinessStatus;
use crate::domain::member::Member;
use crate::domain::BusinessId;
use crate::error::Result;
use crate::store::dynamo::{av, from_item, Cond, DynamoStore, Tx};
use crate::store::keys::{self, Key, Keyed};

/// Ends one membership in `tx`: the business side, if it still names the credential it named
/// when read (a credential transfer may have moved it since: then the transaction is refused,
/// and read again), and the user side under that credential.
pub(in crate::store) fn end_membership(tx: &mut Tx<'_>, member: &Member) -> Result<()> {
    let (Key { pk, sk }, side) = (member.key(), member.membership_key());
    tx.delete("member", pk, &sk, names_credential(&member.credential))?
        .delete("membership", side.pk, &side.sk, absent_or_of(&member.urn))?;
    Ok(())
}

impl DynamoStore {
    /// At most `limit` members of a business (its `MEMBER#` items, business side), and whether
    /// it has more. One Query.
    pub async fn members_of(
        &self,
        business_id: &BusinessId,
        limit: usize,
    ) -> Result<(Vec<Member>, bool)> {
        let (items, next) = self
            .page(
                keys::business(business_id),
                Some(keys::MEMBER_PREFIX),
                None,
                limit + 1,
                true,
                None,
            )
            .await?;
        let more = items.len() > limit || next.is_some();
        let members = items
            .into_iter()
            .take(limit)
            .map(from_item)
            .collect::<Result<_>>()?;
        Ok((members, more))
    }

    /// Ends these memberships of a business, in transactions of at most `MAX_TX_ITEMS` items.
    pub async fn end_memberships(&self, members: &[Member]) -> Result<()> {
        for chunk in members.chunks(MAX_TX_ITEMS / ITEMS_TO_END) {
            let mut tx = self.tx();
            for member in chunk {
                end_membership(&mut tx, member)?;
            }
            self.commit(tx).await?.map_err(|_| refused_step())?;
        }
        Ok(())
    }

    /// Asks for one more step on a closed business: a change of its `META` item (a counter),
    /// which the stream hands to the follow-up again. False if the business is not closed.
    pub async fn next_business_step(&self, business_id: &BusinessId) -> Result<bool> {
        let mut tx = self.tx();
        tx.count(
            "business",
            keys::business(business_id),
            keys::META_SK,
            FOLLOWUP_STEPS,
            vec![],
            Cond::Expr(
                "#status = :closed",
                vec![(":closed", av(&BusinessStatus::Closed)?)],
            ),
        )?;
        Ok(self.commit(tx).await?.is_ok())
    }
}
