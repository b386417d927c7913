//! Sending what the outbox holds. Called right after the commit that wrote the notices; a
//! notice SES refuses stays pending for the retry schedule, and the request still succeeds,
//! because the change it reports has happened.

use super::{Mailer, Notice};
use crate::store::DynamoStore;

pub async fn deliver(store: &DynamoStore, mailer: &impl Mailer, notices: &[Notice]) {
    for notice in notices {
        match mailer.send(&notice.to, &notice.render()).await {
            Ok(()) => {
                if let Err(e) = store.mark_notice_sent(&notice.id).await {
                    // SES has it; if this mark is lost the retry schedule may send it once more.
                    tracing::warn!(notice_id = %notice.id, error = %e, "notice sent but not marked sent");
                }
            }
            Err(e) => {
                tracing::warn!(notice_id = %notice.id, error = %e, "notice not sent; left pending for retry");
                if let Err(e) = store.record_notice_failure(&notice.id).await {
                    tracing::warn!(notice_id = %notice.id, error = %e, "could not record the failed try");
                }
            }
        }
    }
}
