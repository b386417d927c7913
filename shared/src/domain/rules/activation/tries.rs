//! Wrong tries: which of the identifier's codes a hash is, and how a wrong pair is counted on
//! the hour, the identifier and the caller, and reported when the tries pile up.

use super::{same_hash, Activation, ActivationState, Attempt, NO_SECRET, SECONDS_A_DAY};
use crate::clock::Fresh;
use crate::domain::notice::{Notice, NoticeKind};
use crate::domain::onboarding::{CredentialTries, IdentifierSecret};
use crate::domain::plan::{Change, Plan};
use crate::domain::shared_secret::{MAX_WRONG_TRIES, WRONG_TRIES_REPORTED};
use crate::domain::{Changed, Language, Refusal};

/// The caller's wrong tries that still count: against this issue of the secret, in the last day.
pub(super) fn my_count(tries: Option<&CredentialTries>, issue_no: u64, now: i64) -> u32 {
    tries
        .filter(|t| t.issue_no == issue_no && t.until > now)
        .map_or(0, |t| t.count)
}

/// The expiry of the identifier's code that `hash` is, compared with every code it has (the
/// newest and those still in hand), whichever matches.
pub(super) fn matching_code(secret: Option<&IdentifierSecret>, hash: &str) -> Option<i64> {
    let newest = secret
        .and_then(|s| s.issue.as_ref())
        .map(|i| (i.secret_hash.as_str(), i.expires_at));
    let earlier = secret.into_iter().flat_map(|s| {
        s.earlier
            .iter()
            .map(|c| (c.secret_hash.as_str(), c.expires_at))
    });
    let mut matched = None;
    let mut compared = false;
    for (stored, expires_at) in newest.into_iter().chain(earlier) {
        compared = true;
        if same_hash(hash, stored) {
            matched = Some(expires_at);
        }
    }
    if !compared {
        // No code at all: the same comparison, never a match.
        std::hint::black_box(same_hash(hash, NO_SECRET));
    }
    matched
}

/// A wrong pair: counted on the hour, on the identifier, on the caller's own tries, and
/// reported to the contact on file and the agency when the identifier's tries pile up.
pub(super) fn wrong(
    state: &ActivationState,
    attempt: Attempt,
    counted: Change,
    too_many: Refusal,
    fresh: &mut Fresh,
) -> Activation {
    let now = fresh.now.epoch;
    let secret = state.secret.as_ref();
    let issue_no = secret.map_or(0, |s| s.issue_no);
    let mine = my_count(state.my_tries.as_ref(), issue_no, now) + 1;
    let refusal = if mine >= MAX_WRONG_TRIES {
        Refusal::SecretLocked
    } else {
        Refusal::WrongSecret {
            attempts_left: MAX_WRONG_TRIES - mine,
        }
    };
    let wrong_tries = secret.map_or(0, |s| s.failures) + 1;
    let today = now / SECONDS_A_DAY;
    let report = wrong_tries > WRONG_TRIES_REPORTED
        && secret
            .and_then(|s| s.reported_day)
            .is_none_or(|d| d < today);
    let mut plan = Plan::new(Changed::Identifier)
        .with(counted, too_many)
        // Reported once a day: a try that loses that race gets the same answer.
        .with(
            Change::WrongTryCounted {
                program: attempt.program,
                identifier: attempt.identifier.clone(),
                reported_day: report.then_some(today),
            },
            refusal.clone(),
        )
        .and(Change::CredentialTryCounted {
            program: attempt.program,
            identifier: attempt.identifier.clone(),
            credential: state.caller.clone(),
            tries: CredentialTries {
                issue_no,
                count: mine,
                until: now + SECONDS_A_DAY,
            },
            restart: mine == 1,
        });
    if report {
        let on_file = secret
            .and_then(|s| s.issue.as_ref())
            .and_then(|i| i.email.clone().map(|email| (email, i.language)));
        let agency = state.agency.clone().map(|email| (email, Language::En));
        for (to, language) in on_file.into_iter().chain(agency) {
            plan.add(Change::Notice(Notice::new(
                fresh.id(),
                &to,
                language,
                &fresh.now.rfc3339,
                NoticeKind::WrongTriesPilingUp {
                    program: attempt.program,
                    business_identifier: attempt.identifier.as_str().to_owned(),
                    wrong_tries,
                },
            )));
        }
    }
    Activation::Wrong { plan, refusal }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::super::*;

    #[test]
    fn a_wrong_try_is_counted_on_the_hour_the_identifier_and_the_caller() {
        // (identifier's secret, my tries read, expected: my count after, and a restart)
        let cases = [
            ("unknown identifier", None, None, (0, 1, true)),
            (
                "my second try",
                Some(secret(7, SecretStatus::Issued, LIVE)),
                mine(3, 1, LIVE),
                (3, 2, false),
            ),
            (
                "my tries on an earlier issue start again",
                Some(secret(7, SecretStatus::Issued, LIVE)),
                mine(2, 4, LIVE),
                (3, 1, true),
            ),
            (
                "my tries a day old start again",
                Some(secret(7, SecretStatus::Issued, LIVE)),
                mine(3, 4, NOW - 1),
                (3, 1, true),
            ),
        ];
        for (name, secret, tries, (issue_no, count, fresh_start)) in cases {
            let Ok(Activation::Wrong { plan, refusal }) = decide(
                &state(Some(user()), secret, tries, 3),
                attempt(WRONG),
                &mut Fresh::fixed(NOW),
            ) else {
                panic!("{name}: a wrong try");
            };
            let steps = plan.steps();
            assert_eq!(steps.len(), 3, "{name}");
            assert!(
                matches!(
                    steps[0].change,
                    Change::AttemptCounted {
                        max: MAX_ATTEMPTS_AN_HOUR,
                        ..
                    }
                ),
                "{name}"
            );
            assert!(
                matches!(
                    steps[1].change,
                    Change::WrongTryCounted {
                        reported_day: None,
                        ..
                    }
                ),
                "{name}"
            );
            assert_eq!(steps[1].if_refused, refusal, "{name}");
            assert_eq!(
                steps[2].change,
                Change::CredentialTryCounted {
                    program: Program::Emanifest,
                    identifier: identifier(),
                    credential: credential("alex"),
                    tries: CredentialTries {
                        issue_no,
                        count,
                        until: NOW + 86_400
                    },
                    restart: fresh_start,
                },
                "{name}"
            );
        }
    }

    #[test]
    fn wrong_tries_piling_up_are_reported_once_a_day() {
        let today = NOW / 86_400;
        let reported = |day: Option<i64>, failures: u32| IdentifierSecret {
            reported_day: day,
            ..secret(failures, SecretStatus::Issued, LIVE)
        };
        let mut no_email = reported(None, 25);
        no_email.issue.as_mut().unwrap().email = None;
        // (identifier, expected: reported today, and to whom)
        let cases = [
            ("the 25th", Some(reported(None, 24)), None),
            (
                "the 26th",
                Some(reported(None, 25)),
                Some(vec!["contact@example.com", "agency@example.gc.ca"]),
            ),
            (
                "reported yesterday",
                Some(reported(Some(today - 1), 40)),
                Some(vec!["contact@example.com", "agency@example.gc.ca"]),
            ),
            ("reported today", Some(reported(Some(today), 40)), None),
            (
                "no e-mail on file: the agency alone",
                Some(no_email),
                Some(vec!["agency@example.gc.ca"]),
            ),
        ];
        for (name, secret, expected) in cases {
            let Ok(Activation::Wrong { plan, .. }) = decide(
                &state(Some(user()), secret, None, 0),
                attempt(WRONG),
                &mut Fresh::fixed(NOW),
            ) else {
                panic!("{name}: a wrong try");
            };
            let day = plan.changes().find_map(|c| match c {
                Change::WrongTryCounted { reported_day, .. } => Some(*reported_day),
                _ => None,
            });
            let to: Vec<_> = plan
                .changes()
                .filter_map(|c| match c {
                    Change::Notice(n) => {
                        assert!(matches!(
                            n.kind,
                            NoticeKind::WrongTriesPilingUp { wrong_tries, .. } if wrong_tries > 25
                        ));
                        Some(n.to.as_str().to_owned())
                    }
                    _ => None,
                })
                .collect();
            match expected {
                None => assert_eq!((day, to.len()), (Some(None), 0), "{name}"),
                Some(who) => {
                    assert_eq!(day, Some(Some(today)), "{name}");
                    assert_eq!(to, who, "{name}");
                }
            }
        }
    }
}
