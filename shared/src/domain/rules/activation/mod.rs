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
use crate::domain::shared_secret::MAX_WRONG_TRIES;
use crate::domain::user::User;
use crate::domain::{BusinessId, Changed, CredentialId, Email, Program, Refusal};

use crate::domain::rules::access::{audit_event, business_json, Actor};

#[cfg(test)]
mod fixtures;
mod tries;

use tries::{matching_code, my_count, wrong};

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
    use super::fixtures::*;
    use super::*;

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
