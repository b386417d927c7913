//! Changing a user account's e-mail. Notices go to the address on the account, so a new one
//! is taken only once the person shows they read it: `PATCH /users/me` keeps it aside with the
//! keyed hash of a six-digit code sent there (and tells the current address), and
//! `POST /users/me/email-confirmation` with that code makes it the account's e-mail. Five wrong
//! codes, or a day, and the change is dropped.
//!
//! The use case draws the code and hashes and seals it with the pepper; the decisions here get
//! the keyed hash and the sealed text only.

use crate::clock::{self, Fresh};
use crate::domain::notice::{Notice, NoticeKind};
use crate::domain::plan::{Change, Plan};
use crate::domain::user::{PendingEmail, User};
use crate::domain::{Changed, Email, Refusal};

use super::activation::same_hash;

/// How long the code confirms the change.
pub const CODE_LIFETIME_SECS: i64 = 86_400;
/// Wrong codes a pending change takes; the last one drops it.
pub const MAX_WRONG_TRIES: u32 = 5;

/// A code the use case drew for a new address: its keyed hash (kept on the account) and the
/// code sealed with the pepper (carried by the notice until SES has it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawnCode {
    pub hash: String,
    pub sealed: String,
}

/// A new address asked for in `PATCH /users/me`, with the code drawn for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAsked {
    pub email: Email,
    pub code: DrawnCode,
}

/// Whether two addresses are one mailbox for the portal (compared case-insensitively, as
/// adding a member does).
fn same_address(a: &Email, b: &Email) -> bool {
    a.as_str().eq_ignore_ascii_case(b.as_str())
}

/// `PATCH /users/me` with an `email`, on the account as patched (`after`): the address it has
/// already means no change is pending (any waiting one is dropped); another address waits
/// with its code, replacing any earlier one. Returns the notices: the current address is told,
/// the new one gets the code.
pub fn ask(after: &mut User, asked: EmailAsked, fresh: &mut Fresh) -> Vec<Notice> {
    if same_address(&asked.email, &after.email) {
        after.pending_email = None;
        return Vec::new();
    }
    let now = fresh.now.rfc3339.clone();
    let expires_at = fresh.now.epoch + CODE_LIFETIME_SECS;
    after.pending_email = Some(Box::new(PendingEmail {
        email: asked.email.clone(),
        code_hash: asked.code.hash,
        expires_at,
        wrong_tries: 0,
    }));
    let told = Notice::to(
        &after.contact(),
        fresh.id(),
        &now,
        NoticeKind::EmailChangeAsked {
            name: after.name.clone(),
            new_email: asked.email.clone(),
        },
    );
    let code = Notice::new(
        fresh.id(),
        &asked.email,
        after.language,
        &now,
        NoticeKind::EmailChangeCode {
            name: after.name.clone(),
            sealed: asked.code.sealed,
            expires_at: clock::at(expires_at).rfc3339,
        },
    );
    vec![told, code]
}

/// What a confirmation does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmation {
    /// The code was right: the new address is the account's e-mail.
    Confirmed { plan: Plan, user: Box<User> },
    /// The code was wrong or too late: the try is written (`plan`: counted, or the change
    /// dropped), and the answer is `refusal`.
    Refused { plan: Plan, refusal: Refusal },
}

/// `POST /users/me/email-confirmation`: `typed` is the keyed hash of the code typed, bound to
/// the address it is for (the use case hashes it with the pepper). Every outcome but "nothing
/// pending" is written over the version read, so two tries at once count as two (one of them
/// is refused as a change made meanwhile, whatever its code).
pub fn confirm(
    user: Option<User>,
    typed: impl FnOnce(&Email) -> String,
    fresh: &Fresh,
) -> Result<Confirmation, Refusal> {
    let mut user = user.ok_or(Refusal::NoUserAccount)?;
    let pending = user
        .pending_email
        .take()
        .ok_or(Refusal::NoEmailChangePending)?;
    user.version += 1;
    user.updated_at = fresh.now.rfc3339.clone();
    let refusal = if pending.expires_at <= fresh.now.epoch {
        Some(Refusal::EmailCodeExpired)
    } else if same_hash(&typed(&pending.email), &pending.code_hash) {
        user.email = pending.email;
        // SES's mark was on the address it replaced.
        user.undeliverable = None;
        None
    } else if pending.wrong_tries + 1 >= MAX_WRONG_TRIES {
        Some(Refusal::EmailCodeWrongTooOften)
    } else {
        user.pending_email = Some(Box::new(PendingEmail {
            wrong_tries: pending.wrong_tries + 1,
            ..*pending
        }));
        Some(Refusal::EmailCodeWrong)
    };
    // The URN index follows the e-mail (`ProfileChanged`).
    let plan = Plan::new(Changed::UserAccount).and(Change::ProfileChanged { user: user.clone() });
    Ok(match refusal {
        None => Confirmation::Confirmed {
            plan,
            user: Box::new(user),
        },
        Some(refusal) => Confirmation::Refused { plan, refusal },
    })
}

#[cfg(test)]
mod tests {
    use super::super::accounts::tests::{user, NOW};
    use super::*;
    use crate::domain::Language;

    const CODE: &str = "h:new@example.com:123456";

    fn email(text: &str) -> Email {
        Email::parse(text).unwrap()
    }

    fn asked(address: &str) -> EmailAsked {
        EmailAsked {
            email: email(address),
            code: DrawnCode {
                hash: format!("h:{address}:123456"),
                sealed: "5ea1ed".into(),
            },
        }
    }

    /// The test's keyed hash: the address and the code typed.
    fn typed(code: &'static str) -> impl FnOnce(&Email) -> String {
        move |e| format!("h:{e}:{code}")
    }

    fn pending(wrong_tries: u32, expires_at: i64) -> PendingEmail {
        PendingEmail {
            email: email("new@example.com"),
            code_hash: CODE.into(),
            expires_at,
            wrong_tries,
        }
    }

    fn with_pending(p: Option<PendingEmail>) -> User {
        User {
            pending_email: p.map(Box::new),
            ..user("alex", 3)
        }
    }

    #[test]
    fn ask_table() {
        let later = pending(2, NOW + 10);
        // (pending before, address asked, pending after (address, tries), notices sent)
        let cases = [
            (None, "new@example.com", Some(("new@example.com", 0)), 2),
            (None, "alex@example.com", None, 0),
            (None, "ALEX@Example.com", None, 0),
            // Asking again replaces the code and its tries; the address it has drops it.
            (
                Some(later.clone()),
                "new@example.com",
                Some(("new@example.com", 0)),
                2,
            ),
            (
                Some(later.clone()),
                "other@example.com",
                Some(("other@example.com", 0)),
                2,
            ),
            (Some(later), "alex@example.com", None, 0),
        ];
        for (i, (before, address, expected, notices)) in cases.into_iter().enumerate() {
            let mut after = with_pending(before);
            let sent = ask(&mut after, asked(address), &mut Fresh::fixed(NOW));
            assert_eq!(after.email, email("alex@example.com"), "case {i}");
            assert_eq!(
                after
                    .pending_email
                    .as_ref()
                    .map(|p| (p.email.as_str(), p.wrong_tries)),
                expected,
                "case {i}"
            );
            assert_eq!(sent.len(), notices, "case {i}");
            if let Some(p) = &after.pending_email {
                assert_eq!(p.code_hash, format!("h:{address}:123456"), "case {i}");
                assert_eq!(p.expires_at, NOW + CODE_LIFETIME_SECS, "case {i}");
            }
        }
    }

    /// The current address hears of the change without the code; the new one gets the code,
    /// sealed, in the account's language.
    #[test]
    fn the_current_address_is_told_and_the_new_one_gets_the_code() {
        let mut after = with_pending(None);
        let sent = ask(&mut after, asked("new@example.com"), &mut Fresh::fixed(NOW));
        let [told, code] = sent.as_slice() else {
            panic!("{sent:?}")
        };
        assert_eq!(
            (told.to.as_str(), told.language),
            ("alex@example.com", Language::Fr)
        );
        assert!(matches!(
            &told.kind,
            NoticeKind::EmailChangeAsked { new_email, .. } if new_email.as_str() == "new@example.com"
        ));
        assert_eq!(
            (code.to.as_str(), code.language),
            ("new@example.com", Language::Fr)
        );
        assert!(matches!(
            &code.kind,
            NoticeKind::EmailChangeCode { sealed, expires_at, .. }
                if sealed == "5ea1ed" && *expires_at == clock::at(NOW + CODE_LIFETIME_SECS).rfc3339
        ));
        assert_ne!(told.id, code.id);
    }

    #[test]
    fn confirm_table() {
        let live = NOW + 60;
        // (pending, code typed, the answer, e-mail after, pending after (tries))
        let cases = [
            (
                Some(pending(0, live)),
                "123456",
                None,
                "new@example.com",
                None,
            ),
            (
                Some(pending(4, live)),
                "123456",
                None,
                "new@example.com",
                None,
            ),
            (
                Some(pending(0, live)),
                "654321",
                Some(Refusal::EmailCodeWrong),
                "alex@example.com",
                Some(1),
            ),
            (
                Some(pending(3, live)),
                "654321",
                Some(Refusal::EmailCodeWrong),
                "alex@example.com",
                Some(4),
            ),
            (
                Some(pending(4, live)),
                "654321",
                Some(Refusal::EmailCodeWrongTooOften),
                "alex@example.com",
                None,
            ),
            // A day old: dropped, even with the right code.
            (
                Some(pending(0, NOW)),
                "123456",
                Some(Refusal::EmailCodeExpired),
                "alex@example.com",
                None,
            ),
        ];
        for (i, (before, code, refusal, email_after, tries_after)) in cases.into_iter().enumerate()
        {
            let got = confirm(Some(with_pending(before)), typed(code), &Fresh::fixed(NOW));
            let (plan, after, got_refusal) = match got.unwrap() {
                Confirmation::Confirmed { plan, user } => (plan, *user, None),
                Confirmation::Refused { plan, refusal } => {
                    let Change::ProfileChanged { user } = &plan.steps()[0].change else {
                        panic!("case {i}: {plan:?}")
                    };
                    let user = user.clone();
                    (plan, user, Some(refusal))
                }
            };
            assert_eq!(got_refusal, refusal, "case {i}");
            assert_eq!(after.email.as_str(), email_after, "case {i}");
            assert_eq!(
                after.pending_email.as_ref().map(|p| p.wrong_tries),
                tries_after,
                "case {i}"
            );
            // Every outcome is written over the version read.
            assert_eq!(after.version, 4, "case {i}");
            assert_eq!(
                plan.steps()
                    .iter()
                    .map(|s| (&s.change, &s.if_refused))
                    .collect::<Vec<_>>(),
                [(
                    &Change::ProfileChanged {
                        user: after.clone()
                    },
                    &Refusal::ChangedMeanwhile(Changed::UserAccount)
                )],
                "case {i}"
            );
        }
    }

    #[test]
    fn nothing_pending_or_no_account_writes_nothing() {
        let cases = [
            (Some(with_pending(None)), Refusal::NoEmailChangePending),
            (None, Refusal::NoUserAccount),
        ];
        for (user, expected) in cases {
            assert_eq!(
                confirm(user, typed("123456"), &Fresh::fixed(NOW)),
                Err(expected)
            );
        }
    }

    /// A code is for the address it was sent to: the hash the decision compares is the one of
    /// the pending address, so another account's code (for its own address) is wrong here.
    #[test]
    fn the_code_is_checked_for_the_pending_address() {
        let mut seen = None;
        let got = confirm(
            Some(with_pending(Some(pending(0, NOW + 60)))),
            |e: &Email| {
                seen = Some(e.clone());
                "h:someone.else@example.com:123456".into()
            },
            &Fresh::fixed(NOW),
        )
        .unwrap();
        assert_eq!(seen, Some(email("new@example.com")));
        assert!(matches!(
            got,
            Confirmation::Refused {
                refusal: Refusal::EmailCodeWrong,
                ..
            }
        ));
    }
}
