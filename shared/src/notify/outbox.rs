//! Sending what the outbox holds. Called right after the commit that wrote the notices; a
//! notice SES refuses stays pending for the retry schedule, and the request still succeeds,
//! because the change it reports has happened.

use super::{Mailer, Notice};
use crate::secrets::Pepper;
use crate::store::dynamo::{n, s, Cond, DynamoStore};
use crate::store::keys;

pub async fn deliver(store: &DynamoStore, mailer: &impl Mailer, pepper: Option<&Pepper>, notices: &[Notice]) {
    for notice in notices {
        let sent = match notice.render(pepper) {
            Ok(message) => mailer.send(&notice.to, &message).await,
            Err(e) => Err(e),
        };
        let outcome = match sent {
            Ok(()) => {
                let set = vec![("status", s("sent")), ("tries", n(1))];
                // The sealed secret is not needed any more once SES has the message.
                store.update_one(keys::notice(&notice.id), keys::NOTICE_SK, set, &["gsi1pk", "gsi1sk", "sealed"], Cond::Exists).await
            }
            Err(e) => {
                tracing::warn!(notice_id = %notice.id, error = %e, "notice not sent; left pending for retry");
                continue;
            }
        };
        if !matches!(outcome, Ok(Ok(()))) {
            // SES has it; if this mark is lost the retry schedule may send it once more.
            tracing::warn!(notice_id = %notice.id, "notice sent but not marked sent");
        }
    }
}
