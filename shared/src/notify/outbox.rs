//! The outbox. A notice is written in the same transaction as the change it reports; the
//! request sends it right after the commit and marks it sent. When SES refuses or cannot be
//! reached, the request still succeeds (the change has happened) and the notice stays
//! pending; the scheduled `retry-notices` function sends it later, with backoff.
//!
//! A notice is sent twice only if a sender dies after SES accepted it and before the outbox
//! recorded that (the mark is one conditional write right after SES answers).

use serde::Serialize;

use super::{Mailer, Notice};
use crate::clock;
use crate::error::Result;
use crate::secrets::Pepper;
use crate::store::dynamo::{from_item, n, s, Cond, DynamoStore};
use crate::store::keys;
use crate::store::records::NoticeRecord;

/// Seconds the request that wrote a notice has to send it before the schedule may.
pub const GRACE_SECS: i64 = 60;
/// How long a retry run holds a notice it took (so overlapping runs do not both send it).
const LEASE_SECS: i64 = 300;
/// Tries before a notice is set aside as failed (and logged for an operator).
const MAX_TRIES: u32 = 20;
/// Notices one run takes.
const BATCH: i32 = 50;

/// Sends notices just committed by a request, in order; a failure leaves the notice pending.
pub async fn deliver(
    store: &DynamoStore,
    mailer: &impl Mailer,
    pepper: Option<&Pepper>,
    notices: &[Notice],
) {
    for notice in notices {
        if let Err(e) = send_and_mark(store, mailer, pepper, notice, 0).await {
            tracing::warn!(notice_id = %notice.id, error = %e, "notice not sent; left pending for the retry schedule");
        }
    }
}

async fn send_and_mark(
    store: &DynamoStore,
    mailer: &impl Mailer,
    pepper: Option<&Pepper>,
    notice: &Notice,
    tries: u32,
) -> Result<()> {
    let message = notice.render(pepper)?;
    mailer.send(&notice.to, &message).await?;
    let set = vec![
        ("status", s("sent")),
        ("tries", n(tries + 1)),
        ("sent_at", s(clock::now().rfc3339)),
    ];
    // The sealed secret is not needed any more once SES has the message.
    let marked = store
        .update_one(
            keys::notice(&notice.id),
            keys::NOTICE_SK,
            set,
            &["gsi1pk", "gsi1sk", "sealed"],
            Cond::Exists,
        )
        .await;
    if !matches!(marked, Ok(Ok(()))) {
        tracing::warn!(notice_id = %notice.id, "notice sent but not marked sent: the schedule may send it once more");
    }
    Ok(())
}

/// Wait before the next try: one minute, doubling, at most an hour.
fn backoff_secs(tries: u32) -> i64 {
    (60i64 << tries.min(6)).min(3600)
}

#[derive(Debug, Default, Serialize)]
pub struct RetrySummary {
    pub due: usize,
    pub sent: usize,
    pub failed: usize,
    pub set_aside: usize,
}

/// One run of the retry schedule: takes the notices that are due, each under a lease, and
/// sends them; a failure moves the next try out by the backoff.
pub async fn retry_due(
    store: &DynamoStore,
    mailer: &impl Mailer,
    pepper: Option<&Pepper>,
) -> Result<RetrySummary> {
    let now = clock::now();
    let items = store
        .due(keys::NOTICES_PENDING, &now.rfc3339, BATCH)
        .await?;
    let mut summary = RetrySummary {
        due: items.len(),
        ..RetrySummary::default()
    };
    for item in items {
        let record: NoticeRecord = from_item(item)?;
        let pk = keys::notice(&record.notice.id);
        let seen = record.gsi1sk.clone().unwrap_or_default();
        let lease = clock::at(now.epoch + LEASE_SECS).rfc3339;
        let cond = Cond::Expr(
            "#status = :pending AND #gsi1sk = :seen",
            vec![(":pending", s("pending")), (":seen", s(&seen))],
        );
        if store
            .update_one(
                pk.clone(),
                keys::NOTICE_SK,
                vec![("gsi1sk", s(&lease))],
                &[],
                cond,
            )
            .await?
            .is_err()
        {
            continue; // another run took it, or the request sent it meanwhile
        }
        match send_and_mark(store, mailer, pepper, &record.notice, record.tries).await {
            Ok(()) => summary.sent += 1,
            Err(e) => {
                let tries = record.tries + 1;
                if tries >= MAX_TRIES {
                    tracing::error!(notice_id = %record.notice.id, tries, error = %e, "notice set aside after too many tries");
                    let set = vec![("status", s("failed")), ("tries", n(tries))];
                    store
                        .update_one(
                            pk,
                            keys::NOTICE_SK,
                            set,
                            &["gsi1pk", "gsi1sk"],
                            Cond::Exists,
                        )
                        .await?
                        .ok();
                    summary.set_aside += 1;
                } else {
                    tracing::warn!(notice_id = %record.notice.id, tries, error = %e, "notice still not sent");
                    let next = clock::at(now.epoch + backoff_secs(tries)).rfc3339;
                    let set = vec![("tries", n(tries)), ("gsi1sk", s(next))];
                    store
                        .update_one(pk, keys::NOTICE_SK, set, &[], Cond::Exists)
                        .await?
                        .ok();
                    summary.failed += 1;
                }
            }
        }
    }
    tracing::info!(
        due = summary.due,
        sent = summary.sent,
        failed = summary.failed,
        set_aside = summary.set_aside,
        "retry run"
    );
    Ok(summary)
}

#[cfg(test)]
mod tests {
    #[test]
    fn backoff_doubles_to_an_hour() {
        let waits: Vec<i64> = (1..9).map(super::backoff_secs).collect();
        assert_eq!(waits, [120, 240, 480, 960, 1920, 3600, 3600, 3600]);
    }
}
