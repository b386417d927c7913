//! Delegation between business accounts: business A (the grantor) lets business B (the
//! grantee) act for it in A's program, with `view` or `view_submit`, until an end day.
//!
//! Each party is named by its program and identifier, and by its business id once known: a
//! grant to an identifier with no business account yet waits for the account that takes it,
//! so the answer to a grant never says whether the identifier has an account.

use serde::{Deserialize, Serialize};
use time::{macros::format_description, Date, Month, OffsetDateTime};

use super::business::{BusinessAccount, LegalName, Permission};
use super::identifier::BusinessIdentifier;
use super::ids::{BusinessId, DelegationId};
use super::person::{bounded_text, text_newtype, TextError};
use super::{CredentialId, PersonName, Program, Urn};
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

/// A `YYYY-MM-DD` day (UTC): a delegation is in force through the end of its end day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day(Date);

const DAY_FORMAT: &[time::format_description::FormatItem<'static>] =
    format_description!("[year]-[month]-[day]");

impl Day {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        Date::parse(input, DAY_FORMAT)
            .map(Self)
            .map_err(|_| "must be a day written YYYY-MM-DD")
    }

    /// The UTC day of `epoch`.
    pub fn of(epoch: i64) -> Self {
        Self(
            OffsetDateTime::from_unix_timestamp(epoch)
                .map(|t| t.date())
                .unwrap_or(Date::MIN),
        )
    }

    /// The same day `years` later (28 February for a 29th that year has not).
    pub fn plus_years(self, years: i32) -> Self {
        let (year, month, day) = (self.0.year() + years, self.0.month(), self.0.day());
        Self(
            Date::from_calendar_date(year, month, day)
                .or_else(|_| Date::from_calendar_date(year, Month::February, 28))
                .unwrap_or(self.0),
        )
    }

    /// The first second after this day (UTC): when something in force "until" it stops.
    pub fn end_epoch(self) -> i64 {
        self.0
            .next_day()
            .map_or(i64::MAX, |d| d.midnight().assume_utc().unix_timestamp())
    }

    pub fn plus_days(self, days: i64) -> Self {
        Self(self.0 + time::Duration::days(days))
    }

    pub fn as_string(self) -> String {
        self.0.format(DAY_FORMAT).unwrap_or_default()
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_string())
    }
}

impl Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.as_string())
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

text_newtype!(
    /// A note between the two businesses, e.g. "customs broker for the Windsor crossing".
    DelegationNote, 500, true
);

/// One business in a delegation: by program and identifier, and by id once known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    pub program: Program,
    pub identifier: BusinessIdentifier,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_id: Option<BusinessId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_name: Option<LegalName>,
}

impl Party {
    /// How the other side and notices name it: its legal name once it took part, else the
    /// identifier typed.
    pub fn shown(&self) -> String {
        match &self.legal_name {
            Some(name) => format!("{name} ({})", self.identifier),
            None => self.identifier.to_string(),
        }
    }

    /// A business account as a party.
    pub fn of(account: &BusinessAccount) -> Self {
        let b = &account.business;
        Self {
            program: b.program,
            identifier: b.identifier.clone(),
            business_id: Some(b.business_id.clone()),
            legal_name: Some(b.legal_name.clone()),
        }
    }

    /// A business known only by what the other side typed (`business_id` if the identifier has
    /// a live account: it is never shown to the other side before it answers).
    pub fn named(
        program: Program,
        identifier: BusinessIdentifier,
        business_id: Option<BusinessId>,
    ) -> Self {
        Self {
            program,
            identifier,
            business_id,
            legal_name: None,
        }
    }

    /// Whether `account` is this party: the same program and identifier, and the same account
    /// once one is known (a later account for a freed identifier is not the party).
    pub fn is(&self, account: &BusinessAccount) -> bool {
        let b = &account.business;
        self.program == b.program
            && self.identifier == b.identifier
            && self
                .business_id
                .as_ref()
                .is_none_or(|id| id == &b.business_id)
    }
}

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

/// A member of the grantee chosen to act for the grantor, within the grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agent {
    pub urn: Urn,
    pub name: PersonName,
    /// Where their side (`ActingFor`) lives.
    #[serde(flatten)]
    pub credential: CredentialId,
    pub permissions: DelegatedPermissions,
    pub since: String,
}

/// An agent's own side, under their credential beside their memberships: `GET
/// /users/me/businesses` finds it in the same Query, then checks the delegation still holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActingFor {
    #[serde(flatten)]
    pub credential: CredentialId,
    pub urn: Urn,
    pub delegation_id: DelegationId,
    /// The business acted for (the grantor).
    pub business_id: BusinessId,
    /// The business whose member the agent is (the grantee).
    pub through_business_id: BusinessId,
    pub through_legal_name: Option<LegalName>,
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

/// Which list of a business: the delegations it gives, or those it receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Given,
    Received,
}

impl Direction {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        match input {
            "given" => Ok(Self::Given),
            "received" => Ok(Self::Received),
            _ => Err("must be given or received"),
        }
    }

    pub fn side(self) -> Side {
        match self {
            Self::Given => Side::Grantor,
            Self::Received => Side::Grantee,
        }
    }
}

// ---------------------------------------------------------------- the signed proof

/// A party as a proof states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProofParty {
    pub program: Program,
    pub business_identifier: String,
    pub legal_name: Option<String>,
}

impl From<&Party> for ProofParty {
    fn from(p: &Party) -> Self {
        Self {
            program: p.program,
            business_identifier: p.identifier.as_str().to_owned(),
            legal_name: p.legal_name.as_ref().map(|n| n.as_str().to_owned()),
        }
    }
}

/// The claims of a proof of delegation (a JWS the portal signs): who acts for whom, in which
/// program, with what, until when. `exp` is the end of the end day; `sub` the delegation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProofClaims {
    pub iss: String,
    pub jti: String,
    pub sub: DelegationId,
    pub iat: i64,
    pub exp: i64,
    pub program: Program,
    pub grantor: ProofParty,
    pub grantee: ProofParty,
    pub permissions: DelegatedPermissions,
    pub ends_on: Day,
}

/// Who issues proofs.
pub const PROOF_ISSUER: &str = "trade-portal-accounts";

// ---------------------------------------------------------------- the commands requests become

/// What one business proposes to the other: permissions, end day and note.
#[derive(Debug, Clone)]
pub struct DelegationTerms {
    pub permissions: DelegatedPermissions,
    pub ends_on: Day,
    pub note: Option<DelegationNote>,
}

/// `POST /businesses/{id}/delegations` (the grantor offers) and
/// `POST /businesses/{id}/delegation-requests` (the grantee asks): the other business by its
/// program and identifier.
#[derive(Debug, Clone)]
pub struct OpenDelegation {
    pub business_id: BusinessId,
    pub other_program: Program,
    pub other_identifier: BusinessIdentifier,
    pub terms: DelegationTerms,
}

/// `POST /businesses/{id}/delegations/{delegation_id}/accept` and `DELETE` of the same.
#[derive(Debug, Clone)]
pub struct DelegationAt {
    pub business_id: BusinessId,
    pub delegation_id: DelegationId,
}

/// `PUT /businesses/{id}/delegations/{delegation_id}/agents/{urn}` `{permissions?}` (the
/// delegation's own when absent) and `DELETE` of the same (`permissions` none).
#[derive(Debug, Clone)]
pub struct AgentOrder {
    pub at: DelegationAt,
    pub urn: Urn,
    pub permissions: Option<DelegatedPermissions>,
}

/// `POST /delegation-proofs/check` `{proof}`.
#[derive(Debug, Clone)]
pub struct ProofCheck {
    pub proof: String,
}

/// `GET /businesses/{id}/delegations?direction=`.
#[derive(Debug, Clone)]
pub struct DelegationsQuery {
    pub business_id: BusinessId,
    /// Both lists when none.
    pub direction: Option<Direction>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_parse_and_move_on() {
        let cases = [
            ("2026-11-25", true),
            ("2028-02-29", true),
            ("2027-02-29", false),
            ("2026-13-01", false),
            ("26-11-25", false),
            ("2026-11-25T00:00:00Z", false),
            ("", false),
        ];
        for (input, ok) in cases {
            assert_eq!(Day::parse(input).is_ok(), ok, "{input:?}");
        }
        let leap = Day::parse("2028-02-29").unwrap();
        assert_eq!(leap.plus_years(2).as_string(), "2030-02-28");
        assert_eq!(Day::of(1_795_000_000).as_string(), "2026-11-18");
        assert_eq!(
            Day::parse("2026-12-31").unwrap().plus_days(1).as_string(),
            "2027-01-01"
        );
    }
}
