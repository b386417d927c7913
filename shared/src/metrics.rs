//! The portal's own events as CloudWatch metrics, in Embedded Metric Format: one JSON line on
//! stdout, which CloudWatch Logs turns into metrics as it ingests the function's log. No SDK
//! client and no call at a cold start or on the request path: a line costs a `write`.
//!
//! Two places emit them, so use cases need not: the store, from every plan it commits (it knows
//! each `Change`), and the notice senders, from what they did with a batch. The one event no
//! plan names, the wrong try that locks a secret, is the activation use case's.
//!
//! An EMF line must have `_aws` at its top level, so these lines are written beside the tracing
//! subscriber's, not through it. They hold names and numbers only, never a value from a request.

use std::io::Write;

use crate::domain::plan::{Change, Plan};
use crate::domain::undeliverable::UndeliverableReason;

/// The CloudWatch namespace and the one dimension every metric has (the alarms and the
/// dashboard in infra/template.yaml name the same).
pub const NAMESPACE: &str = "TradePortalAccounts";
pub const SERVICE: &str = "trade-portal-accounts";

/// A metric: its name in CloudWatch, and its unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Metric {
    UsersCreated,
    Registrations,
    Activations,
    WrongTries,
    /// A wrong try that locked its identifier's secret.
    Locks,
    BusinessesOpened,
    /// A business taken over with a recovery secret (owner recovery).
    OwnerRecoveries,
    NoticesQueued,
    NoticesSent,
    /// Tries SES refused or could not take: the notice stays pending for the schedule.
    NoticesFailed,
    /// Notices out of the schedule after too many tries (or unreadable): an operator's.
    NoticesSetAside,
    /// The age of the oldest notice a retry run found due (0 when none was due).
    OldestDueNoticeAge,
    /// Notices not sent because their address is undeliverable (kept as skipped).
    NoticesSkipped,
    /// Addresses marked undeliverable after a permanent bounce.
    AddressesBounced,
    /// Addresses marked undeliverable after a complaint.
    AddressesComplained,
    /// Transient or undetermined bounces: counted only.
    TransientBounces,
}

impl Metric {
    pub fn name(self) -> &'static str {
        match self {
            Metric::UsersCreated => "UsersCreated",
            Metric::Registrations => "Registrations",
            Metric::Activations => "Activations",
            Metric::WrongTries => "WrongTries",
            Metric::Locks => "Locks",
            Metric::BusinessesOpened => "BusinessesOpened",
            Metric::OwnerRecoveries => "OwnerRecoveries",
            Metric::NoticesQueued => "NoticesQueued",
            Metric::NoticesSent => "NoticesSent",
            Metric::NoticesFailed => "NoticesFailed",
            Metric::NoticesSetAside => "NoticesSetAside",
            Metric::OldestDueNoticeAge => "OldestDueNoticeAge",
            Metric::NoticesSkipped => "NoticesSkipped",
            Metric::AddressesBounced => "AddressesBounced",
            Metric::AddressesComplained => "AddressesComplained",
            Metric::TransientBounces => "TransientBounces",
        }
    }

    fn unit(self) -> &'static str {
        match self {
            Metric::OldestDueNoticeAge => "Seconds",
            _ => "Count",
        }
    }
}

/// What a committed plan counts: one per change that is an event of its own.
pub fn of_plan(plan: &Plan) -> Vec<(Metric, u64)> {
    let mut counts: Vec<(Metric, u64)> = Vec::new();
    for change in plan.changes() {
        let metric = match change {
            Change::UserCreated(_) => Metric::UsersCreated,
            Change::Registered(_) => Metric::Registrations,
            Change::SecretConsumed { .. } => Metric::Activations,
            Change::WrongTryCounted { .. } => Metric::WrongTries,
            Change::BusinessOpened(_) => Metric::BusinessesOpened,
            Change::MembersToBeTold(_) => Metric::OwnerRecoveries,
            Change::Notice(_) => Metric::NoticesQueued,
            Change::AddressUndeliverable(mark) => match mark.reason {
                UndeliverableReason::Bounced => Metric::AddressesBounced,
                UndeliverableReason::Complained => Metric::AddressesComplained,
            },
            _ => continue,
        };
        match counts.iter_mut().find(|(m, _)| *m == metric) {
            Some((_, n)) => *n += 1,
            None => counts.push((metric, 1)),
        }
    }
    counts.sort();
    counts
}

/// The EMF line for `values` at `timestamp_ms`, or None when there is nothing to say.
pub fn line(values: &[(Metric, u64)], timestamp_ms: i64) -> Option<String> {
    if values.is_empty() {
        return None;
    }
    let definitions: Vec<_> = values
        .iter()
        .map(|(m, _)| serde_json::json!({"Name": m.name(), "Unit": m.unit()}))
        .collect();
    let mut root = serde_json::json!({
        "_aws": {
            "Timestamp": timestamp_ms,
            "CloudWatchMetrics": [{
                "Namespace": NAMESPACE,
                "Dimensions": [["Service"]],
                "Metrics": definitions,
            }],
        },
        "Service": SERVICE,
    });
    for (metric, value) in values {
        root[metric.name()] = serde_json::json!(value);
    }
    Some(root.to_string())
}

/// Writes the line for `values`, now. A closed stdout loses the line, never the request.
pub fn emit(values: &[(Metric, u64)]) {
    let now_ms = i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis()),
    )
    .unwrap_or(0);
    if let Some(line) = line(values, now_ms) {
        let _ = writeln!(std::io::stdout().lock(), "{line}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::business::BusinessStatus;
    use crate::domain::identifier::BusinessIdentifier;
    use crate::domain::refusal::{Changed, Refusal};
    use crate::domain::rules::access::tests::{business, credential, urn};
    use crate::domain::rules::accounts::tests::user;
    use crate::domain::user::UrnEntry;
    use crate::domain::{Language, Program};

    fn notice() -> Change {
        let u = user("sub-1", 1);
        Change::Notice(crate::domain::notice::Notice::new(
            "n-1".into(),
            &u.email,
            Language::En,
            "2026-11-01T00:00:00Z",
            crate::domain::notice::NoticeKind::UrnConfirmation {
                name: u.name.clone(),
                urn: urn(1),
            },
        ))
    }

    fn wrong_try() -> Change {
        Change::WrongTryCounted {
            program: Program::Emanifest,
            identifier: BusinessIdentifier::parse(Program::Emanifest, "8ABC").unwrap(),
            reported_day: None,
        }
    }

    type Counts = Vec<(Metric, u64)>;

    fn plan(changes: Vec<Change>) -> Plan {
        changes
            .into_iter()
            .fold(Plan::new(Changed::Identifier), |p, c| {
                p.with(c, Refusal::ChangedMeanwhile(Changed::Identifier))
            })
    }

    #[test]
    fn what_a_committed_plan_counts() {
        let attempt = Change::AttemptCounted {
            credential: credential("sub-1"),
            hour: 1,
            max: 10,
        };
        // (what the plan holds, what it counts)
        let cases: Vec<(&str, Vec<Change>, Counts)> = vec![
            (
                "a new user account and its notice",
                vec![
                    Change::UserCreated(user("sub-1", 1)),
                    Change::UrnClaimed(UrnEntry::of(&user("sub-1", 1))),
                    notice(),
                ],
                vec![(Metric::UsersCreated, 1), (Metric::NoticesQueued, 1)],
            ),
            (
                "a wrong try (the hour's count is no event)",
                vec![attempt.clone(), wrong_try()],
                vec![(Metric::WrongTries, 1)],
            ),
            (
                "a business opened, two notices",
                vec![
                    Change::BusinessOpened(business(BusinessStatus::Activated)),
                    notice(),
                    notice(),
                ],
                vec![(Metric::BusinessesOpened, 1), (Metric::NoticesQueued, 2)],
            ),
            ("only the hour's attempt", vec![attempt], vec![]),
            (
                "an owner recovery (its members are told by the follow-up)",
                vec![Change::MembersToBeTold(
                    crate::domain::member::MembersToTell {
                        tell_id: "t1".into(),
                        business_id: business(BusinessStatus::Authorized).business.business_id,
                        legal_name: business(BusinessStatus::Authorized).business.legal_name,
                        new_owner: user("sub-1", 1).name,
                        after: String::new(),
                        created_at: "2026-11-25T00:00:00Z".into(),
                    },
                )],
                vec![(Metric::OwnerRecoveries, 1)],
            ),
        ];
        for (name, changes, expected) in cases {
            assert_eq!(of_plan(&plan(changes)), expected, "{name}");
        }
    }

    #[test]
    fn a_line_is_embedded_metric_format() {
        let line = line(
            &[(Metric::Activations, 1), (Metric::OldestDueNoticeAge, 42)],
            1_795_000_000_000,
        )
        .unwrap();
        assert!(!line.contains('\n'), "one line");
        let json: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "_aws": {
                    "Timestamp": 1_795_000_000_000_i64,
                    "CloudWatchMetrics": [{
                        "Namespace": "TradePortalAccounts",
                        "Dimensions": [["Service"]],
                        "Metrics": [
                            {"Name": "Activations", "Unit": "Count"},
                            {"Name": "OldestDueNoticeAge", "Unit": "Seconds"},
                        ],
                    }],
                },
                "Service": "trade-portal-accounts",
                "Activations": 1,
                "OldestDueNoticeAge": 42,
            })
        );
    }

    #[test]
    fn nothing_to_count_writes_no_line() {
        assert_eq!(line(&[], 0), None);
    }
}
