//! Shared secrets (activation codes): issued by an agency officer, by a TTP registration, or on
//! a request for a new code. A new secret replaces the earlier unused one and clears its
//! counted tries; none is issued while a business account holds the identifier. It travels by
//! e-mail notice or by letter, as the program says, sealed until delivered.
//!
//! The use case draws the secret and hashes and seals it with the pepper; the decisions here
//! get the keyed hash and the sealed text only.

use crate::clock::Fresh;
use crate::domain::business::{LegalName, MailingAddress};
use crate::domain::commands::{RegistrationOrder, SecretOrder};
use crate::domain::identifier::BusinessIdentifier;
use crate::domain::notice::{Notice, NoticeKind};
use crate::domain::onboarding::{
    IdentifierSecret, Letter, LetterStatus, Registration, SecretIssue, SecretStatus,
};
use crate::domain::plan::{Change, Plan};
use crate::domain::programs::Delivery;
use crate::domain::user::User;
use crate::domain::{Changed, Email, Language, LetterId, Program, Refusal};

const SECONDS_A_DAY: i64 = 86_400;

/// What the agency has on file for an identifier: where and how its secret goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnFile {
    pub program: Program,
    pub identifier: BusinessIdentifier,
    pub legal_name: LegalName,
    pub mailing_address: MailingAddress,
    pub email: Option<Email>,
    pub language: Language,
}

impl From<SecretOrder> for OnFile {
    fn from(order: SecretOrder) -> Self {
        Self {
            program: order.program,
            identifier: order.identifier,
            legal_name: order.legal_name,
            mailing_address: order.mailing_address,
            email: order.email,
            language: order.language,
        }
    }
}

impl From<SecretIssue> for OnFile {
    fn from(issue: SecretIssue) -> Self {
        Self {
            program: issue.program,
            identifier: issue.identifier,
            legal_name: issue.legal_name,
            mailing_address: issue.mailing_address,
            email: issue.email,
            language: issue.language,
        }
    }
}

/// A secret the use case drew: its keyed hash (kept, to check activations against) and the
/// secret sealed with the pepper (carried by the letter or the notice until delivered).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawnSecret {
    pub hash: String,
    pub sealed: String,
}

/// A new secret: the plan that writes it with its delivery, when it expires, and how it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    pub plan: Plan,
    pub expires_at: i64,
    pub delivery: Delivery,
    /// The letter that carries it, when it goes by letter.
    pub letter_id: Option<LetterId>,
}

/// `POST /agency/shared-secrets`: a new secret for what the officer put on file, replacing the
/// `current` one unless a business account holds the identifier.
pub fn issue(
    current: Option<&IdentifierSecret>,
    order: SecretOrder,
    drawn: DrawnSecret,
    fresh: &mut Fresh,
) -> Result<Issued, Refusal> {
    if current.is_some_and(|c| c.business_id.is_some()) {
        return Err(Refusal::BusinessActiveForIdentifier);
    }
    let mut plan = Plan::new(Changed::Identifier);
    let refusal = plan.meanwhile();
    let (expires_at, delivery, letter_id) =
        new_secret(&mut plan, order.into(), current, refusal, drawn, fresh);
    Ok(Issued {
        plan,
        expires_at,
        delivery,
        letter_id,
    })
}

/// `POST /registrations`: a TTP applicant registers a Business Number, once, and gets the
/// drawn Client Number; its secret goes by letter. A taken Client Number (`ClientNumberTaken`)
/// is the use case's to draw again.
pub fn register(
    user: Option<&User>,
    order: &RegistrationOrder,
    client_number: BusinessIdentifier,
    drawn: DrawnSecret,
    fresh: &mut Fresh,
) -> Result<Plan, Refusal> {
    let user = user.ok_or(Refusal::NoUserAccount)?;
    let registration = Registration {
        business_number: order.business_number.as_str().to_owned(),
        client_number: client_number.clone(),
        registered_by: user.urn.clone(),
        registered_at: fresh.now.rfc3339.clone(),
    };
    let on_file = OnFile {
        program: Program::Ttp,
        identifier: client_number,
        legal_name: order.legal_name.clone(),
        mailing_address: order.mailing_address.clone(),
        email: None,
        language: user.language,
    };
    // The Business Number first: registered already is the answer even if the draw was
    // taken too.
    let mut plan = Plan::new(Changed::Registration)
        .with(Change::Registered(registration), Refusal::AlreadyRegistered);
    new_secret(
        &mut plan,
        on_file,
        None,
        Refusal::ClientNumberTaken,
        drawn,
        fresh,
    );
    Ok(plan)
}

/// `POST /activation-code-requests`: where the identifier has a secret on file and no business
/// account, a new one goes where the old one went. Otherwise nothing is written, and the
/// caller is told the same: the answer must not say which identifiers exist.
pub fn renew(
    user: Option<&User>,
    current: Option<&IdentifierSecret>,
    drawn: DrawnSecret,
    fresh: &mut Fresh,
) -> Result<Plan, Refusal> {
    user.ok_or(Refusal::NoUserAccount)?;
    let mut plan = Plan::new(Changed::Identifier);
    let on_file = current
        .filter(|c| !c.phantom && c.business_id.is_none())
        .and_then(|c| c.issue.clone());
    if let Some(on_file) = on_file {
        let refusal = plan.meanwhile();
        new_secret(&mut plan, on_file.into(), current, refusal, drawn, fresh);
    }
    Ok(plan)
}

/// Adds a new secret for `on_file` to `plan` (in place of `replacing`, as read: its counted
/// tries go with it), and its delivery: an e-mail notice where the program e-mails secrets
/// and an address is on file, else a letter.
fn new_secret(
    plan: &mut Plan,
    on_file: OnFile,
    replacing: Option<&IdentifierSecret>,
    if_refused: Refusal,
    drawn: DrawnSecret,
    fresh: &mut Fresh,
) -> (i64, Delivery, Option<LetterId>) {
    let now = fresh.now.clone();
    let program = on_file.program;
    let expires = crate::clock::at(
        now.epoch + i64::from(program.rules().secret_lifetime_days) * SECONDS_A_DAY,
    );
    let version = replacing.map_or(0, |r| r.version);
    let secret = IdentifierSecret {
        program,
        identifier: on_file.identifier.clone(),
        version: version + 1,
        phantom: false,
        failures: 0,
        issue: Some(SecretIssue {
            program,
            identifier: on_file.identifier.clone(),
            legal_name: on_file.legal_name.clone(),
            mailing_address: on_file.mailing_address.clone(),
            email: on_file.email.clone(),
            language: on_file.language,
            secret_hash: drawn.hash,
            issued_at: now.rfc3339.clone(),
            expires_at: expires.epoch,
        }),
        secret_status: Some(SecretStatus::Issued),
        business_id: None,
    };
    plan.push(
        Change::SecretIssued {
            secret,
            replacing: replacing.map(|r| r.version),
        },
        if_refused,
    );
    match (program.rules().secret_delivery, on_file.email) {
        (Delivery::Email, Some(email)) => {
            let notice = Notice::new(
                fresh.id(),
                &email,
                on_file.language,
                &now.rfc3339,
                NoticeKind::SharedSecretIssued {
                    program,
                    legal_name: on_file.legal_name,
                    business_identifier: on_file.identifier.as_str().to_owned(),
                    sealed: drawn.sealed,
                    expires_at: expires.rfc3339,
                },
            );
            plan.add(Change::Notice(notice));
            (expires.epoch, Delivery::Email, None)
        }
        // A letter: the program's channel, or no e-mail on file.
        _ => {
            let letter_id = fresh.letter_id();
            plan.add(Change::LetterQueued(Letter {
                letter_id: letter_id.clone(),
                program,
                business_identifier: on_file.identifier,
                legal_name: on_file.legal_name,
                mailing_address: on_file.mailing_address,
                language: on_file.language,
                sealed_secret: Some(drawn.sealed),
                expires_at: expires.epoch,
                status: LetterStatus::Pending,
                created_at: now.rfc3339,
                mailed_at: None,
            }));
            (expires.epoch, Delivery::Letter, Some(letter_id))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::access::tests::business;
    use super::*;
    use crate::domain::business::BusinessStatus;
    use crate::domain::identifier::Bn9;
    use crate::domain::BusinessId;

    const NOW: i64 = 1_795_000_000;
    const THIRTY_DAYS: i64 = 30 * SECONDS_A_DAY;

    /// The caller: a French-speaking user.
    fn applicant() -> User {
        super::super::accounts::tests::user("alex", 1)
    }

    fn drawn() -> DrawnSecret {
        DrawnSecret {
            hash: "hash".into(),
            sealed: "sealed".into(),
        }
    }

    fn identifier(program: Program) -> BusinessIdentifier {
        let text = match program {
            Program::Ttp => "P12345671",
            Program::Emanifest => "8ABC",
            Program::Cers => "123456782RM0001",
        };
        BusinessIdentifier::parse(program, text).unwrap()
    }

    fn order(program: Program, email: bool) -> SecretOrder {
        let b = business(BusinessStatus::Activated).business;
        SecretOrder {
            program,
            identifier: identifier(program),
            legal_name: b.legal_name,
            mailing_address: b.owner_contact.address,
            email: email.then(|| Email::parse("contact@example.com").unwrap()),
            language: Language::Fr,
        }
    }

    /// What an identifier holds: `version`, `failures` counted, and its state.
    fn current(version: u64, failures: u32, state: &str) -> IdentifierSecret {
        let issue = SecretIssue {
            secret_hash: "old".into(),
            issued_at: "2026-11-01T00:00:00Z".into(),
            expires_at: NOW + 60,
            ..new_secret_issue(Program::Emanifest)
        };
        IdentifierSecret {
            program: Program::Emanifest,
            identifier: identifier(Program::Emanifest),
            version,
            phantom: state == "phantom",
            failures,
            issue: (state != "phantom").then_some(issue),
            secret_status: match state {
                "phantom" => None,
                "issued" => Some(SecretStatus::Issued),
                _ => Some(SecretStatus::Used),
            },
            business_id: (state == "activated")
                .then(|| BusinessId::parse("01jdbusiness0000000000000a").unwrap()),
        }
    }

    fn new_secret_issue(program: Program) -> SecretIssue {
        let on_file = OnFile::from(order(program, true));
        SecretIssue {
            program,
            identifier: on_file.identifier,
            legal_name: on_file.legal_name,
            mailing_address: on_file.mailing_address,
            email: on_file.email,
            language: on_file.language,
            secret_hash: String::new(),
            issued_at: String::new(),
            expires_at: 0,
        }
    }

    fn issued_secret(plan: &Plan) -> (&IdentifierSecret, Option<u64>) {
        plan.changes()
            .find_map(|c| match c {
                Change::SecretIssued { secret, replacing } => Some((secret, *replacing)),
                _ => None,
            })
            .expect("a secret is issued")
    }

    #[test]
    fn issue_table() {
        // (what the identifier holds, expected: the new version and what it replaces)
        let cases = [
            ("nothing yet", None, Ok((1, None))),
            (
                "an unused secret is replaced",
                Some(current(3, 0, "issued")),
                Ok((4, Some(3))),
            ),
            (
                "a locked one too, its tries cleared",
                Some(current(3, 5, "issued")),
                Ok((4, Some(3))),
            ),
            (
                "wrong tries against no secret never block an issue",
                Some(current(0, 5, "phantom")),
                Ok((1, Some(0))),
            ),
            (
                "the business account closed",
                Some(current(5, 0, "used")),
                Ok((6, Some(5))),
            ),
            (
                "a business account holds the identifier",
                Some(current(5, 0, "activated")),
                Err(Refusal::BusinessActiveForIdentifier),
            ),
        ];
        for (name, current, expected) in cases {
            let got = issue(
                current.as_ref(),
                order(Program::Emanifest, true),
                drawn(),
                &mut Fresh::fixed(NOW),
            );
            let Ok(issued) = got else {
                assert_eq!(got.map(|_| ()), expected.map(|_| ()), "{name}");
                continue;
            };
            let (secret, replacing) = issued_secret(&issued.plan);
            assert_eq!(Ok((secret.version, replacing)), expected, "{name}");
            assert_eq!(
                (secret.failures, secret.phantom, secret.secret_status),
                (0, false, Some(SecretStatus::Issued)),
                "{name}"
            );
            assert_eq!(secret.business_id, None, "{name}");
            let issue = secret.issue.as_ref().unwrap();
            assert_eq!(issue.secret_hash, "hash", "{name}");
            assert_eq!(issue.expires_at, NOW + THIRTY_DAYS, "{name}");
            assert_eq!(issued.expires_at, NOW + THIRTY_DAYS, "{name}");
            assert!(
                issued
                    .plan
                    .steps()
                    .iter()
                    .all(|s| s.if_refused == Refusal::ChangedMeanwhile(Changed::Identifier)),
                "{name}"
            );
        }
    }

    #[test]
    fn delivery_follows_the_program() {
        // (program, e-mail on file, how the secret goes)
        let cases = [
            (Program::Emanifest, true, Delivery::Email),
            (Program::Cers, true, Delivery::Email),
            (Program::Ttp, true, Delivery::Letter),
            (Program::Emanifest, false, Delivery::Letter),
        ];
        for (program, email, expected) in cases {
            let issued =
                issue(None, order(program, email), drawn(), &mut Fresh::fixed(NOW)).unwrap();
            assert_eq!(issued.delivery, expected, "{program:?}");
            let changes: Vec<_> = issued.plan.changes().collect();
            assert_eq!(changes.len(), 2, "{program:?}");
            match (expected, changes[1]) {
                (Delivery::Email, Change::Notice(notice)) => {
                    assert_eq!(issued.letter_id, None);
                    assert_eq!(notice.to.as_str(), "contact@example.com");
                    assert_eq!(notice.language, Language::Fr);
                    assert!(matches!(
                        &notice.kind,
                        NoticeKind::SharedSecretIssued { sealed, program: p, .. } if sealed == "sealed" && *p == program
                    ));
                }
                (Delivery::Letter, Change::LetterQueued(letter)) => {
                    assert_eq!(issued.letter_id.as_ref(), Some(&letter.letter_id));
                    assert_eq!(letter.status, LetterStatus::Pending);
                    assert_eq!(letter.sealed_secret.as_deref(), Some("sealed"));
                    assert_eq!(letter.expires_at, NOW + THIRTY_DAYS);
                    assert_eq!(letter.language, Language::Fr);
                }
                (_, other) => panic!("{program:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn registration_table() {
        let registration = || RegistrationOrder {
            business_number: Bn9::parse("123456782").unwrap(),
            legal_name: LegalName::parse("Les Transports Boréal inc.").unwrap(),
            mailing_address: MailingAddress::parse("1 rue Principale\nGatineau QC").unwrap(),
        };
        let me = applicant();
        let cases = [(Some(&me), Ok(())), (None, Err(Refusal::NoUserAccount))];
        for (who, expected) in cases {
            let got = register(
                who,
                &registration(),
                identifier(Program::Ttp),
                drawn(),
                &mut Fresh::fixed(NOW),
            );
            assert_eq!(got.as_ref().map(|_| ()).map_err(Clone::clone), expected);
            let Ok(plan) = got else { continue };
            let steps = plan.steps();
            assert!(matches!(
                &steps[0].change,
                Change::Registered(r) if r.business_number == "123456782" && r.registered_by == me.urn && r.client_number == identifier(Program::Ttp)
            ));
            assert!(matches!(
                &steps[1].change,
                Change::SecretIssued { secret, replacing: None } if secret.version == 1 && secret.identifier == identifier(Program::Ttp)
            ));
            assert!(matches!(
                &steps[2].change,
                Change::LetterQueued(l) if l.language == me.language && l.business_identifier == identifier(Program::Ttp)
            ));
            // Registered already wins over a taken draw, which is drawn again.
            let refusals: Vec<_> = steps.iter().map(|s| s.if_refused.clone()).collect();
            assert_eq!(
                refusals,
                [
                    Refusal::AlreadyRegistered,
                    Refusal::ClientNumberTaken,
                    Refusal::ChangedMeanwhile(Changed::Registration)
                ]
            );
        }
    }

    #[test]
    fn new_code_table() {
        let me = applicant();
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
        ];
        for (name, who, current, expected) in cases {
            let got = renew(who, current.as_ref(), drawn(), &mut Fresh::fixed(NOW));
            let got = got.map(|plan| {
                (!plan.is_empty()).then(|| {
                    let (secret, replacing) = issued_secret(&plan);
                    assert_eq!(replacing.map(|v| v + 1), Some(secret.version), "{name}");
                    // Where the old one went: the address on file, by e-mail for eManifest.
                    assert!(plan.changes().any(|c| matches!(c, Change::Notice(n) if n.to.as_str() == "contact@example.com")), "{name}");
                    replacing.unwrap()
                })
            });
            assert_eq!(got, expected, "{name}");
        }
    }
}
