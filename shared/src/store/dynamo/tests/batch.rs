//! How `get_many` orders, deduplicates and asks again for what BatchGetItem left unprocessed.

use std::time::Duration;

use aws_sdk_dynamodb::operation::batch_get_item::BatchGetItemOutput;
use aws_sdk_dynamodb::types::KeysAndAttributes;
use aws_sdk_dynamodb::Client;
use aws_smithy_mocks::{mock, Rule};

use super::*;
use crate::store::dynamo::Item;

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
