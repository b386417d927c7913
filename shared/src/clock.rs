//! Time and randomness, the two inputs the domain takes from outside.

use time::{format_description::well_known::Rfc3339, OffsetDateTime};

use crate::error::{Error, Result};

/// One instant, as epoch seconds (for TTLs and comparisons), RFC 3339 (for people and APIs)
/// and a fixed-width nanosecond stamp (for sort keys that must keep events in order).
#[derive(Debug, Clone)]
pub struct Now {
    pub epoch: i64,
    pub rfc3339: String,
    pub sortable: String,
}

pub fn now() -> Now {
    let t = OffsetDateTime::now_utc();
    Now {
        sortable: format!("{:020}", t.unix_timestamp_nanos()),
        ..at(t.unix_timestamp())
    }
}

/// The instant `epoch` seconds after 1970, in both forms.
pub fn at(epoch: i64) -> Now {
    let rfc3339 = OffsetDateTime::from_unix_timestamp(epoch)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default();
    let sortable = format!("{:020}", i128::from(epoch) * 1_000_000_000);
    Now {
        epoch,
        rfc3339,
        sortable,
    }
}

/// Fills `N` bytes from the operating system's CSPRNG (getrandom(2)).
pub fn random<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|_| Error::Internal("the system CSPRNG failed".into()))?;
    Ok(bytes)
}

/// A new identifier for a stored thing: 128 random bits, in lower-case Crockford base32.
pub fn new_id() -> Result<String> {
    Ok(crate::domain::ids::render_id(&random::<20>()?))
}
