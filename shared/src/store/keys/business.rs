//! A business partition: the business account (`META`), both sides of each membership, a
//! pending ownership transfer, the consent history, and members still to be told of a recovery.

use super::accounts::credential;
use super::{Key, Keyed};
use crate::domain::business::{BusinessAccount, ConsentEntry};
use crate::domain::member::{Member, MembersToTell, Membership, OwnershipTransfer};
use crate::domain::BusinessId;

pub const META_SK: &str = "META";
pub const MEMBER_PREFIX: &str = "MEMBER#";
pub const TRANSFER_SK: &str = "TRANSFER";
pub const TELL_SK: &str = "TELL";
/// The sort-key range of a business partition that holds its `MEMBER#` items and its `META`
/// item and nothing else (`CONSENT#` sorts before, `TRANSFER` after): one Query reads a
/// business with every member.
pub const BUSINESS_AND_MEMBERS: (&str, &str) = (MEMBER_PREFIX, META_SK);
/// The same range up to `TRANSFER`: a business, its members and its pending ownership transfer.
pub const BUSINESS_MEMBERS_AND_TRANSFER: (&str, &str) = (MEMBER_PREFIX, TRANSFER_SK);

pub fn business(id: &BusinessId) -> String {
    format!("BUS#{id}")
}

/// The sort key of a membership: `MEMBER#{urn}` on the business side, `MEMBER#{id}` on the user side.
pub fn member(of: &str) -> String {
    format!("{MEMBER_PREFIX}{of}")
}

pub fn consent_sk(at: &str, id: &str) -> String {
    format!("CONSENT#{at}#{id}")
}

/// The members of a business still to be told of an owner recovery.
pub fn members_to_tell(tell_id: &str) -> String {
    format!("TELL#{tell_id}")
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

impl Keyed for MembersToTell {
    fn key(&self) -> Key {
        Key::new(members_to_tell(&self.tell_id), TELL_SK)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
