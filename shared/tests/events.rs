//! The `events/` samples are real API Gateway v2 events: each one becomes a `lambda_http`
//! request for its route, and the edge of its function (token check, path and body parsers)
//! takes it.

use std::path::PathBuf;

use lambda_http::{Body, Request, RequestExt};
use shared::http::{path_param, TokenVerifier};
use shared::notify::{outbox, NoticeKind};
use shared::usecases::{businesses, members, secrets, users};
use shared::Error;

fn events_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../events")
}

fn sample(name: &str) -> Request {
    let path = events_dir().join(format!("{name}.json"));
    let json = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    lambda_http::request::from_str(&json)
        .unwrap_or_else(|e| panic!("{name}: not an API Gateway v2 event: {e}"))
}

/// The notice senders' samples are an EventBridge event and a DynamoDB stream event.
const SCHEDULED: &str = "retry-notices";
const STREAM: &str = "send-notices";

/// The samples of the API functions.
fn names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(events_dir())
        .unwrap()
        .map(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .trim_end_matches(".json")
                .to_owned()
        })
        .filter(|name| name != SCHEDULED && name != STREAM)
        .collect();
    names.sort();
    names
}

/// The edge of each function, as its main runs it before the use case.
fn parse_edge(name: &str, request: &Request) -> Result<(), Error> {
    let body = request.body();
    let id = || businesses::parse_business_id(path_param(request, "id").as_deref()).map(|_| ());
    match name {
        "create-user" => users::parse_new_user(body).map(|_| ()),
        "update-me" => users::parse_user_patch(body).map(|_| ()),
        "claim-credential-transfer" => users::parse_transfer_code(body).map(|_| ()),
        "issue-shared-secret" => secrets::parse_secret_order(body).map(|_| ()),
        "register-business" => secrets::parse_registration(body).map(|_| ()),
        "request-activation-code" => secrets::parse_code_request(body).map(|_| ()),
        "activate-business" => businesses::parse_activation(body).map(|_| ()),
        "update-business" => id().and(businesses::parse_business_patch(body).map(|_| ())),
        "accept-terms" => id().and(businesses::parse_terms(body).map(|_| ())),
        "put-member" => id()
            .and(members::parse_urn(path_param(request, "urn").as_deref()).map(|_| ()))
            .and(members::parse_role(body).map(|_| ())),
        "remove-member" => {
            id().and(members::parse_urn(path_param(request, "urn").as_deref()).map(|_| ()))
        }
        "request-ownership-transfer" => id().and(members::parse_transfer(body).map(|_| ())),
        "put-information-sharing" => id().and(members::parse_consent(body).map(|_| ())),
        "get-business"
        | "close-business"
        | "list-members"
        | "accept-ownership-transfer"
        | "cancel-ownership-transfer"
        | "get-audit" => id(),
        _ => Ok(()),
    }
}

#[test]
fn every_sample_is_an_event_whose_edge_accepts_it() {
    let names = names();
    assert_eq!(names.len(), 26, "one sample per API function");
    let scheduled: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(events_dir().join(format!("{SCHEDULED}.json"))).unwrap(),
    )
    .unwrap();
    assert_eq!(scheduled["detail-type"], "Scheduled Event");
    for name in &names {
        let request = sample(name);
        let context = request.request_context();
        let lambda_http::request::RequestContext::ApiGatewayV2(context) = context else {
            panic!("{name}: not an HTTP API event")
        };
        let route_key = context.route_key.clone().unwrap_or_default();
        assert!(
            route_key.starts_with(request.method().as_str()),
            "{name}: {route_key}"
        );
        parse_edge(name, &request).unwrap_or_else(|e| panic!("{name}: {e:?}"));
    }
}

#[test]
fn the_stream_sample_is_one_new_notice_to_send() {
    let json = std::fs::read_to_string(events_dir().join(format!("{STREAM}.json"))).unwrap();
    let event: outbox::StreamEvent = serde_json::from_str(&json).expect("a DynamoDB stream event");
    let [record] = &event.new_notices()[..] else {
        panic!("one notice expected")
    };
    assert_eq!(record.notice.to.as_str(), "alex.tremblay@example.com");
    assert_eq!(record.gsi1sk.as_deref(), Some("2026-11-22T12:01:00Z"));
    assert!(matches!(
        record.notice.kind,
        NoticeKind::UrnConfirmation { .. }
    ));
    // A modification of a notice (marked sent, say) is not a new notice.
    let modified: outbox::StreamEvent =
        serde_json::from_str(&json.replace("\"INSERT\"", "\"MODIFY\"")).unwrap();
    assert!(modified.new_notices().is_empty());
}

#[test]
fn sample_bodies_parse_to_what_they_say() {
    let new_user = users::parse_new_user(sample("create-user").body()).expect("create-user body");
    assert_eq!(new_user.email.as_str(), "alex.tremblay@example.com");
    assert_eq!(new_user.phone.as_str(), "+16135550100");
    let patch = users::parse_user_patch(sample("update-me").body()).expect("update-me body");
    assert!(patch.language.is_some() && patch.phone.is_some() && patch.name.is_none());
    assert_eq!(
        users::parse_transfer_code(sample("claim-credential-transfer").body()).unwrap(),
        "ABCDEFGHJK"
    );
    let activation = businesses::parse_activation(sample("activate-business").body()).unwrap();
    assert_eq!(activation.identifier.value, "8ABC");
}

#[test]
fn placeholder_tokens_and_missing_tokens_are_refused() {
    let verifier = TokenVerifier::from_jwks(r#"{"keys": []}"#, "https://issuer", "aud").unwrap();
    for name in names() {
        assert!(
            matches!(
                verifier.verify_request(&sample(&name)),
                Err(Error::Unauthenticated)
            ),
            "{name}"
        );
    }
}

#[test]
fn bad_bodies_are_refused_before_anything_is_written() {
    let cases: [(&str, fn(&Error) -> bool); 5] = [
        ("not json", |e| matches!(e, Error::Malformed(_))),
        ("[]", |e| matches!(e, Error::Malformed(_))),
        (
            r#"{"name": 1}"#,
            |e| matches!(e, Error::Invalid(f) if f.len() == 5),
        ),
        (
            r#"{"name":"A","email":"a@b.ca","phone":"6135550100","language":"de","terms_version":"x"}"#,
            |e| matches!(e, Error::Invalid(f) if f.len() == 1 && f[0].field == "language"),
        ),
        (
            r#"{"name":"A","email":"nope","phone":"12","language":"en","terms_version":"x"}"#,
            |e| matches!(e, Error::Invalid(f) if f.iter().map(|x| x.field.as_str()).collect::<Vec<_>>() == ["email", "phone"]),
        ),
    ];
    for (body, expected) in cases {
        let error = users::parse_new_user(&Body::Text(body.into())).expect_err(body);
        assert!(expected(&error), "{body}: {error:?}");
    }
}

#[test]
fn a_mistyped_urn_in_the_path_is_422() {
    assert!(matches!(members::parse_urn(Some("1234567894")), Ok(_)));
    assert!(
        matches!(members::parse_urn(Some("1234567849")), Err(Error::Invalid(f)) if f[0].field == "urn")
    );
}
