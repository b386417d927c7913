//! The `events/` samples are real API Gateway v2 events: each one becomes a `lambda_http`
//! request for its route, and the edge of its function (token check, body parser) takes it.

use std::path::PathBuf;

use lambda_http::{Body, Request};
use shared::http::TokenVerifier;
use shared::usecases::users;
use shared::Error;

fn sample(name: &str) -> Request {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../events").join(format!("{name}.json"));
    let json = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    lambda_http::request::from_str(&json).unwrap_or_else(|e| panic!("{name}: not an API Gateway v2 event: {e}"))
}

#[test]
fn every_sample_is_an_event_for_its_route() {
    let routes = [
        ("health", "GET", "/health"),
        ("list-programs", "GET", "/programs"),
        ("create-user", "POST", "/users"),
        ("get-me", "GET", "/users/me"),
        ("update-me", "PATCH", "/users/me"),
        ("start-credential-transfer", "POST", "/users/me/credential-transfers"),
        ("claim-credential-transfer", "POST", "/credential-transfers/claim"),
    ];
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../events");
    assert_eq!(std::fs::read_dir(dir).unwrap().count(), routes.len(), "one sample per function");
    for (name, method, path) in routes {
        let request = sample(name);
        assert_eq!(request.method().as_str(), method, "{name}");
        assert_eq!(request.uri().path(), path, "{name}");
    }
}

#[test]
fn sample_bodies_pass_their_parsers() {
    let new_user = users::parse_new_user(sample("create-user").body()).expect("create-user body");
    assert_eq!(new_user.email.as_str(), "alex.tremblay@example.com");
    assert_eq!(new_user.phone.as_str(), "+16135550100");
    let patch = users::parse_user_patch(sample("update-me").body()).expect("update-me body");
    assert!(patch.language.is_some() && patch.phone.is_some() && patch.name.is_none());
    assert_eq!(users::parse_transfer_code(sample("claim-credential-transfer").body()).unwrap(), "ABCDEFGHJK");
}

#[test]
fn placeholder_tokens_and_missing_tokens_are_refused() {
    let verifier = TokenVerifier::from_jwks(r#"{"keys": []}"#, "https://issuer", "aud").unwrap();
    for name in ["create-user", "get-me", "update-me", "start-credential-transfer", "claim-credential-transfer"] {
        assert!(matches!(verifier.verify_request(&sample(name)), Err(Error::Unauthenticated)), "{name}");
    }
    assert!(matches!(verifier.verify_request(&sample("health")), Err(Error::Unauthenticated)));
}

#[test]
fn bad_bodies_are_refused_before_anything_is_written() {
    let cases: [(&str, fn(&Error) -> bool); 5] = [
        ("not json", |e| matches!(e, Error::Malformed(_))),
        ("[]", |e| matches!(e, Error::Malformed(_))),
        (r#"{"name": 1}"#, |e| matches!(e, Error::Invalid(f) if f.len() == 5)),
        (r#"{"name":"A","email":"a@b.ca","phone":"6135550100","language":"de","terms_version":"x"}"#, |e| {
            matches!(e, Error::Invalid(f) if f.len() == 1 && f[0].field == "language")
        }),
        (r#"{"name":"A","email":"nope","phone":"12","language":"en","terms_version":"x"}"#, |e| {
            matches!(e, Error::Invalid(f) if f.iter().map(|x| x.field.as_str()).collect::<Vec<_>>() == ["email", "phone"])
        }),
    ];
    for (body, expected) in cases {
        let error = users::parse_new_user(&Body::Text(body.into())).expect_err(body);
        assert!(expected(&error), "{body}: {error:?}");
    }
}
