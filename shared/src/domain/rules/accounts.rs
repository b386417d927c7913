//! User accounts: one per credential, each with its own URN, on the portal's current terms; the
//! profile changes only from the version read.

use crate::clock::Fresh;
use crate::domain::commands::{NewUser, UserPatch};
use crate::domain::notice::{Notice, NoticeKind};
use crate::domain::plan::{Change, Plan};
use crate::domain::user::{UrnEntry, User};
use crate::domain::{Changed, CredentialId, Refusal, Urn, PORTAL_TERMS_VERSION};

use super::email_change::{self, EmailAsked};

/// `POST /users`: a user account for `caller` with the drawn `urn`, and the notice that tells
/// them their URN. The credential must have no account yet and nobody may hold the URN; the
/// write checks both, and a taken URN (`UrnTaken`) is the use case's to draw again.
pub fn open(
    caller: &CredentialId,
    new: NewUser,
    urn: Urn,
    fresh: &mut Fresh,
) -> Result<(Plan, User), Refusal> {
    if new.terms_version != PORTAL_TERMS_VERSION {
        return Err(Refusal::PortalTermsNotCurrent);
    }
    let now = fresh.now.rfc3339.clone();
    let user = User {
        credential: caller.clone(),
        urn,
        name: new.name,
        email: new.email,
        phone: new.phone,
        language: new.language,
        terms_version: new.terms_version,
        created_at: now.clone(),
        updated_at: now.clone(),
        version: 1,
        transfer_code_hash: None,
        moving_from: None,
        pending_email: None,
        active_day: Some(super::dormancy::day_of(fresh.now.epoch)),
        retired_at: None,
        undeliverable: None,
    };
    let notice = Notice::to(
        &user.contact(),
        fresh.id(),
        &now,
        NoticeKind::UrnConfirmation {
            name: user.name.clone(),
            urn: user.urn.clone(),
        },
    );
    // The account first: when both fail, the credential's own account is the answer, not a
    // URN draw. A collision with another request can only be another create for the same
    // credential (the URN is fresh), hence `Changed::Credential`.
    let plan = Plan::new(Changed::Credential)
        .with(Change::UserCreated(user.clone()), Refusal::AccountExists)
        .with(Change::UrnClaimed(UrnEntry::of(&user)), Refusal::UrnTaken)
        .and(Change::Notice(notice));
    Ok((plan, user))
}

/// The caller's own account, or 404 (they are told to create one).
pub fn own(user: Option<User>) -> Result<User, Refusal> {
    user.ok_or(Refusal::NoUserAccount)
}

/// `PATCH /users/me`: the profile as patched, its version moved on; written only over the
/// version read, so a change made meanwhile is never lost (the URN index follows). A new
/// address (`asked`, taken out of the patch with its drawn code) waits for its code
/// (`email_change::ask`), with its notices.
pub fn change_profile(
    user: Option<User>,
    patch: UserPatch,
    asked: Option<EmailAsked>,
    fresh: &mut Fresh,
) -> Result<(Plan, User), Refusal> {
    let mut after = patch.apply(own(user)?, &fresh.now.rfc3339);
    let notices = match asked {
        Some(asked) => email_change::ask(&mut after, asked, fresh),
        None => Vec::new(),
    };
    let mut plan = Plan::new(Changed::UserAccount).and(Change::ProfileChanged {
        user: after.clone(),
    });
    for notice in notices {
        plan.add(Change::Notice(notice));
    }
    Ok((plan, after))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::access::tests::{credential, urn};
    use super::*;
    use crate::domain::{Email, Language, PersonName, PhoneNumber};

    pub const NOW: i64 = 1_795_000_000;

    pub fn user(sub: &str, version: u64) -> User {
        User {
            credential: credential(sub),
            urn: urn(9),
            name: PersonName::parse("Alex Tremblay").unwrap(),
            email: Email::parse("alex@example.com").unwrap(),
            phone: PhoneNumber::parse("+1 613 555 0100").unwrap(),
            language: Language::Fr,
            terms_version: PORTAL_TERMS_VERSION.into(),
            created_at: "2026-11-01T00:00:00Z".into(),
            updated_at: "2026-11-01T00:00:00Z".into(),
            version,
            transfer_code_hash: None,
            moving_from: None,
            pending_email: None,
            active_day: None,
            retired_at: None,
            undeliverable: None,
        }
    }

    fn new_user(terms_version: &str) -> NewUser {
        NewUser {
            name: PersonName::parse("Camille Roy").unwrap(),
            email: Email::parse("camille@example.com").unwrap(),
            phone: PhoneNumber::parse("+1 819 555 0199").unwrap(),
            language: Language::En,
            terms_version: terms_version.into(),
        }
    }

    #[test]
    fn open_table() {
        let cases = [
            (PORTAL_TERMS_VERSION, Ok(())),
            ("2019-01", Err(Refusal::PortalTermsNotCurrent)),
            ("", Err(Refusal::PortalTermsNotCurrent)),
        ];
        for (terms, expected) in cases {
            let got = open(
                &credential("camille"),
                new_user(terms),
                urn(5),
                &mut Fresh::fixed(NOW),
            );
            assert_eq!(got.as_ref().map(|_| ()).map_err(Clone::clone), expected);
        }
    }

    #[test]
    fn a_new_account_is_one_per_credential_with_a_urn_of_its_own_and_its_notice() {
        let (plan, user) = open(
            &credential("camille"),
            new_user(PORTAL_TERMS_VERSION),
            urn(5),
            &mut Fresh::fixed(NOW),
        )
        .unwrap();
        assert_eq!((user.version, &user.urn), (1, &urn(5)));
        assert_eq!(user.credential, credential("camille"));
        let steps = plan.steps();
        // (what is written, what its failed condition means), in the order that decides
        // which refusal wins.
        let expected = [
            (Change::UserCreated(user.clone()), Refusal::AccountExists),
            (Change::UrnClaimed(UrnEntry::of(&user)), Refusal::UrnTaken),
        ];
        for (i, (change, refusal)) in expected.into_iter().enumerate() {
            assert_eq!(
                (&steps[i].change, &steps[i].if_refused),
                (&change, &refusal)
            );
        }
        assert!(matches!(
            &steps[2].change,
            Change::Notice(Notice { kind: NoticeKind::UrnConfirmation { urn: u, .. }, language: Language::En, .. }) if u == &urn(5)
        ));
        assert_eq!(steps.len(), 3);
        assert_eq!(
            plan.meanwhile(),
            Refusal::ChangedMeanwhile(Changed::Credential)
        );
    }

    fn asked(address: &str) -> EmailAsked {
        EmailAsked {
            email: Email::parse(address).unwrap(),
            code: email_change::DrawnCode {
                hash: "h".into(),
                sealed: "5ea1ed".into(),
            },
        }
    }

    #[test]
    fn profile_table() {
        let patch = |language| UserPatch {
            phone: Some(PhoneNumber::parse("+1 819 555 0199").unwrap()),
            language,
            ..UserPatch::default()
        };
        // (account, patch, new address asked, (version, language, pending address) or the
        // refusal, notices written with it)
        let cases = [
            (
                Some(user("alex", 4)),
                patch(None),
                None,
                Ok((5, Language::Fr, None)),
                0,
            ),
            (
                Some(user("alex", 1)),
                patch(Some(Language::En)),
                None,
                Ok((2, Language::En, None)),
                0,
            ),
            // A new address waits for its code; the rest changes at once.
            (
                Some(user("alex", 1)),
                patch(Some(Language::En)),
                Some(asked("new@example.com")),
                Ok((2, Language::En, Some("new@example.com"))),
                2,
            ),
            (
                Some(user("alex", 1)),
                patch(None),
                Some(asked("alex@example.com")),
                Ok((2, Language::Fr, None)),
                0,
            ),
            (None, patch(None), None, Err(Refusal::NoUserAccount), 0),
            (
                None,
                patch(None),
                Some(asked("new@example.com")),
                Err(Refusal::NoUserAccount),
                0,
            ),
        ];
        for (i, (before, patch, asked, expected, notices)) in cases.into_iter().enumerate() {
            let got = change_profile(before, patch, asked, &mut Fresh::fixed(NOW));
            assert_eq!(
                got.as_ref()
                    .map(|(_, u)| (
                        u.version,
                        u.language,
                        u.pending_email.as_ref().map(|p| p.email.as_str())
                    ))
                    .map_err(Clone::clone),
                expected,
                "case {i}"
            );
            let Ok((plan, after)) = got else { continue };
            // The e-mail itself never changes here: only a confirmed code changes it.
            assert_eq!(after.email.as_str(), "alex@example.com", "case {i}");
            assert_eq!(after.phone.as_str(), "+18195550199", "case {i}");
            assert_eq!(after.updated_at, Fresh::fixed(NOW).now.rfc3339, "case {i}");
            assert_eq!(after.created_at, "2026-11-01T00:00:00Z", "case {i}");
            // The write is over the version read: `ProfileChanged` carries the next one.
            let steps = plan.steps();
            assert_eq!(
                (&steps[0].change, &steps[0].if_refused),
                (
                    &Change::ProfileChanged {
                        user: after.clone()
                    },
                    &Refusal::ChangedMeanwhile(Changed::UserAccount)
                ),
                "case {i}"
            );
            assert_eq!(steps.len(), 1 + notices, "case {i}");
            assert!(
                steps[1..]
                    .iter()
                    .all(|s| matches!(s.change, Change::Notice(_))),
                "case {i}"
            );
        }
    }

    #[test]
    fn a_patch_keeps_a_live_transfer_code() {
        let mut before = user("alex", 2);
        before.transfer_code_hash = Some("h".into());
        let (_, after) = change_profile(
            Some(before),
            UserPatch::default(),
            None,
            &mut Fresh::fixed(NOW),
        )
        .unwrap();
        assert_eq!(after.transfer_code_hash.as_deref(), Some("h"));
    }
}
