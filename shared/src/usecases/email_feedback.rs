//! `ses-feedback`: SES's bounces and complaints, from the feedback SNS topic. For each SES
//! event: one read (the notice its tag names, and the marks of the addresses it names), and,
//! for a notice to a user account, a second (the account's URN entry); a decision
//! (`rules::email_feedback`); one write (the address's mark, and the account's where it still
//! has that address).

use serde::Serialize;

use crate::domain::rules::email_feedback::{self, Feedback};
use crate::domain::undeliverable::{SentNotice, SesFeedback, Undeliverable};
use crate::domain::user::UrnEntry;
use crate::domain::{Email, Urn};
use crate::error::{Error, Result};
use crate::metrics::{self, Metric};
use crate::notify::feedback::SnsEvent;
use crate::store::outbox::NoticeRecord;
use crate::store::reads::Want;
use crate::store::DynamoStore;

/// What one invocation did.
#[derive(Debug, Default, Serialize)]
pub struct FeedbackSummary {
    pub marked: usize,
    pub transient: usize,
    pub ignored: usize,
}

/// Takes every SES event of `event`, trusting only those from `topic_arn` (the feedback
/// topic the function is subscribed to). A store that cannot be reached fails the invocation,
/// which Lambda retries (the mark is written once whatever the number of tries).
pub async fn take_feedback(
    store: &DynamoStore,
    topic_arn: &str,
    event: SnsEvent,
) -> Result<FeedbackSummary> {
    let mut summary = FeedbackSummary::default();
    for record in event.records {
        let sns = record.sns;
        if sns.topic_arn != topic_arn {
            tracing::error!(topic = %sns.topic_arn, sns_message_id = %sns.message_id, "message not from the feedback topic: ignored");
            summary.ignored += 1;
            continue;
        }
        let feedback = match sns.feedback() {
            Ok(feedback) => feedback,
            Err(why) => {
                tracing::error!(sns_message_id = %sns.message_id, %why, "unreadable SES feedback: ignored");
                summary.ignored += 1;
                continue;
            }
        };
        match take_one(store, &feedback).await? {
            Feedback::Mark(_) => summary.marked += 1,
            Feedback::Transient => summary.transient += 1,
            Feedback::Ignored(_) => summary.ignored += 1,
        }
    }
    let n = |v: usize| u64::try_from(v).unwrap_or(u64::MAX);
    metrics::emit(&[(Metric::TransientBounces, n(summary.transient))]);
    Ok(summary)
}

/// One SES event: read, decide, write. Answers what was decided.
async fn take_one(store: &DynamoStore, feedback: &SesFeedback) -> Result<Feedback> {
    // One BatchGetItem: no key twice (SES may name one address in two cases).
    let mut addresses: Vec<&Email> = Vec::new();
    for r in &feedback.recipients {
        if !addresses.iter().any(|a| a.same_address(r)) {
            addresses.push(r);
        }
    }
    let mut wants: Vec<Want<'_>> = addresses.iter().map(|a| Want::Undeliverable(a)).collect();
    if let Some(id) = &feedback.notice_id {
        wants.push(Want::Notice(id));
    }
    let mut marks: Vec<Undeliverable> = Vec::new();
    let mut sent: Option<SentNotice> = None;
    let mut recipient: Option<Urn> = None;
    if !wants.is_empty() {
        let mut found = store.read(&wants).await?;
        for _ in &addresses {
            marks.extend(found.next::<Undeliverable>()?);
        }
        if feedback.notice_id.is_some() {
            sent = found.next::<NoticeRecord>()?.map(|r| {
                recipient = r.notice.recipient_urn;
                SentNotice {
                    notice_id: r.notice.id,
                    to: r.notice.to,
                    ses_message_id: r.ses_message_id,
                }
            });
        }
    }
    let marked = sent
        .as_ref()
        .and_then(|s| marks.iter().find(|m| m.email.same_address(&s.to)));
    let decided = email_feedback::decide(feedback, sent.as_ref(), marked);
    let account: Option<UrnEntry> = match (&decided, &recipient) {
        (Feedback::Mark(_), Some(urn)) => store.read(&[Want::Urn(urn)]).await?.next()?,
        _ => None,
    };
    let with_account = email_feedback::mark_account(decided.clone(), account.as_ref());
    let applied = match &with_account {
        Feedback::Mark(plan) => match store.apply(plan.clone()).await {
            // The account changed its address (or moved) since it was read: the address alone.
            Err(Error::Refused(_)) if account.is_some() => match &decided {
                Feedback::Mark(plan) => store.apply(plan.clone()).await,
                _ => unreachable!("only a mark is applied"),
            },
            other => other,
        },
        _ => Ok(()),
    };
    match &decided {
        Feedback::Mark(_) => match applied {
            Ok(()) => {
                tracing::warn!(notice_id = ?feedback.notice_id, ses_message_id = %feedback.ses_message_id, "address marked undeliverable");
            }
            // Another delivery of the same report (or another report) marked it first.
            Err(Error::Refused(_)) => {
                tracing::info!(ses_message_id = %feedback.ses_message_id, "address already marked");
                return Ok(Feedback::Ignored("the address is already undeliverable"));
            }
            Err(e) => return Err(e),
        },
        Feedback::Transient => {
            tracing::info!(notice_id = ?feedback.notice_id, ses_message_id = %feedback.ses_message_id, "transient bounce: counted only");
        }
        Feedback::Ignored(why) => {
            tracing::warn!(notice_id = ?feedback.notice_id, ses_message_id = %feedback.ses_message_id, why, "SES feedback ignored");
        }
    }
    Ok(decided)
}
