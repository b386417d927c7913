//! How businesses are identified in each program, parsed once at the edge.
//!
//! - TTP: a Client Number the portal issues at registration (`P` and eight digits, the last a
//!   Damm check digit, so a mistyped one is refused before it counts as a wrong try).
//! - eManifest: a four-character carrier code (letters and digits).
//! - CERS: the exporter's Business Number with its RM import/export program account,
//!   `123456789RM0001`: nine digits whose last is a Luhn check digit, `RM`, four digits.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::programs::{IdentifierKind, Program};
use super::urn::damm;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdentifierError {
    #[error("must be a Client Number: P and 8 digits, e.g. P12345674")]
    ClientNumber,
    #[error("must be a carrier code: 4 letters or digits, e.g. 8ABC")]
    CarrierCode,
    #[error("must be a Business Number with its RM account, e.g. 123456789RM0001")]
    BusinessNumber,
    #[error("must be a 9-digit Business Number, e.g. 123456789")]
    Bn9,
    #[error("the Business Number's check digit does not match: it was mistyped")]
    BnCheckDigit,
}

/// A business identifier, in its canonical written form, tagged with its kind. Stored as
/// `{kind, value}` and read back through the parse of its kind.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "StoredIdentifier")]
pub struct BusinessIdentifier {
    kind: IdentifierKind,
    value: String,
}

/// A business identifier as the table holds it, before it is parsed again.
#[derive(Deserialize)]
struct StoredIdentifier {
    kind: IdentifierKind,
    value: String,
}

impl TryFrom<StoredIdentifier> for BusinessIdentifier {
    type Error = IdentifierError;

    fn try_from(stored: StoredIdentifier) -> Result<Self, IdentifierError> {
        Self::parse_kind(stored.kind, &stored.value)
    }
}

impl fmt::Display for BusinessIdentifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

fn compact(input: &str) -> String {
    input
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .collect::<String>()
        .to_ascii_uppercase()
}

fn luhn_ok(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The nine-digit Business Number (BN9) that names a business across the agency's programs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Bn9(String);

serde_via_parse!(Bn9);

impl Bn9 {
    /// Accepts a BN9, or a BN15 from which the BN9 is taken; spaces and dashes allowed.
    pub fn parse(input: &str) -> Result<Self, IdentifierError> {
        let text = compact(input);
        if !text.is_ascii() {
            return Err(IdentifierError::Bn9);
        }
        let bn9 = if text.len() == 15 {
            &text[..9]
        } else {
            &text[..]
        };
        if bn9.len() != 9 || !bn9.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdentifierError::Bn9);
        }
        if !luhn_ok(bn9) {
            return Err(IdentifierError::BnCheckDigit);
        }
        Ok(Self(bn9.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl BusinessIdentifier {
    /// Parses `input` as the identifier `program` uses.
    pub fn parse(program: Program, input: &str) -> Result<Self, IdentifierError> {
        Self::parse_kind(program.rules().identifier_kind, input)
    }

    fn parse_kind(kind: IdentifierKind, input: &str) -> Result<Self, IdentifierError> {
        let text = compact(input);
        // Every identifier is ASCII; checking first also keeps the slicing below on char bounds.
        if !text.is_ascii() {
            return Err(match kind {
                IdentifierKind::ClientNumber => IdentifierError::ClientNumber,
                IdentifierKind::CarrierCode => IdentifierError::CarrierCode,
                IdentifierKind::BusinessNumber => IdentifierError::BusinessNumber,
            });
        }
        match kind {
            IdentifierKind::ClientNumber => {
                let digits = text.strip_prefix('P').unwrap_or("");
                let shape = digits.len() == 8 && digits.bytes().all(|b| b.is_ascii_digit());
                if !shape || damm(&digits.bytes().map(|b| b - b'0').collect::<Vec<_>>()) != 0 {
                    return Err(IdentifierError::ClientNumber);
                }
            }
            IdentifierKind::CarrierCode => {
                if text.len() != 4 || !text.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    return Err(IdentifierError::CarrierCode);
                }
            }
            IdentifierKind::BusinessNumber => {
                let shape = text.len() == 15
                    && text[..9].bytes().all(|b| b.is_ascii_digit())
                    && &text[9..11] == "RM"
                    && text[11..].bytes().all(|b| b.is_ascii_digit());
                if !shape {
                    return Err(IdentifierError::BusinessNumber);
                }
                if !luhn_ok(&text[..9]) {
                    return Err(IdentifierError::BnCheckDigit);
                }
            }
        }
        Ok(Self { kind, value: text })
    }

    /// The canonical written form (`P12345674`, `8ABC`, `123456782RM0001`).
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// A new TTP Client Number from seven random digits (`random` gives the entropy).
    pub fn client_number_from_random(random: u64) -> Self {
        let mut digits = [0u8; 8];
        let mut r = random;
        for slot in digits.iter_mut().take(7) {
            *slot = (r % 10) as u8;
            r /= 10;
        }
        digits[7] = damm(&digits[..7]);
        let value = std::iter::once('P')
            .chain(digits.iter().map(|d| char::from(b'0' + d)))
            .collect();
        Self {
            kind: IdentifierKind::ClientNumber,
            value,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_program_parsing_table() {
        let client = BusinessIdentifier::client_number_from_random(1_234_567)
            .as_str()
            .to_owned();
        let cases: Vec<(Program, String, Result<&str, IdentifierError>)> = vec![
            (Program::Ttp, client.clone(), Ok(client.as_str())),
            (Program::Ttp, client.to_lowercase(), Ok(client.as_str())),
            (
                Program::Ttp,
                "P1234567".into(),
                Err(IdentifierError::ClientNumber),
            ),
            (
                Program::Ttp,
                "123456789".into(),
                Err(IdentifierError::ClientNumber),
            ),
            (Program::Emanifest, "8abc".into(), Ok("8ABC")),
            (
                Program::Emanifest,
                "AB1".into(),
                Err(IdentifierError::CarrierCode),
            ),
            (
                Program::Emanifest,
                "AB-C!".into(),
                Err(IdentifierError::CarrierCode),
            ),
            (
                Program::Cers,
                "123456782RM0001".into(),
                Ok("123456782RM0001"),
            ),
            (
                Program::Cers,
                "123456782 rm 0001".into(),
                Ok("123456782RM0001"),
            ),
            (
                Program::Cers,
                "123456789RM0001".into(),
                Err(IdentifierError::BnCheckDigit),
            ),
            (
                Program::Cers,
                "123456782RT0001".into(),
                Err(IdentifierError::BusinessNumber),
            ),
            (
                Program::Cers,
                "123456782".into(),
                Err(IdentifierError::BusinessNumber),
            ),
        ];
        for (program, input, expected) in cases {
            let got = BusinessIdentifier::parse(program, &input);
            assert_eq!(
                got.as_ref().map(BusinessIdentifier::as_str).map_err(|e| *e),
                expected,
                "{program:?} {input:?}"
            );
        }
    }

    #[test]
    fn bn9_table() {
        assert_eq!(Bn9::parse("123 456 782").unwrap().as_str(), "123456782");
        assert_eq!(Bn9::parse("123456782RM0001").unwrap().as_str(), "123456782");
        assert_eq!(Bn9::parse("123456789"), Err(IdentifierError::BnCheckDigit));
        assert_eq!(Bn9::parse("12345678"), Err(IdentifierError::Bn9));
        assert_eq!(Bn9::parse("12345678é12345"), Err(IdentifierError::Bn9));
    }

    #[test]
    fn client_numbers_check_their_digit() {
        let good = BusinessIdentifier::client_number_from_random(7_654_321)
            .as_str()
            .to_owned();
        let mut typo = good.clone().into_bytes();
        typo[3] = if typo[3] == b'9' { b'0' } else { typo[3] + 1 };
        assert!(
            BusinessIdentifier::parse(Program::Ttp, &String::from_utf8(typo).unwrap()).is_err()
        );
    }
}
