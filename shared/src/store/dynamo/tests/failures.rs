//! Which failures of DynamoDB are a 503 (retry: throttled, unreachable, timed out) and which a
//! 500 (a malformed request: a bug), through every kind of call.

use aws_sdk_dynamodb::Client;
use aws_smithy_http_client::test_util::NeverClient;
use aws_smithy_mocks::mock;
use aws_smithy_runtime_api::client::http::{
    http_client_fn, HttpConnector, HttpConnectorFuture, SharedHttpClient, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::result::ConnectorError;

use super::*;

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
