//! The table's key scheme: every key the portal reads or writes is made here, and the README's
//! table design mirrors this module. One table; `pk`/`sk`; GSI `gsi1` (`gsi1pk`/`gsi1sk`);
//! TTL attribute `ttl`.
//!
//! | item | pk | sk | access pattern |
//! |---|---|---|---|
//! | user account | `CRED#{idp}#{sub}` | `USER` | GetItem by the caller's token; GSI1 `ACTIVE#{day}` / `CRED#{idp}#{sub}` while not retired: Query the accounts last active on a day (the dormancy sweep) |
//! | URN index | `URN#{urn}` | `URN` | GetItem by URN (add a member), unique URNs by condition |
//! | credential-transfer code | `XFER#{code hash}` | `XFER` | GetItem by the typed code; `ttl` |
//! | membership, user side | `CRED#{idp}#{sub}` | `MEMBER#{business_id}` | Query the caller's partition: my businesses |
//! | business account | `BUS#{business_id}` | `META` | BatchGetItem with the caller's membership, or in the members' Query |
//! | membership, business side | `BUS#{business_id}` | `MEMBER#{urn}` | Query `BUS#{id}` `MEMBER#`..`META`: members with the business |
//! | pending ownership transfer | `BUS#{business_id}` | `TRANSFER` | Query `MEMBER#`..`TRANSFER` on accepting; `ttl` |
//! | consent history (CADI) | `BUS#{business_id}` | `CONSENT#{epoch ns}#{id}` | Query, never overwritten |
//! | secret for an identifier | `IDENT#{program}#{identifier}` | `SECRET` | GetItem by what the officer types |
//! | one credential's wrong tries on it | `IDENT#{program}#{identifier}` | `TRIES#{idp}#{sub}` | read with the secret, counted in the attempt's transaction; `ttl` a day |
//! | TTP registration | `REG#{bn9}` | `REG` | unique Business Number by condition |
//! | letter | `LETTER#{letter_id}` | `LETTER` | GSI1 `LETTERS#{status}` / `{created}#{letter_id}`: Query a page of one status |
//! | a letter, in its identifier's list | `LETTERSOF#{program}#{identifier}` | `{created}#{letter_id}` | put with the letter; Query newest first: an officer finds the letters of one identifier (or of the Client Number a Business Number's registration names), `letter_id` to BatchGetItem |
//! | agency's business register entry | `BNREGISTER#{bn9}` | `ENTRY` | GetItem with the registration it directs |
//! | batch import | `IMPORT#{sha256}` | `IMPORT` | GetItem with each step and the report |
//! | an import's line | `IMPORT#{sha256}` | `LINE#{line, 7 digits}` | BatchGetItem with the step; Query `LINE#` from a line for a page of the report |
//! | an identifier taken by an import's line | `IMPORT#{sha256}` | `CLAIM#{program}#{identifier}` | BatchGetItem with the step: a later line with it is a duplicate |
//! | agency audit event | `AGENCYAUDIT#{YYYY-MM}` | `{epoch ns, 20 digits}#{event_id}` | Query newest first, month by month |
//! | audit event | `AUDIT#{business_id}` | `{epoch ns, 20 digits}#{event_id}` | Query newest first |
//! | idempotency record | `IDEMP#{idp}#{sub}#{key}` | `IDEMP` | GetItem on a repeated key; `ttl` 24 h |
//! | activation-attempt counter | `RATE#{idp}#{sub}#{hour}` | `RATE` | read with the attempt, ADD in its transaction; `ttl` |
//! | new-code request counter | `RATE#{idp}#{sub}#{hour}` | `CODES` | read with the request, ADD in its transaction; `ttl` |
//! | members to tell of an owner recovery | `TELL#{tell_id}` | `TELL` | its stream record brings `membership-followups`, which tells the members a step at a time |
//! | undeliverable address | `EMAIL#{address, lower case}` | `UNDELIVERABLE` | GetItem by the address a notice goes to (the senders); put once by `ses-feedback`, which copies it onto the account the notice named (the user item's `undeliverable`, read by `GET /users/me`) |
//! | notice (outbox) | `NOTICE#{id}` | `NOTICE` | the stream (new ones); GSI1 `NOTICES#pending#{0..9}` (by a hash of the id) / due time while pending |
//! | delegation | `DELEG#{delegation_id}` | `DELEG` | BatchGetItem with the caller's access; GSI1 `DELEGATIONS#ends#{day}` / id while open (the daily sweep) |
//! | agent's side of a delegation | `CRED#{idp}#{sub}` | `ACTFOR#{business_id acted for}` | in the caller's partition Query: my businesses |
//! | delegation, in a party's lists | `DELEGS#{program}#{identifier}` | `GIVEN#{id}` / `RECEIVED#{id}` | Query by prefix: a business's delegations either way |
//!
//! The key builders are grouped by what they key, each beside the `Keyed` impls of its items;
//! all are re-exported here, so every key is `keys::…`.

mod accounts;
mod audit;
mod business;
mod delegations;
mod imports;
mod notices;
mod onboarding;

pub use accounts::*;
pub use audit::*;
pub use business::*;
pub use delegations::*;
pub use imports::*;
pub use notices::*;
pub use onboarding::*;

pub const PK: &str = "pk";
pub const SK: &str = "sk";
pub const GSI1: &str = "gsi1";

/// Where an item lives: its partition and sort key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    pub pk: String,
    pub sk: String,
}

impl Key {
    pub fn new(pk: String, sk: impl Into<String>) -> Self {
        Self { pk, sk: sk.into() }
    }
}

/// A stored thing that knows its own key, from its own fields.
pub trait Keyed {
    fn key(&self) -> Key;
}
