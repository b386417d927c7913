//! Claiming a credential transfer moves every membership of the account (and each side of a
//! delegation it acts under) to the new credential: a bounded first chunk in the request's
//! transaction, the rest in steps the new user item's stream record brings (`moving_from`).

use super::{
    absent_or_of, names_credential, refused_step, FOLLOWUP_STEPS, ITEMS_TO_MOVE, MAX_TX_ITEMS,
};
use crate::domain::delegation::ActingFor;
use crate::domain::member::{Member, Membership};
use crate::domain::{CredentialId, Urn};
use crate::error::Result;
use crate::store::dynamo::{av, from_item, item_of, s, Cond, DynamoStore, Item, Tx, Value};
use crate::store::keys::{self, Key, Keyed};

/// Keys one BatchGetItem takes.
const MAX_BATCH_GET: usize = 100;

/// The user item's attribute while its memberships are still being moved to it
/// (`User::moving_from`).
const MOVING_FROM: &str = "moving_from";

/// Moves one membership in `tx` from credential `from` to `to`: the user side deleted (if it
/// is still the one read: same URN and role) and put again under `to`, and the business side
/// re-pointed if it still names `from`. Nothing can be live under `to` for this business
/// meanwhile (the business side names `from`), so the new user side is put without condition.
pub(in crate::store) fn move_membership(
    tx: &mut Tx<'_>,
    membership: &Membership,
    from: &CredentialId,
    to: &CredentialId,
) -> Result<()> {
    let moved = Membership {
        credential: to.clone(),
        ..membership.clone()
    };
    let old = Key::new(
        keys::credential(from),
        keys::member(membership.business_id.as_str()),
    );
    let unchanged = Cond::Expr(
        "#urn = :urn AND #role = :role",
        vec![
            (":urn", s(membership.urn.as_str())),
            (":role", av(&membership.role)?),
        ],
    );
    tx.delete("old membership", old.pk, &old.sk, unchanged)?
        .put_item("new membership", item_of(&moved)?, Cond::Always)?
        .update(
            "member",
            keys::business(&membership.business_id),
            &keys::member(membership.urn.as_str()),
            vec![("idp", s(to.idp().as_str())), ("sub", s(to.sub()))],
            &[],
            names_credential(from),
        )?;
    Ok(())
}

/// Moves in `tx` one side of a delegation the account acts under (`ActingFor`) from its old
/// credential to `to`: deleted there if still the one read, put under `to` unless another
/// delegation's side for the same business is there.
pub(in crate::store) fn move_acting_for(
    tx: &mut Tx<'_>,
    acting: &ActingFor,
    to: &CredentialId,
) -> Result<()> {
    let old = acting.key();
    let moved = ActingFor {
        credential: to.clone(),
        ..acting.clone()
    };
    let same = |what| Cond::Expr(what, vec![(":d", s(acting.delegation_id.as_str()))]);
    tx.delete(
        "old agent side",
        old.pk,
        &old.sk,
        same("attribute_not_exists(pk) OR #delegation_id = :d"),
    )?
    .put_item(
        "new agent side",
        item_of(&moved)?,
        same("attribute_not_exists(pk) OR #delegation_id = :d"),
    )?;
    Ok(())
}

/// Deletes in `tx` a membership left under `from` that is no longer live: its business side is
/// gone (the business closed, the member removed) or names another credential.
fn drop_membership(tx: &mut Tx<'_>, from: &CredentialId, membership: &Membership) -> Result<()> {
    tx.delete(
        "stale membership",
        keys::credential(from),
        &keys::member(membership.business_id.as_str()),
        absent_or_of(&membership.urn),
    )?;
    Ok(())
}

impl DynamoStore {
    /// At most `limit` memberships of `urn` still under credential `from`, and whether there
    /// are more. Memberships of another URN there are passed over.
    pub async fn memberships_left(
        &self,
        from: &CredentialId,
        urn: &Urn,
        limit: usize,
    ) -> Result<(Vec<Membership>, bool)> {
        self.left_under(from, urn, keys::MEMBER_PREFIX, limit).await
    }

    /// At most `limit` sides of delegations of `urn` still under credential `from`, and
    /// whether there are more.
    pub async fn acting_for_left(
        &self,
        from: &CredentialId,
        urn: &Urn,
        limit: usize,
    ) -> Result<(Vec<ActingFor>, bool)> {
        self.left_under(from, urn, keys::ACTING_FOR_PREFIX, limit)
            .await
    }

    async fn left_under<T: serde::de::DeserializeOwned>(
        &self,
        from: &CredentialId,
        urn: &Urn,
        prefix: &str,
        limit: usize,
    ) -> Result<(Vec<T>, bool)> {
        let mut found: Vec<Item> = Vec::new();
        let mut start = None;
        loop {
            let (items, next) = self
                .page(
                    keys::credential(from),
                    Some(prefix),
                    Some(urn),
                    limit + 1,
                    true,
                    start,
                )
                .await?;
            found.extend(items);
            match next {
                Some(next) if found.len() <= limit => start = Some(next),
                next => {
                    let more = found.len() > limit || next.is_some();
                    let left = found
                        .into_iter()
                        .take(limit)
                        .map(from_item)
                        .collect::<Result<_>>()?;
                    return Ok((left, more));
                }
            }
        }
    }

    /// The business side of each membership (`BUS#{id}` / `MEMBER#{urn}`), in order.
    pub async fn business_sides(&self, memberships: &[Membership]) -> Result<Vec<Option<Member>>> {
        let wanted: Vec<(String, String)> = memberships
            .iter()
            .map(|m| (keys::business(&m.business_id), keys::member(m.urn.as_str())))
            .collect();
        let mut sides = Vec::with_capacity(wanted.len());
        for chunk in wanted.chunks(MAX_BATCH_GET) {
            let keys: Vec<(String, &str)> = chunk
                .iter()
                .map(|(pk, sk)| (pk.clone(), sk.as_str()))
                .collect();
            for item in self.get_many(&keys).await? {
                sides.push(item.map(from_item).transpose()?);
            }
        }
        Ok(sides)
    }

    /// Moves `moves` from credential `from` to `to` and deletes `drops` from under `from`, in
    /// transactions of at most `MAX_TX_ITEMS` items.
    pub async fn move_memberships(
        &self,
        from: &CredentialId,
        to: &CredentialId,
        moves: &[Membership],
        drops: &[Membership],
    ) -> Result<()> {
        let mut tx = self.tx();
        for membership in moves {
            if tx.len() + ITEMS_TO_MOVE > MAX_TX_ITEMS {
                self.commit(std::mem::replace(&mut tx, self.tx()))
                    .await?
                    .map_err(|_| refused_step())?;
            }
            move_membership(&mut tx, membership, from, to)?;
        }
        for membership in drops {
            if tx.len() + 1 > MAX_TX_ITEMS {
                self.commit(std::mem::replace(&mut tx, self.tx()))
                    .await?
                    .map_err(|_| refused_step())?;
            }
            drop_membership(&mut tx, from, membership)?;
        }
        if !tx.is_empty() {
            self.commit(tx).await?.map_err(|_| refused_step())?;
        }
        Ok(())
    }

    /// Moves these sides of delegations to credential `to`, in one transaction (at most
    /// `MAX_TX_ITEMS / 2`).
    pub async fn move_acting_for(&self, acting: &[ActingFor], to: &CredentialId) -> Result<()> {
        let mut tx = self.tx();
        for side in acting {
            move_acting_for(&mut tx, side, to)?;
        }
        if !tx.is_empty() {
            self.commit(tx).await?.map_err(|_| refused_step())?;
        }
        Ok(())
    }

    /// Asks for one more step of an account's move: a change of its user item under `to` (a
    /// counter, and `moving_from` again should a profile change have replaced the item), which
    /// the stream hands to the follow-up again. False if the account no longer lives there.
    pub async fn next_account_step(
        &self,
        urn: &Urn,
        from: &CredentialId,
        to: &CredentialId,
    ) -> Result<bool> {
        let mut tx = self.tx();
        tx.count(
            "user",
            keys::credential(to),
            keys::USER_SK,
            FOLLOWUP_STEPS,
            vec![(MOVING_FROM, av(from)?)],
            Cond::Expr("#urn = :urn", vec![(":urn", s(urn.as_str()))]),
        )?;
        Ok(self.commit(tx).await?.is_ok())
    }

    /// Ends an account's move: `moving_from` (and the step count) removed from its user item,
    /// if it lives under `to` and is still moving from `from`. False if it was not (ended
    /// already: a step that ran twice).
    pub async fn finish_account_move(
        &self,
        urn: &Urn,
        from: &CredentialId,
        to: &CredentialId,
    ) -> Result<bool> {
        let still_moving: Vec<(&'static str, Value)> = vec![
            (":urn", s(urn.as_str())),
            (":from_idp", s(from.idp().as_str())),
            (":from_sub", s(from.sub())),
        ];
        let mut tx = self.tx();
        tx.update(
            "user",
            keys::credential(to),
            keys::USER_SK,
            vec![],
            &[MOVING_FROM, FOLLOWUP_STEPS],
            Cond::Expr(
                "#urn = :urn AND #moving_from.#idp = :from_idp AND #moving_from.#sub = :from_sub",
                still_moving,
            ),
        )?;
        Ok(self.commit(tx).await?.is_ok())
    }
}
