//! A credential's items: its user account (and the day index the dormancy sweep reads), the
//! URN index, a credential-transfer code, an undeliverable address, idempotency records and
//! the hourly counters of attempts and code requests.

use super::{Key, Keyed};
use crate::domain::user::{CredentialTransferCode, UrnEntry, User};
use crate::domain::{CredentialId, Urn};

pub const USER_SK: &str = "USER";
pub const URN_SK: &str = "URN";
pub const XFER_SK: &str = "XFER";
pub const IDEMP_SK: &str = "IDEMP";
pub const RATE_SK: &str = "RATE";
pub const CODE_REQUESTS_SK: &str = "CODES";
pub const UNDELIVERABLE_SK: &str = "UNDELIVERABLE";

pub fn credential(c: &CredentialId) -> String {
    format!("CRED#{}#{}", c.idp().as_str(), c.sub())
}

pub fn urn(u: &Urn) -> String {
    format!("URN#{u}")
}

pub fn credential_transfer(code_hash: &str) -> String {
    format!("XFER#{code_hash}")
}

/// The GSI1 partition of the user accounts last active on `day` (days since the epoch): the
/// dormancy sweep reads one day, never the table.
pub fn active(day: i64) -> String {
    format!("ACTIVE#{day}")
}

/// An address's partition: SES compares addresses without case, and so does the key.
pub fn address(email: &crate::domain::Email) -> String {
    format!("EMAIL#{}", email.as_str().to_ascii_lowercase())
}

pub fn idempotency(c: &CredentialId, key: &str) -> String {
    format!("IDEMP#{}#{}#{key}", c.idp().as_str(), c.sub())
}

/// The activation attempts of one credential in one clock hour (`hour` = epoch / 3600).
pub fn activation_attempts(c: &CredentialId, hour: i64) -> String {
    format!("RATE#{}#{}#{hour}", c.idp().as_str(), c.sub())
}

impl Keyed for User {
    fn key(&self) -> Key {
        Key::new(credential(&self.credential), USER_SK)
    }
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
