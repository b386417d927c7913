//! Moving a user account to another credential: the account's holder asks for a one-time code
//! (only its keyed hash is kept; a newer code replaces an older one; ten minutes), and another
//! credential with no account of its own claims it within that time.

use crate::clock::{self, Fresh};
use crate::domain::delegation::ActingFor;
use crate::domain::member::Membership;
use crate::domain::notice::{Notice, NoticeKind};
use crate::domain::plan::{Change, Plan};
use crate::domain::user::{CredentialTransferCode, User};
use crate::domain::{Changed, CredentialId, Refusal};

/// How long a credential-transfer code can be claimed.
pub const CODE_LIFETIME_SECS: i64 = 600;

/// `POST /users/me/credential-transfers`: a code for the caller's account, given as its keyed
/// hash. It replaces any earlier code (the account keeps only the newest hash). The account's
/// e-mail is told: the confirmed one, never an address still waiting for its code.
pub fn start(
    user: Option<User>,
    code_hash: String,
    fresh: &mut Fresh,
) -> Result<(Plan, CredentialTransferCode), Refusal> {
    let user = user.ok_or(Refusal::NoUserAccount)?;
    let code = CredentialTransferCode {
        code_hash,
        urn: user.urn.clone(),
        credential: user.credential.clone(),
        expires_at: fresh.now.epoch + CODE_LIFETIME_SECS,
    };
    let notice = Notice::to(
        &user.contact(),
        fresh.id(),
        &fresh.now.rfc3339,
        NoticeKind::CredentialTransferStarted {
            name: user.name.clone(),
            urn: user.urn.clone(),
            expires_at: clock::at(code.expires_at).rfc3339,
        },
    );
    let plan = Plan::new(Changed::AccountForCode)
        .and(Change::CredentialTransferStarted {
            user,
            code: code.clone(),
        })
        .and(Change::Notice(notice));
    Ok((plan, code))
}

/// `POST /credential-transfers/claim`, first read: the code typed (by its hash) and whether the
/// caller has an account. Says whose account the claim is for, before it is read.
pub fn code_to_claim(
    caller_has_account: bool,
    code: Option<CredentialTransferCode>,
    now: i64,
) -> Result<CredentialTransferCode, Refusal> {
    // An account of one's own is the answer whatever the code: it says nothing about the code.
    if caller_has_account {
        return Err(Refusal::AccountExists);
    }
    let code = code.ok_or(Refusal::NoSuchTransferCode)?;
    if code.expires_at <= now {
        return Err(Refusal::TransferCodeExpired);
    }
    Ok(code)
}

/// The claim, once the code's account is read with its memberships: the account, every
/// membership with it, now answers to `caller`; the code is consumed and the account's e-mail
/// is told. Only the account's newest code moves it.
/// Memberships a claim moves in its own write (3 items each, beside the user item, the URN
/// index, the code and the notice: 80 of DynamoDB's 100); `membership-followups` moves the rest.
pub const CLAIM_FIRST_CHUNK: usize = 25;
/// The account's sides of delegations (`ActingFor`) a claim moves in its own write (2 items
/// each: the other 20 of the 100); the follow-up moves the rest, after the memberships.
pub const CLAIM_FIRST_ACTING: usize = 10;

pub fn claim(
    caller: &CredentialId,
    code: &CredentialTransferCode,
    from: Option<User>,
    memberships: Vec<Membership>,
    acting_for: Vec<ActingFor>,
    fresh: &mut Fresh,
) -> Result<(Plan, User), Refusal> {
    // The account moved or closed since the code was made.
    let from = from.ok_or(Refusal::TransferCodeInvalid)?;
    if from.transfer_code_hash.as_deref() != Some(code.code_hash.as_str()) {
        return Err(Refusal::TransferCodeReplaced);
    }
    // A move still finishing would leave its memberships under a credential nobody follows.
    if from.moving_from.is_some() {
        return Err(Refusal::AccountStillMoving);
    }
    // Only the account's own memberships move (another URN's, left here by an earlier account
    // of this credential that moved away, belong to that account's move).
    let mut memberships: Vec<Membership> = memberships
        .into_iter()
        .filter(|m| m.urn == from.urn)
        .collect();
    // The same for the delegations the person acts under: they act for the same businesses
    // from the new credential.
    let mut acting_for: Vec<ActingFor> = acting_for
        .into_iter()
        .filter(|a| a.urn == from.urn)
        .collect();
    let more = memberships.len() > CLAIM_FIRST_CHUNK || acting_for.len() > CLAIM_FIRST_ACTING;
    memberships.truncate(CLAIM_FIRST_CHUNK);
    acting_for.truncate(CLAIM_FIRST_ACTING);
    let to = User {
        credential: caller.clone(),
        version: from.version + 1,
        transfer_code_hash: None,
        moving_from: more.then(|| from.credential.clone()),
        active_day: Some(super::dormancy::day_of(fresh.now.epoch)),
        ..from.clone()
    };
    let notice = Notice::to(
        &from.contact(),
        fresh.id(),
        &fresh.now.rfc3339,
        NoticeKind::CredentialTransferred {
            name: from.name.clone(),
            urn: from.urn.clone(),
        },
    );
    let plan = Plan::new(Changed::AccountOrCredential)
        .and(Change::UserMoved {
            from,
            to: Box::new(to.clone()),
            memberships,
            acting_for,
        })
        .and(Change::Notice(notice));
    Ok((plan, to))
}

#[cfg(test)]
mod tests {
    use super::super::access::tests::{business, credential, member, urn};
    use super::super::accounts::tests::{user, NOW};
    use super::*;
    use crate::domain::business::{BusinessStatus, Role};

    const HASH: &str = "c0de";

    fn code(expires_at: i64) -> CredentialTransferCode {
        CredentialTransferCode {
            code_hash: HASH.into(),
            urn: user("old", 1).urn,
            credential: credential("old"),
            expires_at,
        }
    }

    fn holding(hash: Option<&str>) -> User {
        User {
            transfer_code_hash: hash.map(Into::into),
            ..user("old", 3)
        }
    }

    #[test]
    fn a_code_lives_ten_minutes_for_the_callers_account() {
        let waiting = User {
            pending_email: Some(Box::new(crate::domain::user::PendingEmail {
                email: crate::domain::Email::parse("new@example.com").unwrap(),
                code_hash: "e".into(),
                expires_at: NOW + 60,
                wrong_tries: 0,
            })),
            ..user("old", 3)
        };
        let cases = [
            (Some(user("old", 3)), Ok(NOW + 600)),
            // A new address not yet confirmed is not told: the account's e-mail is.
            (Some(waiting), Ok(NOW + 600)),
            (None, Err(Refusal::NoUserAccount)),
        ];
        for (me, expected) in cases {
            let got = start(me, HASH.into(), &mut Fresh::fixed(NOW));
            assert_eq!(
                got.as_ref()
                    .map(|(_, c)| c.expires_at)
                    .map_err(Clone::clone),
                expected
            );
            if let Ok((plan, code)) = got {
                assert_eq!(code.credential, credential("old"));
                assert!(matches!(
                    &plan.steps()[0],
                    crate::domain::plan::Step {
                        change: Change::CredentialTransferStarted { user, code: c },
                        if_refused: Refusal::ChangedMeanwhile(Changed::AccountForCode),
                    } if user.version == 3 && c == &code
                ));
                assert!(matches!(
                    &plan.steps()[1].change,
                    Change::Notice(Notice { to, kind: NoticeKind::CredentialTransferStarted { expires_at, .. }, .. })
                        if to.as_str() == "alex@example.com" && *expires_at == clock::at(NOW + 600).rfc3339
                ));
                assert_eq!(plan.steps().len(), 2);
            }
        }
    }

    #[test]
    fn code_table() {
        let cases = [
            ("live code", false, Some(code(NOW + 1)), Ok(())),
            (
                "the caller has an account",
                true,
                Some(code(NOW + 1)),
                Err(Refusal::AccountExists),
            ),
            (
                "an account and no such code",
                true,
                None,
                Err(Refusal::AccountExists),
            ),
            (
                "unknown code",
                false,
                None,
                Err(Refusal::NoSuchTransferCode),
            ),
            (
                "expired this second",
                false,
                Some(code(NOW)),
                Err(Refusal::TransferCodeExpired),
            ),
        ];
        for (name, has_account, code, expected) in cases {
            let got = code_to_claim(has_account, code, NOW).map(|_| ());
            assert_eq!(got, expected, "{name}");
        }
    }

    #[test]
    fn claim_table() {
        let cases = [
            ("the newest code", Some(holding(Some(HASH))), Ok(4)),
            (
                "replaced by a newer code",
                Some(holding(Some("newer"))),
                Err(Refusal::TransferCodeReplaced),
            ),
            (
                "the account no longer holds a code",
                Some(holding(None)),
                Err(Refusal::TransferCodeReplaced),
            ),
            (
                "the account moved away",
                None,
                Err(Refusal::TransferCodeInvalid),
            ),
        ];
        for (name, from, expected) in cases {
            let got = claim(
                &credential("new"),
                &code(NOW + 60),
                from,
                vec![],
                vec![],
                &mut Fresh::fixed(NOW),
            );
            assert_eq!(
                got.as_ref().map(|(_, u)| u.version).map_err(Clone::clone),
                expected,
                "{name}"
            );
        }
    }

    /// `n` memberships of the account (URN 9) under the old credential, in different
    /// businesses.
    fn memberships_of_the_account(roles: &[Role]) -> Vec<Membership> {
        let b = business(BusinessStatus::Authorized);
        roles
            .iter()
            .enumerate()
            .map(|(i, role)| {
                let mut m = Membership::of(&member(9, *role), &b);
                m.business_id = crate::domain::BusinessId::from_random(&[i as u8; 20]);
                m.credential = credential("old");
                m
            })
            .collect()
    }

    /// `n` sides of delegations of the account (URN 9) under the old credential.
    fn acting_for_the_account(n: usize) -> Vec<ActingFor> {
        (0..n)
            .map(|i| ActingFor {
                credential: credential("old"),
                urn: urn(9),
                delegation_id: crate::domain::ids::DelegationId::from_random(&[i as u8; 20]),
                business_id: crate::domain::BusinessId::from_random(&[i as u8 + 100; 20]),
                through_business_id: crate::domain::BusinessId::from_random(&[7; 20]),
                through_legal_name: None,
            })
            .collect()
    }

    /// A claim moves at most `CLAIM_FIRST_ACTING` sides of delegations itself; more ask for
    /// the follow-up as memberships do.
    #[test]
    fn sides_of_delegations_move_in_a_first_chunk_too() {
        let cases = [
            (0, 0, (0, false)),
            (1, 3, (3, false)),
            (0, CLAIM_FIRST_ACTING, (CLAIM_FIRST_ACTING, false)),
            (0, CLAIM_FIRST_ACTING + 1, (CLAIM_FIRST_ACTING, true)),
            (CLAIM_FIRST_CHUNK + 1, 2, (2, true)),
        ];
        for (memberships, acting, expected) in cases {
            let (plan, to) = claim(
                &credential("new"),
                &code(NOW + 60),
                Some(holding(Some(HASH))),
                memberships_of_the_account(&vec![Role::User; memberships]),
                acting_for_the_account(acting),
                &mut Fresh::fixed(NOW),
            )
            .unwrap();
            let moved = match &plan.steps()[0].change {
                Change::UserMoved { acting_for, .. } => acting_for.len(),
                _ => panic!("the account moves first"),
            };
            let more = to.moving_from.as_ref() == Some(&credential("old"));
            assert_eq!(
                (moved, more),
                expected,
                "{memberships} memberships, {acting} sides"
            );
        }
    }

    /// A claim moves at most `CLAIM_FIRST_CHUNK` memberships itself and says where the rest
    /// are (`moving_from`); only the account's own memberships move; an account still moving
    /// cannot be claimed again.
    #[test]
    fn big_accounts_move_a_first_chunk_and_leave_the_rest_to_the_follow_up() {
        let moved_now = |plan: &Plan| match &plan.steps()[0].change {
            Change::UserMoved { memberships, .. } => memberships.len(),
            _ => panic!("the account moves first"),
        };
        let mut another_urn = memberships_of_the_account(&[Role::User]);
        another_urn[0].urn = urn(5);
        let cases = [
            (0, vec![], Ok((0, false))),
            (CLAIM_FIRST_CHUNK, vec![], Ok((CLAIM_FIRST_CHUNK, false))),
            (CLAIM_FIRST_CHUNK + 1, vec![], Ok((CLAIM_FIRST_CHUNK, true))),
            (40, vec![], Ok((CLAIM_FIRST_CHUNK, true))),
            (2, another_urn, Ok((2, false))),
        ];
        for (n, extra, expected) in cases {
            let mut memberships = memberships_of_the_account(&vec![Role::User; n]);
            memberships.extend(extra);
            let got = claim(
                &credential("new"),
                &code(NOW + 60),
                Some(holding(Some(HASH))),
                memberships,
                vec![],
                &mut Fresh::fixed(NOW),
            )
            .map(|(plan, to)| {
                let more = to.moving_from.as_ref() == Some(&credential("old"));
                (moved_now(&plan), more)
            });
            assert_eq!(got, expected, "{n} memberships");
        }
        let still_moving = User {
            moving_from: Some(credential("older")),
            ..holding(Some(HASH))
        };
        let got = claim(
            &credential("new"),
            &code(NOW + 60),
            Some(still_moving),
            vec![],
            vec![],
            &mut Fresh::fixed(NOW),
        );
        assert_eq!(got.unwrap_err(), Refusal::AccountStillMoving);
    }

    #[test]
    fn every_membership_moves_with_the_account() {
        let memberships = memberships_of_the_account(&[Role::Owner, Role::Proxy, Role::User]);
        let mut acting = acting_for_the_account(2);
        let mut another = acting_for_the_account(1);
        another[0].urn = urn(5);
        acting.extend(another);
        let (plan, to) = claim(
            &credential("new"),
            &code(NOW + 60),
            Some(holding(Some(HASH))),
            memberships.clone(),
            acting.clone(),
            &mut Fresh::fixed(NOW),
        )
        .unwrap();
        assert_eq!(to.credential, credential("new"));
        assert_eq!(to.transfer_code_hash, None);
        assert_eq!(
            (to.urn.clone(), to.created_at.clone()),
            (holding(None).urn, holding(None).created_at)
        );
        let steps = plan.steps();
        let Change::UserMoved {
            from,
            to: moved,
            memberships: moving,
            acting_for: acting_moving,
        } = &steps[0].change
        else {
            panic!("the account moves first");
        };
        // The old account as read, with the code it must still hold at the write.
        assert_eq!(from, &holding(Some(HASH)));
        assert_eq!(**moved, to);
        assert_eq!(moving, &memberships);
        // Its sides of delegations move too; another URN's stays.
        assert_eq!(acting_moving, &acting[..2]);
        assert!(matches!(
            &steps[1].change,
            Change::Notice(Notice { kind: NoticeKind::CredentialTransferred { .. }, to, .. }) if to == &holding(None).email
        ));
        assert!(steps
            .iter()
            .all(|s| s.if_refused == Refusal::ChangedMeanwhile(Changed::AccountOrCredential)));
    }
}
