//! What SES's feedback about a notice does. A permanent bounce or a complaint about a message
//! the outbox really sent marks the notice's address undeliverable (once: the same SES message
//! again changes nothing); a transient or undetermined bounce is only counted, since the
//! mailbox may take the next one. Feedback about a message the outbox did not send to that
//! address (another message id, another recipient, no notice) marks nothing: a forged or
//! stray event cannot silence someone else's address.
//!
//! A user account's e-mail is undeliverable while its confirmed address carries a mark, so
//! confirming a new address clears it for the account (the old address keeps its mark).

use crate::domain::plan::{Change, Plan};
use crate::domain::undeliverable::{
    EmailStatus, FeedbackEvent, SentNotice, SesFeedback, Undeliverable, UndeliverableReason,
};
use crate::domain::user::{UrnEntry, User};
use crate::domain::Changed;

/// What to do with one SES event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Feedback {
    /// Mark the address (the plan writes the mark only if the address has none).
    Mark(Plan),
    /// A bounce that may pass: counted, nothing marked.
    Transient,
    /// Nothing to do, and why (for the log).
    Ignored(&'static str),
}

/// The mark a permanent bounce or a complaint asks for, before checking who it is about.
fn reason_of(event: &FeedbackEvent) -> Result<(UndeliverableReason, String), Feedback> {
    match event {
        FeedbackEvent::Bounce {
            bounce_type,
            sub_type,
        } => match bounce_type.as_str() {
            "Permanent" => Ok((UndeliverableReason::Bounced, sub_type.clone())),
            // Transient (mailbox full, message too large, ...) and Undetermined may pass.
            _ => Err(Feedback::Transient),
        },
        FeedbackEvent::Complaint { feedback_type } => Ok((
            UndeliverableReason::Complained,
            feedback_type.clone().unwrap_or_else(|| "complaint".into()),
        )),
        FeedbackEvent::Other(_) => Err(Feedback::Ignored("neither a bounce nor a complaint")),
    }
}

/// Decides on `feedback`, given the notice its tag names (as the outbox has it) and the
/// mark the notice's address already has.
pub fn decide(
    feedback: &SesFeedback,
    sent: Option<&SentNotice>,
    marked: Option<&Undeliverable>,
) -> Feedback {
    let (reason, detail) = match reason_of(&feedback.event) {
        Ok(mark) => mark,
        Err(other) => return other,
    };
    // Only a message the outbox sent, with the id SES gave it, to the address the event names.
    let Some(sent) = sent.filter(|s| Some(&s.notice_id) == feedback.notice_id.as_ref()) else {
        return Feedback::Ignored("not about a notice the outbox sent");
    };
    if sent.ses_message_id.as_deref() != Some(feedback.ses_message_id.as_str()) {
        return Feedback::Ignored("not the message SES took for this notice");
    }
    if !feedback.recipients.iter().any(|r| r.same_address(&sent.to)) {
        return Feedback::Ignored("not about the notice's recipient");
    }
    if let Some(marked) = marked {
        return Feedback::Ignored(if marked.ses_message_id == feedback.ses_message_id {
            "this message already marked the address"
        } else {
            "the address is already undeliverable"
        });
    }
    Feedback::Mark(
        Plan::new(Changed::UserAccount).and(Change::AddressUndeliverable(Undeliverable {
            email: sent.to.clone(),
            reason,
            detail,
            at: feedback.at.clone(),
            ses_message_id: feedback.ses_message_id.clone(),
            notice_id: sent.notice_id.clone(),
        })),
    )
}

/// The mark written on the account the notice went to as well (`account`: its URN entry, read
/// by the notice's `recipient_urn`), so that `GET /users/me` needs no second read. Only while
/// the account still has the address the notice went to; a plan that is not a mark is kept.
pub fn mark_account(decided: Feedback, account: Option<&UrnEntry>) -> Feedback {
    let Feedback::Mark(plan) = decided else {
        return decided;
    };
    let mark = plan.changes().find_map(|c| match c {
        Change::AddressUndeliverable(mark) => Some(mark.clone()),
        _ => None,
    });
    match (mark, account) {
        (Some(mark), Some(account)) if account.email.same_address(&mark.email) => {
            Feedback::Mark(plan.and(Change::AccountUndeliverable {
                urn: account.urn.clone(),
                credential: account.credential.clone(),
                email: account.email.clone(),
                mark: Box::new(mark),
            }))
        }
        _ => Feedback::Mark(plan),
    }
}

/// The account's e-mail status: undeliverable while the mark SES's feedback left on it is for
/// its confirmed address (a mark of another address, e.g. the one it replaced, does not count).
pub fn status_of(user: &User) -> EmailStatus {
    match user
        .undeliverable
        .as_deref()
        .filter(|m| m.email.same_address(&user.email))
    {
        Some(m) => EmailStatus::Undeliverable {
            reason: m.reason,
            since: m.at.clone(),
        },
        None => EmailStatus::Deliverable,
    }
}

/// Whether a notice to `to` may go, given the mark read for it: `Some(reason)` to skip it.
pub fn skip_reason(to: &crate::domain::Email, mark: Option<&Undeliverable>) -> Option<String> {
    mark.filter(|m| m.email.same_address(to)).map(|m| {
        let why = match m.reason {
            UndeliverableReason::Bounced => "bounced",
            UndeliverableReason::Complained => "complained",
        };
        format!("address undeliverable ({why}: {}) since {}", m.detail, m.at)
    })
}

#[cfg(test)]
mod tests {
    use super::super::accounts::tests::user;
    use super::*;
    use crate::domain::Email;

    const AT: &str = "2026-11-26T02:00:00Z";

    fn email(text: &str) -> Email {
        Email::parse(text).unwrap()
    }

    fn bounce(kind: &str, sub: &str) -> FeedbackEvent {
        FeedbackEvent::Bounce {
            bounce_type: kind.into(),
            sub_type: sub.into(),
        }
    }

    fn feedback(event: FeedbackEvent, to: &str) -> SesFeedback {
        SesFeedback {
            ses_message_id: "ses-1".into(),
            notice_id: Some("n1".into()),
            event,
            recipients: vec![email(to)],
            at: AT.into(),
        }
    }

    fn sent(to: &str, ses: Option<&str>) -> SentNotice {
        SentNotice {
            notice_id: "n1".into(),
            to: email(to),
            ses_message_id: ses.map(Into::into),
        }
    }

    fn mark(to: &str, ses: &str, reason: UndeliverableReason, detail: &str) -> Undeliverable {
        Undeliverable {
            email: email(to),
            reason,
            detail: detail.into(),
            at: AT.into(),
            ses_message_id: ses.into(),
            notice_id: "n1".into(),
        }
    }

    fn marks(to: &str, reason: UndeliverableReason, detail: &str) -> Feedback {
        Feedback::Mark(
            Plan::new(Changed::UserAccount).and(Change::AddressUndeliverable(mark(
                to, "ses-1", reason, detail,
            ))),
        )
    }

    #[test]
    fn which_feedback_marks_the_address_table() {
        use UndeliverableReason::{Bounced, Complained};
        let alex = "alex@example.com";
        let complaint = |t: Option<&str>| FeedbackEvent::Complaint {
            feedback_type: t.map(Into::into),
        };
        let other_ses = SesFeedback {
            ses_message_id: "ses-2".into(),
            ..feedback(bounce("Permanent", "General"), alex)
        };
        let no_tag = SesFeedback {
            notice_id: None,
            ..feedback(bounce("Permanent", "General"), alex)
        };
        // (what SES said, the notice as sent, the address's mark, what is done)
        let cases: Vec<(
            SesFeedback,
            Option<SentNotice>,
            Option<Undeliverable>,
            Feedback,
        )> = vec![
            // permanent bounces and complaints mark
            (
                feedback(bounce("Permanent", "General"), alex),
                Some(sent(alex, Some("ses-1"))),
                None,
                marks(alex, Bounced, "General"),
            ),
            (
                feedback(bounce("Permanent", "Suppressed"), alex),
                Some(sent(alex, Some("ses-1"))),
                None,
                marks(alex, Bounced, "Suppressed"),
            ),
            (
                feedback(bounce("Permanent", "General"), "ALEX@example.com"),
                Some(sent(alex, Some("ses-1"))),
                None,
                marks(alex, Bounced, "General"),
            ),
            (
                feedback(complaint(Some("abuse")), alex),
                Some(sent(alex, Some("ses-1"))),
                None,
                marks(alex, Complained, "abuse"),
            ),
            (
                feedback(complaint(None), alex),
                Some(sent(alex, Some("ses-1"))),
                None,
                marks(alex, Complained, "complaint"),
            ),
            // transient and undetermined bounces only count
            (
                feedback(bounce("Transient", "MailboxFull"), alex),
                Some(sent(alex, Some("ses-1"))),
                None,
                Feedback::Transient,
            ),
            (
                feedback(bounce("Undetermined", "Undetermined"), alex),
                Some(sent(alex, Some("ses-1"))),
                None,
                Feedback::Transient,
            ),
            (
                feedback(FeedbackEvent::Other("Delivery".into()), alex),
                Some(sent(alex, Some("ses-1"))),
                None,
                Feedback::Ignored("neither a bounce nor a complaint"),
            ),
            // the same SES message again, or another one after the mark: nothing more
            (
                feedback(bounce("Permanent", "General"), alex),
                Some(sent(alex, Some("ses-1"))),
                Some(mark(alex, "ses-1", Bounced, "General")),
                Feedback::Ignored("this message already marked the address"),
            ),
            (
                feedback(complaint(None), alex),
                Some(sent(alex, Some("ses-1"))),
                Some(mark(alex, "ses-0", Bounced, "General")),
                Feedback::Ignored("the address is already undeliverable"),
            ),
            // not about a message the outbox sent to that address: forged or stray
            (
                feedback(bounce("Permanent", "General"), alex),
                None,
                None,
                Feedback::Ignored("not about a notice the outbox sent"),
            ),
            (
                no_tag,
                Some(sent(alex, Some("ses-1"))),
                None,
                Feedback::Ignored("not about a notice the outbox sent"),
            ),
            (
                other_ses,
                Some(sent(alex, Some("ses-1"))),
                None,
                Feedback::Ignored("not the message SES took for this notice"),
            ),
            (
                feedback(bounce("Permanent", "General"), alex),
                Some(sent(alex, None)),
                None,
                Feedback::Ignored("not the message SES took for this notice"),
            ),
            (
                feedback(bounce("Permanent", "General"), "camille@example.com"),
                Some(sent(alex, Some("ses-1"))),
                None,
                Feedback::Ignored("not about the notice's recipient"),
            ),
        ];
        for (i, (event, notice, marked, expected)) in cases.into_iter().enumerate() {
            assert_eq!(
                decide(&event, notice.as_ref(), marked.as_ref()),
                expected,
                "case {i}: {event:?}"
            );
        }
    }

    #[test]
    fn account_status_and_skipping_table() {
        let bounced = mark(
            "alex@example.com",
            "ses-1",
            UndeliverableReason::Bounced,
            "General",
        );
        let mut moved = user("sub-1", 3);
        moved.email = email("alex.new@example.com");
        let mut shouting = user("sub-1", 3);
        shouting.email = email("ALEX@example.com");
        let undeliverable = EmailStatus::Undeliverable {
            reason: UndeliverableReason::Bounced,
            since: AT.into(),
        };
        let mut base = user("sub-1", 3);
        base.email = email("alex@example.com");
        // (the account, the mark SES's feedback left on it, its status)
        let cases = [
            (base.clone(), None, EmailStatus::Deliverable),
            (base, Some(&bounced), undeliverable.clone()),
            (shouting, Some(&bounced), undeliverable),
            // a mark left on the address it had before does not count
            (moved, Some(&bounced), EmailStatus::Deliverable),
        ];
        for (mut account, marked, expected) in cases {
            account.undeliverable = marked.cloned().map(Box::new);
            assert_eq!(status_of(&account), expected, "{}", account.email);
        }
        assert!(skip_reason(&email("alex@example.com"), Some(&bounced))
            .is_some_and(|r| r.contains("bounced: General")));
        assert_eq!(
            skip_reason(&email("alex.new@example.com"), Some(&bounced)),
            None
        );
        assert_eq!(skip_reason(&email("alex@example.com"), None), None);
    }

    #[test]
    fn the_account_the_notice_went_to_is_marked_while_it_has_that_address() {
        let alex = "alex@example.com";
        let entry = |address: &str| {
            let mut u = user("sub-1", 3);
            u.email = email(address);
            UrnEntry::of(&u)
        };
        let marked = || marks(alex, UndeliverableReason::Bounced, "General");
        // (the account's URN entry, whether the account is marked too)
        let cases = [
            (None, false),
            (Some(entry(alex)), true),
            (Some(entry("Alex@Example.com")), true),
            // it changed its address since the notice went
            (Some(entry("alex.new@example.com")), false),
        ];
        for (account, expected) in cases {
            let Feedback::Mark(plan) = mark_account(marked(), account.as_ref()) else {
                panic!("a mark stays a mark");
            };
            let on_account = plan.changes().find_map(|c| match c {
                Change::AccountUndeliverable { mark, email, .. } => {
                    Some((mark.clone(), email.clone()))
                }
                _ => None,
            });
            assert_eq!(on_account.is_some(), expected, "{account:?}");
            if let (Some((mark, email)), Some(account)) = (on_account, account) {
                assert_eq!(email, account.email);
                assert_eq!(mark.ses_message_id, "ses-1");
            }
        }
        // What is not a mark stays as it was.
        assert_eq!(
            mark_account(Feedback::Transient, Some(&entry(alex))),
            Feedback::Transient
        );
    }
}
