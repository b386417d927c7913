//! Activation: an identifier and its shared secret open a business account, and the person who
//! typed them becomes its Account Owner. The secret is consumed in the same write that opens
//! the account, so two activations with one secret cannot both win.
//!
//! Wrong tries count per credential: five lock that credential out of that identifier for a
//! day (or until a new secret is issued), and nobody else. The identifier's own count never
//! locks it; past a threshold its contact and the agency are told, once a day.

use crate::clock::Fresh;
use crate::domain::business::{Business, BusinessAccount, BusinessStatus, OwnerContact};
use crate::domain::identifier::BusinessIdentifier;
use crate::domain::member::Membership;
use crate::domain::notice::{Notice, NoticeKind};
use crate::domain::onboarding::{CredentialTries, IdentifierSecret, SecretPurpose, SecretStatus};
use crate::domain::plan::{Change, Plan};
use crate::domain::shared_secret::{MAX_WRONG_TRIES, WRONG_TRIES_REPORTED};
use crate::domain::user::User;
use crate::domain::{BusinessId, Changed, CredentialId, Email, Language, Program, Refusal};

use super::access::{audit_event, business_json, Actor};

/// Activation attempts one credential may make in a clock hour, over all identifiers.
pub const MAX_ATTEMPTS_AN_HOUR: u64 = 20;

const SECONDS_A_DAY: i64 = 86_400;

/// Compared against when an identifier has no secret, so both paths do the same work.
const NO_SECRET: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What the activation read: the caller's account, the identifier's secret, the caller's own
/// wrong tries on it, and the caller's attempts this hour.
#[derive(Debug, Clone)]
pub struct ActivationState {
    pub caller: CredentialId,
    pub user: Option<User>,
    pub secret: Option<IdentifierSecret>,
    pub my_tries: Option<CredentialTries>,
    pub attempts_this_hour: u64,
    /// The agency's mailbox for wrong tries piling up, if one is configured.
    pub agency: Option<Email>,
}

/// What the caller typed: the identifier, the keyed hash of the secret, their contact.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub program: Program,
    pub identifier: BusinessIdentifier,
    pub secret_hash: String,
    pub owner_contact: OwnerContact,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Activation {
    /// The business opens with the caller as its owner.
    Opens { plan: Plan, business_id: BusinessId },
    /// A wrong pair: the try is counted (`plan`), and the answer is `refusal`.
    Wrong { plan: Plan, refusal: Refusal },
    /// A live owner-recovery secret for the business account that holds the identifier: the
    /// use case reads that business and asks `recovery::take_over`.
    Recovers { business_id: BusinessId },
}

/// Compares two hashes in time that does not depend on where they differ.
pub fn same_hash(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && std::hint::black_box(
            a.bytes()
                .zip(b.bytes())
                .fold(0u8, |acc, (x, y)| acc | (x ^ y)),
        ) == 0
}

/// The hour an attempt counts in, and the seconds until the next one.
pub(super) fn hour_of(epoch: i64) -> (i64, u64) {
    let hour = epoch / 3600;
    (hour, ((hour + 1) * 3600 - epoch).max(1) as u64)
}

/// The caller's wrong tries that still count: against this issue of the secret, in the last day.
fn my_count(tries: Option<&CredentialTries>, issue_no: u64, now: i64) -> u32 {
    tries
        .filter(|t| t.issue_no == issue_no && t.until > now)
        .map_or(0, |t| t.count)
}

/// The expiry of the identifier's code that `hash` is, compared with every code it has (the
/// newest and those still in hand), whichever matches.
fn matching_code(secret: Option<&IdentifierSecret>, hash: &str) -> Option<i64> {
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
fn wrong(
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

/// The change that counts an attempt on the caller's hour, and the refusal when the hour's
/// allowance ran out meanwhile.
pub(super) fn attempt_counted(state: &ActivationState, fresh: &Fresh) -> (Change, Refusal) {
    let (hour, retry_after_secs) = hour_of(fresh.now.epoch);
    let counted = Change::AttemptCounted {
        credential: state.caller.clone(),
        hour,
        max: MAX_ATTEMPTS_AN_HOUR,
    };
    (counted, Refusal::TooManyAttempts { retry_after_secs })
}

pub fn decide(
    state: &ActivationState,
    attempt: Attempt,
    fresh: &mut Fresh,
) -> Result<Activation, Refusal> {
    let (hour, retry_after_secs) = hour_of(fresh.now.epoch);
    let too_many = Refusal::TooManyAttempts { retry_after_secs };
    if state.attempts_this_hour >= MAX_ATTEMPTS_AN_HOUR {
        return Err(too_many);
    }
    // Every attempt that compares a secret counts against the hourly allowance, in the
    // attempt's own write, so guessing across many identifiers is slowed as much as one.
    let counted = Change::AttemptCounted {
        credential: state.caller.clone(),
        hour,
        max: MAX_ATTEMPTS_AN_HOUR,
    };
    let user = state.user.as_ref().ok_or(Refusal::NoUserAccount)?;
    // Only the caller's own wrong tries lock the caller out; nobody else's do.
    let issue_no = state.secret.as_ref().map_or(0, |s| s.issue_no);
    if my_count(state.my_tries.as_ref(), issue_no, fresh.now.epoch) >= MAX_WRONG_TRIES {
        return Err(Refusal::SecretLocked);
    }
    // Wrong identifier and wrong secret take the same path: compare, count, refuse alike.
    let Some(expires_at) = matching_code(state.secret.as_ref(), &attempt.secret_hash) else {
        return Ok(wrong(state, attempt, counted, too_many, fresh));
    };
    let (Some(secret), Some(issue)) = (
        state.secret.as_ref(),
        state.secret.as_ref().and_then(|s| s.issue.as_ref()),
    ) else {
        unreachable!("a matching code has its secret's issue");
    };
    // An activation secret never takes a business account that holds the identifier; only
    // a recovery secret does. (A recovery secret still live when its business closed finds
    // the identifier free again, and opens a new account like any secret issued for it.)
    let recovers = secret.purpose == SecretPurpose::Recovery;
    if secret.secret_status != Some(SecretStatus::Issued)
        || (secret.business_id.is_some() && !recovers)
    {
        return Err(Refusal::SecretUsed);
    }
    if expires_at <= fresh.now.epoch {
        return Err(Refusal::SecretExpired);
    }
    if let Some(business_id) = &secret.business_id {
        return Ok(Activation::Recovers {
            business_id: business_id.clone(),
        });
    }

    let business_id = fresh.business_id();
    let now = fresh.now.rfc3339.clone();
    let account = BusinessAccount {
        business: Business {
            business_id: business_id.clone(),
            program: attempt.program,
            identifier: attempt.identifier.clone(),
            legal_name: issue.legal_name.clone(),
            status: BusinessStatus::Activated,
            owner_urn: user.urn.clone(),
            owner_contact: attempt.owner_contact,
            terms_version: None,
            created_at: now.clone(),
            updated_at: now.clone(),
            version: 1,
        },
        mailing_address: issue.mailing_address.clone(),
        information_sharing: None,
    };
    let owner = super::access::new_owner(&business_id, user, &now);
    let membership = Membership::of(&owner, &account);
    let actor = Actor {
        urn: &user.urn,
        name: &user.name,
        credential: &state.caller,
    };
    let audit = audit_event(
        &business_id,
        actor,
        "business.activated",
        None,
        Some(business_json(&account)),
        fresh,
    );
    let notice = Notice::to(
        &user.contact(),
        fresh.id(),
        &now,
        NoticeKind::BusinessActivated {
            name: user.name.clone(),
            legal_name: account.business.legal_name.clone(),
            program: attempt.program,
            business_identifier: attempt.identifier.as_str().to_owned(),
        },
    );
    let plan = Plan::new(Changed::Identifier)
        .with(counted, too_many)
        .with(
            Change::SecretConsumed {
                secret: secret.clone(),
                business_id: business_id.clone(),
                at: now,
            },
            Refusal::SecretUsed,
        )
        .and(Change::BusinessOpened(account))
        .and(Change::MemberAdded {
            member: owner,
            membership,
        })
        .and(Change::Audit(audit))
        .and(Change::Notice(notice));
    Ok(Activation::Opens { plan, business_id })
}

#[cfg(test)]
mod tests {
    use super::super::access::tests::{business, credential, urn};
    use super::*;
    use crate::domain::onboarding::{EarlierCode, SecretIssue};

    const NOW: i64 = 1_795_000_000;
    const RIGHT: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const EARLIER: &str = "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";
    const WRONG: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    const LIVE: i64 = NOW + 86_400;

    fn user() -> User {
        super::super::accounts::tests::user("alex", 1)
    }

    fn identifier() -> BusinessIdentifier {
        BusinessIdentifier::parse(Program::Emanifest, "8ABC").unwrap()
    }

    /// An issued secret for the identifier (issue 3): `failures` wrong tries by anyone,
    /// expiring at `expires_at`, with a code still in hand from before a new one was asked.
    fn secret(failures: u32, status: SecretStatus, expires_at: i64) -> IdentifierSecret {
        let b = business(BusinessStatus::Activated);
        IdentifierSecret {
            program: Program::Emanifest,
            identifier: identifier(),
            version: 2,
            phantom: false,
            failures,
            issue: Some(SecretIssue {
                program: Program::Emanifest,
                identifier: identifier(),
                legal_name: b.business.legal_name.clone(),
                mailing_address: b.mailing_address.clone(),
                email: Some(Email::parse("contact@example.com").unwrap()),
                language: Language::Fr,
                secret_hash: RIGHT.into(),
                issued_at: "2026-11-01T00:00:00Z".into(),
                expires_at,
            }),
            secret_status: Some(status),
            business_id: None,
            issue_no: 3,
            letter_id: None,
            earlier: vec![EarlierCode {
                secret_hash: EARLIER.into(),
                expires_at,
            }],
            renewed_at: None,
            reported_day: None,
            purpose: SecretPurpose::Activation,
        }
    }

    /// A secret for purpose `purpose` while a business account holds the identifier.
    fn held(purpose: SecretPurpose, status: SecretStatus) -> IdentifierSecret {
        IdentifierSecret {
            purpose,
            business_id: Some(business(BusinessStatus::Activated).business.business_id),
            ..secret(0, status, LIVE)
        }
    }

    /// The caller's own wrong tries: `count` against issue `issue_no`, counting until `until`.
    fn mine(issue_no: u64, count: u32, until: i64) -> Option<CredentialTries> {
        Some(CredentialTries {
            issue_no,
            count,
            until,
        })
    }

    fn state(
        user: Option<User>,
        secret: Option<IdentifierSecret>,
        my_tries: Option<CredentialTries>,
        attempts: u64,
    ) -> ActivationState {
        ActivationState {
            caller: credential("alex"),
            user,
            secret,
            my_tries,
            attempts_this_hour: attempts,
            agency: Some(Email::parse("agency@example.gc.ca").unwrap()),
        }
    }

    fn attempt(hash: &str) -> Attempt {
        Attempt {
            program: Program::Emanifest,
            identifier: identifier(),
            secret_hash: hash.into(),
            owner_contact: business(BusinessStatus::Activated).business.owner_contact,
        }
    }

    #[derive(Debug, PartialEq)]
    enum Expect {
        Opens,
        Recovers,
        Wrong(Refusal),
        Refused(Refusal),
    }

    fn left(attempts_left: u32) -> Expect {
        Expect::Wrong(Refusal::WrongSecret { attempts_left })
    }

    #[test]
    fn activation_table() {
        use SecretStatus::{Issued, Used};
        let too_many = Refusal::TooManyAttempts {
            retry_after_secs: 3600 - (NOW % 3600) as u64,
        };
        let live = || Some(secret(0, Issued, LIVE));
        let cases = [
            (
                "right secret",
                state(Some(user()), live(), None, 0),
                RIGHT,
                Expect::Opens,
            ),
            (
                "the code in hand when a new one was asked for",
                state(Some(user()), live(), None, 0),
                EARLIER,
                Expect::Opens,
            ),
            (
                "4 of my wrong tries, right secret",
                state(Some(user()), live(), mine(3, 4, LIVE), 0),
                RIGHT,
                Expect::Opens,
            ),
            (
                "hundreds of others' wrong tries never lock me out",
                state(Some(user()), Some(secret(500, Issued, LIVE)), None, 0),
                RIGHT,
                Expect::Opens,
            ),
            (
                "wrong secret",
                state(Some(user()), live(), None, 0),
                WRONG,
                left(4),
            ),
            (
                "the third wrong try",
                state(Some(user()), live(), mine(3, 2, LIVE), 0),
                WRONG,
                left(2),
            ),
            (
                "my fifth wrong try locks me",
                state(Some(user()), live(), mine(3, 4, LIVE), 0),
                WRONG,
                Expect::Wrong(Refusal::SecretLocked),
            ),
            (
                "locked, even the right secret",
                state(Some(user()), live(), mine(3, 5, LIVE), 0),
                RIGHT,
                Expect::Refused(Refusal::SecretLocked),
            ),
            (
                "a day after my last wrong try, no longer locked",
                state(Some(user()), live(), mine(3, 5, NOW), 0),
                RIGHT,
                Expect::Opens,
            ),
            (
                "tries against an earlier issue no longer count",
                state(Some(user()), live(), mine(2, 5, LIVE), 0),
                WRONG,
                left(4),
            ),
            (
                "unknown identifier",
                state(Some(user()), None, None, 0),
                RIGHT,
                left(4),
            ),
            (
                "unknown identifier, my fifth try",
                state(Some(user()), None, mine(0, 4, LIVE), 0),
                WRONG,
                Expect::Wrong(Refusal::SecretLocked),
            ),
            (
                "unknown identifier, locked alike",
                state(Some(user()), None, mine(0, 5, LIVE), 0),
                WRONG,
                Expect::Refused(Refusal::SecretLocked),
            ),
            (
                "a recovery secret for the business that holds the identifier",
                state(
                    Some(user()),
                    Some(held(SecretPurpose::Recovery, Issued)),
                    None,
                    0,
                ),
                RIGHT,
                Expect::Recovers,
            ),
            (
                "a used recovery secret",
                state(
                    Some(user()),
                    Some(held(SecretPurpose::Recovery, Used)),
                    None,
                    0,
                ),
                RIGHT,
                Expect::Refused(Refusal::SecretUsed),
            ),
            (
                "an activation secret never takes an active business",
                state(
                    Some(user()),
                    Some(held(SecretPurpose::Activation, Issued)),
                    None,
                    0,
                ),
                RIGHT,
                Expect::Refused(Refusal::SecretUsed),
            ),
            (
                "a wrong secret against a recovery secret is a wrong try",
                state(
                    Some(user()),
                    Some(held(SecretPurpose::Recovery, Issued)),
                    None,
                    0,
                ),
                WRONG,
                left(4),
            ),
            (
                "used secret",
                state(Some(user()), Some(secret(0, Used, LIVE)), None, 0),
                RIGHT,
                Expect::Refused(Refusal::SecretUsed),
            ),
            (
                "expired secret",
                state(Some(user()), Some(secret(0, Issued, NOW)), None, 0),
                RIGHT,
                Expect::Refused(Refusal::SecretExpired),
            ),
            (
                "hourly allowance spent",
                state(Some(user()), live(), None, 20),
                RIGHT,
                Expect::Refused(too_many),
            ),
            (
                "no user account",
                state(None, live(), None, 0),
                RIGHT,
                Expect::Refused(Refusal::NoUserAccount),
            ),
        ];
        for (name, state, hash, expected) in cases {
            let got = match decide(&state, attempt(hash), &mut Fresh::fixed(NOW)) {
                Ok(Activation::Opens { .. }) => Expect::Opens,
                Ok(Activation::Recovers { business_id }) => {
                    assert_eq!(
                        business_id,
                        business(BusinessStatus::Activated).business.business_id
                    );
                    Expect::Recovers
                }
                Ok(Activation::Wrong { refusal, .. }) => Expect::Wrong(refusal),
                Err(refusal) => Expect::Refused(refusal),
            };
            assert_eq!(got, expected, "{name}");
        }
    }

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

    #[test]
    fn opening_makes_the_caller_owner_and_consumes_the_secret() {
        let Ok(Activation::Opens { plan, business_id }) = decide(
            &state(
                Some(user()),
                Some(secret(0, SecretStatus::Issued, NOW + 60)),
                None,
                0,
            ),
            attempt(RIGHT),
            &mut Fresh::fixed(NOW),
        ) else {
            panic!("opens");
        };
        let steps = plan.steps();
        assert_eq!(steps[1].if_refused, Refusal::SecretUsed);
        assert!(
            matches!(&steps[1].change, Change::SecretConsumed { business_id: id, .. } if id == &business_id)
        );
        assert!(plan.changes().any(|c| matches!(c, Change::MemberAdded { member, .. } if member.role == crate::domain::business::Role::Owner && member.urn == urn(9))));
        assert!(plan
            .changes()
            .any(|c| matches!(c, Change::Notice(n) if n.language == Language::Fr)));
        assert!(plan.changes().any(|c| matches!(c, Change::BusinessOpened(b) if b.business.status == BusinessStatus::Activated)));
    }

    #[test]
    fn hashes_compare_whole() {
        assert!(same_hash("abc", "abc"));
        assert!(!same_hash("abc", "abd"));
        assert!(!same_hash("abc", "abcd"));
    }
}
