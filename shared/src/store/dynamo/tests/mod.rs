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
//!
//! Here the fixtures every adapter test shares: the mocked store, DynamoDB's answers as it
//! sends them, and the outcomes compared in the tables.

mod batch;
mod failures;
mod write;

use std::time::Duration;

use aws_sdk_dynamodb::config::retry::RetryConfig;
use aws_sdk_dynamodb::config::timeout::TimeoutConfig;
use aws_sdk_dynamodb::Client;
use aws_smithy_mocks::{mock_client, Rule, RuleMode};
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;

use super::{key, s, Cond, DynamoStore, Refused};
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

#[derive(Debug, Clone, Copy)]
enum One {
    Put,
    Update,
    Delete,
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
