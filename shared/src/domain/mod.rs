//! The portal's domain: identifiers, people, programs and the rules over them.
//! Pure: no AWS, no I/O. Everything here is built once at the edge, or read back from the table
//! through the same parsers, and trusted after.

/// Serde for a newtype over its text: written as the bare string, read back through `parse`,
/// so a stored value is held to the rules of one typed at the edge. That is sound because each
/// parse accepts its own output unchanged (`tests::stored_forms_read_back_as_written`).
/// Defined before the modules below, so it is in scope in each of them.
macro_rules! serde_via_parse {
    ($name:ident) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                Self::parse(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}

pub mod agency_audit;
pub mod audit;
pub mod business;
pub mod code;
pub mod commands;
pub mod credential;
pub mod delegation;
pub mod identifier;
pub mod ids;
pub mod import;
pub mod member;
pub mod notice;
pub mod onboarding;
pub mod person;
pub mod plan;
pub mod programs;
pub mod refusal;
pub mod rules;
pub mod shared_secret;
pub mod undeliverable;
pub mod urn;
pub mod user;

pub use commands::{NewUser, UserPatch};
pub use credential::{Caller, CredentialId, Idp, SignIn};
pub use ids::{BusinessId, LetterId};
pub use person::{Email, Language, PersonName, PhoneNumber};
pub use plan::{Change, Plan};
pub use programs::{Program, PORTAL_TERMS_VERSION};
pub use refusal::{Changed, Refusal};
pub use urn::Urn;

#[cfg(test)]
mod tests {
    use std::fmt::Debug;

    use serde::{de::DeserializeOwned, Serialize};
    use serde_json::{json, Value};

    use super::business::{LegalName, MailingAddress, PositionTitle};
    use super::identifier::{Bn9, BusinessIdentifier};
    use super::*;

    /// What a parse made reads back from its stored form as the same value: parsing the
    /// normalized output again gives what parsing the input gave, and so does `Deserialize`.
    fn reads_back<T, E: Debug>(
        input: &str,
        parse: impl Fn(&str) -> Result<T, E>,
        text: fn(&Value) -> &str,
    ) where
        T: Serialize + DeserializeOwned + PartialEq + Debug,
    {
        let parsed = parse(input).unwrap_or_else(|e| panic!("{input:?}: {e:?}"));
        let stored = serde_json::to_value(&parsed).unwrap();
        let again = parse(text(&stored)).unwrap_or_else(|e| panic!("{stored}: {e:?}"));
        assert_eq!(again, parsed, "{input:?} → {stored}");
        assert_eq!(
            serde_json::from_value::<T>(stored).unwrap(),
            parsed,
            "{input:?}"
        );
    }

    #[test]
    fn stored_forms_read_back_as_written() {
        fn string(stored: &Value) -> &str {
            stored.as_str().unwrap_or_default()
        }
        fn value(stored: &Value) -> &str {
            stored["value"].as_str().unwrap_or_default()
        }
        fn sub(stored: &Value) -> &str {
            stored["sub"].as_str().unwrap_or_default()
        }
        for input in ["1234567894", "123 456 7894", "12345-67894"] {
            reads_back(input, Urn::parse, string);
        }
        for input in ["alex@example.com", "  Alex.Tremblay+portal@example.gc.ca "] {
            reads_back(input, Email::parse, string);
        }
        for input in [
            "+1 613 555 0100",
            "(613) 555.0100",
            "1 613 555 0100",
            "+33 1 23 45 67 89",
        ] {
            reads_back(input, PhoneNumber::parse, string);
        }
        for input in ["  Alex Tremblay ", "Zoë O'Brien-Lévesque"] {
            reads_back(input, PersonName::parse, string);
            reads_back(input, LegalName::parse, string);
            reads_back(input, PositionTitle::parse, string);
        }
        for input in [" 100 Main St\nOttawa ON  K1A 0L8 \n", "1\n2\n3\n4\n5\n6"] {
            reads_back(input, MailingAddress::parse, string);
        }
        for input in ["123 456 782", "123456782RM0001"] {
            reads_back(input, Bn9::parse, string);
        }
        let client = BusinessIdentifier::client_number_from_random(1_234_567);
        let identifiers = [
            (Program::Ttp, client.as_str().to_lowercase()),
            (Program::Emanifest, "8abc".into()),
            (Program::Cers, "123456782 rm-0001".into()),
        ];
        for (program, input) in identifiers {
            reads_back(&input, |s| BusinessIdentifier::parse(program, s), value);
        }
        for input in [
            "01jd0x6m3k2v7q8r9s0t1u2v3w",
            BusinessId::from_random(&[9; 20]).as_str(),
        ] {
            reads_back(input, BusinessId::parse, string);
            reads_back(input, LetterId::parse, string);
        }
        for input in ["f3a1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b", "x"] {
            reads_back(
                input,
                |s| CredentialId::new(Idp::SignInPartner, s).ok_or(()),
                sub,
            );
        }
    }

    /// A stored value the edge would refuse is refused when read, not trusted.
    #[test]
    fn stored_values_the_edge_refuses_are_not_read() {
        assert!(serde_json::from_value::<Urn>(json!("1234567849")).is_err());
        assert!(serde_json::from_value::<Email>(json!("nope")).is_err());
        assert!(serde_json::from_value::<PhoneNumber>(json!("555-0100")).is_err());
        assert!(serde_json::from_value::<PersonName>(json!(" ")).is_err());
        assert!(serde_json::from_value::<MailingAddress>(json!("1\n2\n3\n4\n5\n6\n7")).is_err());
        assert!(serde_json::from_value::<Bn9>(json!("123456789")).is_err());
        assert!(serde_json::from_value::<BusinessId>(json!("01JD")).is_err());
        let identifier = json!({"kind": "carrier_code", "value": "123456782RM0001"});
        assert!(serde_json::from_value::<BusinessIdentifier>(identifier).is_err());
        let credential = json!({"idp": "gckey", "sub": ""});
        assert!(serde_json::from_value::<CredentialId>(credential).is_err());
    }
}
