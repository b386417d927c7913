//! The outbox as stored: one item per notice, in a sparse index (GSI1 `NOTICES#pending#{shard}`,
//! by due time) while it is pending. The senders' bookkeeping is written here: the lease that
//! keeps two senders from sending one notice, and what a try left it as.

use serde::{Deserialize, Serialize};

use super::dynamo::{from_item, n, s, Cond, DynamoStore, Item};
use super::keys;
use crate::domain::notice::Notice;
use crate::error::{Error, Result};

const PENDING: &str = "pending";

/// Seconds the stream has to send a new notice before the schedule may: a notice is written
/// due that long after its change.
pub const GRACE_SECS: i64 = 60;

/// `NOTICE#{id}` / `NOTICE`: the outbox.
#[derive(Debug, Serialize, Deserialize)]
pub struct NoticeRecord {
    pub pk: String,
    pub sk: String,
    #[serde(flatten)]
    pub notice: Notice,
    pub status: String,
    pub tries: u32,
    /// SES's id of the message, once sent (what its bounce and complaint events name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ses_message_id: Option<String>,
    /// Present only while pending (a sparse index of what is left to send).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gsi1pk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gsi1sk: Option<String>,
}

impl NoticeRecord {
    /// A notice to send; the retry schedule takes it up from `due` (RFC 3339) if it is still
    /// pending then.
    pub fn pending(notice: &Notice, due: &str) -> Self {
        Self {
            pk: keys::notice(&notice.id),
            sk: keys::NOTICE_SK.to_owned(),
            notice: notice.clone(),
            status: PENDING.into(),
            tries: 0,
            ses_message_id: None,
            gsi1pk: Some(keys::notices_pending(keys::notice_shard(&notice.id))),
            gsi1sk: Some(due.to_owned()),
        }
    }

    fn is_pending_notice(&self) -> bool {
        self.sk == keys::NOTICE_SK && self.status == PENDING
    }
}

/// An outbox item that does not read as a notice: where it is, for the operator, and why.
#[derive(Debug)]
pub struct UnreadableNotice {
    pk: Option<String>,
    pub error: Error,
}

impl UnreadableNotice {
    /// The item's partition key, if it has one.
    pub fn pk(&self) -> Option<&str> {
        self.pk.as_deref()
    }
}

/// What the pending index holds that is due: notices, and items that cannot be read as one.
#[derive(Debug, Default)]
pub struct DueNotices {
    pub notices: Vec<NoticeRecord>,
    pub unreadable: Vec<UnreadableNotice>,
}

fn read_notice(item: Item) -> std::result::Result<NoticeRecord, UnreadableNotice> {
    let pk = item.get(keys::PK).and_then(|v| v.as_s().ok()).cloned();
    from_item(item).map_err(|error| UnreadableNotice { pk, error })
}

/// The notice a stream record's new image holds, if it is a pending notice (a notice marked
/// sent, or any other item, is `None`).
pub fn pending_notice_in(
    image: serde_dynamo::Item,
) -> std::result::Result<Option<NoticeRecord>, UnreadableNotice> {
    let record = read_notice(image.into())?;
    Ok(record.is_pending_notice().then_some(record))
}

impl DynamoStore {
    /// Up to `limit` pending notices due by `upto` (RFC 3339), the longest waiting first: up
    /// to `limit` from each shard (one Query each), merged by due time.
    pub async fn due_notices(&self, upto: &str, limit: u16) -> Result<DueNotices> {
        let mut due = DueNotices::default();
        let partitions = (0..keys::NOTICE_SHARDS)
            .map(keys::notices_pending)
            .chain([keys::NOTICES_PENDING_UNSHARDED.to_owned()]);
        let mut items = Vec::new();
        for partition in partitions {
            items.extend(self.due(&partition, upto, limit.into()).await?);
        }
        let due_at = |item: &Item| {
            item.get("gsi1sk")
                .and_then(|v| v.as_s().ok())
                .cloned()
                .unwrap_or_default()
        };
        items.sort_by_cached_key(due_at);
        items.truncate(limit.into());
        for item in items {
            match read_notice(item) {
                Ok(record) => due.notices.push(record),
                Err(unreadable) if unreadable.pk.is_some() => due.unreadable.push(unreadable),
                // Not even a key: not an item of this table's outbox.
                Err(unreadable) => return Err(unreadable.error),
            }
        }
        Ok(due)
    }

    /// Takes an unreadable item out of the pending index, marked for the operator.
    pub async fn set_aside_unreadable(&self, notice: &UnreadableNotice) -> Result<()> {
        let Some(pk) = notice.pk.clone() else {
            return Ok(());
        };
        let set = vec![("status", s("unreadable"))];
        // Whether it was still there or not, it is out of the index.
        let _ = self
            .update_one(
                pk,
                keys::NOTICE_SK,
                set,
                &["gsi1pk", "gsi1sk"],
                Cond::Exists,
            )
            .await?;
        Ok(())
    }

    /// Takes `record` until `until` (RFC 3339), only if it is still pending with the due time
    /// the sender saw. `false`: another sender took it, or it was sent meanwhile.
    pub async fn lease_notice(&self, record: &NoticeRecord, until: &str) -> Result<bool> {
        let seen = record.gsi1sk.clone().unwrap_or_default();
        let cond = Cond::Expr(
            "#status = :pending AND #gsi1sk = :seen",
            vec![(":pending", s(PENDING)), (":seen", s(seen))],
        );
        let leased = self
            .update_one(
                keys::notice(&record.notice.id),
                keys::NOTICE_SK,
                vec![("gsi1sk", s(until))],
                &[],
                cond,
            )
            .await?;
        Ok(leased.is_ok())
    }

    /// Sent on try `tries`, `at` (RFC 3339), as SES's message `ses_message_id`: out of the
    /// index, and its sealed secret dropped (SES has the message).
    pub async fn notice_sent(
        &self,
        record: &NoticeRecord,
        tries: u32,
        at: &str,
        ses_message_id: &str,
    ) -> Result<bool> {
        let set = vec![
            ("status", s("sent")),
            ("tries", n(tries)),
            ("sent_at", s(at)),
            ("ses_message_id", s(ses_message_id)),
        ];
        self.notice_tried(record, set, &["gsi1pk", "gsi1sk", "sealed"])
            .await
    }

    /// Not sent, and not to be: its address is undeliverable (`reason`). Out of the index and
    /// its sealed secret dropped, but kept, with why, for the person and the support desk.
    pub async fn notice_skipped(
        &self,
        record: &NoticeRecord,
        reason: &str,
        at: &str,
    ) -> Result<bool> {
        let set = vec![
            ("status", s("skipped")),
            ("skipped_reason", s(reason)),
            ("skipped_at", s(at)),
        ];
        self.notice_tried(record, set, &["gsi1pk", "gsi1sk", "sealed"])
            .await
    }

    /// Not sent on try `tries`: pending again, due at `due` (RFC 3339).
    pub async fn notice_due_again(
        &self,
        record: &NoticeRecord,
        tries: u32,
        due: &str,
    ) -> Result<bool> {
        let set = vec![("tries", n(tries)), ("gsi1sk", s(due))];
        self.notice_tried(record, set, &[]).await
    }

    /// Not sent after `tries` tries: out of the index, failed, for an operator to look at.
    pub async fn notice_set_aside(&self, record: &NoticeRecord, tries: u32) -> Result<bool> {
        let set = vec![("status", s("failed")), ("tries", n(tries))];
        // A secret that never reached anyone does not stay either: the agency issues another.
        self.notice_tried(record, set, &["gsi1pk", "gsi1sk", "sealed"])
            .await
    }

    async fn notice_tried(
        &self,
        record: &NoticeRecord,
        set: Vec<(&'static str, super::dynamo::Value)>,
        remove: &[&'static str],
    ) -> Result<bool> {
        let written = self
            .update_one(
                keys::notice(&record.notice.id),
                keys::NOTICE_SK,
                set,
                remove,
                Cond::Exists,
            )
            .await?;
        Ok(written.is_ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::business::{LegalName, Role};
    use crate::domain::{Email, Language, PersonName, Program, Urn};
    use crate::notify::NoticeKind;
    use crate::store::dynamo::to_item;

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
                urn: urn.clone(),
            },
            NoticeKind::CredentialTransferStarted {
                name: name.clone(),
                urn,
                expires_at: "2026-11-22T12:10:00Z".into(),
            },
            NoticeKind::EmailChangeAsked {
                name: name.clone(),
                new_email: Email::parse("new@example.com").unwrap(),
            },
            NoticeKind::EmailChangeCode {
                name: name.clone(),
                sealed: "00ff".into(),
                expires_at: "2026-11-23T12:00:00Z".into(),
            },
            NoticeKind::SharedSecretIssued {
                program: Program::Emanifest,
                legal_name: legal_name.clone(),
                business_identifier: "8ABC".into(),
                sealed: "00ff".into(),
                expires_at: "2026-12-22T12:00:00Z".into(),
                recovery: false,
            },
            NoticeKind::NewCodeRequested {
                program: Program::Ttp,
                legal_name: legal_name.clone(),
                business_identifier: "P12345671".into(),
            },
            NoticeKind::WrongTriesPilingUp {
                program: Program::Cers,
                business_identifier: "123456782RM0001".into(),
                wrong_tries: 26,
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
                name: name.clone(),
                legal_name: legal_name.clone(),
                other: other.clone(),
                to_you: false,
            },
            NoticeKind::OwnerRecovered {
                name: name.clone(),
                legal_name: legal_name.clone(),
                new_owner: other,
                role: Role::User,
            },
            NoticeKind::Delegation {
                name,
                legal_name,
                news: crate::domain::delegation::DelegationNews::EndingSoon,
                grantor: "Northern Freight Ltd. (8ABC)".into(),
                grantee: "8XYZ".into(),
                program: Program::Emanifest,
                permissions: crate::domain::delegation::DelegatedPermissions::ViewSubmit,
                ends_on: "2027-06-30".into(),
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
    fn only_pending_notices_are_new_notices() {
        let to = Email::parse("alex.tremblay@example.com").unwrap();
        let kind = NoticeKind::UrnConfirmation {
            name: PersonName::parse("Alex Tremblay").unwrap(),
            urn: Urn::from_random(42),
        };
        let notice = Notice::new("n1".into(), &to, Language::En, "2026-11-22T12:00:00Z", kind);
        let image = |record: &NoticeRecord| serde_dynamo::Item::from(to_item(record).unwrap());
        let pending = NoticeRecord::pending(&notice, "2026-11-22T12:01:00Z");
        let sent = NoticeRecord {
            status: "sent".into(),
            ..NoticeRecord::pending(&notice, "2026-11-22T12:01:00Z")
        };
        let elsewhere = NoticeRecord {
            sk: "OTHER".into(),
            ..NoticeRecord::pending(&notice, "2026-11-22T12:01:00Z")
        };
        assert_eq!(
            pending_notice_in(image(&pending))
                .unwrap()
                .map(|r| r.notice),
            Some(notice)
        );
        assert!(pending_notice_in(image(&sent)).unwrap().is_none());
        assert!(pending_notice_in(image(&elsewhere)).unwrap().is_none());
        let mut broken = to_item(&pending).unwrap();
        broken.remove("tries");
        let unreadable = pending_notice_in(broken.into()).unwrap_err();
        assert_eq!(unreadable.pk(), Some("NOTICE#n1"));
    }
}
