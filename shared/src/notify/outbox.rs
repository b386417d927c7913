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
use crate::error::Result;
use crate::secrets::Pepper;
use crate::store::dynamo::{from_item, n, s, Cond, DynamoStore};
use crate::store::keys;
use crate::store::records::NoticeRecord;

/// Seconds the stream has to send a new notice before the schedule may.
pub const GRACE_SECS: i64 = 60;
/// How long a sender holds a notice it took (so two senders do not both send it).
const LEASE_SECS: i64 = 300;
/// Tries before a notice is set aside as failed (and logged for an operator).
const MAX_TRIES: u32 = 20;
/// Notices one retry run takes.
const BATCH: i32 = 50;

/// Wait before try `tries + 1`: two minutes after the first failure, doubling, at most an hour.
fn backoff_secs(tries: u32) -> i64 {
    (60i64 << tries.min(6)).min(3600)
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
                let pk = image.inner().get(keys::PK).cloned();
                serde_dynamo::from_item::<_, NoticeRecord>(image)
                    .inspect_err(|e| tracing::error!(pk = ?pk, error = %e, "unreadable notice in the stream; left for the retry schedule to set aside"))
                    .ok()
            })
            .filter(|record| record.sk == keys::NOTICE_SK && record.status == "pending")
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
    let items = store
        .due(keys::NOTICES_PENDING, &clock::now().rfc3339, BATCH)
        .await?;
    let mut records = Vec::with_capacity(items.len());
    let mut unreadable = 0;
    for item in items {
        let pk = item.get(keys::PK).and_then(|v| v.as_s().ok()).cloned();
        match (from_item::<NoticeRecord>(item), pk) {
            (Ok(record), _) => records.push(record),
            // One bad item must not stop every other notice: it leaves the pending index, and
            // the operator is told which.
            (Err(e), Some(pk)) => {
                tracing::error!(%pk, error = %e, "unreadable notice set aside");
                let set = vec![("status", s("unreadable"))];
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
                unreadable += 1;
            }
            (Err(e), None) => return Err(e),
        }
    }
    let mut summary = send_each(store, mailer, pepper, records, "retry run").await?;
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
            Outcome::Failed => summary.failed += 1,
            Outcome::SetAside => summary.set_aside += 1,
        }
    }
    tracing::info!(
        due = summary.due,
        sent = summary.sent,
        skipped = summary.skipped,
        failed = summary.failed,
        set_aside = summary.set_aside,
        "{run}"
    );
    Ok(summary)
}

enum Outcome {
    Sent,
    Skipped,
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
    let pk = keys::notice(&record.notice.id);
    let seen = record.gsi1sk.clone().unwrap_or_default();
    let lease = clock::at(now.epoch + LEASE_SECS).rfc3339;
    let cond = Cond::Expr(
        "#status = :pending AND #gsi1sk = :seen",
        vec![(":pending", s("pending")), (":seen", s(&seen))],
    );
    let leased = store
        .update_one(
            pk.clone(),
            keys::NOTICE_SK,
            vec![("gsi1sk", s(&lease))],
            &[],
            cond,
        )
        .await?;
    if leased.is_err() {
        return Ok(Outcome::Skipped); // another sender took it, or it was sent meanwhile
    }
    let notice = &record.notice;
    let tries = record.tries + 1;
    let sent = match notice.render(pepper) {
        Ok(message) => mailer.send(&notice.to, &message).await,
        Err(e) => Err(e),
    };
    let (outcome, set, remove): (_, _, &[&'static str]) = match sent {
        // The sealed secret is not needed any more once SES has the message.
        Ok(()) => (
            Outcome::Sent,
            vec![
                ("status", s("sent")),
                ("tries", n(tries)),
                ("sent_at", s(clock::now().rfc3339)),
            ],
            &["gsi1pk", "gsi1sk", "sealed"],
        ),
        Err(e) if tries >= MAX_TRIES => {
            tracing::error!(notice_id = %notice.id, tries, error = %e, "notice set aside after too many tries");
            (
                Outcome::SetAside,
                vec![("status", s("failed")), ("tries", n(tries))],
                &["gsi1pk", "gsi1sk"],
            )
        }
        Err(e) => {
            tracing::warn!(notice_id = %notice.id, tries, error = %e, "notice not sent; pending for the retry schedule");
            let next = clock::at(now.epoch + backoff_secs(tries)).rfc3339;
            (
                Outcome::Failed,
                vec![("tries", n(tries)), ("gsi1sk", s(next))],
                &[],
            )
        }
    };
    let recorded = store
        .update_one(pk, keys::NOTICE_SK, set, remove, Cond::Exists)
        .await;
    if !matches!(recorded, Ok(Ok(()))) {
        // The lease runs out and the schedule takes it up again: at worst one more message.
        tracing::warn!(notice_id = %notice.id, "notice outcome not recorded; the schedule will look at it again after the lease");
    }
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::super::{Notice, NoticeKind};
    use crate::domain::business::{LegalName, Role};
    use crate::domain::{Email, Language, PersonName, Program, Urn};
    use crate::store::dynamo::{from_item, to_item};
    use crate::store::records::NoticeRecord;

    /// Every kind of notice comes back from the outbox as it went in: the senders read it from
    /// the table (a kind's field named like a `Notice` field would overwrite it when flattened).
    #[test]
    fn every_kind_of_notice_survives_the_outbox() {
        let name = PersonName::parse("Alex Tremblay").unwrap();
        let other = PersonName::parse("Camille Roy").unwrap();
        let legal_name = LegalName::parse("Northern Freight Ltd.").unwrap();
        let urn = Urn::from_random(42);
        let kinds = [
            NoticeKind::UrnConfirmation {
                name: name.clone(),
                urn: urn.clone(),
            },
            NoticeKind::CredentialTransferred {
                name: name.clone(),
                urn,
            },
            NoticeKind::SharedSecretIssued {
                program: Program::Emanifest,
                legal_name: legal_name.clone(),
                business_identifier: "8ABC".into(),
                sealed: "00ff".into(),
                expires_at: "2026-12-22T12:00:00Z".into(),
            },
            NoticeKind::BusinessActivated {
                name: name.clone(),
                legal_name: legal_name.clone(),
                program: Program::Cers,
                business_identifier: "P12345678".into(),
            },
            NoticeKind::RoleGranted {
                name: name.clone(),
                legal_name: legal_name.clone(),
                role: Role::Proxy,
            },
            NoticeKind::RoleChanged {
                name: name.clone(),
                legal_name: legal_name.clone(),
                from_role: Role::User,
                to_role: Role::Proxy,
            },
            NoticeKind::RoleRemoved {
                name: name.clone(),
                legal_name: legal_name.clone(),
            },
            NoticeKind::TransferRequested {
                name: name.clone(),
                legal_name: legal_name.clone(),
                other: other.clone(),
                to_you: true,
                expires_at: "2026-11-29T12:00:00Z".into(),
            },
            NoticeKind::TransferCompleted {
                name,
                legal_name,
                other,
                to_you: false,
            },
        ];
        let to = Email::parse("alex.tremblay@example.com").unwrap();
        for kind in kinds {
            let notice = Notice::new("n1".into(), &to, Language::Fr, "2026-11-22T12:00:00Z", kind);
            let record = NoticeRecord::pending(&notice, "2026-11-22T12:01:00Z");
            let back: NoticeRecord = from_item(to_item(&record).unwrap())
                .unwrap_or_else(|e| panic!("{:?}: {e}", notice.kind));
            assert_eq!(back.notice, notice);
            assert_eq!(back.gsi1sk.as_deref(), Some("2026-11-22T12:01:00Z"));
        }
    }

    #[test]
    fn backoff_doubles_to_an_hour() {
        let waits: Vec<i64> = (1..9).map(super::backoff_secs).collect();
        assert_eq!(waits, [120, 240, 480, 960, 1920, 3600, 3600, 3600]);
    }
}
