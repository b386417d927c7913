//! What a business account's changes ask of the table: the business as read, its members and
//! both sides of each membership, one pending ownership transfer, its consent history.

use super::{version_before, with};
use crate::domain::plan::Change;
use crate::error::Result;
use crate::store::dynamo::{av, item_of, n, s, Cond, Tx};
use crate::store::followups;
use crate::store::keys::{self, Key, Keyed};

/// Writes a business account's change into `tx` (`commit::write` routes only these here).
pub(super) fn write(tx: &mut Tx<'_>, change: &Change) -> Result<()> {
    match change {
        Change::BusinessOpened(business) => {
            tx.put_item("business", item_of(business)?, Cond::Absent)?;
        }
        Change::BusinessChanged { after } => {
            tx.put_item(
                "business",
                item_of(after)?,
                version_before(after.business.version),
            )?;
        }
        Change::BusinessStillAuthorized { business_id } => {
            tx.check(
                "business",
                keys::business(business_id),
                keys::META_SK,
                Cond::Expr(
                    "#status = :authorized",
                    vec![(":authorized", s("authorized"))],
                ),
            )?;
        }
        Change::MemberAdded { member, membership } => {
            tx.put_item("member", item_of(member)?, Cond::Absent)?
                .put_item("membership", item_of(membership)?, Cond::Absent)?;
        }
        Change::MemberRoleChanged { member } => {
            let side = member.membership_key();
            tx.put_item("member", item_of(member)?, version_before(member.version))?
                .update(
                    "membership",
                    side.pk,
                    &side.sk,
                    vec![("role", av(&member.role)?)],
                    &[],
                    Cond::Exists,
                )?;
        }
        Change::MemberUnchanged { member } => {
            let Key { pk, sk } = member.key();
            tx.check("member", pk, &sk, Cond::Version(member.version))?;
        }
        Change::MemberRemoved { member } => {
            let (Key { pk, sk }, side) = (member.key(), member.membership_key());
            tx.delete("member", pk, &sk, Cond::Version(member.version))?
                .delete("membership", side.pk, &side.sk, Cond::Exists)?;
        }
        Change::MembershipEnded { member } => {
            followups::end_membership(tx, member)?;
        }
        Change::MembershipStatusChanged { membership } => {
            let Key { pk, sk } = membership.key();
            tx.update(
                "membership",
                pk,
                &sk,
                vec![("status", av(&membership.status)?)],
                &[],
                Cond::Exists,
            )?;
        }
        Change::OwnershipTransferRequested { transfer, now } => {
            tx.put_item(
                "transfer",
                with(item_of(transfer)?, vec![("ttl", n(transfer.expires_at))]),
                // One pending transfer at a time; an expired one may be replaced.
                Cond::Expr(
                    "attribute_not_exists(pk) OR #expires_at < :now",
                    vec![(":now", n(now))],
                ),
            )?;
        }
        Change::OwnershipTransferAccepted {
            business_id,
            to_urn,
            now,
        } => {
            tx.delete(
                "transfer",
                keys::business(business_id),
                keys::TRANSFER_SK,
                Cond::Expr(
                    "#to_urn = :me AND #expires_at > :now",
                    vec![(":me", s(to_urn.as_str())), (":now", n(now))],
                ),
            )?;
        }
        Change::OwnershipTransferCancelled { business_id } => {
            tx.delete(
                "transfer",
                keys::business(business_id),
                keys::TRANSFER_SK,
                Cond::Exists,
            )?;
        }
        Change::ConsentRecorded(entry) => {
            tx.put_item("consent", item_of(entry)?, Cond::Absent)?;
        }
        Change::MembersToBeTold(tell) => {
            tx.put_item("members to tell", item_of(tell)?, Cond::Absent)?;
        }
        other => unreachable!("not a business account's change: {other:?}"),
    }
    Ok(())
}
