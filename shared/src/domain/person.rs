//! What the portal knows of a person: name, e-mail, phone, language.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Refusals of the text parsers; the message is shown to people next to the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("must not be empty")]
    Empty,
    #[error("must be at most {0} characters")]
    TooLong(usize),
    #[error("must not contain control characters")]
    Control,
    #[error("{0}")]
    Format(&'static str),
}

/// Trimmed text of 1..=max characters with no control characters (no NUL, no newline
/// unless `multiline`), the base of every free-text field.
pub fn bounded_text(input: &str, max: usize, multiline: bool) -> Result<String, TextError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(TextError::Empty);
    }
    if text.chars().count() > max {
        return Err(TextError::TooLong(max));
    }
    if text
        .chars()
        .any(|c| c.is_control() && !(multiline && c == '\n'))
    {
        return Err(TextError::Control);
    }
    Ok(text.to_owned())
}

macro_rules! text_newtype {
    ($(#[$doc:meta])* $name:ident, $max:expr, $multiline:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(String);

        serde_via_parse!($name);

        impl $name {
            pub fn parse(input: &str) -> Result<Self, TextError> {
                bounded_text(input, $max, $multiline).map(Self)
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

pub(crate) use text_newtype;

text_newtype!(
    /// A person's name as they give it.
    PersonName, 200, false
);

/// An e-mail address notices can be sent to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

serde_via_parse!(Email);

impl Email {
    pub fn parse(input: &str) -> Result<Self, TextError> {
        let text = bounded_text(input, 254, false)?;
        match text.rsplit_once('@') {
            Some((mailbox, domain)) if is_mailbox(mailbox) && is_domain(domain) => Ok(Self(text)),
            _ => Err(TextError::Format("must be an e-mail address")),
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The same address, whatever the case of its letters: how people type an address they
    /// were told (providers deliver either way).
    pub fn same_address(&self, other: &Email) -> bool {
        self.0.eq_ignore_ascii_case(&other.0)
    }
}

/// The part before the `@` as SES delivers it: RFC 5321 dot-atom text, ASCII (SES has no
/// SMTPUTF8), at most 64 characters. Quoted local parts are legal but nobody registers one.
fn is_mailbox(mailbox: &str) -> bool {
    const SPECIALS: &[u8] = b"!#$%&'*+-/=?^_`{|}~";
    mailbox.len() <= 64
        && mailbox.split('.').all(|atom| {
            !atom.is_empty()
                && atom
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || SPECIALS.contains(&b))
        })
}

/// A host name on the Internet: two or more dot-separated labels of letters, digits and
/// hyphens (not at either end), each at most 63 characters. Internationalized domains are
/// written in their `xn--` form, as SES takes them.
fn is_domain(domain: &str) -> bool {
    domain.len() <= 253
        && domain.contains('.')
        && domain.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A telephone number, kept in E.164 form (`+16135550100`). People write North American
/// numbers without the country code, so ten digits mean +1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumber(String);

serde_via_parse!(PhoneNumber);

impl PhoneNumber {
    pub fn parse(input: &str) -> Result<Self, TextError> {
        const SHAPE: TextError =
            TextError::Format("must be a telephone number, e.g. +1 613 555 0100");
        let text = bounded_text(input, 40, false)?;
        let international = text.starts_with('+');
        let body = if international { &text[1..] } else { &text[..] };
        if !body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '.'))
        {
            return Err(SHAPE);
        }
        let digits: String = body.chars().filter(char::is_ascii_digit).collect();
        let e164 = match (international, digits.len()) {
            (true, 8..=15) if !digits.starts_with('0') => digits,
            (false, 10) => format!("1{digits}"),
            (false, 11) if digits.starts_with('1') => digits,
            _ => return Err(SHAPE),
        };
        Ok(Self(format!("+{e164}")))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The official language a person reads notices and the portal in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    En,
    Fr,
}

impl Language {
    pub fn parse(input: &str) -> Result<Self, TextError> {
        match input {
            "en" => Ok(Self::En),
            "fr" => Ok(Self::Fr),
            _ => Err(TextError::Format("must be en or fr")),
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Fr => "fr",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_table() {
        let cases = [
            ("alex@example.com", true),
            ("  alex.tremblay+portal@example.gc.ca ", true),
            ("", false),
            ("alex", false),
            ("alex@", false),
            ("@example.com", false),
            ("alex@exa mple.com", false),
            ("al\u{0}ex@example.com", false),
            ("o'brien!#$%&*+/=?^_`{|}~-@xn--exemple-9ua.ca", true),
            ("a@b@example.com", false),
            ("alex@localhost", false),
            ("alex.@example.com", false),
            ("al..ex@example.com", false),
            ("alex@-example.com", false),
            ("alex@example-.com", false),
            ("alex@example..com", false),
            ("josée@example.com", false),
            ("alex@[192.0.2.1]", false),
        ];
        for (input, ok) in cases {
            assert_eq!(Email::parse(input).is_ok(), ok, "{input:?}");
        }
        assert!(Email::parse(&format!("{}@example.com", "a".repeat(250))).is_err());
        assert!(Email::parse(&format!("{}@example.com", "a".repeat(65))).is_err());
        assert!(Email::parse(&format!("alex@{}.com", "a".repeat(64))).is_err());
    }

    #[test]
    fn phone_table() {
        let cases = [
            ("+1 613 555 0100", Some("+16135550100")),
            ("613-555-0100", Some("+16135550100")),
            ("(613) 555.0100", Some("+16135550100")),
            ("1 613 555 0100", Some("+16135550100")),
            ("+33 1 23 45 67 89", Some("+33123456789")),
            ("555-0100", None),
            ("+0 613 555 0100", None),
            ("613 555 0100 ext 4", None),
            ("", None),
            ("+", None),
        ];
        for (input, expected) in cases {
            assert_eq!(
                PhoneNumber::parse(input)
                    .ok()
                    .as_ref()
                    .map(PhoneNumber::as_str),
                expected,
                "{input:?}"
            );
        }
    }

    #[test]
    fn language_and_name_table() {
        assert_eq!(Language::parse("en"), Ok(Language::En));
        assert_eq!(Language::parse("fr"), Ok(Language::Fr));
        assert!(Language::parse("EN").is_err());
        assert!(Language::parse("de").is_err());
        assert_eq!(
            PersonName::parse("  Alex Tremblay ").unwrap().as_str(),
            "Alex Tremblay"
        );
        assert_eq!(PersonName::parse("   "), Err(TextError::Empty));
        assert_eq!(
            PersonName::parse(&"x".repeat(201)),
            Err(TextError::TooLong(200))
        );
        assert_eq!(PersonName::parse("Alex\nTremblay"), Err(TextError::Control));
    }
}
