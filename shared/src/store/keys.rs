//! The table's key scheme: every key the portal reads or writes is made here, and the README's
//! table design mirrors this module. One table; `pk`/`sk`; GSI `gsi1` (`gsi1pk`/`gsi1sk`);
//! TTL attribute `ttl`.
//!
//! | item | pk | sk | access pattern |
//! |---|---|---|---|
//! | user account | `CRED#{idp}#{sub}` | `USER` | GetItem by the caller's token |
//! | URN index | `URN#{urn}` | `URN` | GetItem by URN (add a member), unique URNs by condition |
//! | credential-transfer code | `XFER#{code hash}` | `XFER` | GetItem by the typed code; `ttl` |
//! | notice (outbox) | `NOTICE#{id}` | `NOTICE` | GSI1 `NOTICES#pending` / due time while pending |

use crate::domain::{CredentialId, Urn};

pub const PK: &str = "pk";
pub const SK: &str = "sk";
pub const GSI1: &str = "gsi1";

pub const USER_SK: &str = "USER";
pub const URN_SK: &str = "URN";
pub const XFER_SK: &str = "XFER";
pub const NOTICE_SK: &str = "NOTICE";
/// GSI1 partition of notices still to send (sparse: removed once sent).
pub const NOTICES_PENDING: &str = "NOTICES#pending";

pub fn credential(c: &CredentialId) -> String {
    format!("CRED#{}#{}", c.idp.as_str(), c.sub)
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
