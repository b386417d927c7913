//! Activation: an identifier and its shared secret open a business account, and the person who
//! typed them becomes its Account Owner. The secret is consumed in the same write that opens
//! the account, so two activations with one secret cannot both win.

use crate::clock::Fresh;
use crate::domain::business::{Business, BusinessAccount, BusinessStatus, OwnerContact, Role};
use crate::domain::identifier::BusinessIdentifier;
use crate::domain::member::{Member, Membership};
use crate::domain::notice::{Notice, NoticeKind};
use crate::domain::onboarding::{IdentifierSecret, SecretStatus};
use crate::domain::plan::{Change, Plan};
use crate::domain::shared_secret::MAX_WRONG_TRIES;
use crate::domain::user::User;
use crate::domain::{BusinessId, Changed, CredentialId, Program, Refusal};

use super::access::{audit_event, business_json};

/// Activation attempts one credential may make in a clock hour, over all identifiers.
pub const MAX_ATTEMPTS_AN_HOUR: u64 = 20;

/// Compared against when an identifier has no secret, so both paths do the same work.
const NO_SECRET: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What the activation read: the caller's account, the identifier's secret, and the caller's
/// attempts this hour.
#[derive(Debug, Clone)]
pub struct ActivationState {
    pub caller: CredentialId,
    pub user: Option<User>,
    pub secret: Option<IdentifierSecret>,
    pub attempts_this_hour: u64,
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
fn hour_of(epoch: i64) -> (i64, u64) {
    let hour = epoch / 3600;
    (hour, ((hour + 1) * 3600 - epoch).max(1) as u64)
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
    // Wrong identifier and wrong secret take the same path: compare, count, refuse alike.
    let stored = state
        .secret
        .as_ref()
        .and_then(|s| s.issue.as_ref())
        .map(|issue| issue.secret_hash.as_str());
    let matches = same_hash(&attempt.secret_hash, stored.unwrap_or(NO_SECRET)) && stored.is_some();
    let failures = state.secret.as_ref().map_or(0, |s| s.failures);
    if failures >= MAX_WRONG_TRIES {
        return Err(Refusal::SecretLocked);
    }
    if !matches {
        let plan =
            Plan::new(Changed::Identifier)
                .with(counted, too_many)
                .and(Change::WrongTryCounted {
                    program: attempt.program,
                    identifier: attempt.identifier,
                });
        let refusal = if failures + 1 >= MAX_WRONG_TRIES {
            Refusal::SecretLocked
        } else {
            Refusal::WrongSecret
        };
        return Ok(Activation::Wrong { plan, refusal });
    }
    let (Some(secret), Some(issue)) = (
        state.secret.as_ref(),
        state.secret.as_ref().and_then(|s| s.issue.as_ref()),
    ) else {
        unreachable!("a matching secret has its issue");
    };
    if secret.secret_status != Some(SecretStatus::Issued) || secret.business_id.is_some() {
        return Err(Refusal::SecretUsed);
    }
    if issue.expires_at <= fresh.now.epoch {
        return Err(Refusal::SecretExpired);
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
    let owner = Member {
        business_id: business_id.clone(),
        urn: user.urn.clone(),
        name: user.name.clone(),
        role: Role::Owner,
        since: now.clone(),
        credential: user.credential.clone(),
        version: 1,
    };
    let membership = Membership::of(&owner, &account);
    let audit = audit_event(
        &business_id,
        &membership,
        &state.caller,
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
                max_wrong_tries: MAX_WRONG_TRIES,
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
    use crate::domain::onboarding::SecretIssue;
    use crate::domain::Language;

    const NOW: i64 = 1_795_000_000;
    const RIGHT: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const WRONG: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    fn user() -> User {
        super::super::accounts::tests::user("alex", 1)
    }

    fn identifier() -> BusinessIdentifier {
        BusinessIdentifier::parse(Program::Emanifest, "8ABC").unwrap()
    }

    /// An issued secret for the identifier: `failures` wrong tries, expiring at `expires_at`.
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
                email: None,
                language: Language::En,
                secret_hash: RIGHT.into(),
                issued_at: "2026-11-01T00:00:00Z".into(),
                expires_at,
            }),
            secret_status: Some(status),
            business_id: None,
        }
    }

    fn state(
        user: Option<User>,
        secret: Option<IdentifierSecret>,
        attempts: u64,
    ) -> ActivationState {
        ActivationState {
            caller: credential("alex"),
            user,
            secret,
            attempts_this_hour: attempts,
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
        Wrong(Refusal),
        Refused(Refusal),
    }

    #[test]
    fn activation_table() {
        use SecretStatus::{Issued, Used};
        let live = NOW + 86_400;
        let too_many = Refusal::TooManyAttempts {
            retry_after_secs: 3600 - (NOW % 3600) as u64,
        };
        let cases = [
            (
                "right secret",
                state(Some(user()), Some(secret(0, Issued, live)), 0),
                RIGHT,
                Expect::Opens,
            ),
            (
                "4 earlier wrong tries, right secret",
                state(Some(user()), Some(secret(4, Issued, live)), 0),
                RIGHT,
                Expect::Opens,
            ),
            (
                "wrong secret",
                state(Some(user()), Some(secret(0, Issued, live)), 0),
                WRONG,
                Expect::Wrong(Refusal::WrongSecret),
            ),
            (
                "the fifth wrong try locks",
                state(Some(user()), Some(secret(4, Issued, live)), 0),
                WRONG,
                Expect::Wrong(Refusal::SecretLocked),
            ),
            (
                "locked, even the right secret",
                state(Some(user()), Some(secret(5, Issued, live)), 0),
                RIGHT,
                Expect::Refused(Refusal::SecretLocked),
            ),
            (
                "unknown identifier",
                state(Some(user()), None, 0),
                RIGHT,
                Expect::Wrong(Refusal::WrongSecret),
            ),
            (
                "used secret",
                state(Some(user()), Some(secret(0, Used, live)), 0),
                RIGHT,
                Expect::Refused(Refusal::SecretUsed),
            ),
            (
                "expired secret",
                state(Some(user()), Some(secret(0, Issued, NOW)), 0),
                RIGHT,
                Expect::Refused(Refusal::SecretExpired),
            ),
            (
                "hourly allowance spent",
                state(Some(user()), Some(secret(0, Issued, live)), 20),
                RIGHT,
                Expect::Refused(too_many),
            ),
            (
                "no user account",
                state(None, Some(secret(0, Issued, live)), 0),
                RIGHT,
                Expect::Refused(Refusal::NoUserAccount),
            ),
        ];
        for (name, state, hash, expected) in cases {
            let got = match decide(&state, attempt(hash), &mut Fresh::fixed(NOW)) {
                Ok(Activation::Opens { .. }) => Expect::Opens,
                Ok(Activation::Wrong { refusal, .. }) => Expect::Wrong(refusal),
                Err(refusal) => Expect::Refused(refusal),
            };
            assert_eq!(got, expected, "{name}");
        }
    }

    #[test]
    fn a_wrong_try_is_counted_on_the_identifier_and_the_hour() {
        let Ok(Activation::Wrong { plan, .. }) = decide(
            &state(Some(user()), None, 3),
            attempt(WRONG),
            &mut Fresh::fixed(NOW),
        ) else {
            panic!("a wrong try");
        };
        let changes: Vec<_> = plan.changes().collect();
        assert!(matches!(
            changes[0],
            Change::AttemptCounted {
                max: MAX_ATTEMPTS_AN_HOUR,
                ..
            }
        ));
        assert!(matches!(changes[1], Change::WrongTryCounted { .. }));
        assert_eq!(changes.len(), 2);
    }

    #[test]
    fn opening_makes_the_caller_owner_and_consumes_the_secret() {
        let Ok(Activation::Opens { plan, business_id }) = decide(
            &state(
                Some(user()),
                Some(secret(0, SecretStatus::Issued, NOW + 60)),
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
        assert!(plan.changes().any(|c| matches!(c, Change::MemberAdded { member, .. } if member.role == Role::Owner && member.urn == urn(9))));
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
