//! One-time codes people type: shared secrets (activation codes) and credential-transfer codes.
//!
//! Written in Crockford base32 (no I, L, O, U: nothing to confuse) in groups of four, accepted
//! in any case, with or without separators, and with the look-alikes I/L→1 and O→0 folded.

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A credential-transfer code: 50 random bits, ten characters (the contract asks at least 40).
pub const TRANSFER_CODE_CHARS: usize = 10;

/// Digits in an e-mail change's code.
pub const EMAIL_CODE_DIGITS: usize = 6;

/// The largest multiple of 10^6 a `u32` holds: draws at or above it are drawn again, so every
/// code is equally likely.
const SIX_DIGIT_DRAWS: u32 = u32::MAX / 1_000_000 * 1_000_000;

/// A six-digit code from four random bytes, or `None` (draw again) for the few draws that
/// would make some codes likelier than others.
pub fn six_digits(random: [u8; 4]) -> Option<String> {
    let n = u32::from_be_bytes(random);
    (n < SIX_DIGIT_DRAWS).then(|| format!("{:06}", n % 1_000_000))
}

/// A code of `count` digits as typed: spaces and hyphens dropped. `None` for anything else.
pub fn digits(input: &str, count: usize) -> Option<String> {
    let kept: String = input.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    (kept.len() == count && kept.bytes().all(|b| b.is_ascii_digit())).then_some(kept)
}

/// Renders `bits` random bits (a multiple of 5) from `random` as grouped Crockford base32.
pub fn render(random: &[u8], bits: usize) -> String {
    debug_assert!(bits.is_multiple_of(5) && random.len() * 8 >= bits);
    let chars = bits / 5;
    let mut out = String::with_capacity(chars + chars / 4);
    for i in 0..chars {
        let mut v = 0u8;
        for b in 0..5 {
            let bit = i * 5 + b;
            let set = random[bit / 8] >> (7 - bit % 8) & 1;
            v = v << 1 | set;
        }
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        out.push(ALPHABET[v as usize] as char);
    }
    out
}

/// The canonical form of a code as typed: upper case, separators dropped, look-alikes folded.
/// `None` when a character cannot be part of a code or the length is not `chars`.
pub fn normalize(input: &str, chars: usize) -> Option<String> {
    let mut out = String::with_capacity(chars);
    for c in input.chars() {
        let c = match c.to_ascii_uppercase() {
            ' ' | '-' | '_' => continue,
            'I' | 'L' => '1',
            'O' => '0',
            c if c.is_ascii() && ALPHABET.contains(&(c as u8)) => c,
            _ => return None,
        };
        if out.len() == chars {
            return None;
        }
        out.push(c);
    }
    (out.len() == chars).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_in_groups_and_normalizes_back() {
        let code = render(
            &[0xff, 0x00, 0xaa, 0x55, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc],
            80,
        );
        assert_eq!(code.len(), 16 + 3);
        assert_eq!(code.matches('-').count(), 3);
        let canonical = code.replace('-', "");
        assert_eq!(normalize(&code, 16).as_deref(), Some(canonical.as_str()));
        assert_eq!(
            normalize(&code.to_lowercase(), 16).as_deref(),
            Some(canonical.as_str())
        );
        assert_eq!(
            normalize(&canonical, 16).as_deref(),
            Some(canonical.as_str())
        );
        let spaced = code.replace('-', " ");
        assert_eq!(normalize(&spaced, 16).as_deref(), Some(canonical.as_str()));
    }

    #[test]
    fn six_digits_table() {
        let cases = [
            ([0, 0, 0, 0], Some("000000")),
            ([0, 0, 0, 42], Some("000042")),
            ([0, 0x0f, 0x42, 0x3f], Some("999999")),
            ([0, 0x0f, 0x42, 0x40], Some("000000")),
            ([0xff, 0xff, 0xff, 0xff], None),
            (SIX_DIGIT_DRAWS.to_be_bytes(), None),
            ((SIX_DIGIT_DRAWS - 1).to_be_bytes(), Some("999999")),
        ];
        for (random, expected) in cases {
            assert_eq!(six_digits(random).as_deref(), expected, "{random:?}");
        }
    }

    #[test]
    fn digits_table() {
        let cases = [
            ("123456", Some("123456")),
            (" 123-456 ", Some("123456")),
            ("123 456", Some("123456")),
            ("12345", None),
            ("1234567", None),
            ("12345a", None),
            ("١٢٣٤٥٦", None),
            ("", None),
        ];
        for (typed, expected) in cases {
            assert_eq!(digits(typed, 6).as_deref(), expected, "{typed:?}");
        }
    }

    #[test]
    fn normalize_table() {
        assert_eq!(normalize("abcd-efgh", 8).as_deref(), Some("ABCDEFGH"));
        assert_eq!(normalize("oIl0", 4).as_deref(), Some("0110"));
        assert_eq!(normalize("ABCU", 4), None, "U is not in the alphabet");
        assert_eq!(normalize("ABC", 4), None);
        assert_eq!(normalize("ABCDE", 4), None);
        assert_eq!(normalize("AB\u{0}D", 4), None);
        assert_eq!(normalize("ÀBCD", 4), None);
    }
}
