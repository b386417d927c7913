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
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    // ---- not found (404): never says whether the thing exists for someone else
    NoUserAccount,
    NoSuchBusiness,
    NoUserWithUrn,
    NoSuchMember,
    NotAMember,
    NoTransferPending,
    NoSuchLetter,
    NoSuchTransferCode,

    // ---- forbidden (403)
    RoleDoesNotAllow,
    OwnRole,
    OwnerRoleByTransferOnly,
    OwnerRemovedByTransferOnly,
    WrongSecret,
    TransferNamesAnother,
    AgencyOnly,

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
    BusinessActiveForIdentifier,
    AlreadyRegistered,
    LetterAlreadyMailed,
    /// Only a letter in review is approved or rejected.
    LetterNotInReview,
    /// Only a letter waiting to be mailed is marked mailed.
    LetterNotPending,

    // ---- gone (410)
    SecretUsed,
    SecretExpired,
    TransferExpired,
    TransferEnded,
    TransferCodeExpired,
    TransferCodeInvalid,
    TransferCodeReplaced,

    // ---- locked (423), too many (429)
    SecretLocked,
    TooManyAttempts {
        retry_after_secs: u64,
    },

    // ---- invalid (422)
    AlreadyOwner,

    // ---- not for people: the use case draws again
    /// The drawn URN belongs to someone already.
    UrnTaken,
    /// The drawn Client Number is taken.
    ClientNumberTaken,
}
