//! Shared secrets (activation codes): the one-time secret the agency gives a business.
//!
//! 120 random bits, so that a keyed hash (HMAC with the pepper) is an acceptable way to store
//! it (OWASP ASVS 5.0 6.5.2 asks a slow salted hash below 112 bits). Written as 24 Crockford
//! characters in groups of four; typed in any case, with or without separators.

use std::fmt;

use super::code;

pub const SECRET_BITS: usize = 120;
pub const SECRET_CHARS: usize = SECRET_BITS / 5;
/// Wrong tries that lock one credential out of one identifier, for a day or until a new
/// secret is issued. Another credential is never locked by them.
pub const MAX_WRONG_TRIES: u32 = 5;
/// Wrong tries on an identifier (all credentials, since its secret was issued) past which
/// the contact on file and the agency are told, once a day. They never lock it.
pub const WRONG_TRIES_REPORTED: u32 = 25;

/// A shared secret as typed by a person, in canonical form. Not `Debug`-printed in clear and
/// never serialized: it exists only between the edge and the hash.
#[derive(Clone, PartialEq, Eq)]
pub struct SharedSecret(String);

impl fmt::Debug for SharedSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SharedSecret(<redacted>)")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("must be the 24-character shared secret, e.g. ABCD-EFGH-JKMN-PQRS-TVWX-YZ01")]
pub struct SharedSecretError;

impl SharedSecret {
    pub fn parse(input: &str) -> Result<Self, SharedSecretError> {
        code::normalize(input, SECRET_CHARS)
            .map(Self)
            .ok_or(SharedSecretError)
    }

    /// A fresh secret from 15 random bytes, and the grouped form shown to people once.
    pub fn from_random(random: &[u8; 15]) -> (Self, String) {
        let shown = code::render(random, SECRET_BITS);
        (Self(shown.replace('-', "")), shown)
    }

    /// The canonical text, for hashing only.
    pub fn expose_for_hashing(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercase_and_dashed_forms_are_the_same_secret() {
        let (secret, shown) = SharedSecret::from_random(&[7u8; 15]);
        assert_eq!(shown.len(), 24 + 5);
        assert_eq!(SharedSecret::parse(&shown), Ok(secret.clone()));
        assert_eq!(
            SharedSecret::parse(&shown.to_lowercase()),
            Ok(secret.clone())
        );
        assert_eq!(
            SharedSecret::parse(&shown.replace('-', "")),
            Ok(secret.clone())
        );
        assert_eq!(SharedSecret::parse(&shown.replace('-', " ")), Ok(secret));
        assert!(SharedSecret::parse("too-short").is_err());
        assert!(!format!("{:?}", SharedSecret::parse(&shown).unwrap()).contains(&shown[..4]));
    }
}
