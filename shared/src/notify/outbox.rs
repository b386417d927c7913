//! The outbox. A notice is written in the same transaction as the change it reports, and the
//! request is done: it never calls SES (one read, one write on the request path). The table's
//! stream hands each new notice to `send-notices`, which sends it within a second or so; when
//! SES refuses or cannot be reached, the notice stays pending and the scheduled
//! `retry-notices` sends it later, with backoff.
//!
//! Both senders take a notice under a lease first (a conditional write on the due time they
//! saw), so the stream and the schedule never send one notice at once. A notice is sent twice
//! only if a sender dies after SES accepted it and before the outbox recorded that.

use serde::{Deserialize, Serialize};

use super::Mailer;
use crate::clock;
use crate::domain::rules::email_feedback;
use crate::domain::undeliverable::Undeliverable;
use crate::error::Result;
use crate::metrics::{self, Metric};
use crate::secrets::Pepper;
use crate::store::outbox::{pending_notice_in, NoticeRecord};
use crate::store::reads::Want;
use crate::store::DynamoStore;

/// How long a sender holds a notice it took (so two senders do not both send it).
const LEASE_SECS: i64 = 300;
/// Tries before a notice is set aside as failed (and logged for an operator).
const MAX_TRIES: u32 = 20;
/// Notices one retry run takes.
const BATCH: u16 = 50;

/// Wait before try `tries + 1`: two minutes after the first failure, doubling, at most an hour.
fn backoff_secs(tries: u32) -> i64 {
    (60i64 << tries.min(6)).min(3600)
}

/// What a notice is left as after its try number `tries`, made `now`.
#[derive(Debug, PartialEq, Eq)]
enum After {
    Sent,
    /// Still pending, for the schedule to try again from `at` (epoch seconds).
    DueAgain {
        at: i64,
    },
    /// Too many tries: out of the schedule, for an operator.
    SetAside,
}

/// Sent is done; a failed try is due again after the backoff, until the last try.
fn after_try(tries: u32, sent: bool, now: i64) -> After {
    match (sent, tries >= MAX_TRIES) {
        (true, _) => After::Sent,
        (false, true) => After::SetAside,
        (false, false) => After::DueAgain {
            at: now + backoff_secs(tries),
        },
    }
}

/// What the senders did with the notices they were given.
#[derive(Debug, Default, Serialize)]
pub struct SendSummary {
    pub due: usize,
    pub sent: usize,
    /// Already taken by another sender, or no longer pending.
    pub skipped: usize,
    pub failed: usize,
    pub set_aside: usize,
    /// Kept as skipped: the address is undeliverable.
    pub undeliverable: usize,
}

impl SendSummary {
    /// The batch's notices sent, failed and set aside, as metrics (zeros too: a run that
    /// sent nothing is a data point, so an alarm does not read silence as trouble).
    fn metrics(&self) -> [(Metric, u64); 4] {
        let n = |v: usize| u64::try_from(v).unwrap_or(u64::MAX);
        [
            (Metric::NoticesSent, n(self.sent)),
            (Metric::NoticesFailed, n(self.failed)),
            (Metric::NoticesSetAside, n(self.set_aside)),
            (Metric::NoticesSkipped, n(self.undeliverable)),
        ]
    }

    fn emit(&self) {
        metrics::emit(&self.metrics());
    }
}

/// Seconds since the oldest of `created_at` (RFC 3339), 0 when none (or none readable).
fn oldest_age_secs<'a>(created_at: impl Iterator<Item = &'a str>, now: i64) -> u64 {
    created_at
        .filter_map(|at| {
            time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339).ok()
        })
        .map(|at| at.unix_timestamp())
        .map(|at| u64::try_from(now - at).unwrap_or(0))
        .max()
        .unwrap_or(0)
}

/// The part of a DynamoDB stream event `send-notices` reads: the new image of each record.
#[derive(Debug, Deserialize)]
pub struct StreamEvent {
    #[serde(rename = "Records", default)]
    pub records: Vec<StreamRecord>,
}

#[derive(Debug, Deserialize)]
pub struct StreamRecord {
    #[serde(rename = "eventName", default)]
    pub event_name: String,
    #[serde(default)]
    pub dynamodb: StreamChange,
}

#[derive(Debug, Default, Deserialize)]
pub struct StreamChange {
    #[serde(rename = "NewImage", default)]
    pub new_image: Option<serde_dynamo::Item>,
}

impl StreamEvent {
    /// The notices this event inserted (the event source mapping filters for them; anything
    /// else that comes through is ignored).
    pub fn new_notices(self) -> Vec<NoticeRecord> {
        self.records
            .into_iter()
            .filter(|r| r.event_name == "INSERT")
            .filter_map(|r| r.dynamodb.new_image)
            .filter_map(|image| {
                pending_notice_in(image)
                    .inspect_err(|u| tracing::error!(pk = ?u.pk(), error = %u.error, "unreadable notice in the stream; left for the retry schedule to set aside"))
                    .ok()
                    .flatten()
            })
            .collect()
    }
}

/// `send-notices`: sends the notices a stream event inserted. An error (DynamoDB unreachable
/// for the lease) fails the batch, which Lambda retries; whatever is still pending after that
/// is the schedule's.
pub async fn send_new(
    store: &DynamoStore,
    mailer: &impl Mailer,
    pepper: Option<&Pepper>,
    event: StreamEvent,
) -> Result<SendSummary> {
    send_each(store, mailer, pepper, event.new_notices(), "new notices").await
}

/// `retry-notices`: takes the pending notices that are due and sends them.
pub async fn retry_due(
    store: &DynamoStore,
    mailer: &impl Mailer,
    pepper: Option<&Pepper>,
) -> Result<SendSummary> {
    let now = clock::now();
    let due = store.due_notices(&now.rfc3339, BATCH).await?;
    // How long the oldest due notice has waited: every pending notice falls due within the
    // backoff's hour, so a notice stuck for hours shows here (the template's alarm).
    let age = oldest_age_secs(
        due.notices.iter().map(|r| r.notice.created_at.as_str()),
        now.epoch,
    );
    metrics::emit(&[(Metric::OldestDueNoticeAge, age)]);
    let unreadable = due.unreadable.len();
    for notice in &due.unreadable {
        // One bad item must not stop every other notice: it leaves the pending index, and the
        // operator is told which.
        tracing::error!(pk = notice.pk().unwrap_or_default(), error = %notice.error, "unreadable notice set aside");
        store.set_aside_unreadable(notice).await?;
    }
    let mut summary = send_each(store, mailer, pepper, due.notices, "retry run").await?;
    summary.due += unreadable;
    summary.set_aside += unreadable;
    Ok(summary)
}

async fn send_each(
    store: &DynamoStore,
    mailer: &impl Mailer,
    pepper: Option<&Pepper>,
    records: Vec<NoticeRecord>,
    run: &'static str,
) -> Result<SendSummary> {
    let mut summary = SendSummary {
        due: records.len(),
        ..SendSummary::default()
    };
    for record in records {
        match take_and_send(store, mailer, pepper, record).await? {
            Outcome::Sent => summary.sent += 1,
            Outcome::Skipped => summary.skipped += 1,
            Outcome::Undeliverable => summary.undeliverable += 1,
            Outcome::Failed => summary.failed += 1,
            Outcome::SetAside => summary.set_aside += 1,
        }
    }
    summary.emit();
    tracing::info!(
        due = summary.due,
        sent = summary.sent,
        skipped = summary.skipped,
        failed = summary.failed,
        set_aside = summary.set_aside,
        undeliverable = summary.undeliverable,
        "{run}"
    );
    Ok(summary)
}

enum Outcome {
    Sent,
    Skipped,
    /// Not sent: the address is undeliverable.
    Undeliverable,
    Failed,
    SetAside,
}

/// Takes one notice under a lease (only if it is still pending with the due time this sender
/// saw), sends it, and records the result: sent, or tried once more and due again after the
/// backoff, or set aside after too many tries.
async fn take_and_send(
    store: &DynamoStore,
    mailer: &impl Mailer,
    pepper: Option<&Pepper>,
    record: NoticeRecord,
) -> Result<Outcome> {
    let now = clock::now();
    let lease = clock::at(now.epoch + LEASE_SECS).rfc3339;
    if !store.lease_notice(&record, &lease).await? {
        return Ok(Outcome::Skipped); // another sender took it, or it was sent meanwhile
    }
    let notice = &record.notice;
    // An address SES marked undeliverable gets nothing more: the notice is kept as skipped.
    let mut found = store.read(&[Want::Undeliverable(&notice.to)]).await?;
    let mark: Option<Undeliverable> = found.next()?;
    if let Some(reason) = email_feedback::skip_reason(&notice.to, mark.as_ref()) {
        tracing::warn!(notice_id = %notice.id, %reason, "notice skipped: its address is undeliverable");
        if !store.notice_skipped(&record, &reason, &now.rfc3339).await? {
            tracing::warn!(notice_id = %notice.id, "skip not recorded; the schedule will look at it again after the lease");
        }
        return Ok(Outcome::Undeliverable);
    }
    let tries = record.tries + 1;
    let sent = match notice.render(pepper) {
        Ok(message) => mailer.send(&notice.to, &message, &notice.id).await,
        Err(e) => Err(e),
    };
    let (ses_message_id, error) = match sent {
        Ok(id) => (id, None),
        Err(e) => (String::new(), Some(e)),
    };
    let (outcome, recorded) = match after_try(tries, error.is_none(), now.epoch) {
        After::Sent => (
            Outcome::Sent,
            store
                .notice_sent(&record, tries, &clock::now().rfc3339, &ses_message_id)
                .await,
        ),
        After::SetAside => {
            let error = error.map(|e| e.to_string()).unwrap_or_default();
            tracing::error!(notice_id = %notice.id, tries, %error, "notice set aside after too many tries");
            (
                Outcome::SetAside,
                store.notice_set_aside(&record, tries).await,
            )
        }
        After::DueAgain { at } => {
            let error = error.map(|e| e.to_string()).unwrap_or_default();
            tracing::warn!(notice_id = %notice.id, tries, %error, "notice not sent; pending for the retry schedule");
            let due = clock::at(at).rfc3339;
            (
                Outcome::Failed,
                store.notice_due_again(&record, tries, &due).await,
            )
        }
    };
    if !matches!(recorded, Ok(true)) {
        // The lease runs out and the schedule takes it up again: at worst one more message.
        tracing::warn!(notice_id = %notice.id, "notice outcome not recorded; the schedule will look at it again after the lease");
    }
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_counts_sent_failed_and_set_aside_even_when_zero() {
        let summary = SendSummary {
            due: 4,
            sent: 2,
            skipped: 1,
            failed: 1,
            set_aside: 0,
            undeliverable: 3,
        };
        assert_eq!(
            summary.metrics(),
            [
                (Metric::NoticesSent, 2),
                (Metric::NoticesFailed, 1),
                (Metric::NoticesSetAside, 0),
                (Metric::NoticesSkipped, 3)
            ]
        );
    }

    #[test]
    fn the_oldest_due_notice_age_table() {
        const NOW: i64 = 1_795_000_000; // 2026-11-18T11:06:40Z
                                        // (created_at of the due notices, the age reported)
        let cases: [(&[&str], u64); 4] = [
            (&[], 0),
            (&["2026-11-18T11:05:40Z"], 60),
            (&["2026-11-18T11:05:40Z", "2026-11-18T09:06:40Z"], 7200),
            (&["not a time", "2026-11-18T11:06:40Z"], 0),
        ];
        for (created, expected) in cases {
            assert_eq!(
                oldest_age_secs(created.iter().copied(), NOW),
                expected,
                "{created:?}"
            );
        }
    }

    #[test]
    fn backoff_doubles_to_an_hour() {
        let waits: Vec<i64> = (1..9).map(backoff_secs).collect();
        assert_eq!(waits, [120, 240, 480, 960, 1920, 3600, 3600, 3600]);
    }

    #[test]
    fn after_a_try_table() {
        const NOW: i64 = 1_795_000_000;
        // (the try's number, whether SES took it, what the notice is left as)
        let cases = [
            (1, true, After::Sent),
            (1, false, After::DueAgain { at: NOW + 120 }),
            (2, false, After::DueAgain { at: NOW + 240 }),
            (19, false, After::DueAgain { at: NOW + 3600 }),
            (MAX_TRIES, false, After::SetAside),
            (MAX_TRIES, true, After::Sent),
            (MAX_TRIES + 1, false, After::SetAside),
        ];
        for (tries, sent, expected) in cases {
            assert_eq!(
                after_try(tries, sent, NOW),
                expected,
                "try {tries}, sent {sent}"
            );
        }
    }
}
