//! Why the portal says no: every refusal a decision (or a failed write condition) can give,
//! in the portal's words. `http::problem` turns each into its problem response, in one place.

/// Which thing another request changed between this request's read and its write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changed {
    UserAccount,
    /// The caller's credential: another request opened a user account for it.
    Credential,
    /// The user account a transfer code was being made for (the caller sent nothing they
    /// read, so trying again is enough).
    AccountForCode,
    /// The user account a transfer code moves, or the credential claiming it.
    AccountOrCredential,
    Business,
    /// A member, or the business they belong to.
    Member,
    /// The identifier's secret (activated, or another secret issued).
    Identifier,
    Registration,
    /// The agency's business register entry (another officer's edit).
    Register,
    /// A letter: another officer marked it mailed, approved or rejected it.
    Letter,
    /// A delegation: the other business answered or ended it meanwhile.
    Delegation,
    /// An import: another step of it started it, or took a line or an identifier, meanwhile.
    Import,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    // ---- invalid (422)
    /// Adding a person (not changing a member's role) needs the e-mail of their account.
    EmailNeededToAdd,

    // ---- not found (404): never says whether the thing exists for someone else
    NoUserAccount,
    NoSuchBusiness,
    NoUserWithUrn,
    NoSuchMember,
    NotAMember,
    NoTransferPending,
    NoSuchLetter,
    NoSuchTransferCode,

    // ---- sign in again (401 with an RFC 9470 challenge)
    /// The route needs a sign-in at most 15 minutes old.
    SignInAgain,
    /// The route needs a sign-in with a second factor.
    MultiFactorNeeded,

    // ---- forbidden (403)
    RoleDoesNotAllow,
    OwnRole,
    OwnerRoleByTransferOnly,
    OwnerRemovedByTransferOnly,
    /// A wrong identifier/secret pair; the caller's tries left before a lock.
    WrongSecret {
        attempts_left: u32,
    },
    TransferNamesAnother,
    AgencyOnly,
    /// The account went two years without a request: its credential does nothing until an
    /// officer reinstates it.
    AccountRetired,

    // ---- conflict (409)
    AccountExists,
    PortalTermsNotCurrent,
    ProgramTermsNotCurrent,
    /// Information changes only once the program's terms are accepted.
    NotAuthorizedYet,
    /// Members change only once the program's terms are accepted.
    MembersWaitForTerms,
    /// The client's `If-Match` is not the current version.
    Stale(Changed),
    /// Another request changed it between our read and our write.
    ChangedMeanwhile(Changed),
    TransferAlreadyPending,
    /// The account's memberships are still being moved from its previous credential.
    AccountStillMoving,
    AlreadyRegistered,
    LetterAlreadyMailed,
    /// No e-mail change is waiting for a code.
    NoEmailChangePending,
    /// Only a letter in review is approved or rejected.
    LetterNotInReview,
    /// Only a letter waiting to be mailed is marked mailed.
    LetterNotPending,
    /// Only a retired account is reinstated.
    AccountNotRetired,

    // ---- gone (410)
    SecretUsed,
    SecretExpired,
    TransferExpired,
    TransferEnded,
    TransferCodeExpired,
    TransferCodeInvalid,
    TransferCodeReplaced,

    // ---- locked (423), too many (429)
    /// The caller's own wrong tries lock them out of the identifier (for a day, or until a
    /// new secret is issued); nobody else is.
    SecretLocked,
    TooManyAttempts {
        retry_after_secs: u64,
    },

    // ---- invalid (422)
    AlreadyOwner,
    /// Not the code sent to the new address (the try is counted).
    EmailCodeWrong,
    /// The last wrong try a pending e-mail change allows: the change is dropped.
    EmailCodeWrongTooOften,
    /// The e-mail change's code outlived its day: the change is dropped.
    EmailCodeExpired,

    // ---- delegations between business accounts
    /// 404: no such delegation, or the caller's business is not a party to it.
    NoSuchDelegation,
    /// 409: delegations are given and received only once the program's terms are accepted.
    DelegationsWaitForTerms,
    /// 409: the delegation waits for the other business's answer, not this one's.
    DelegationAwaitsTheOtherSide,
    /// 409: the delegation was already declined, withdrawn, ended or past its end day.
    DelegationClosed,
    /// 422: a business cannot delegate to itself.
    DelegationToItself,
    /// 422: the end day must be after today and at most two years away.
    DelegationEndOutOfRange,
    /// 403: only the business that receives a delegation chooses who acts under it.
    AgentsChosenByGrantee,
    /// 409: people act under a delegation only while it is active.
    DelegationNotActive,
    /// 422: an agent gets no more than the delegation grants.
    AgentBeyondGrant,
    /// 404: the URN is not an agent of this delegation.
    NoSuchAgent,
    /// 409: the person already acts for that business through another delegation.
    ActsThroughAnotherDelegation,
    /// 422: what was sent is not a proof this portal signed.
    NotAProof,

    // ---- batch imports
    /// 404: no import has this id (start it with `POST /agency/imports`).
    NoSuchImport,
    /// 409: the line already has an outcome under its import (a step sent twice at once).
    ImportLineDone,

    // ---- not for people: the use case draws again
    /// The drawn URN belongs to someone already.
    UrnTaken,
    /// The drawn Client Number is taken.
    ClientNumberTaken,
}
