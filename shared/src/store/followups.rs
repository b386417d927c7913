//! The store side of the follow-ups: the two changes a request cannot finish in its one
//! transaction, because DynamoDB takes at most 100 items in one.
//!
//! - Closing a business ends every membership (both sides). The request's transaction marks
//!   the business `closed` and ends a bounded first chunk; the `META` item's stream record (its
//!   new image is `closed`) brings `membership-followups`, which ends the rest in bounded steps.
//! - Claiming a credential transfer moves every membership of the account to the new
//!   credential. The request's transaction moves the user item and a bounded first chunk; when
//!   more are left, the new user item carries `moving_from` (the old credential), and its
//!   stream record brings the follow-up, which moves the rest in bounded steps.
//!
//! A step that leaves work behind asks for the next one by changing its driving item once more
//! (`followup_steps`, a counter): that change is a new stream record for the same filter. The
//! step that finds nothing left ends the chain (for an account, by removing `moving_from`).
//!
//! Every write is conditional on what the step read, so a step that runs twice (a redelivered
//! record, a retry) or beside a request that changes the same membership changes nothing more:
//! a refused transaction fails the step, and Lambda runs it again on what is there then.

use serde::Deserialize;

use super::dynamo::{av, failure, from_item, item_of, s, Cond, DynamoStore, Item, Tx, Value};
use super::keys::{self, Key, Keyed};
use crate::domain::business::BusinessStatus;
use crate::domain::delegation::ActingFor;
use crate::domain::member::{Member, Membership};
use crate::domain::{BusinessId, CredentialId, Idp, Urn};
use crate::error::{Error, Result};

/// DynamoDB's limit on the items of one TransactWriteItems.
pub const MAX_TX_ITEMS: usize = 100;
/// Items that ending one membership writes: both sides deleted.
pub const ITEMS_TO_END: usize = 2;
/// Items that moving one membership writes: the old user side deleted, a new one put, the
/// business side re-pointed.
pub const ITEMS_TO_MOVE: usize = 3;
/// Keys one BatchGetItem takes.
const MAX_BATCH_GET: usize = 100;

/// The user item's attribute while its memberships are still being moved to it
/// (`User::moving_from`).
const MOVING_FROM: &str = "moving_from";
/// The driving item's count of follow-up steps that asked for another one.
const FOLLOWUP_STEPS: &str = "followup_steps";

/// What one stream record asks of the follow-up.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Followup {
    /// The business is closed: end its memberships that are left.
    EndMemberships { business_id: BusinessId },
    /// The account `urn` lives under `to` now: move its memberships left under `from`.
    MoveMemberships {
        urn: Urn,
        from: CredentialId,
        to: CredentialId,
    },
    /// Members of a business are still to be told of an owner recovery, from the one after
    /// URN `after` (`store::telling`).
    TellMembers { tell_id: String, after: String },
}

/// The parts of a new image the follow-up reads.
#[derive(Deserialize)]
struct Image {
    sk: String,
    #[serde(default)]
    business_id: Option<BusinessId>,
    #[serde(default)]
    status: Option<BusinessStatus>,
    #[serde(default)]
    urn: Option<Urn>,
    #[serde(default)]
    idp: Option<Idp>,
    #[serde(default)]
    sub: Option<String>,
    #[serde(default)]
    moving_from: Option<CredentialId>,
    #[serde(default)]
    tell_id: Option<String>,
    #[serde(default)]
    after: Option<String>,
}

/// The follow-up a record's new image asks for: a closed business's `META`, a user item with
/// `moving_from`, or members still to be told; anything else asks for none.
pub fn followup_of(new_image: serde_dynamo::Item) -> Option<Followup> {
    let image: Image = serde_dynamo::from_item(new_image).ok()?;
    match image.sk.as_str() {
        keys::META_SK if image.status == Some(BusinessStatus::Closed) => {
            Some(Followup::EndMemberships {
                business_id: image.business_id?,
            })
        }
        keys::TELL_SK => Some(Followup::TellMembers {
            tell_id: image.tell_id?,
            after: image.after.unwrap_or_default(),
        }),
        keys::USER_SK => Some(Followup::MoveMemberships {
            urn: image.urn?,
            from: image.moving_from?,
            to: CredentialId::new(image.idp?, &image.sub?)?,
        }),
        _ => None,
    }
}

fn names_credential(credential: &CredentialId) -> Cond {
    Cond::Expr(
        "#idp = :idp AND #sub = :sub",
        vec![
            (":idp", s(credential.idp().as_str())),
            (":sub", s(credential.sub())),
        ],
    )
}

/// The user side of a membership of `urn`, or no item there at all.
fn absent_or_of(urn: &Urn) -> Cond {
    Cond::Expr(
        "attribute_not_exists(pk) OR #urn = :urn",
        vec![(":urn", s(urn.as_str()))],
    )
}

// ---------------------------------------------------------------- writes, into a transaction

/// Ends one membership in `tx`: the business side, if it still names the credential it named
/// when read (a credential transfer may have moved it since: then the transaction is refused,
/// and read again), and the user side under that credential.
pub(super) fn end_membership(tx: &mut Tx<'_>, member: &Member) -> Result<()> {
    let (Key { pk, sk }, side) = (member.key(), member.membership_key());
    tx.delete("member", pk, &sk, names_credential(&member.credential))?
        .delete("membership", side.pk, &side.sk, absent_or_of(&member.urn))?;
    Ok(())
}

/// Moves one membership in `tx` from credential `from` to `to`: the user side deleted (if it
/// is still the one read: same URN and role) and put again under `to`, and the business side
/// re-pointed if it still names `from`. Nothing can be live under `to` for this business
/// meanwhile (the business side names `from`), so the new user side is put without condition.
pub(super) fn move_membership(
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
pub(super) fn move_acting_for(
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

// ---------------------------------------------------------------- reads and bounded writes

/// Why a step failed when a request changed a membership it was writing. Never shown to a
/// person (the follow-up has no HTTP caller): Lambda retries the step, which reads again.
const STEP_REFUSED: &str = "a membership changed while a follow-up step wrote; the step runs again";

fn refused_step() -> Error {
    Error::Conflict(STEP_REFUSED)
}

impl DynamoStore {
    /// One page of a partition, strongly consistent, in sort-key order (`forward`) or reverse:
    /// at most `limit` items read, from the sort-key `prefix` if given, and of those only the
    /// ones whose `urn` is `urn` if given. Also the key to go on from, if DynamoDB stopped.
    pub(super) async fn page(
        &self,
        pk: String,
        prefix: Option<&str>,
        urn: Option<&Urn>,
        limit: usize,
        forward: bool,
        start: Option<Item>,
    ) -> Result<(Vec<Item>, Option<Item>)> {
        let mut query = self
            .client
            .query()
            .table_name(&self.table)
            .consistent_read(true)
            .key_condition_expression(match prefix {
                Some(_) => "pk = :pk AND begins_with(sk, :prefix)",
                None => "pk = :pk",
            })
            .expression_attribute_values(":pk", s(pk))
            .scan_index_forward(forward)
            .limit(i32::try_from(limit).unwrap_or(i32::MAX))
            .set_exclusive_start_key(start);
        if let Some(prefix) = prefix {
            query = query.expression_attribute_values(":prefix", s(prefix));
        }
        if let Some(urn) = urn {
            query = query
                .filter_expression("#urn = :urn")
                .expression_attribute_names("#urn", "urn")
                .expression_attribute_values(":urn", s(urn.as_str()));
        }
        let out = query.send().await.map_err(|e| failure("Query", e))?;
        Ok((out.items.unwrap_or_default(), out.last_evaluated_key))
    }

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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn image(value: serde_json::Value) -> serde_dynamo::Item {
        serde_dynamo::to_item(value).unwrap()
    }

    /// Which new images ask for which follow-up: the filters of the template let only these
    /// through, and the function reads them the same way.
    #[test]
    fn new_images_ask_for_their_followup() {
        let closed = json!({"pk": "BUS#01jdbusiness0000000000000a", "sk": "META", "business_id": "01jdbusiness0000000000000a", "status": "closed"});
        assert_eq!(
            followup_of(image(closed)),
            Some(Followup::EndMemberships {
                business_id: BusinessId::parse("01jdbusiness0000000000000a").unwrap()
            })
        );
        let open = json!({"pk": "BUS#01jdbusiness0000000000000a", "sk": "META", "business_id": "01jdbusiness0000000000000a", "status": "authorized"});
        assert_eq!(followup_of(image(open)), None);
        let moving = json!({"pk": "CRED#sign-in-partner#new", "sk": "USER", "urn": "1234567894",
            "idp": "sign-in-partner", "sub": "new", "moving_from": {"idp": "gckey", "sub": "old"}});
        assert_eq!(
            followup_of(image(moving)),
            Some(Followup::MoveMemberships {
                urn: Urn::parse("1234567894").unwrap(),
                from: CredentialId::new(Idp::GcKey, "old").unwrap(),
                to: CredentialId::new(Idp::SignInPartner, "new").unwrap(),
            })
        );
        let settled = json!({"pk": "CRED#gckey#u", "sk": "USER", "urn": "1234567894",
            "idp": "gckey", "sub": "u"});
        assert_eq!(followup_of(image(settled)), None);
        let member = json!({"pk": "BUS#01jdbusiness0000000000000a", "sk": "MEMBER#1234567894", "status": "closed"});
        assert_eq!(followup_of(image(member)), None);
        assert_eq!(followup_of(image(json!({"pk": "x"}))), None);
        let tell = json!({"pk": "TELL#t1", "sk": "TELL", "tell_id": "t1", "after": "1234567894",
            "business_id": "01jdbusiness0000000000000a"});
        assert_eq!(
            followup_of(image(tell)),
            Some(Followup::TellMembers {
                tell_id: "t1".into(),
                after: "1234567894".into(),
            })
        );
    }
}
