//! Delegations' reads beyond one key: a business's lists (one Query of its `DELEGS#`
//! partition), and the open delegations whose end day has passed (GSI1 by day, never a scan).

use super::dynamo::{from_item, DynamoStore};
use super::keys;
use crate::domain::delegation::{Day, Delegation, Direction};
use crate::domain::identifier::BusinessIdentifier;
use crate::domain::Program;
use crate::error::Result;

/// The most delegations the sweep takes from one day's partition per read.
pub const SWEEP_PAGE: i32 = 100;

impl DynamoStore {
    /// The delegations a business (by program and identifier) gives, receives, or both.
    pub async fn delegation_lists(
        &self,
        program: Program,
        identifier: &BusinessIdentifier,
        direction: Option<Direction>,
    ) -> Result<Vec<Delegation>> {
        let prefix = match direction {
            None => "",
            Some(Direction::Given) => keys::GIVEN_PREFIX,
            Some(Direction::Received) => keys::RECEIVED_PREFIX,
        };
        let items = self
            .query_prefix(keys::delegations_of(program, identifier), prefix)
            .await?;
        items.into_iter().map(from_item).collect()
    }

    /// Up to a page of the open delegations whose last day was `day`.
    pub async fn delegations_ending(&self, day: &Day) -> Result<Vec<Delegation>> {
        let items = self
            .due(&keys::delegations_ending(day), "~", SWEEP_PAGE)
            .await?;
        items.into_iter().map(from_item).collect()
    }
}
