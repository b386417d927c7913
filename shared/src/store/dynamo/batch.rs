//! Several items by key in one BatchGetItem, in the order asked, with the keys DynamoDB leaves
//! unprocessed asked again a bounded number of times.

use aws_sdk_dynamodb::types::KeysAndAttributes;

use super::{built, failure, key, DynamoStore, Item};
use crate::error::{Error, Result};
use crate::store::keys;

impl DynamoStore {
    /// Several items by key in one BatchGetItem (strongly consistent), in the order asked, so a
    /// use case reads everything it decides on in one call. DynamoDB may leave keys
    /// unprocessed under throttling: those are asked again, a bounded number of times.
    pub async fn get_many(&self, wanted: &[(String, &str)]) -> Result<Vec<Option<Item>>> {
        const ATTEMPTS: u32 = 4;
        let mut found: Vec<Item> = Vec::with_capacity(wanted.len());
        // BatchGetItem refuses a repeated key; each is asked once and answered to every asker.
        let mut unique: Vec<&(String, &str)> = Vec::with_capacity(wanted.len());
        for k in wanted {
            if !unique.contains(&k) {
                unique.push(k);
            }
        }
        let mut keys_left: Vec<Item> = unique.iter().map(|(pk, sk)| key(pk.clone(), sk)).collect();
        for attempt in 0..ATTEMPTS {
            if keys_left.is_empty() {
                break;
            }
            if attempt > 0 {
                tokio::time::sleep(std::time::Duration::from_millis(25 << attempt)).await;
            }
            let request = built(
                KeysAndAttributes::builder()
                    .set_keys(Some(std::mem::take(&mut keys_left)))
                    .consistent_read(true)
                    .build(),
            )?;
            let out = self
                .client
                .batch_get_item()
                .request_items(&self.table, request)
                .send()
                .await
                .map_err(|e| failure("BatchGetItem", e))?;
            found.extend(
                out.responses
                    .and_then(|mut r| r.remove(&self.table))
                    .unwrap_or_default(),
            );
            keys_left = out
                .unprocessed_keys
                .and_then(|mut u| u.remove(&self.table))
                .map(|k| k.keys)
                .unwrap_or_default();
        }
        if !keys_left.is_empty() {
            return Err(Error::Unavailable(
                "DynamoDB left keys unprocessed (throttled)".into(),
            ));
        }
        let same = |item: &Item, (pk, sk): &(String, &str)| {
            item.get(keys::PK).and_then(|v| v.as_s().ok()) == Some(pk)
                && item
                    .get(keys::SK)
                    .and_then(|v| v.as_s().ok())
                    .map(String::as_str)
                    == Some(*sk)
        };
        Ok(wanted
            .iter()
            .map(|k| found.iter().find(|item| same(item, k)).cloned())
            .collect())
    }
}
