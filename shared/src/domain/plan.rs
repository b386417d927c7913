//! A plan: what one decision asks the store to write, all or nothing, in the portal's words.
//!
//! A use case loads, asks a decision for a `Plan` (or a `Refusal`), and hands the plan to the
//! store, which writes it as one conditional write. Each change carries the condition it implies
//! (a business changes "from the version read", a member is added "if not a member yet"), and
//! the refusal to give if another request broke that condition between the read and the write.

use super::agency_audit::AgencyAuditEvent;
use super::audit::AuditEvent;
use super::business::MailingAddress;
use super::business::{BusinessAccount, ConsentEntry};
use super::delegation::{ActingFor, Delegation};
use super::identifier::Bn9;
use super::identifier::BusinessIdentifier;
use super::import::{IdentifierClaim, Import, LineRecord};
use super::member::{Member, MembersToTell, Membership, OwnershipTransfer};
use super::notice::Notice;
use super::onboarding::{CredentialTries, IdentifierSecret, Letter, RegisterEntry, Registration};
use super::refusal::{Changed, Refusal};
use super::user::{CredentialTransferCode, UrnEntry, User};
use super::{BusinessId, CredentialId, LetterId, Program, Urn};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    // ---------------------------------------------------------------- user accounts
    /// A new user account under its credential, if the credential has none.
    UserCreated(User),
    /// A new user account's URN, if nobody has it.
    UrnClaimed(UrnEntry),
    /// The profile as `user` has it, from the version before `user.version`; the URN index
    /// follows.
    ProfileChanged {
        user: User,
    },
    /// A credential-transfer code for `user` (as read: the code replaces any earlier one).
    CredentialTransferStarted {
        user: User,
        code: CredentialTransferCode,
    },
    /// The user account `from` (as read, with its live code) now answers to `to.credential`;
    /// the URN index follows, the code is consumed, and `memberships` (as read, under the old
    /// credential) move with it.
    UserMoved {
        from: User,
        /// Boxed: two whole accounts would make every `Change` as big as this one.
        to: Box<User>,
        memberships: Vec<Membership>,
        /// The account's sides of delegations (as read, under the old credential).
        acting_for: Vec<ActingFor>,
    },

    /// SES reported a permanent bounce or a complaint: the address is undeliverable, if it
    /// has no mark yet (the first report is kept).
    AddressUndeliverable(super::undeliverable::Undeliverable),
    /// The same mark on the user account the notice went to, while it still has `email`
    /// (a new version of the account, so no change read before it overwrites the mark).
    AccountUndeliverable {
        urn: Urn,
        credential: CredentialId,
        email: crate::domain::Email,
        mark: Box<crate::domain::undeliverable::Undeliverable>,
    },

    /// The account's first request of `day`: its last active day (and its place in the
    /// index by day) moves there, only if no request of that day recorded it first and the
    /// account is not retired.
    ActiveOn {
        credential: CredentialId,
        day: i64,
    },
    /// The dormancy sweep warned the account last active on `day`: once, and only if it is
    /// still last active that day.
    DormancyWarned {
        credential: CredentialId,
        day: i64,
    },
    /// The account (as read, last active on its `active_day`) is retired at `at`, only if it
    /// made no request since; the URN index follows.
    AccountRetired {
        user: User,
        at: String,
    },
    /// The retired account `user` (as it leaves it: active today) is reinstated, only if it is
    /// still retired; the URN index follows.
    AccountReinstated {
        user: User,
    },

    // ---------------------------------------------------------------- business accounts
    /// A new business account.
    BusinessOpened(BusinessAccount),
    /// The business as `after` has it, from the version before `after.business.version`.
    BusinessChanged {
        after: BusinessAccount,
    },
    /// Nothing is written to the business, but it must still be authorized.
    BusinessStillAuthorized {
        business_id: BusinessId,
    },
    /// Both sides of a new membership.
    MemberAdded {
        member: Member,
        membership: Membership,
    },
    /// A member's new role (from the version before `member.version`), on both sides.
    MemberRoleChanged {
        member: Member,
    },
    /// Nothing is written to the member, but they must still be as read.
    MemberUnchanged {
        member: Member,
    },
    /// Both sides of a membership go, if the member is still as read.
    MemberRemoved {
        member: Member,
    },
    /// Both sides of a membership go, whatever its version (the business is closing).
    MembershipEnded {
        member: Member,
    },
    /// The member's side of a membership shows the business's new status.
    MembershipStatusChanged {
        membership: Membership,
    },
    /// A pending ownership transfer, if none is pending (an expired one may be replaced).
    OwnershipTransferRequested {
        transfer: OwnershipTransfer,
        now: i64,
    },
    /// The pending transfer ends by being accepted: only if it names `to_urn` and is live.
    OwnershipTransferAccepted {
        business_id: BusinessId,
        to_urn: Urn,
        now: i64,
    },
    /// The pending transfer ends by being cancelled, if there is one.
    OwnershipTransferCancelled {
        business_id: BusinessId,
    },
    /// One more entry of the consent history.
    ConsentRecorded(ConsentEntry),
    /// Every member of the business is to be told (by the follow-up, a step at a time).
    MembersToBeTold(MembersToTell),

    // ---------------------------------------------------------------- identifiers and secrets
    /// A new secret for the identifier: a first one (`replacing` none), or in place of the one
    /// read at version `replacing`, if no business account took the identifier meanwhile.
    SecretIssued {
        secret: IdentifierSecret,
        replacing: Option<u64>,
    },
    /// The secret (as read) is used by the activation that opens `business_id`: only if it is
    /// still issued and unused. Every code of the identifier dies with it.
    SecretConsumed {
        secret: IdentifierSecret,
        business_id: BusinessId,
        at: String,
    },
    /// Nothing is written to the identifier's secret, but it must still be as read (at
    /// `version`; 0: none, or only counted tries). A request that sends no code still writes
    /// as one that does, so the two are not told apart.
    IdentifierUnchanged {
        program: Program,
        identifier: BusinessIdentifier,
        version: u64,
    },
    /// The identifier's business account closed: the identifier may get a new secret.
    IdentifierFreed {
        program: Program,
        identifier: BusinessIdentifier,
    },
    /// One more wrong try against the identifier (counted even where it has no secret). With
    /// `reported_day`, the tries piling up are reported that day: only if not reported yet.
    WrongTryCounted {
        program: Program,
        identifier: BusinessIdentifier,
        reported_day: Option<i64>,
    },
    /// One more wrong try of `credential` on the identifier: `tries` as they stand after it.
    /// `restart` when the record read counted against an earlier issue or ran out (`tries`
    /// is then the first), else one is added to the count.
    CredentialTryCounted {
        program: Program,
        identifier: BusinessIdentifier,
        credential: CredentialId,
        tries: CredentialTries,
        restart: bool,
    },
    /// One more request for a new code by a credential in an hour (every request, so each
    /// writes alike whatever the identifier).
    CodeRequestCounted {
        credential: CredentialId,
        hour: i64,
    },
    /// One more activation attempt of a credential in an hour, within `max`.
    AttemptCounted {
        credential: CredentialId,
        hour: i64,
        max: u64,
    },
    /// A letter for the agency to print and mail.
    LetterQueued(Letter),
    /// The pending letter is in the mail: its code leaves the table.
    LetterMailed {
        letter_id: LetterId,
        at: String,
    },
    /// A letter that was not mailed yet never will be, because a newer code replaced it: its
    /// code leaves the table.
    LetterReplaced {
        letter_id: LetterId,
        at: String,
    },
    /// A letter in review is approved: it waits to be mailed, to `mailing_address`, and its
    /// code expires at `expires_at`.
    LetterApproved {
        letter_id: LetterId,
        mailing_address: MailingAddress,
        expires_at: i64,
        at: String,
    },
    /// A letter in review is rejected: never mailed, its code dropped.
    LetterWithdrawn {
        letter_id: LetterId,
        reason: String,
        at: String,
    },
    /// The identifier's secret at `version` (the one a withdrawn letter carried) stops
    /// working, if no business account took the identifier.
    SecretRevoked {
        program: Program,
        identifier: BusinessIdentifier,
        version: u64,
    },
    /// A Business Number registered once.
    Registered(Registration),
    /// A rejected registration no longer holds its Business Number (if it is still the one
    /// that drew `client_number`), so the real business can register.
    RegistrationFreed {
        business_number: Bn9,
        client_number: BusinessIdentifier,
    },
    /// The agency's own record of a business, as an officer put it.
    RegisterEntryPut(RegisterEntry),

    // ---------------------------------------------------------------- batch imports
    /// A new import of a file, if it was not started before.
    ImportStarted(Import),
    /// One line's outcome under its import, if that line has none yet.
    ImportLineRecorded(LineRecord),
    /// An identifier taken by a line of an import, if no line of it took it before.
    ImportIdentifierClaimed(IdentifierClaim),

    // ---------------------------------------------------------------- delegations
    /// A delegation as `delegation` has it, with both parties' list copies: a new one
    /// (`replacing` none) or in place of the version read.
    DelegationSaved {
        delegation: Delegation,
        replacing: Option<u64>,
    },
    /// An agent's side of a delegation, under their credential: new, or the same delegation's.
    AgentAssigned(ActingFor),
    /// An agent's side goes (if it is still this delegation's).
    AgentRemoved(ActingFor),

    // ---------------------------------------------------------------- with every change
    Audit(AuditEvent),
    /// What an officer did, in the agency audit.
    AgencyAudit(AgencyAuditEvent),
    Notice(Notice),
}

/// One change and what to answer if its condition no longer holds at the write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub change: Change,
    pub if_refused: Refusal,
}

/// The changes of one decision, written together or not at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    steps: Vec<Step>,
    /// What changed meanwhile when another request's write got in the way of this one.
    contended: Changed,
}

impl Plan {
    /// An empty plan; `contended` names what another request would have changed if the write
    /// collides with it.
    pub fn new(contended: Changed) -> Self {
        Self {
            steps: Vec::new(),
            contended,
        }
    }

    /// Adds a change whose failed condition means `if_refused`. When several fail, the first
    /// added wins: add the most telling first.
    pub fn with(mut self, change: Change, if_refused: Refusal) -> Self {
        self.push(change, if_refused);
        self
    }

    pub fn push(&mut self, change: Change, if_refused: Refusal) {
        self.steps.push(Step { change, if_refused });
    }

    /// A change whose condition fails only if another request changed the same thing.
    pub fn and(mut self, change: Change) -> Self {
        let refusal = self.meanwhile();
        self.push(change, refusal);
        self
    }

    /// Another decision's changes after these, each keeping its own refusal: one write for
    /// what two decisions planned (an imported row's register entry and its secret).
    pub fn then(mut self, other: Plan) -> Self {
        self.steps.extend(other.steps);
        self
    }

    pub fn add(&mut self, change: Change) {
        let refusal = self.meanwhile();
        self.push(change, refusal);
    }

    /// The refusal when the write collided with another request's.
    pub fn meanwhile(&self) -> Refusal {
        Refusal::ChangedMeanwhile(self.contended)
    }

    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    pub fn changes(&self) -> impl Iterator<Item = &Change> {
        self.steps.iter().map(|s| &s.change)
    }

    pub fn into_steps(self) -> Vec<Step> {
        self.steps
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }
}
