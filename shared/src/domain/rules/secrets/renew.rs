//! `POST /activation-code-requests`: a new code for an identifier, at most once a day, keeping
//! the codes in hand.

use super::{
    new_secret, DrawnSecret, Kept, LetterOf, OnFile, MAX_CODE_REQUESTS_AN_HOUR, NEW_CODE_EVERY_SECS,
};
use crate::clock::Fresh;
use crate::domain::identifier::BusinessIdentifier;
use crate::domain::notice::{Notice, NoticeKind};
use crate::domain::onboarding::{EarlierCode, IdentifierSecret, SecretPurpose, SecretStatus};
use crate::domain::plan::{Change, Plan};
use crate::domain::user::User;
use crate::domain::{Changed, CredentialId, Program, Refusal};

/// What `POST /activation-code-requests` read: who asks, the identifier's secret, how many
/// codes the caller asked for this hour, and whether the letter with the identifier's newest
/// code is known to be mailed (the code is in someone's hand then).
#[derive(Debug, Clone)]
pub struct CodeRequest<'a> {
    pub caller: &'a CredentialId,
    pub program: Program,
    pub identifier: &'a BusinessIdentifier,
    pub user: Option<&'a User>,
    pub current: Option<&'a IdentifierSecret>,
    pub requests_this_hour: u64,
    pub letter_mailed: bool,
}

/// `POST /activation-code-requests`: where the identifier has a secret on file and no business
/// account, and no new code was asked for in the last day, a new one goes where the old one
/// went, and the contact on file is told. Codes in hand keep working; an unmailed letter is
/// withdrawn. Every request is counted on the caller's hour, whatever the identifier, so each
/// writes alike; past the allowance, or otherwise, nothing else is written, and the caller is
/// told the same: the answer must not say which identifiers exist.
pub fn renew(
    request: &CodeRequest<'_>,
    drawn: DrawnSecret,
    fresh: &mut Fresh,
) -> Result<Plan, Refusal> {
    request.user.ok_or(Refusal::NoUserAccount)?;
    let now = fresh.now.epoch;
    let mut plan = Plan::new(Changed::Identifier);
    plan.add(Change::CodeRequestCounted {
        credential: request.caller.clone(),
        hour: now / 3600,
    });
    let sends = request.requests_this_hour < MAX_CODE_REQUESTS_AN_HOUR;
    let current = request.current.filter(|c| {
        sends
            && !c.phantom
            && c.business_id.is_none()
            && c.renewed_at
                .is_none_or(|at| at + NEW_CODE_EVERY_SECS <= now)
    });
    let (Some(current), Some(on_file)) = (current, current.and_then(|c| c.issue.clone())) else {
        plan.add(Change::IdentifierUnchanged {
            program: request.program,
            identifier: request.identifier.clone(),
            version: request.current.map_or(0, |c| c.version),
        });
        return Ok(plan);
    };
    // Codes someone holds stay good: the earlier ones still live, and the newest unless its
    // letter is still waiting to be mailed (that letter is withdrawn instead).
    let in_hand = current.secret_status == Some(SecretStatus::Issued);
    let newest_in_hand = current.letter_id.is_none() || request.letter_mailed;
    let newest = EarlierCode {
        secret_hash: on_file.secret_hash.clone(),
        expires_at: on_file.expires_at,
    };
    let earlier = current
        .earlier
        .iter()
        .cloned()
        .chain(newest_in_hand.then_some(newest))
        .filter(|c| in_hand && c.expires_at > now)
        .collect();
    let kept = Kept {
        issue_no: current.issue_no,
        failures: current.failures,
        reported_day: current.reported_day,
        earlier,
        renewed_at: Some(now),
        // Renewed only while no business account holds the identifier.
        business_id: None,
        purpose: SecretPurpose::Activation,
    };
    let withdraw = current.letter_id.clone().filter(|_| !request.letter_mailed);
    let refusal = plan.meanwhile();
    let on_file = OnFile::from(on_file);
    let told = on_file.email.clone().map(|email| {
        Notice::new(
            fresh.id(),
            &email,
            on_file.language,
            &fresh.now.rfc3339,
            NoticeKind::NewCodeRequested {
                program: on_file.program,
                legal_name: on_file.legal_name.clone(),
                business_identifier: on_file.identifier.as_str().to_owned(),
            },
        )
    });
    new_secret(
        &mut plan,
        on_file,
        Some(current),
        kept,
        withdraw,
        refusal,
        drawn,
        LetterOf::default(),
        fresh,
    );
    if let Some(notice) = told {
        plan.add(Change::Notice(notice));
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::super::*;
    use super::*;

    fn request<'a>(
        user: Option<&'a User>,
        current: Option<&'a IdentifierSecret>,
        caller: &'a CredentialId,
    ) -> CodeRequest<'a> {
        CodeRequest {
            caller,
            program: Program::Emanifest,
            identifier: IDENTIFIER.get_or_init(|| identifier(Program::Emanifest)),
            user,
            current,
            requests_this_hour: 0,
            letter_mailed: false,
        }
    }

    #[test]
    fn new_code_table() {
        let me = applicant();
        let caller = crate::domain::rules::access::tests::credential("alex");
        let renewed = |at: i64| IdentifierSecret {
            renewed_at: Some(at),
            ..current(3, 0, "issued")
        };
        // (caller's account, what the identifier holds, expected: Err, or the version replaced)
        let cases = [
            (
                "no account",
                None,
                Some(current(3, 0, "issued")),
                Err(Refusal::NoUserAccount),
            ),
            ("unknown identifier", Some(&me), None, Ok(None)),
            (
                "wrong tries only",
                Some(&me),
                Some(current(0, 2, "phantom")),
                Ok(None),
            ),
            (
                "activated",
                Some(&me),
                Some(current(4, 0, "activated")),
                Ok(None),
            ),
            (
                "issued",
                Some(&me),
                Some(current(3, 4, "issued")),
                Ok(Some(3)),
            ),
            (
                "the business account closed",
                Some(&me),
                Some(current(5, 0, "used")),
                Ok(Some(5)),
            ),
            (
                "a new code was sent an hour ago",
                Some(&me),
                Some(renewed(NOW - 3600)),
                Ok(None),
            ),
            (
                "a new code was sent a day ago",
                Some(&me),
                Some(renewed(NOW - 86_400)),
                Ok(Some(3)),
            ),
        ];
        for (name, who, current, expected) in cases {
            let got = renew(
                &request(who, current.as_ref(), &caller),
                drawn(),
                &mut Fresh::fixed(NOW),
            );
            let got = got.map(|plan| {
                // Every request is counted on the caller's hour, first: each writes alike.
                assert_eq!(
                    plan.steps()[0].change,
                    Change::CodeRequestCounted {
                        credential: caller.clone(),
                        hour: NOW / 3600
                    },
                    "{name}"
                );
                // A request that sends nothing writes alike: the identifier is checked instead.
                let sent = !matches!(
                    plan.steps().last().map(|s| &s.change),
                    Some(Change::IdentifierUnchanged { .. })
                );
                assert_eq!(plan.steps().len() > 2, sent, "{name}");
                sent.then(|| {
                    let (secret, replacing) = issued_secret(&plan);
                    assert_eq!(replacing.map(|v| v + 1), Some(secret.version), "{name}");
                    // The same issue: the tries counted on it still count.
                    let read = current.as_ref().unwrap();
                    assert_eq!(
                        (secret.issue_no, secret.failures, secret.renewed_at),
                        (read.issue_no, read.failures, Some(NOW)),
                        "{name}"
                    );
                    // Where the old one went: the address on file, by e-mail for eManifest,
                    // and the contact is told a new code was asked for.
                    let kinds: Vec<_> = plan
                        .changes()
                        .filter_map(|c| match c {
                            Change::Notice(n) => {
                                assert_eq!(n.to.as_str(), "contact@example.com");
                                Some(std::mem::discriminant(&n.kind))
                            }
                            _ => None,
                        })
                        .collect();
                    assert_eq!(kinds.len(), 2, "{name}");
                    assert_ne!(kinds[0], kinds[1], "{name}");
                    replacing.unwrap()
                })
            });
            assert_eq!(got, expected, "{name}");
        }
    }

    #[test]
    fn past_the_hourly_allowance_a_request_only_counts() {
        let caller = crate::domain::rules::access::tests::credential("alex");
        let me = applicant();
        let current = current(3, 0, "issued");
        let mut asked = request(Some(&me), Some(&current), &caller);
        asked.requests_this_hour = MAX_CODE_REQUESTS_AN_HOUR;
        let plan = renew(&asked, drawn(), &mut Fresh::fixed(NOW)).unwrap();
        let changes: Vec<_> = plan.changes().collect();
        assert!(matches!(
            changes[..],
            [
                Change::CodeRequestCounted { .. },
                Change::IdentifierUnchanged { version: 3, .. }
            ]
        ));
    }

    #[test]
    fn a_new_code_keeps_the_codes_in_hand_and_withdraws_an_unmailed_letter() {
        let caller = crate::domain::rules::access::tests::credential("alex");
        let me = applicant();
        let earlier = |hash: &str, expires_at: i64| EarlierCode {
            secret_hash: hash.into(),
            expires_at,
        };
        let letter = LetterId::from_random(&[5; 20]);
        let with = |letter_id: Option<LetterId>, status: &str| IdentifierSecret {
            letter_id,
            earlier: vec![earlier("kept", NOW + 60), earlier("expired", NOW)],
            ..current(3, 0, status)
        };
        // (what the identifier holds, its letter known mailed, expected: codes still good
        // besides the new one, and the letter withdrawn)
        let cases = [
            (
                "e-mailed: the newest code is in hand",
                with(None, "issued"),
                false,
                (vec!["kept", "old"], None),
            ),
            (
                "its letter is not mailed yet: withdrawn, its code dies",
                with(Some(letter.clone()), "issued"),
                false,
                (vec!["kept"], Some(letter.clone())),
            ),
            (
                "its letter is mailed: in hand",
                with(Some(letter.clone()), "issued"),
                true,
                (vec!["kept", "old"], None),
            ),
            (
                "used (the business closed): no code is good any more",
                with(Some(letter.clone()), "used"),
                false,
                (vec![], Some(letter.clone())),
            ),
        ];
        for (name, current, mailed, (codes, withdrawn)) in cases {
            let mut asked = request(Some(&me), Some(&current), &caller);
            asked.letter_mailed = mailed;
            let plan = renew(&asked, drawn(), &mut Fresh::fixed(NOW)).unwrap();
            let (secret, _) = issued_secret(&plan);
            let good: Vec<_> = secret
                .earlier
                .iter()
                .map(|c| c.secret_hash.as_str())
                .collect();
            assert_eq!(good, codes, "{name}");
            let step = plan
                .steps()
                .iter()
                .find(|s| matches!(s.change, Change::LetterReplaced { .. }));
            assert_eq!(
                step.map(|s| (&s.change, &s.if_refused)),
                withdrawn
                    .map(|letter_id| Change::LetterReplaced {
                        letter_id,
                        at: Fresh::fixed(NOW).now.rfc3339,
                    })
                    .as_ref()
                    .map(|c| (c, &Refusal::LetterAlreadyMailed)),
                "{name}"
            );
        }
    }
}
