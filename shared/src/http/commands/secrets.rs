//! Shared secrets' requests: issuing, registration, new codes, letters.

use lambda_http::Request;

use super::program_and_identifier;
use crate::domain::business::{LegalName, MailingAddress};
use crate::domain::commands::{
    ActivationCodeRequest, LetterApproval, LetterRejection, LettersQuery, RegisterEdit,
    RegistrationOrder, SecretOrder,
};
use crate::domain::identifier::Bn9;
use crate::domain::onboarding::LetterStatus;
use crate::domain::person::bounded_text;
use crate::domain::programs::Delivery;
use crate::domain::rules::letters::REASON_MAX;
use crate::domain::{Email, Language, LetterId};
use crate::error::{Error, Result};
use crate::http::{path_param, query_param, Fields};

/// `POST /agency/shared-secrets`: `email` is required where the program delivers by e-mail.
impl TryFrom<&Request> for SecretOrder {
    type Error = Error;

    fn try_from(request: &Request) -> Result<Self> {
        let mut f = Fields::from_body(request.body())?;
        let ids = program_and_identifier(&mut f, "business_identifier");
        let legal_name = f.required("legal_name", LegalName::parse);
        let mailing_address = f.required("mailing_address", MailingAddress::parse);
        let by_email = matches!(&ids, Ok((p, _)) if p.rules().secret_delivery == Delivery::Email);
        let email = if by_email {
            f.required("email", Email::parse).map(Some)
        } else {
            f.optional("email", Email::parse)
        };
        let language = f.optional("language", Language::parse);
        f.finish()?;
        let (program, identifier) = ids?;
        Ok(SecretOrder {
            program,
            identifier,
            legal_name: legal_name?,
            mailing_address: mailing_address?,
            email: email?,
            language: language?.unwrap_or(Language::En),
        })
    }
}

/// `POST /registrations`.
impl TryFrom<&Request> for RegistrationOrder {
    type Error = Error;

    fn try_from(request: &Request) -> Result<Self> {
        let mut f = Fields::from_body(request.body())?;
        let program = f.required("program", |s| {
            if s == "ttp" {
                Ok(())
            } else {
                Err("registration is for ttp only")
            }
        });
        let business_number = f.required("business_number", Bn9::parse);
        let legal_name = f.required("legal_name", LegalName::parse);
        let mailing_address = f.required("mailing_address", MailingAddress::parse);
        f.finish()?;
        program?;
        Ok(RegistrationOrder {
            business_number: business_number?,
            legal_name: legal_name?,
            mailing_address: mailing_address?,
        })
    }
}

/// `POST /activation-code-requests`.
impl TryFrom<&Request> for ActivationCodeRequest {
    type Error = Error;

    fn try_from(request: &Request) -> Result<Self> {
        let mut f = Fields::from_body(request.body())?;
        let ids = program_and_identifier(&mut f, "business_identifier");
        f.finish()?;
        let (program, identifier) = ids?;
        Ok(ActivationCodeRequest {
            program,
            identifier,
        })
    }
}

/// The letter a route's `{letter_id}` names: anything not shaped like an id cannot exist (404).
impl TryFrom<&Request> for LetterId {
    type Error = Error;

    fn try_from(request: &Request) -> Result<Self> {
        path_param(request, "letter_id")
            .and_then(|id| LetterId::parse(&id).ok())
            .ok_or(Error::NotFound("No such letter."))
    }
}

/// `PUT /agency/business-register/{business_number}`: a Business Number that is not one is
/// named like a bad body field (422).
impl TryFrom<&Request> for RegisterEdit {
    type Error = Error;

    fn try_from(request: &Request) -> Result<Self> {
        let business_number = path_param(request, "business_number")
            .ok_or(Error::NotFound("No such Business Number."))
            .and_then(|raw| {
                Bn9::parse(&raw).map_err(|e| Error::invalid("business_number", e.to_string()))
            });
        let mut f = Fields::from_body(request.body())?;
        let legal_name = f.required("legal_name", LegalName::parse);
        let mailing_address = f.required("mailing_address", MailingAddress::parse);
        f.finish()?;
        Ok(RegisterEdit {
            business_number: business_number?,
            legal_name: legal_name?,
            mailing_address: mailing_address?,
        })
    }
}

/// `GET /agency/letters?status=&cursor=`: a page of one status (pending when none is asked);
/// with `program` + `identifier` or `business_number`: that business's letters, of `status`
/// when one is asked (no cursor: they fit in one answer).
impl TryFrom<&Request> for LettersQuery {
    type Error = Error;

    fn try_from(request: &Request) -> Result<Self> {
        let status = query_param(request, "status")
            .map(|raw| {
                LetterStatus::parse(&raw).ok_or_else(|| {
                    Error::invalid("status", "must be review, pending, mailed or withdrawn")
                })
            })
            .transpose()?;
        let cursor = query_param(request, "cursor");
        match super::support::business_asked(request)? {
            None => Ok(LettersQuery::Queue {
                status: status.unwrap_or(LetterStatus::Pending),
                cursor,
            }),
            Some(_) if cursor.is_some() => Err(Error::invalid(
                "cursor",
                "is not used with a search: the letters of one business come in one answer",
            )),
            Some(business) => Ok(LettersQuery::Of { business, status }),
        }
    }
}

/// `POST /agency/letters/{letter_id}/approve`: the body and `mailing_address` are optional.
impl TryFrom<&Request> for LetterApproval {
    type Error = Error;

    fn try_from(request: &Request) -> Result<Self> {
        let letter_id = LetterId::try_from(request)?;
        let empty = match request.body() {
            lambda_http::Body::Empty => true,
            lambda_http::Body::Text(t) => t.trim().is_empty(),
            lambda_http::Body::Binary(b) => b.is_empty(),
            _ => true,
        };
        let mailing_address = if empty {
            None
        } else {
            let mut f = Fields::from_body(request.body())?;
            let address = f.optional("mailing_address", MailingAddress::parse);
            f.finish()?;
            address?
        };
        Ok(LetterApproval {
            letter_id,
            mailing_address,
        })
    }
}

/// `POST /agency/letters/{letter_id}/reject` `{reason}`.
impl TryFrom<&Request> for LetterRejection {
    type Error = Error;

    fn try_from(request: &Request) -> Result<Self> {
        let letter_id = LetterId::try_from(request)?;
        let mut f = Fields::from_body(request.body())?;
        let reason = f.required("reason", |s| bounded_text(s, REASON_MAX, true));
        f.finish()?;
        Ok(LetterRejection {
            letter_id,
            reason: reason?,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use lambda_http::{Body, RequestExt};

    use super::*;

    const LETTER: &str = "01jd0x6m3k2v7q8r9s0t1u2v3w";

    fn request(path: &[(&str, &str)], query: &[(&str, &str)], body: Option<&str>) -> Request {
        let pairs = |kv: &[(&str, &str)]| -> HashMap<String, String> {
            kv.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let mut request = Request::new(body.map_or(Body::Empty, |b| Body::Text(b.into())));
        request = request.with_path_parameters(pairs(path));
        request.with_query_string_parameters(pairs(query))
    }

    fn fields(got: Error) -> Vec<String> {
        match got {
            Error::Invalid(fields) => fields.into_iter().map(|f| f.field).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn letters_are_listed_by_one_status() {
        // (query, the status listed: None for 422 on `status`)
        let cases = [
            (&[][..], Some(LetterStatus::Pending)),
            (&[("status", "review")], Some(LetterStatus::Review)),
            (&[("status", "pending")], Some(LetterStatus::Pending)),
            (&[("status", "mailed")], Some(LetterStatus::Mailed)),
            (&[("status", "withdrawn")], Some(LetterStatus::Withdrawn)),
            (&[("status", "Pending")], None),
            (&[("status", "")], None),
            (&[("status", "all")], None),
        ];
        for (query, expected) in cases {
            match (LettersQuery::try_from(&request(&[], query, None)), expected) {
                (Ok(LettersQuery::Queue { status: got, .. }), Some(status)) => {
                    assert_eq!(got, status, "{query:?}")
                }
                (Err(e), None) => assert_eq!(fields(e), ["status"], "{query:?}"),
                (got, _) => panic!("{query:?}: {:?}", got.is_ok()),
            }
        }
    }

    #[test]
    fn the_letters_of_one_business_are_asked_by_its_identifier_or_business_number() {
        use crate::domain::commands::BusinessLookup;
        use crate::domain::identifier::{Bn9, BusinessIdentifier};
        use crate::domain::Program;
        let cn = BusinessIdentifier::client_number_from_random(42);
        let (typed, lower) = (cn.as_str().to_owned(), cn.as_str().to_lowercase());
        let client_number = || BusinessLookup::Identifier(Program::Ttp, cn.clone());
        let bn = || BusinessLookup::BusinessNumber(Bn9::parse("123456782").unwrap());
        // (query, Ok((business, status)) or Err(the field named))
        type Expected = Result<(BusinessLookup, Option<LetterStatus>), [&'static str; 1]>;
        let cases: Vec<(Vec<(&str, &str)>, Expected)> = vec![
            (
                vec![("program", "ttp"), ("identifier", &typed)],
                Ok((client_number(), None)),
            ),
            (
                vec![
                    ("program", "ttp"),
                    ("identifier", &lower),
                    ("status", "pending"),
                ],
                Ok((client_number(), Some(LetterStatus::Pending))),
            ),
            (vec![("business_number", "123456782")], Ok((bn(), None))),
            (
                vec![("business_number", "12345678")],
                Err(["business_number"]),
            ),
            (vec![("identifier", &typed)], Err(["identifier"])),
            (
                vec![("program", "ttp"), ("identifier", "not one")],
                Err(["identifier"]),
            ),
            (
                vec![("program", "nope"), ("identifier", &typed)],
                Err(["program"]),
            ),
            (
                vec![
                    ("business_number", "123456782"),
                    ("program", "ttp"),
                    ("identifier", &typed),
                ],
                Err(["identifier"]),
            ),
            (
                vec![("business_number", "123456782"), ("status", "all")],
                Err(["status"]),
            ),
            (
                vec![("business_number", "123456782"), ("cursor", "41")],
                Err(["cursor"]),
            ),
        ];
        for (query, expected) in cases {
            let query = query.as_slice();
            match (LettersQuery::try_from(&request(&[], query, None)), expected) {
                (Ok(LettersQuery::Of { business, status }), Ok(want)) => {
                    assert_eq!((business, status), want, "{query:?}")
                }
                (Err(e), Err(field)) => assert_eq!(fields(e), field, "{query:?}"),
                (got, _) => panic!("{query:?}: {:?}", got.is_ok()),
            }
        }
    }

    #[test]
    fn an_approval_may_name_an_address() {
        let path = [("letter_id", LETTER)];
        // (body, Ok(the address given) or Err(the fields named))
        type Expected<'a> = Result<Option<&'a str>, Vec<&'a str>>;
        let cases: [(Option<&str>, Expected); 5] = [
            (None, Ok(None)),
            (Some("{}"), Ok(None)),
            (
                Some(r#"{"mailing_address": "5 rue Vérifiée\nGatineau"}"#),
                Ok(Some("5 rue Vérifiée\nGatineau")),
            ),
            (
                Some(r#"{"mailing_address": ""}"#),
                Err(vec!["mailing_address"]),
            ),
            (
                Some(r#"{"mailing_address": 5}"#),
                Err(vec!["mailing_address"]),
            ),
        ];
        for (body, expected) in cases {
            let got = LetterApproval::try_from(&request(&path, &[], body));
            match (got, expected) {
                (Ok(a), Ok(address)) => {
                    assert_eq!(
                        a.mailing_address.as_ref().map(|m| m.as_str()),
                        address,
                        "{body:?}"
                    );
                    assert_eq!(a.letter_id.as_str(), LETTER);
                }
                (Err(e), Err(named)) => assert_eq!(fields(e), named, "{body:?}"),
                (got, _) => panic!("{body:?}: {:?}", got.err()),
            }
        }
        let unknown = LetterApproval::try_from(&request(&[("letter_id", "x")], &[], None));
        assert!(matches!(unknown, Err(Error::NotFound(_))));
    }

    #[test]
    fn a_rejection_gives_a_reason() {
        let path = [("letter_id", LETTER)];
        let long = format!(r#"{{"reason": "{}"}}"#, "x".repeat(REASON_MAX + 1));
        let cases = [
            (r#"{"reason": "Not the business at this address"}"#, true),
            (r#"{"reason": "  "}"#, false),
            (r#"{}"#, false),
            (long.as_str(), false),
        ];
        for (body, ok) in cases {
            let got = LetterRejection::try_from(&request(&path, &[], Some(body)));
            match got {
                Ok(r) => assert!(
                    ok && r.reason == "Not the business at this address",
                    "{body}"
                ),
                Err(e) => assert!(!ok && fields(e) == ["reason"], "{body}"),
            }
        }
    }

    #[test]
    fn a_register_edit_names_a_business_number() {
        let body =
            r#"{"legal_name": "Transports Boréal inc.", "mailing_address": "9 boul. du Registre"}"#;
        let ok = RegisterEdit::try_from(&request(
            &[("business_number", "123 456 782")],
            &[],
            Some(body),
        ))
        .unwrap();
        assert_eq!(ok.business_number.as_str(), "123456782");
        let bad = RegisterEdit::try_from(&request(
            &[("business_number", "123456789")],
            &[],
            Some(body),
        ));
        assert_eq!(fields(bad.err().unwrap()), ["business_number"]);
        let neither =
            RegisterEdit::try_from(&request(&[("business_number", "x")], &[], Some("{}")));
        assert_eq!(
            fields(neither.err().unwrap()),
            ["legal_name", "mailing_address"]
        );
    }
}
