//! Delegations' reads beyond one key: a business's lists (one Query of its `DELEGS#`
//! partition), and the open delegations whose end day has passed (GSI1 by day, never a scan).

use super::dynamo::{decode, from_item, DynamoStore};
use super::keys;
use crate::domain::business::BusinessAccount;
use crate::domain::delegation::{ActingFor, Day, Delegation, Direction};
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

impl DynamoStore {
    /// For each agent's side, the delegation it names and the business acted for, in one
    /// BatchGetItem (of at most 50 pairs each): what `GET /users/me/businesses` checks them by.
    pub async fn acted_for(
        &self,
        acting: &[ActingFor],
    ) -> Result<Vec<(Option<Delegation>, Option<BusinessAccount>)>> {
        let mut out = Vec::with_capacity(acting.len());
        for chunk in acting.chunks(50) {
            let mut wanted = Vec::with_capacity(chunk.len() * 2);
            for a in chunk {
                wanted.push((keys::delegation(&a.delegation_id), keys::DELEGATION_SK));
                wanted.push((keys::business(&a.business_id), keys::META_SK));
            }
            let mut found = self.get_many(&wanted).await?.into_iter();
            while let (Some(delegation), Some(business)) = (found.next(), found.next()) {
                out.push((decode(delegation)?, decode(business)?));
            }
        }
        Ok(out)
    }
}
