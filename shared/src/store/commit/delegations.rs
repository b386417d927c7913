//! What a delegation asks of the table: the delegation as read, in the sweep's index while
//! open, copied into each party's list, and one agent side per business acted for.

use super::with;
use crate::domain::delegation::Side;
use crate::domain::plan::Change;
use crate::error::Result;
use crate::store::dynamo::{item_of, s, to_item, Cond, Tx};
use crate::store::keys::{self, Key, Keyed};

/// Writes a delegation's change into `tx` (`commit::write` routes only these here).
pub(super) fn write(tx: &mut Tx<'_>, change: &Change) -> Result<()> {
    match change {
        Change::DelegationSaved {
            delegation,
            replacing,
        } => {
            let mut item = item_of(delegation)?;
            if delegation.status.is_open() {
                // The sparse index the daily sweep reads by end day (no scan).
                item = with(
                    item,
                    vec![
                        ("gsi1pk", s(keys::delegations_ending(&delegation.ends_on))),
                        ("gsi1sk", s(delegation.delegation_id.as_str())),
                    ],
                );
            }
            let cond = replacing.map_or(Cond::Absent, Cond::Version);
            tx.put_item("delegation", item, cond)?;
            // Each party's list holds a copy, written with it (the lists need no second read).
            for side in [Side::Grantor, Side::Grantee] {
                let Key { pk, sk } = delegation.list_key(side);
                let copy = with(
                    to_item(delegation)?,
                    vec![(keys::PK, s(pk)), (keys::SK, s(sk))],
                );
                tx.put_item("delegation list", copy, Cond::Always)?;
            }
        }

        Change::AgentAssigned(acting) => {
            tx.put_item(
                "agent",
                item_of(acting)?,
                Cond::Expr(
                    "attribute_not_exists(pk) OR #delegation_id = :d",
                    vec![(":d", s(acting.delegation_id.as_str()))],
                ),
            )?;
        }
        Change::AgentRemoved(acting) => {
            let Key { pk, sk } = acting.key();
            tx.delete(
                "agent",
                pk,
                &sk,
                Cond::Expr(
                    "attribute_not_exists(pk) OR #delegation_id = :d",
                    vec![(":d", s(acting.delegation_id.as_str()))],
                ),
            )?;
        }
        other => unreachable!("not a delegation's change: {other:?}"),
    }
    Ok(())
}
