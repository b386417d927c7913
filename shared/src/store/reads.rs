//! Reads, in the portal's words: what a use case asks for by key (`Want`), in one
//! BatchGetItem, and the partitions it reads whole, each decoded in one place.

use serde::de::DeserializeOwned;

use super::dynamo::{from_item, DynamoStore, Item};
use super::keys::{self, Key};
use crate::domain::business::BusinessAccount;
use crate::domain::delegation::ActingFor;
use crate::domain::identifier::{Bn9, BusinessIdentifier};
use crate::domain::ids::DelegationId;
use crate::domain::import::ImportId;
use crate::domain::member::{Member, Membership, OwnershipTransfer};
use crate::domain::rules::access::BusinessPartition;
use crate::domain::user::User;
use crate::domain::{BusinessId, CredentialId, LetterId, Program, Urn};
use crate::error::{Error, Result};

/// One thing a use case reads by key.
#[derive(Debug, Clone, Copy)]
pub enum Want<'a> {
    /// The user account of a credential.
    User(&'a CredentialId),
    /// Who a URN belongs to.
    Urn(&'a Urn),
    /// A credential's side of its membership in a business.
    Membership(&'a CredentialId, &'a BusinessId),
    /// A business account.
    Business(&'a BusinessId),
    /// A business's side of a member.
    Member(&'a BusinessId, &'a Urn),
    /// A business's pending ownership transfer.
    Transfer(&'a BusinessId),
    /// The shared secret of an identifier.
    Secret(Program, &'a BusinessIdentifier),
    /// A credential's activation attempts in an hour (epoch / 3600).
    Attempts(&'a CredentialId, i64),
    /// A credential's own wrong tries on an identifier.
    Tries(Program, &'a BusinessIdentifier, &'a CredentialId),
    /// A credential's requests for a new code in an hour (epoch / 3600).
    CodeRequests(&'a CredentialId, i64),
    /// A live credential-transfer code, by its keyed hash.
    TransferCode(&'a str),
    /// The TTP registration of a Business Number.
    Registration(&'a str),
    /// A letter.
    Letter(&'a LetterId),
    /// A delegation between business accounts.
    Delegation(&'a DelegationId),
    /// A credential's side of a delegation of a business it acts for.
    ActingFor(&'a CredentialId, &'a BusinessId),
    /// The agency's business register entry of a Business Number.
    RegisterEntry(&'a Bn9),
    /// The undeliverable mark of an address, if SES gave it one.
    Undeliverable(&'a crate::domain::Email),
    /// A notice in the outbox, by its id.
    Notice(&'a str),
    /// A batch import.
    Import(&'a ImportId),
    /// The outcome of a line of an import.
    ImportLine(&'a ImportId, u32),
    /// The line of an import that took an identifier.
    ImportClaim(&'a ImportId, Program, &'a BusinessIdentifier),
}

impl Want<'_> {
    fn key(self) -> Key {
        match self {
            Want::User(c) => Key::new(keys::credential(c), keys::USER_SK),
            Want::Urn(u) => Key::new(keys::urn(u), keys::URN_SK),
            Want::Membership(c, id) => Key::new(keys::credential(c), keys::member(id.as_str())),
            Want::Business(id) => Key::new(keys::business(id), keys::META_SK),
            Want::Member(id, u) => Key::new(keys::business(id), keys::member(u.as_str())),
            Want::Transfer(id) => Key::new(keys::business(id), keys::TRANSFER_SK),
            Want::Secret(p, i) => Key::new(keys::identifier(p, i), keys::SECRET_SK),
            Want::Attempts(c, hour) => Key::new(keys::activation_attempts(c, hour), keys::RATE_SK),
            Want::Tries(p, i, c) => Key::new(keys::identifier(p, i), keys::credential_tries(c)),
            Want::CodeRequests(c, hour) => {
                Key::new(keys::activation_attempts(c, hour), keys::CODE_REQUESTS_SK)
            }
            Want::TransferCode(hash) => Key::new(keys::credential_transfer(hash), keys::XFER_SK),
            Want::Registration(bn) => Key::new(keys::registration(bn), keys::REG_SK),
            Want::Letter(id) => Key::new(keys::letter(id), keys::LETTER_SK),
            Want::Delegation(id) => Key::new(keys::delegation(id), keys::DELEGATION_SK),
            Want::ActingFor(c, id) => Key::new(
                keys::credential(c),
                format!("{}{id}", keys::ACTING_FOR_PREFIX),
            ),
            Want::RegisterEntry(bn) => Key::new(keys::register_entry(bn), keys::REGISTER_SK),
            Want::Undeliverable(email) => Key::new(keys::address(email), keys::UNDELIVERABLE_SK),
            Want::Notice(id) => Key::new(keys::notice(id), keys::NOTICE_SK),
            Want::Import(id) => Key::new(keys::import(id), keys::IMPORT_SK),
            Want::ImportLine(id, line) => Key::new(keys::import(id), keys::import_line(line)),
            Want::ImportClaim(id, p, i) => Key::new(keys::import(id), keys::import_claim(p, i)),
        }
    }
}

/// What a batch read found, in the order asked: take each as its type.
pub struct Found(std::vec::IntoIter<Option<Item>>);

impl Found {
    /// The next thing asked for, if it exists. (Not an iterator: each call reads its own type.)
    #[allow(clippy::should_implement_trait)]
    pub fn next<T: DeserializeOwned>(&mut self) -> Result<Option<T>> {
        self.0
            .next()
            .ok_or_else(|| Error::Internal("read more than was asked".into()))?
            .map(from_item)
            .transpose()
    }
}

/// A credential's partition: its user account and its memberships.
#[derive(Debug, Default)]
pub struct UserPartition {
    pub user: Option<User>,
    pub memberships: Vec<Membership>,
    /// The businesses the account acts for through a delegation (still to be checked).
    pub acting_for: Vec<ActingFor>,
}

fn sort_key(item: &Item) -> &str {
    item.get(keys::SK)
        .and_then(|v| v.as_s().ok())
        .map_or("", String::as_str)
}

impl DynamoStore {
    /// Everything asked, in one strongly consistent BatchGetItem; one thing alone, in a
    /// GetItem (the same read, and the one a function that reads one item is allowed).
    pub async fn read(&self, wants: &[Want<'_>]) -> Result<Found> {
        let keys: Vec<Key> = wants.iter().map(|w| w.key()).collect();
        if let [Key { pk, sk }] = keys.as_slice() {
            let item = self.get_item(pk.clone(), sk).await?;
            return Ok(Found(vec![item].into_iter()));
        }
        let pairs: Vec<(String, &str)> =
            keys.iter().map(|k| (k.pk.clone(), k.sk.as_str())).collect();
        Ok(Found(self.get_many(&pairs).await?.into_iter()))
    }

    /// Each business of `ids` (a person's memberships) with its pending ownership transfer,
    /// in the order asked: the `META` and `TRANSFER` items of 50 businesses per BatchGetItem
    /// (one call for anyone in up to 50 businesses).
    pub async fn listed_businesses(
        &self,
        ids: &[BusinessId],
    ) -> Result<Vec<(Option<BusinessAccount>, Option<OwnershipTransfer>)>> {
        let mut listed = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(50) {
            let wants: Vec<Want> = chunk
                .iter()
                .flat_map(|id| [Want::Business(id), Want::Transfer(id)])
                .collect();
            let mut found = self.read(&wants).await?;
            for _ in chunk {
                listed.push((found.next()?, found.next()?));
            }
        }
        Ok(listed)
    }

    /// A business with every member, and (with `transfer`) its pending ownership transfer,
    /// in one Query of its partition.
    pub async fn business_partition(
        &self,
        business_id: &BusinessId,
        transfer: bool,
    ) -> Result<BusinessPartition> {
        let range = if transfer {
            keys::BUSINESS_MEMBERS_AND_TRANSFER
        } else {
            keys::BUSINESS_AND_MEMBERS
        };
        let items = self
            .query_between(keys::business(business_id), range)
            .await?;
        let mut partition = BusinessPartition::default();
        for item in items {
            match sort_key(&item) {
                keys::META_SK => partition.business = Some(from_item(item)?),
                keys::TRANSFER_SK => partition.transfer = Some(from_item(item)?),
                sk if sk.starts_with(keys::MEMBER_PREFIX) => {
                    partition.members.push(from_item::<Member>(item)?)
                }
                _ => {}
            }
        }
        Ok(partition)
    }

    /// A credential's user account and memberships, in one Query of its partition.
    pub async fn user_partition(&self, credential: &CredentialId) -> Result<UserPartition> {
        let items = self.query_prefix(keys::credential(credential), "").await?;
        let mut partition = UserPartition::default();
        for item in items {
            match sort_key(&item) {
                keys::USER_SK => partition.user = Some(from_item(item)?),
                sk if sk.starts_with(keys::MEMBER_PREFIX) => {
                    partition.memberships.push(from_item(item)?)
                }
                sk if sk.starts_with(keys::ACTING_FOR_PREFIX) => {
                    partition.acting_for.push(from_item(item)?)
                }
                _ => {}
            }
        }
        Ok(partition)
    }
}
