//! What the tests of the changes' conditions share: a store whose transactions are only built
//! and looked at, never sent.

use crate::store::dynamo::DynamoStore;

pub(super) fn store() -> DynamoStore {
    let config = aws_sdk_dynamodb::Config::builder()
        .behavior_version(aws_sdk_dynamodb::config::BehaviorVersion::latest())
        .region(aws_sdk_dynamodb::config::Region::new("ca-central-1"))
        .build();
    DynamoStore::new(aws_sdk_dynamodb::Client::from_conf(config), "t".into())
}
