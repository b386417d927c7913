//! A delegation, its copy in each party's lists, the sweep's index by end day, and an agent's
//! side under their credential.

use super::accounts::credential;
use super::{Key, Keyed};
use crate::domain::delegation::{ActingFor, Day, Delegation, Side};
use crate::domain::identifier::BusinessIdentifier;
use crate::domain::ids::DelegationId;
use crate::domain::programs::Program;

pub const DELEGATION_SK: &str = "DELEG";
pub const GIVEN_PREFIX: &str = "GIVEN#";
pub const RECEIVED_PREFIX: &str = "RECEIVED#";

pub fn delegation(id: &DelegationId) -> String {
    format!("DELEG#{id}")
}

/// The partition of a business's delegation lists, by program and identifier: a grant to an
/// identifier with no account yet is found there by the account that takes it.
pub fn delegations_of(program: Program, identifier: &BusinessIdentifier) -> String {
    format!("DELEGS#{}#{}", program.as_str(), identifier.as_str())
}

/// GSI1 partition of the open delegations whose last day is `day` (the daily sweep's read).
pub fn delegations_ending(day: &Day) -> String {
    format!("DELEGATIONS#ends#{day}")
}

impl Keyed for Delegation {
    fn key(&self) -> Key {
        Key::new(delegation(&self.delegation_id), DELEGATION_SK)
    }
}

/// The sort-key prefix of an agent's side of a delegation, under their credential.
pub const ACTING_FOR_PREFIX: &str = "ACTFOR#";

impl Keyed for ActingFor {
    /// One per agent and business acted for: the access check of that business finds it by key.
    fn key(&self) -> Key {
        Key::new(
            credential(&self.credential),
            format!("{ACTING_FOR_PREFIX}{}", self.business_id),
        )
    }
}

impl Delegation {
    /// Its copy in the list of `side`'s business.
    pub fn list_key(&self, side: Side) -> Key {
        let (party, prefix) = match side {
            Side::Grantor => (&self.grantor, GIVEN_PREFIX),
            Side::Grantee => (&self.grantee, RECEIVED_PREFIX),
        };
        Key::new(
            delegations_of(party.program, &party.identifier),
            format!("{prefix}{}", self.delegation_id),
        )
    }
}
