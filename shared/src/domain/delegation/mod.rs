//! Delegation between business accounts: business A (the grantor) lets business B (the
//! grantee) act for it in A's program, with `view` or `view_submit`, until an end day.
//!
//! Each party is named by its program and identifier, and by its business id once known: a
//! grant to an identifier with no business account yet waits for the account that takes it,
//! so the answer to a grant never says whether the identifier has an account.
//!
//! This file holds the delegation as stored, where it stands and what it grants; the end day,
//! the parties, the agents, the signed proof and the commands each have their own file.

mod agents;
mod commands;
mod day;
mod party;
mod proof;

pub use agents::{ActingFor, Agent};
pub use commands::{
    AgentOrder, DelegationAt, DelegationTerms, DelegationsQuery, Direction, OpenDelegation,
    ProofCheck,
};
pub use day::Day;
pub use party::Party;
pub use proof::{ProofClaims, ProofParty, PROOF_ISSUER};

use serde::{Deserialize, Serialize};

use super::business::{BusinessAccount, Permission};
use super::ids::DelegationId;
use super::person::{bounded_text, text_newtype, TextError};
use super::{Program, Urn};
use std::fmt;

/// What the grantee may do for the grantor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DelegatedPermissions {
    View,
    ViewSubmit,
}

impl DelegatedPermissions {
    /// The lesser of these and `grant`.
    pub fn min_with(self, grant: Self) -> Self {
        if self.within(grant) {
            self
        } else {
            grant
        }
    }

    /// Whether these are no more than `grant`.
    pub fn within(self, grant: Self) -> bool {
        self == grant || self == Self::View
    }

    pub fn parse(input: &str) -> Result<Self, &'static str> {
        match input {
            "view" => Ok(Self::View),
            "view_submit" => Ok(Self::ViewSubmit),
            _ => Err("must be view or view_submit"),
        }
    }

    /// The permissions of the contract's table this delegation can pass on.
    pub fn permissions(self) -> &'static [Permission] {
        match self {
            Self::View => &[Permission::DeclarationsView, Permission::MessagesView],
            Self::ViewSubmit => &[
                Permission::DeclarationsView,
                Permission::DeclarationsEdit,
                Permission::MessagesView,
            ],
        }
    }
}

/// Where a delegation stands. `Pending` waits for the grantee's owner (the grantor offered it),
/// `Requested` for the grantor's owner (the grantee asked for it); the rest are final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DelegationStatus {
    Pending,
    Requested,
    Active,
    /// The side that was asked said no.
    Declined,
    /// The side that asked took it back before an answer.
    Withdrawn,
    /// Ended by either side while active.
    Ended,
    /// Its end day passed.
    Expired,
}

impl DelegationStatus {
    pub fn is_open(self) -> bool {
        matches!(self, Self::Pending | Self::Requested | Self::Active)
    }
}

/// What happened to a delegation, as both owners are told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DelegationNews {
    Offered,
    Requested,
    Accepted,
    Approved,
    Declined,
    Withdrawn,
    Ended,
    Expired,
    /// Its end day is 30 days away.
    EndingSoon,
    /// One of the two businesses closed its account, which ended it.
    Closed,
}

impl DelegationNews {
    /// The news of a step of the history (`DelegationStep::action`).
    pub fn of_action(action: &str) -> Option<Self> {
        serde_json::from_value(serde_json::Value::String(action.to_owned())).ok()
    }
}

/// Which side of a delegation a business is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Grantor,
    Grantee,
}

text_newtype!(
    /// A note between the two businesses, e.g. "customs broker for the Windsor crossing".
    DelegationNote, 500, true
);

/// Who did what to a delegation, and when (both sides see it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DelegationStep {
    /// `offered`, `requested`, `accepted`, `approved`, `declined`, `withdrawn`, `ended`, `expired`.
    pub action: String,
    /// The side that did it (none for the end day passing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub side: Option<Side>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_urn: Option<Urn>,
    pub at: String,
}

/// A delegation, as stored (once by id, and a copy in each party's list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delegation {
    pub delegation_id: DelegationId,
    pub grantor: Party,
    pub grantee: Party,
    pub permissions: DelegatedPermissions,
    pub ends_on: Day,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<DelegationNote>,
    pub status: DelegationStatus,
    pub history: Vec<DelegationStep>,
    pub created_at: String,
    pub version: u64,
    /// The grantee's members chosen to act under it.
    #[serde(default)]
    pub agents: Vec<Agent>,
    /// Both owners were told its end day is near.
    #[serde(default)]
    pub reminded: bool,
}

impl Delegation {
    /// The program the grantee acts in: the grantor's.
    pub fn program(&self) -> Program {
        self.grantor.program
    }

    pub fn party(&self, side: Side) -> &Party {
        match side {
            Side::Grantor => &self.grantor,
            Side::Grantee => &self.grantee,
        }
    }

    /// The side `account` is on, if it is a party.
    pub fn side_of(&self, account: &BusinessAccount) -> Option<Side> {
        if self.grantor.is(account) {
            Some(Side::Grantor)
        } else if self.grantee.is(account) {
            Some(Side::Grantee)
        } else {
            None
        }
    }

    /// The status as of `today`: an open delegation past its end day has expired, whether or
    /// not the daily sweep has recorded it yet.
    pub fn status_on(&self, today: Day) -> DelegationStatus {
        if self.status.is_open() && today > self.ends_on {
            DelegationStatus::Expired
        } else {
            self.status
        }
    }

    pub fn in_force(&self, today: Day) -> bool {
        self.status_on(today) == DelegationStatus::Active
    }
}
