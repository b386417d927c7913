//! A plan becomes one conditional write. Every condition a change implies is written here, in
//! DynamoDB's terms, and nowhere else: a use case never sees an expression or a key. Each
//! family of changes writes in its own file; this one routes them and names a refusal.

mod business;
mod delegations;
#[cfg(test)]
mod fixtures;
mod imports;
mod letters;
mod secrets;
mod trail;
mod users;

use super::dynamo::{Cond, DynamoStore, Item, Tx, Value};
use crate::domain::plan::{Change, Plan};
use crate::error::{Error, Result};

impl DynamoStore {
    /// Writes `plan` all or nothing. When a change's condition no longer holds, nothing is
    /// written and the answer is that change's refusal (the first in the plan's order, if
    /// several failed), or the plan's own when the write collided with another request's.
    pub async fn apply(&self, plan: Plan) -> Result<()> {
        let meanwhile = plan.meanwhile();
        // Counted now, written once the plan is committed (the portal's events, see metrics).
        let events = crate::metrics::of_plan(&plan);
        let steps = plan.into_steps();
        let mut tx = self.tx();
        // The step each transaction item came from, to name the refusal of a failed item.
        let mut step_of_item = Vec::new();
        for (i, step) in steps.iter().enumerate() {
            let before = tx.len();
            write(&mut tx, &step.change)?;
            step_of_item.resize(tx.len(), i);
            debug_assert!(tx.len() > before, "every change writes or checks an item");
        }
        if tx.is_empty() {
            return Ok(());
        }
        match self.commit(tx).await? {
            Ok(()) => {
                crate::metrics::emit(&events);
                Ok(())
            }
            Err(refused) => {
                let first = refused
                    .items
                    .iter()
                    .filter_map(|&item| step_of_item.get(item))
                    .min();
                Err(Error::Refused(
                    first.map_or(meanwhile, |&step| steps[step].if_refused.clone()),
                ))
            }
        }
    }
}

fn with(mut item: Item, extra: Vec<(&str, Value)>) -> Item {
    for (name, value) in extra {
        item.insert(name.to_owned(), value);
    }
    item
}

fn version_before(version: u64) -> Cond {
    Cond::Version(version.saturating_sub(1))
}

/// Writes one change into `tx`, by its family. The match is exhaustive, so a new change
/// cannot go unwritten.
fn write(tx: &mut Tx<'_>, change: &Change) -> Result<()> {
    match change {
        Change::UserCreated(_)
        | Change::UrnClaimed(_)
        | Change::ProfileChanged { .. }
        | Change::CredentialTransferStarted { .. }
        | Change::UserMoved { .. }
        | Change::AddressUndeliverable(_)
        | Change::AccountUndeliverable { .. }
        | Change::ActiveOn { .. }
        | Change::DormancyWarned { .. }
        | Change::AccountRetired { .. }
        | Change::AccountReinstated { .. } => users::write(tx, change),

        Change::BusinessOpened(_)
        | Change::BusinessChanged { .. }
        | Change::BusinessStillAuthorized { .. }
        | Change::MemberAdded { .. }
        | Change::MemberRoleChanged { .. }
        | Change::MemberUnchanged { .. }
        | Change::MemberRemoved { .. }
        | Change::MembershipEnded { .. }
        | Change::MembershipStatusChanged { .. }
        | Change::OwnershipTransferRequested { .. }
        | Change::OwnershipTransferAccepted { .. }
        | Change::OwnershipTransferCancelled { .. }
        | Change::ConsentRecorded(_)
        | Change::MembersToBeTold(_) => business::write(tx, change),

        Change::SecretIssued { .. }
        | Change::SecretConsumed { .. }
        | Change::IdentifierUnchanged { .. }
        | Change::IdentifierFreed { .. }
        | Change::WrongTryCounted { .. }
        | Change::CredentialTryCounted { .. }
        | Change::CodeRequestCounted { .. }
        | Change::AttemptCounted { .. } => secrets::write(tx, change),

        Change::LetterQueued(_)
        | Change::LetterMailed { .. }
        | Change::LetterApproved { .. }
        | Change::LetterWithdrawn { .. }
        | Change::SecretRevoked { .. }
        | Change::LetterReplaced { .. }
        | Change::Registered(_)
        | Change::RegistrationFreed { .. }
        | Change::RegisterEntryPut(_) => letters::write(tx, change),

        Change::ImportStarted(_)
        | Change::ImportLineRecorded(_)
        | Change::ImportIdentifierClaimed(_) => imports::write(tx, change),

        Change::DelegationSaved { .. } | Change::AgentAssigned(_) | Change::AgentRemoved(_) => {
            delegations::write(tx, change)
        }

        Change::Audit(_) | Change::AgencyAudit(_) | Change::Notice(_) => trail::write(tx, change),
    }
}
