//! The ids the portal gives what it stores and names in paths: business accounts and letters.
//!
//! An id is 26 lower-case Crockford base32 characters (130 random bits), the form `clock::new_id`
//! writes. A path segment of any other shape cannot name anything, so it is refused before a
//! read; a stored id is read back through the same parse.

use std::fmt;

use super::code;

/// Characters in an id.
const ID_CHARS: usize = 26;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("must be an id: 26 lower-case letters or digits")]
pub struct IdError;

/// The text of a new id from 20 random bytes.
pub(crate) fn render_id(random: &[u8; 20]) -> String {
    code::render(random, ID_CHARS * 5)
        .replace('-', "")
        .to_ascii_lowercase()
}

fn parse_id(input: &str) -> Result<String, IdError> {
    let shaped = input.len() == ID_CHARS
        && input
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    shaped.then(|| input.to_owned()).ok_or(IdError)
}

macro_rules! id_newtype {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        serde_via_parse!($name);

        impl $name {
            pub fn parse(input: &str) -> Result<Self, IdError> {
                parse_id(input).map(Self)
            }
            /// A new one, from 20 bytes of the CSPRNG (`clock::random`): the domain stays pure.
            pub fn from_random(random: &[u8; 20]) -> Self {
                Self(render_id(random))
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_newtype!(
    /// A business account's id (`/businesses/{id}`).
    BusinessId
);

id_newtype!(
    /// An activation-code letter's id (`/agency/letters/{letter_id}`).
    LetterId
);

id_newtype!(
    /// A delegation between two business accounts (`/businesses/{id}/delegations/{delegation_id}`).
    DelegationId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_table() {
        let fresh = BusinessId::from_random(&[0xa5; 20]);
        let cases = [
            (fresh.as_str().to_owned(), true),
            ("01jd0x6m3k2v7q8r9s0t1u2v3w".into(), true),
            ("01JD0X6M3K2V7Q8R9S0T1U2V3W".into(), false),
            ("01jd0x6m3k2v7q8r9s0t1u2v3".into(), false),
            ("01jd0x6m3k2v7q8r9s0t1u2v3wx".into(), false),
            ("01jd0x6m3k2v7q8r9s0t1u2v-w".into(), false),
            ("01jd0x6m3k2v7q8r9s0t1u2vé".into(), false),
            (String::new(), false),
        ];
        for (input, ok) in cases {
            assert_eq!(BusinessId::parse(&input).is_ok(), ok, "{input:?}");
            assert_eq!(LetterId::parse(&input).is_ok(), ok, "{input:?}");
        }
    }

    /// Stored and shown as the bare string; read back only if it has the shape.
    #[test]
    fn serde_is_the_string_through_parse() {
        let id = BusinessId::parse("01jd0x6m3k2v7q8r9s0t1u2v3w").unwrap();
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, "\"01jd0x6m3k2v7q8r9s0t1u2v3w\"");
        assert_eq!(serde_json::from_str::<BusinessId>(&json).unwrap(), id);
        assert!(serde_json::from_str::<LetterId>("\"01JD0X\"").is_err());
    }

    #[test]
    fn fresh_ids_have_the_path_shape() {
        for seed in [0u8, 1, 0x7f, 0xff] {
            let id = LetterId::from_random(&[seed; 20]);
            assert_eq!(LetterId::parse(id.as_str()), Ok(id));
        }
    }
}
