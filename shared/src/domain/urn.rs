//! User Reference Number: the number a person quotes to be added to a business account.
//!
//! Ten digits: nine random (the first never 0) and a Damm check digit. Damm catches every
//! single-digit error and every swap of adjacent digits, the two ways people mistype numbers,
//! so a mistyped URN is refused at the edge instead of reaching a stranger's account.

use std::fmt;

/// The Damm algorithm's quasigroup table (weakly totally anti-symmetric, order 10).
const DAMM: [[u8; 10]; 10] = [
    [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
    [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
    [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
    [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
    [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
    [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
    [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
    [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
    [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
    [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

pub(crate) fn damm(digits: &[u8]) -> u8 {
    digits
        .iter()
        .fold(0, |interim, &d| DAMM[interim as usize][d as usize])
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Urn(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UrnError {
    #[error("must be 10 digits")]
    Shape,
    #[error("check digit does not match: the URN was mistyped")]
    CheckDigit,
}

impl Urn {
    /// Accepts the digits with spaces or dashes between them, as people write it.
    pub fn parse(input: &str) -> Result<Self, UrnError> {
        let digits: Vec<u8> = input
            .chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .map(|c| c.to_digit(10).map(|d| d as u8).ok_or(UrnError::Shape))
            .collect::<Result<_, _>>()?;
        if digits.len() != 10 || digits[0] == 0 {
            return Err(UrnError::Shape);
        }
        if damm(&digits) != 0 {
            return Err(UrnError::CheckDigit);
        }
        Ok(Self(digits.iter().map(|d| char::from(b'0' + d)).collect()))
    }

    /// A new URN from nine random digits (`random` gives the entropy, so the domain stays pure).
    pub fn from_random(random: u64) -> Self {
        let mut body = [0u8; 9];
        let mut r = random;
        body[0] = 1 + (r % 9) as u8;
        r /= 9;
        for slot in body.iter_mut().skip(1) {
            *slot = (r % 10) as u8;
            r /= 10;
        }
        let check = damm(&body);
        let text: String = body
            .iter()
            .chain(std::iter::once(&check))
            .map(|d| char::from(b'0' + d))
            .collect();
        Self(text)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Urn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

serde_via_parse!(Urn);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_urns_parse_back() {
        for seed in [0u64, 1, 42, 999_999_999, u64::MAX, 0xdead_beef_cafe] {
            let urn = Urn::from_random(seed);
            assert_eq!(urn.as_str().len(), 10);
            assert_eq!(Urn::parse(urn.as_str()), Ok(urn));
        }
    }

    #[test]
    fn parsing_table() {
        let good = Urn::from_random(123_456_789).0;
        let spaced = format!("{} {} {}", &good[..3], &good[3..6], &good[6..]);
        let dashed = format!("{}-{}", &good[..5], &good[5..]);
        let cases: Vec<(String, Result<(), UrnError>)> = vec![
            (good.clone(), Ok(())),
            (spaced, Ok(())),
            (dashed, Ok(())),
            (String::new(), Err(UrnError::Shape)),
            ("12345".into(), Err(UrnError::Shape)),
            ("12345678901".into(), Err(UrnError::Shape)),
            ("abcdefghij".into(), Err(UrnError::Shape)),
            (format!("0{}", &good[1..]), Err(UrnError::Shape)),
        ];
        for (input, expected) in cases {
            assert_eq!(Urn::parse(&input).map(|_| ()), expected, "{input:?}");
        }
    }

    #[test]
    fn every_single_digit_typo_and_adjacent_swap_is_caught() {
        let urn = Urn::from_random(987_654_321).0.into_bytes();
        for i in 0..10 {
            for d in b'0'..=b'9' {
                if d == urn[i] {
                    continue;
                }
                let mut typo = urn.clone();
                typo[i] = d;
                let typo = String::from_utf8(typo).unwrap();
                assert!(Urn::parse(&typo).is_err(), "{typo}");
            }
        }
        for i in 0..9 {
            if urn[i] == urn[i + 1] {
                continue;
            }
            let mut swapped = urn.clone();
            swapped.swap(i, i + 1);
            let swapped = String::from_utf8(swapped).unwrap();
            assert!(Urn::parse(&swapped).is_err(), "{swapped}");
        }
    }
}
