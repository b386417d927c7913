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
    Ok(id_from(&random::<20>()?))
}

fn id_from(bytes: &[u8; 20]) -> String {
    crate::domain::ids::render_id(bytes)
}

/// The outside inputs of one decision: the moment it is made, and new ids for what it creates
/// (random, and distinct within the decision). Drawn by the use case, fixed in rule tests, so
/// a decision is a pure function of what it is given.
#[derive(Debug, Clone)]
pub struct Fresh {
    pub now: Now,
    seed: [u8; 20],
    drawn: u32,
}

impl Fresh {
    /// Now, with ids from the system's CSPRNG.
    pub fn draw() -> Result<Self> {
        Ok(Self {
            now: now(),
            seed: random::<20>()?,
            drawn: 0,
        })
    }

    /// A fixed moment and fixed ids, for tests.
    pub fn fixed(epoch: i64) -> Self {
        Self {
            now: at(epoch),
            seed: [7; 20],
            drawn: 0,
        }
    }

    /// The seed with a counter mixed into its first four bytes: 128 random bits, distinct
    /// within the decision. (Ids are rendered from the leading 130 bits, so a counter in the
    /// last bytes would leave every id of a decision the same, and two notices of one plan
    /// on one key.)
    fn next(&mut self) -> [u8; 20] {
        let mut bytes = self.seed;
        for (b, c) in bytes[..4].iter_mut().zip(self.drawn.to_be_bytes()) {
            *b ^= c;
        }
        self.drawn += 1;
        bytes
    }

    /// A new id for a notice, an audit event or a consent entry.
    pub fn id(&mut self) -> String {
        id_from(&self.next())
    }

    pub fn business_id(&mut self) -> crate::domain::BusinessId {
        crate::domain::BusinessId::from_random(&self.next())
    }

    pub fn letter_id(&mut self) -> crate::domain::LetterId {
        crate::domain::LetterId::from_random(&self.next())
    }

    pub fn delegation_id(&mut self) -> crate::domain::ids::DelegationId {
        crate::domain::ids::DelegationId::from_random(&self.next())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ids_of_one_decision_are_distinct() {
        for mut fresh in [Fresh::fixed(1_795_000_000), Fresh::draw().unwrap()] {
            let mut ids = vec![
                fresh.id(),
                fresh.id(),
                fresh.business_id().to_string(),
                fresh.letter_id().to_string(),
            ];
            ids.extend((0..300).map(|_| fresh.id()));
            let drawn = ids.len();
            ids.sort();
            ids.dedup();
            assert_eq!(ids.len(), drawn);
        }
    }
}
