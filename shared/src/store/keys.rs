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

use crate::domain::agency_audit::AgencyAuditEvent;
use crate::domain::audit::AuditEvent;
use crate::domain::business::{BusinessAccount, ConsentEntry};
use crate::domain::delegation::{ActingFor, Day, Delegation, Side};
use crate::domain::identifier::Bn9;
use crate::domain::ids::DelegationId;
use crate::domain::import::{IdentifierClaim, Import, ImportId, LineRecord};
use crate::domain::member::{Member, MembersToTell, Membership, OwnershipTransfer};
use crate::domain::notice::Notice;
use crate::domain::onboarding::{
    IdentifierSecret, Letter, LetterStatus, RegisterEntry, Registration,
};
use crate::domain::programs::Program;
use crate::domain::user::{CredentialTransferCode, UrnEntry, User};
use crate::domain::{identifier::BusinessIdentifier, BusinessId, CredentialId, LetterId, Urn};

pub const PK: &str = "pk";
pub const SK: &str = "sk";
pub const GSI1: &str = "gsi1";

pub const USER_SK: &str = "USER";
pub const URN_SK: &str = "URN";
pub const XFER_SK: &str = "XFER";
pub const NOTICE_SK: &str = "NOTICE";
pub const META_SK: &str = "META";
pub const SECRET_SK: &str = "SECRET";
pub const REG_SK: &str = "REG";
pub const LETTER_SK: &str = "LETTER";
pub const REGISTER_SK: &str = "ENTRY";
pub const MEMBER_PREFIX: &str = "MEMBER#";
pub const TRANSFER_SK: &str = "TRANSFER";
pub const IDEMP_SK: &str = "IDEMP";
pub const RATE_SK: &str = "RATE";
pub const CODE_REQUESTS_SK: &str = "CODES";
pub const TELL_SK: &str = "TELL";
/// The sort-key range of a business partition that holds its `MEMBER#` items and its `META`
/// item and nothing else (`CONSENT#` sorts before, `TRANSFER` after): one Query reads a
/// business with every member.
pub const BUSINESS_AND_MEMBERS: (&str, &str) = (MEMBER_PREFIX, META_SK);
/// The same range up to `TRANSFER`: a business, its members and its pending ownership transfer.
pub const BUSINESS_MEMBERS_AND_TRANSFER: (&str, &str) = (MEMBER_PREFIX, TRANSFER_SK);

/// The GSI1 partition of the user accounts last active on `day` (days since the epoch): the
/// dormancy sweep reads one day, never the table.
pub fn active(day: i64) -> String {
    format!("ACTIVE#{day}")
}

/// Shards of the pending-notices index. One GSI partition takes ~1 000 writes/s and each
/// notice writes it about four times, so one partition would cap the whole portal near 250
/// notices/s (SCALE.md); ten spread a mass mailing over ten. The retry run reads all ten.
pub const NOTICE_SHARDS: u32 = 10;

/// GSI1 partition of notices still to send (sparse: removed once sent), shard `shard`.
pub fn notices_pending(shard: u32) -> String {
    format!("NOTICES#pending#{shard}")
}

/// The pending-notices partition a notice's id falls in: FNV-1a of the id, so the same
/// notice always lands in the same shard and ids (random) spread evenly.
pub fn notice_shard(id: &str) -> u32 {
    let hash = id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    (hash % u64::from(NOTICE_SHARDS)) as u32
}

/// The unsharded partition notices were written to before the shards: the retry run still
/// reads it, so none written before an upgrade is left behind.
pub const NOTICES_PENDING_UNSHARDED: &str = "NOTICES#pending";

pub fn credential(c: &CredentialId) -> String {
    format!("CRED#{}#{}", c.idp().as_str(), c.sub())
}

pub fn urn(u: &Urn) -> String {
    format!("URN#{u}")
}

pub fn credential_transfer(code_hash: &str) -> String {
    format!("XFER#{code_hash}")
}

pub fn notice(id: &str) -> String {
    format!("NOTICE#{id}")
}

pub fn business(id: &BusinessId) -> String {
    format!("BUS#{id}")
}

/// The sort key of a membership: `MEMBER#{urn}` on the business side, `MEMBER#{id}` on the user side.
pub fn member(of: &str) -> String {
    format!("{MEMBER_PREFIX}{of}")
}

pub fn identifier(program: Program, identifier: &BusinessIdentifier) -> String {
    format!("IDENT#{}#{}", program.as_str(), identifier.as_str())
}

pub fn registration(bn9: &str) -> String {
    format!("REG#{bn9}")
}

pub fn letter(id: &LetterId) -> String {
    format!("LETTER#{id}")
}

/// The GSI1 partition of the letters in one status (a letter moves with its status).
pub fn letters(status: LetterStatus) -> String {
    format!("LETTERS#{}", status.as_str())
}

/// The list of the letters of one identifier (items naming each letter, put with it).
pub fn letters_of(program: Program, identifier: &BusinessIdentifier) -> String {
    format!("LETTERSOF#{}#{}", program.as_str(), identifier.as_str())
}

/// A letter's GSI1 sort key: oldest first, the id keeping two of one instant apart.
pub fn letters_sk(created_at: &str, id: &LetterId) -> String {
    format!("{created_at}#{id}")
}

// ---------------------------------------------------------------- batch imports

pub const IMPORT_SK: &str = "IMPORT";
pub const LINE_PREFIX: &str = "LINE#";
/// Past every line's sort key: the end of a report Query.
pub const LINE_LAST: &str = "LINE#~";

pub fn import(id: &ImportId) -> String {
    format!("IMPORT#{id}")
}

/// A line's sort key, zero-padded so lines sort in the file's order.
pub fn import_line(line: u32) -> String {
    format!("{LINE_PREFIX}{line:07}")
}

pub fn import_claim(program: Program, identifier: &BusinessIdentifier) -> String {
    format!("CLAIM#{}#{}", program.as_str(), identifier.as_str())
}

impl Keyed for Import {
    fn key(&self) -> Key {
        Key::new(import(&self.import_id), IMPORT_SK)
    }
}

impl Keyed for LineRecord {
    fn key(&self) -> Key {
        Key::new(import(&self.import_id), import_line(self.line))
    }
}

impl Keyed for IdentifierClaim {
    fn key(&self) -> Key {
        Key::new(
            import(&self.import_id),
            import_claim(self.program, &self.identifier),
        )
    }
}

pub fn register_entry(bn9: &Bn9) -> String {
    format!("BNREGISTER#{}", bn9.as_str())
}

/// The agency audit's partition of one month (`YYYY-MM`).
pub fn agency_audit(month: &str) -> String {
    format!("AGENCYAUDIT#{month}")
}

/// The members of a business still to be told of an owner recovery.
pub fn members_to_tell(tell_id: &str) -> String {
    format!("TELL#{tell_id}")
}

pub fn audit(business_id: &BusinessId) -> String {
    format!("AUDIT#{business_id}")
}

pub fn audit_sk(at: &str, event_id: &str) -> String {
    format!("{at}#{event_id}")
}

pub fn consent_sk(at: &str, id: &str) -> String {
    format!("CONSENT#{at}#{id}")
}

pub fn idempotency(c: &CredentialId, key: &str) -> String {
    format!("IDEMP#{}#{}#{key}", c.idp().as_str(), c.sub())
}

/// The activation attempts of one credential in one clock hour (`hour` = epoch / 3600).
pub fn activation_attempts(c: &CredentialId, hour: i64) -> String {
    format!("RATE#{}#{}#{hour}", c.idp().as_str(), c.sub())
}

// ---------------------------------------------------------------- delegations

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

/// One credential's wrong tries on an identifier: in the identifier's partition, beside its
/// secret.
pub fn credential_tries(c: &CredentialId) -> String {
    format!("TRIES#{}#{}", c.idp().as_str(), c.sub())
}

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

impl Keyed for User {
    fn key(&self) -> Key {
        Key::new(credential(&self.credential), USER_SK)
    }
}

pub const UNDELIVERABLE_SK: &str = "UNDELIVERABLE";

/// An address's partition: SES compares addresses without case, and so does the key.
pub fn address(email: &crate::domain::Email) -> String {
    format!("EMAIL#{}", email.as_str().to_ascii_lowercase())
}

impl Keyed for crate::domain::undeliverable::Undeliverable {
    fn key(&self) -> Key {
        Key::new(address(&self.email), UNDELIVERABLE_SK)
    }
}

impl Keyed for UrnEntry {
    fn key(&self) -> Key {
        Key::new(urn(&self.urn), URN_SK)
    }
}

impl Keyed for CredentialTransferCode {
    fn key(&self) -> Key {
        Key::new(credential_transfer(&self.code_hash), XFER_SK)
    }
}

impl Keyed for BusinessAccount {
    fn key(&self) -> Key {
        Key::new(business(&self.business.business_id), META_SK)
    }
}

impl Keyed for Member {
    fn key(&self) -> Key {
        Key::new(business(&self.business_id), member(self.urn.as_str()))
    }
}

impl Keyed for Membership {
    fn key(&self) -> Key {
        Key::new(
            credential(&self.credential),
            member(self.business_id.as_str()),
        )
    }
}

impl Member {
    /// The member's own side of the membership (under their credential).
    pub fn membership_key(&self) -> Key {
        Key::new(
            credential(&self.credential),
            member(self.business_id.as_str()),
        )
    }
}

impl Keyed for OwnershipTransfer {
    fn key(&self) -> Key {
        Key::new(business(&self.business_id), TRANSFER_SK)
    }
}

impl Keyed for ConsentEntry {
    fn key(&self) -> Key {
        Key::new(
            business(&self.business_id),
            consent_sk(&self.stamp, &self.entry_id),
        )
    }
}

impl Keyed for AuditEvent {
    fn key(&self) -> Key {
        Key::new(
            audit(&self.business_id),
            audit_sk(&self.stamp, &self.event_id),
        )
    }
}

impl Keyed for IdentifierSecret {
    fn key(&self) -> Key {
        Key::new(identifier(self.program, &self.identifier), SECRET_SK)
    }
}

impl Keyed for Letter {
    fn key(&self) -> Key {
        Key::new(letter(&self.letter_id), LETTER_SK)
    }
}

impl Keyed for RegisterEntry {
    fn key(&self) -> Key {
        Key::new(register_entry(&self.business_number), REGISTER_SK)
    }
}

impl Keyed for AgencyAuditEvent {
    fn key(&self) -> Key {
        Key::new(
            agency_audit(&self.month),
            audit_sk(&self.stamp, &self.event_id),
        )
    }
}

impl Keyed for Registration {
    fn key(&self) -> Key {
        Key::new(registration(&self.business_number), REG_SK)
    }
}

impl Keyed for MembersToTell {
    fn key(&self) -> Key {
        Key::new(members_to_tell(&self.tell_id), TELL_SK)
    }
}

impl Keyed for Notice {
    fn key(&self) -> Key {
        Key::new(notice(&self.id), NOTICE_SK)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Notices spread evenly over the shards, and a notice always lands in the same one.
    #[test]
    fn notices_spread_over_every_shard() {
        let ids: Vec<String> = (0..5_000)
            .map(|_| crate::clock::Fresh::draw().unwrap().id())
            .collect();
        let mut per_shard = [0_u32; NOTICE_SHARDS as usize];
        for id in &ids {
            per_shard[notice_shard(id) as usize] += 1;
            assert_eq!(notice_shard(id), notice_shard(id));
        }
        // 500 expected each; ±30 % is far outside chance (σ ≈ 21).
        for (shard, count) in per_shard.iter().enumerate() {
            assert!(
                (350..=650).contains(count),
                "shard {shard}: {count} of 5000"
            );
        }
        // (id, shard) pinned: a change of the hash would strand pending notices in shards
        // the retry run no longer reads for them.
        for (id, shard) in [
            ("", 7),
            ("01jdnotice0000000000000000", 4),
            ("01JDN0T1CE", 9),
        ] {
            assert_eq!(notice_shard(id), shard);
        }
        assert_eq!(notices_pending(3), "NOTICES#pending#3");
    }

    /// The ranges above hold only what they say: every sort key a business partition has,
    /// placed by DynamoDB's (byte-wise) order.
    #[test]
    fn business_ranges_hold_members_meta_and_transfer_only() {
        let within = |(from, to): (&str, &str), sk: &str| from <= sk && sk <= to;
        let consent = consent_sk("00000000001795435200000000000", "01JD");
        for urn in ["0000000000", "9999999999"] {
            assert!(within(BUSINESS_AND_MEMBERS, &member(urn)));
            assert!(within(BUSINESS_MEMBERS_AND_TRANSFER, &member(urn)));
        }
        assert!(within(BUSINESS_AND_MEMBERS, META_SK));
        assert!(!within(BUSINESS_AND_MEMBERS, TRANSFER_SK));
        assert!(!within(BUSINESS_AND_MEMBERS, &consent));
        assert!(within(BUSINESS_MEMBERS_AND_TRANSFER, TRANSFER_SK));
        assert!(!within(BUSINESS_MEMBERS_AND_TRANSFER, &consent));
    }
}
