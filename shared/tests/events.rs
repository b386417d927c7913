//! The `events/` samples are real API Gateway v2 events: each one becomes a `lambda_http`
//! request for its route, and the edge of its function takes it: the token check, and the
//! `TryFrom<&Request>` that makes its command.

use std::collections::HashMap;
use std::path::PathBuf;

use lambda_http::{Body, Request, RequestExt};
use shared::domain::commands::{
    Activation, ActivationCodeRequest, AuditQuery, BusinessLookup, BusinessPatch, ConsentOrder,
    CredentialTransferClaim, EmailConfirmation, LetterApproval, LetterRejection, LettersQuery,
    OwnershipTransferRequest, PutMember, RegisterEdit, RegistrationOrder, RemoveMember,
    SecretOrder, TermsAcceptance, UserLookup, UserReinstatement,
};
use shared::domain::delegation::{
    AgentOrder, DelegationAt, DelegationsQuery, OpenDelegation, ProofCheck,
};
use shared::domain::import::{ImportReportQuery, ImportStart, ImportStep};
use shared::domain::{BusinessId, CredentialId, Idp, LetterId, NewUser, Urn, UserPatch};
use shared::http::TokenVerifier;
use shared::notify::{outbox, NoticeKind};
use shared::store::followups::{followup_of, Followup};
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

/// The notice senders' samples are an EventBridge event and a DynamoDB stream event; the
/// membership follow-ups' is a DynamoDB stream event too.
const SCHEDULED: &str = "retry-notices";
const STREAM: &str = "send-notices";
const FOLLOWUPS: &str = "membership-followups";
/// The dormancy sweep's is an EventBridge event too, and so is the delegations' expiry sweep.
const DORMANCY_SWEEP: &str = "retire-dormant-accounts";
const SWEEP: &str = "expire-delegations";
/// SES's feedback reaches its function as a Lambda SNS event.
const SES_FEEDBACK: &str = "ses-feedback";
/// Secrets Manager's rotation step for the delegation signing key.
const KEY_ROTATION: &str = "rotate-delegation-key";

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
        .filter(|name| {
            ![
                SCHEDULED,
                STREAM,
                FOLLOWUPS,
                DORMANCY_SWEEP,
                SWEEP,
                SES_FEEDBACK,
                KEY_ROTATION,
            ]
            .contains(&name.as_str())
        })
        .collect();
    names.sort();
    names
}

/// The edge of each function, as its main runs it before the use case: the command its
/// request becomes.
fn parse_edge(name: &str, request: &Request) -> Result<(), Error> {
    fn parse<C: for<'r> TryFrom<&'r Request, Error = Error>>(
        request: &Request,
    ) -> Result<(), Error> {
        C::try_from(request).map(drop)
    }
    match name {
        "create-user" => parse::<NewUser>(request),
        "update-me" => parse::<UserPatch>(request),
        "confirm-email" => parse::<EmailConfirmation>(request),
        "claim-credential-transfer" => parse::<CredentialTransferClaim>(request),
        "issue-shared-secret" => parse::<SecretOrder>(request),
        "register-business" => parse::<RegistrationOrder>(request),
        "request-activation-code" => parse::<ActivationCodeRequest>(request),
        "activate-business" => parse::<Activation>(request),
        "update-business" => parse::<BusinessPatch>(request),
        "accept-terms" => parse::<TermsAcceptance>(request),
        "put-member" => parse::<PutMember>(request),
        "remove-member" => parse::<RemoveMember>(request),
        "request-ownership-transfer" => parse::<OwnershipTransferRequest>(request),
        "put-information-sharing" => parse::<ConsentOrder>(request),
        "get-business"
        | "close-business"
        | "list-members"
        | "accept-ownership-transfer"
        | "cancel-ownership-transfer" => parse::<BusinessId>(request),
        "get-audit" => parse::<AuditQuery>(request),
        "mark-letter-mailed" => parse::<LetterId>(request),
        "grant-delegation" | "request-delegation" => parse::<OpenDelegation>(request),
        "accept-delegation" | "end-delegation" => parse::<DelegationAt>(request),
        "list-delegations" => parse::<DelegationsQuery>(request),
        "assign-delegation-agent" | "remove-delegation-agent" => parse::<AgentOrder>(request),
        "get-delegation-proof" => parse::<DelegationAt>(request),
        "check-delegation-proof" => parse::<ProofCheck>(request),
        "list-letters" => parse::<LettersQuery>(request),
        "approve-letter" => parse::<LetterApproval>(request),
        "reject-letter" => parse::<LetterRejection>(request),
        "put-business-register" => parse::<RegisterEdit>(request),
        "reinstate-user" => parse::<UserReinstatement>(request),
        "get-agency-user" => parse::<UserLookup>(request),
        "find-agency-business" => parse::<BusinessLookup>(request),
        "start-import" => parse::<ImportStart>(request),
        "import-rows" => parse::<ImportStep>(request),
        "get-import" => parse::<ImportReportQuery>(request),
        _ => Ok(()),
    }
}

#[test]
fn every_sample_is_an_event_whose_edge_accepts_it() {
    let names = names();
    assert_eq!(names.len(), 47, "one sample per API function");
    let scheduled: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(events_dir().join(format!("{SCHEDULED}.json"))).unwrap(),
    )
    .unwrap();
    assert_eq!(scheduled["detail-type"], "Scheduled Event");
    let sweep: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(events_dir().join(format!("{DORMANCY_SWEEP}.json"))).unwrap(),
    )
    .unwrap();
    assert_eq!(sweep["detail-type"], "Scheduled Event");
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
fn the_ses_feedback_sample_is_one_permanent_bounce_from_sns() {
    use shared::domain::undeliverable::FeedbackEvent;
    let json = std::fs::read_to_string(events_dir().join(format!("{SES_FEEDBACK}.json"))).unwrap();
    let event: shared::notify::feedback::SnsEvent =
        serde_json::from_str(&json).expect("a Lambda SNS event");
    let [record] = &event.records[..] else {
        panic!("one record expected")
    };
    let feedback = record.sns.feedback().expect("an SES event");
    assert_eq!(
        feedback.event,
        FeedbackEvent::Bounce {
            bounce_type: "Permanent".into(),
            sub_type: "General".into()
        }
    );
    assert_eq!(
        feedback.notice_id.as_deref(),
        Some("sample-notice-not-in-the-table")
    );
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
fn the_followups_sample_is_a_closed_business_and_a_moving_account() {
    let json = std::fs::read_to_string(events_dir().join(format!("{FOLLOWUPS}.json"))).unwrap();
    let event: outbox::StreamEvent = serde_json::from_str(&json).expect("a DynamoDB stream event");
    let followups: Vec<Option<Followup>> = event
        .records
        .into_iter()
        .map(|r| r.dynamodb.new_image.and_then(followup_of))
        .collect();
    assert_eq!(
        followups,
        [
            Some(Followup::EndMemberships {
                business_id: BusinessId::parse("01jd0000000000000000000000").unwrap()
            }),
            Some(Followup::MoveMemberships {
                urn: Urn::parse("1234567894").unwrap(),
                from: CredentialId::new(Idp::GcKey, "alex-old-gckey-subject").unwrap(),
                to: CredentialId::new(Idp::SignInPartner, "5f2b1c7e-0d3a-4e8f-9a61-2c4d8e7b9f10")
                    .unwrap(),
            }),
        ]
    );
    // The same business still open, and the account once it has moved: nothing to follow up.
    let settled = json
        .replace(
            r#""status": {"S": "closed"}"#,
            r#""status": {"S": "authorized"}"#,
        )
        .replace(r#""moving_from""#, r#""moved_once""#);
    let event: outbox::StreamEvent = serde_json::from_str(&settled).unwrap();
    assert!(event.records.into_iter().all(|r| r
        .dynamodb
        .new_image
        .and_then(followup_of)
        .is_none()));
}

#[test]
fn sample_bodies_parse_to_what_they_say() {
    let new_user = NewUser::try_from(&sample("create-user")).expect("create-user body");
    assert_eq!(new_user.email.as_str(), "alex.tremblay@example.com");
    assert_eq!(new_user.phone.as_str(), "+16135550100");
    let patch = UserPatch::try_from(&sample("update-me")).expect("update-me body");
    assert!(patch.language.is_some() && patch.phone.is_some() && patch.name.is_none());
    let claim = CredentialTransferClaim::try_from(&sample("claim-credential-transfer")).unwrap();
    assert_eq!(claim.transfer_code, "ABCDEFGHJK");
    let activation = Activation::try_from(&sample("activate-business")).unwrap();
    assert_eq!(activation.identifier.as_str(), "8ABC");
    let put = PutMember::try_from(&sample("put-member")).unwrap();
    assert_eq!(put.business_id.as_str(), "01jd0x6m3k2v7q8r9s0t1u2v3w");
    assert_eq!(put.urn.as_str(), "1234567894");
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
    type Expected = fn(&Error) -> bool;
    let cases: [(&str, Expected); 5] = [
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
        let error = NewUser::try_from(&Request::new(Body::Text(body.into()))).expect_err(body);
        assert!(expected(&error), "{body}: {error:?}");
    }
}

/// A business id that cannot exist is 404 and a mistyped URN 422, both before the body is read.
#[test]
fn bad_path_parameters_are_refused_first() {
    let with_path = |id: &str, urn: &str| {
        let parameters = HashMap::from([
            ("id".to_owned(), id.to_owned()),
            ("urn".to_owned(), urn.to_owned()),
        ]);
        Request::new(Body::Text("not json".into())).with_path_parameters(parameters)
    };
    let good_id = "01jd0x6m3k2v7q8r9s0t1u2v3w";
    assert!(matches!(
        PutMember::try_from(&with_path("01JD", "1234567894")),
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        PutMember::try_from(&with_path(good_id, "1234567849")),
        Err(Error::Invalid(f)) if f[0].field == "urn"
    ));
    assert!(matches!(
        PutMember::try_from(&with_path(good_id, "1234567894")),
        Err(Error::Malformed(_))
    ));
    assert!(RemoveMember::try_from(&with_path(good_id, "1234567894")).is_ok());
}
