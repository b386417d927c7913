//! The DynamoDB adapter (`DynamoStore`, `Tx`) against a mocked SDK client (aws-smithy-mocks):
//! which answers of DynamoDB are refusals (`Ok(Err(Refused))`) and which are failures, which
//! failures are 503 (`Unavailable`: retry) and which 500 (`Internal`: a bug), and how
//! `get_many` orders, deduplicates and asks again.
//!
//! DynamoDB's errors are given as it sends them (HTTP status, JSON body with `__type`), so the
//! SDK's own reading of the error code is part of what is checked. The SDK's retries are off:
//! each mocked answer is one call, and what is tested is what the adapter makes of the answer
//! the SDK finally gives it. The rules are sequential: a call the test did not expect (another
//! operation, other keys, a dropped condition, one call too many) panics the test.

use std::time::Duration;

use aws_sdk_dynamodb::config::retry::RetryConfig;
use aws_sdk_dynamodb::config::timeout::TimeoutConfig;
use aws_sdk_dynamodb::operation::batch_get_item::BatchGetItemOutput;
use aws_sdk_dynamodb::types::KeysAndAttributes;
use aws_sdk_dynamodb::Client;
use aws_smithy_http_client::test_util::NeverClient;
use aws_smithy_mocks::{mock, mock_client, Rule, RuleMode};
use aws_smithy_runtime_api::client::http::{
    http_client_fn, HttpConnector, HttpConnectorFuture, SharedHttpClient, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;

use super::dynamo::{key, s, Cond, DynamoStore, Item, Refused};
use crate::error::{Error, Result};

const TABLE: &str = "accounts";

/// A store whose client answers with `rules`, in order.
fn store(rules: &[&Rule]) -> DynamoStore {
    let client = mock_client!(aws_sdk_dynamodb, RuleMode::Sequential, rules, |conf| conf
        .retry_config(RetryConfig::disabled()));
    DynamoStore::new(client, TABLE.into())
}

/// A store whose client sends over `http` (no mocked answers), timing out an attempt at 2 s.
fn store_over(http: SharedHttpClient) -> DynamoStore {
    let conf = aws_sdk_dynamodb::Config::builder()
        .with_test_defaults_v2()
        .http_client(http)
        .retry_config(RetryConfig::disabled())
        .timeout_config(
            TimeoutConfig::builder()
                .operation_attempt_timeout(Duration::from_secs(2))
                .build(),
        )
        .build();
    DynamoStore::new(Client::from_conf(conf), TABLE.into())
}

/// An HTTP response as DynamoDB's JSON protocol sends it.
fn http(status: u16, body: &str) -> HttpResponse {
    let mut response = HttpResponse::new(
        StatusCode::try_from(status).expect("a status code"),
        SdkBody::from(body.to_owned()),
    );
    response
        .headers_mut()
        .insert("content-type", "application/x-amz-json-1.0");
    response
}

/// DynamoDB's error `code`, with `more` JSON members (`"CancellationReasons": …`).
fn error_body(code: &str, more: &str) -> String {
    format!(r#"{{"__type":"com.amazonaws.dynamodb.v20120810#{code}","message":"mocked"{more}}}"#)
}

/// A TransactionCanceledException with one cancellation reason per item, in item order.
fn canceled(reasons: &[&str]) -> String {
    let reasons: Vec<String> = reasons
        .iter()
        .map(|code| format!(r#"{{"Code":"{code}","Message":"mocked"}}"#))
        .collect();
    error_body(
        "TransactionCanceledException",
        &format!(r#","CancellationReasons":[{}]"#, reasons.join(",")),
    )
}

/// What a call came to, comparable in a table.
#[derive(Debug, PartialEq)]
enum Outcome {
    /// Read or written.
    Done,
    Refused(Vec<&'static str>),
    /// 503: retry.
    Unavailable,
    /// 500: a bug.
    Internal,
    Other(String),
}

fn failure(e: Error) -> Outcome {
    match e {
        Error::Unavailable(_) => Outcome::Unavailable,
        Error::Internal(_) => Outcome::Internal,
        other => Outcome::Other(format!("{other:?}")),
    }
}

fn written(result: Result<Result<(), Refused>>) -> Outcome {
    match result {
        Ok(Ok(())) => Outcome::Done,
        Ok(Err(refused)) => Outcome::Refused(refused.failed),
        Err(e) => failure(e),
    }
}

fn read<T>(result: Result<T>) -> Outcome {
    match result {
        Ok(_) => Outcome::Done,
        Err(e) => failure(e),
    }
}

/// A transaction of three items labelled `a`, `b`, `c` (a put, an update, a check).
async fn commit_three(store: &DynamoStore) -> Result<Result<(), Refused>> {
    let mut tx = store.tx();
    tx.put_item("a", key("BUS#1".into(), "META"), Cond::Absent)?;
    tx.update(
        "b",
        "CRED#gckey#1".into(),
        "USER",
        vec![("name", s("Ada"))],
        &[],
        Cond::Version(3),
    )?;
    tx.check("c", "URN#1".into(), "URN", Cond::Exists)?;
    store.commit(tx).await
}

#[tokio::test]
async fn a_canceled_transaction_names_the_items_whose_condition_failed() {
    use Outcome::*;
    let cases: &[(&str, &[&str], Outcome)] = &[
        ("all passed", &[], Done),
        (
            "first and last failed",
            &["ConditionalCheckFailed", "None", "ConditionalCheckFailed"],
            Refused(vec!["a", "c"]),
        ),
        (
            "the middle failed",
            &["None", "ConditionalCheckFailed", "None"],
            Refused(vec!["b"]),
        ),
        // Another transaction on the same items: refused, no condition to blame.
        (
            "a conflict only",
            &["None", "TransactionConflict", "None"],
            Refused(vec![]),
        ),
        (
            "a failed condition and a conflict",
            &["ConditionalCheckFailed", "TransactionConflict", "None"],
            Refused(vec!["a"]),
        ),
        // Neither a condition nor a conflict: not a refusal the use case could explain.
        (
            "throttled",
            &["None", "ThrottlingError", "None"],
            Unavailable,
        ),
        (
            "capacity",
            &["ProvisionedThroughputExceeded", "None", "None"],
            Unavailable,
        ),
        // A malformed item is a bug no retry mends, yet `commit` gives it the others' 503 today:
        // pinned here so that changing it is a decision.
        (
            "an invalid item",
            &["ValidationError", "None", "None"],
            Unavailable,
        ),
        ("no reasons given", &["None", "None", "None"], Unavailable),
    ];
    for (name, reasons, expected) in cases {
        let body = match reasons {
            [] => "{}".to_owned(),
            _ => canceled(reasons),
        };
        let status = if reasons.is_empty() { 200 } else { 400 };
        let rule = mock!(Client::transact_write_items)
            .match_requests(|req| {
                let items = req.transact_items();
                items.len() == 3
                    && items[0].put().is_some()
                    && items[1].update().is_some()
                    && items[2].condition_check().is_some()
            })
            .then_http_response(move || http(status, &body));
        let store = store(&[&rule]);
        assert_eq!(written(commit_three(&store).await), *expected, "{name}");
        assert_eq!(rule.num_calls(), 1, "{name}: one TransactWriteItems");
    }
}

#[derive(Debug, Clone, Copy)]
enum One {
    Put,
    Update,
    Delete,
}

/// A one-item transaction, and a rule for its own single-item write (not TransactWriteItems)
/// that must still carry the item's condition, answered with `status` and `body`.
fn one_item(op: One, status: u16, body: String) -> Rule {
    let answer = move || http(status, &body);
    match op {
        One::Put => mock!(Client::put_item)
            .match_requests(|req| {
                req.table_name() == Some(TABLE)
                    && req.condition_expression() == Some("attribute_not_exists(pk)")
            })
            .then_http_response(answer),
        One::Update => mock!(Client::update_item)
            .match_requests(|req| {
                req.table_name() == Some(TABLE)
                    && req.condition_expression() == Some("#version = :expected_version")
                    && req
                        .expression_attribute_values()
                        .is_some_and(|v| v.contains_key(":expected_version"))
            })
            .then_http_response(answer),
        One::Delete => mock!(Client::delete_item)
            .match_requests(|req| {
                req.table_name() == Some(TABLE)
                    && req.condition_expression() == Some("attribute_exists(pk)")
            })
            .then_http_response(answer),
    }
}

async fn commit_one(store: &DynamoStore, op: One) -> Result<Result<(), Refused>> {
    let mut tx = store.tx();
    match op {
        One::Put => tx.put_item("only", key("BUS#1".into(), "META"), Cond::Absent)?,
        One::Update => tx.update(
            "only",
            "BUS#1".into(),
            "META",
            vec![("status", s("closed"))],
            &[],
            Cond::Version(7),
        )?,
        One::Delete => tx.delete("only", "BUS#1".into(), "TRANSFER", Cond::Exists)?,
    };
    store.commit(tx).await
}

#[tokio::test]
async fn a_one_item_transaction_is_its_own_conditional_write_and_refused_like_a_transaction() {
    use Outcome::*;
    let cases: &[(u16, &str, Outcome)] = &[
        (200, "", Done),
        (
            400,
            "ConditionalCheckFailedException",
            Refused(vec!["only"]),
        ),
        (400, "TransactionConflictException", Refused(vec![])),
        (400, "ThrottlingException", Unavailable),
        (400, "ValidationException", Internal),
    ];
    for op in [One::Put, One::Update, One::Delete] {
        for (status, code, expected) in cases {
            let body = match code {
                &"" => "{}".to_owned(),
                _ => error_body(code, ""),
            };
            let rule = one_item(op, *status, body);
            let store = store(&[&rule]);
            assert_eq!(
                written(commit_one(&store, op).await),
                *expected,
                "{op:?} answered {code:?}"
            );
            assert_eq!(rule.num_calls(), 1, "{op:?}: one single-item write");
        }
    }
}

#[tokio::test]
async fn a_lone_condition_check_is_a_bug_and_sends_nothing() {
    // No rule: any call would panic the test.
    let store = store(&[]);
    let mut tx = store.tx();
    tx.check("only", "URN#1".into(), "URN", Cond::Exists)
        .unwrap();
    assert_eq!(written(store.commit(tx).await), Outcome::Internal);
}

/// The 503/500 split, through every kind of call that maps a failure: a read by key, a batch
/// read, a single-item write and a transaction.
#[tokio::test]
async fn a_malformed_request_is_a_500_and_an_unavailable_or_throttled_service_a_503() {
    use Outcome::*;
    let cases: &[(u16, &str, Outcome)] = &[
        (400, "ValidationException", Internal),
        (400, "SerializationException", Internal),
        (400, "ProvisionedThroughputExceededException", Unavailable),
        (400, "ThrottlingException", Unavailable),
        (400, "RequestLimitExceeded", Unavailable),
        (500, "InternalServerError", Unavailable),
    ];
    for (status, code, expected) in cases {
        let status = *status;
        let body = error_body(code, "");
        let answer = move || http(status, &body);
        let get = mock!(Client::get_item).then_http_response(answer.clone());
        let batch = mock!(Client::batch_get_item).then_http_response(answer.clone());
        let put = mock!(Client::put_item).then_http_response(answer.clone());
        let transact = mock!(Client::transact_write_items).then_http_response(answer);
        let store = store(&[&get, &batch, &put, &transact]);

        let got = store.get::<serde_json::Value>("BUS#1".into(), "META").await;
        assert_eq!(read(got), *expected, "GetItem {code}");
        let got = store.get_many(&[("BUS#1".into(), "META")]).await;
        assert_eq!(read(got), *expected, "BatchGetItem {code}");
        let got = commit_one(&store, One::Put).await;
        assert_eq!(written(got), *expected, "PutItem {code}");
        let got = commit_three(&store).await;
        assert_eq!(written(got), *expected, "TransactWriteItems {code}");
        for rule in [&get, &batch, &put, &transact] {
            assert_eq!(rule.num_calls(), 1, "{code}");
        }
    }
}

/// A connection that fails at once, as when DynamoDB's endpoint cannot be reached.
#[derive(Debug)]
struct Unreachable;

impl HttpConnector for Unreachable {
    fn call(&self, _: HttpRequest) -> HttpConnectorFuture {
        HttpConnectorFuture::ready(Err(ConnectorError::io("connection refused".into())))
    }
}

#[tokio::test(start_paused = true)]
async fn a_timeout_or_an_unreachable_dynamodb_is_a_503() {
    let never = store_over(SharedHttpClient::new(NeverClient::new()));
    match never.get::<serde_json::Value>("BUS#1".into(), "META").await {
        Err(Error::Unavailable(m)) => assert!(m.contains("timeout"), "{m}"),
        other => panic!("a timeout gave {other:?}"),
    }
    let mut tx = never.tx();
    tx.put_item("only", key("BUS#1".into(), "META"), Cond::Absent)
        .unwrap();
    assert_eq!(written(never.commit(tx).await), Outcome::Unavailable);

    let unreachable = store_over(http_client_fn(|_, _| SharedHttpConnector::new(Unreachable)));
    match unreachable
        .get::<serde_json::Value>("BUS#1".into(), "META")
        .await
    {
        Err(Error::Unavailable(m)) => assert!(m.contains("dispatch failure"), "{m}"),
        other => panic!("a dispatch failure gave {other:?}"),
    }
    assert_eq!(
        written(commit_three(&unreachable).await),
        Outcome::Unavailable
    );
}

fn item(pk: &str, sk: &str, name: &str) -> Item {
    let mut item = key(pk.into(), sk);
    item.insert("name".into(), s(name));
    item
}

fn keys_of(items: &[Item]) -> KeysAndAttributes {
    let keys = items
        .iter()
        .map(|i| {
            Item::from_iter(
                i.iter()
                    .filter(|(k, _)| *k == "pk" || *k == "sk")
                    .map(|(k, v)| (k.clone(), v.clone())),
            )
        })
        .collect();
    KeysAndAttributes::builder()
        .set_keys(Some(keys))
        .build()
        .expect("keys")
}

/// A BatchGetItem rule: the call must ask exactly `asked` (in this order, strongly consistent)
/// and gets `found` back, with `unprocessed` left for later.
fn batch(asked: Vec<Item>, found: Vec<Item>, unprocessed: Vec<Item>) -> Rule {
    mock!(Client::batch_get_item)
        .match_requests(move |req| {
            let request = req.request_items().and_then(|r| r.get(TABLE));
            request.is_some_and(|r| {
                r.consistent_read() == Some(true) && r.keys() == keys_of(&asked).keys()
            })
        })
        .then_output(move || {
            let mut out = BatchGetItemOutput::builder().responses(TABLE, found.clone());
            if !unprocessed.is_empty() {
                out = out.unprocessed_keys(TABLE, keys_of(&unprocessed));
            }
            out.build()
        })
}

#[tokio::test(start_paused = true)]
async fn get_many_answers_in_the_order_asked_with_none_for_what_is_missing() {
    let (a, b, c) = (
        item("BUS#1", "META", "a"),
        item("URN#2", "URN", "b"),
        item("CRED#3", "USER", "c"),
    );
    // DynamoDB answers in no particular order, and not at all for a missing item.
    let rule = batch(
        vec![a.clone(), b.clone(), c.clone()],
        vec![c.clone(), a.clone()],
        vec![],
    );
    let store = store(&[&rule]);
    let got = store
        .get_many(&[
            ("BUS#1".into(), "META"),
            ("URN#2".into(), "URN"),
            ("CRED#3".into(), "USER"),
        ])
        .await
        .unwrap();
    assert_eq!(got, vec![Some(a), None, Some(c)]);
}

#[tokio::test(start_paused = true)]
async fn get_many_asks_a_repeated_key_once_and_answers_it_to_both() {
    let (a, b) = (item("BUS#1", "META", "a"), item("URN#2", "URN", "b"));
    let rule = batch(
        vec![a.clone(), b.clone()],
        vec![b.clone(), a.clone()],
        vec![],
    );
    let store = store(&[&rule]);
    let got = store
        .get_many(&[
            ("BUS#1".into(), "META"),
            ("URN#2".into(), "URN"),
            ("BUS#1".into(), "META"),
        ])
        .await
        .unwrap();
    assert_eq!(got, vec![Some(a.clone()), Some(b), Some(a)]);
}

#[tokio::test(start_paused = true)]
async fn get_many_asks_again_for_unprocessed_keys() {
    let (a, b, c) = (
        item("BUS#1", "META", "a"),
        item("URN#2", "URN", "b"),
        item("CRED#3", "USER", "c"),
    );
    let first = batch(
        vec![a.clone(), b.clone(), c.clone()],
        vec![a.clone()],
        vec![b.clone(), c.clone()],
    );
    let second = batch(vec![b.clone(), c.clone()], vec![c.clone()], vec![b.clone()]);
    let third = batch(vec![b.clone()], vec![b.clone()], vec![]);
    let store = store(&[&first, &second, &third]);
    let got = store
        .get_many(&[
            ("BUS#1".into(), "META"),
            ("URN#2".into(), "URN"),
            ("CRED#3".into(), "USER"),
        ])
        .await
        .unwrap();
    assert_eq!(got, vec![Some(a), Some(b), Some(c)]);
    for rule in [&first, &second, &third] {
        assert_eq!(rule.num_calls(), 1);
    }
}

#[tokio::test(start_paused = true)]
async fn get_many_gives_up_with_a_503_when_keys_stay_unprocessed() {
    let a = item("BUS#1", "META", "a");
    // Four attempts; a fifth call would find no rule and panic.
    let attempts: Vec<Rule> = (0..4)
        .map(|_| batch(vec![a.clone()], vec![], vec![a.clone()]))
        .collect();
    let rules: Vec<&Rule> = attempts.iter().collect();
    let store = store(&rules);
    let started = tokio::time::Instant::now();
    let got = store.get_many(&[("BUS#1".into(), "META")]).await;
    assert_eq!(read(got), Outcome::Unavailable);
    for rule in &attempts {
        assert_eq!(rule.num_calls(), 1);
    }
    // It waited between attempts, and not for long (functions time out at 10 s).
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(100) && waited < Duration::from_secs(2),
        "{waited:?}"
    );
}

#[tokio::test]
async fn get_many_of_nothing_sends_nothing() {
    let store = store(&[]);
    assert_eq!(
        store.get_many(&[]).await.unwrap(),
        Vec::<Option<Item>>::new()
    );
}
