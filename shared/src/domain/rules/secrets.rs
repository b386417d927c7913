//! Shared secrets (activation codes): issued by an agency officer, by a TTP registration, or on
//! a request for a new code. An issued secret replaces the earlier unused one, every code of
//! it, and its counted tries; a new code asked for never kills a code someone holds (it stays
//! good until it expires or a code is used), and comes at most once a day. None is issued
//! while a business account holds the identifier. It travels by e-mail notice or by letter, as
//! the program says, sealed until delivered; a letter a newer code replaces before it is
//! mailed is withdrawn.
//!
//! The use case draws the secret and hashes and seals it with the pepper; the decisions here
//! get the keyed hash and the sealed text only.

use crate::clock::Fresh;
use crate::domain::agency_audit::{AgencyAction, AgencyAuditEvent};
use crate::domain::business::{LegalName, MailingAddress};
use crate::domain::commands::{RegistrationOrder, SecretOrder};
use crate::domain::identifier::BusinessIdentifier;
use crate::domain::notice::{Notice, NoticeKind};
use crate::domain::onboarding::{
    EarlierCode, IdentifierSecret, Letter, LetterRegistration, LetterStatus, RegisterEntry,
    Registration, SecretIssue, SecretPurpose, SecretStatus,
};
use crate::domain::plan::{Change, Plan};
use crate::domain::programs::Delivery;
use crate::domain::user::User;
use crate::domain::{
    BusinessId, Changed, CredentialId, Email, Language, LetterId, Program, Refusal,
};

const SECONDS_A_DAY: i64 = 86_400;
/// A new code is sent for an identifier at most once in this long, however often it is asked.
const NEW_CODE_EVERY_SECS: i64 = SECONDS_A_DAY;
/// Requests for a new code one credential may make in a clock hour, over all identifiers;
/// past it they are answered alike and do nothing.
pub const MAX_CODE_REQUESTS_AN_HOUR: u64 = 10;

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
    pub purpose: SecretPurpose,
}

/// When a secret issued at `now` (epoch seconds) for `program` expires.
pub fn lifetime_end(program: Program, now: i64) -> i64 {
    now + i64::from(program.rules().secret_lifetime_days) * SECONDS_A_DAY
}

/// `POST /agency/shared-secrets`: a new secret for what the officer put on file, replacing the
/// `current` one (and every code of it). Where a business account holds the identifier, it is
/// a recovery secret for that business (owner recovery): whoever activates with it becomes
/// the owner. A letter with the current code that is not mailed yet (`letter_mailed` false)
/// is withdrawn. The issue is in the agency audit.
pub fn issue(
    officer: &CredentialId,
    current: Option<&IdentifierSecret>,
    order: SecretOrder,
    drawn: DrawnSecret,
    letter_mailed: bool,
    fresh: &mut Fresh,
) -> Result<Issued, Refusal> {
    let mut plan = Plan::new(Changed::Identifier);
    let refusal = plan.meanwhile();
    let kept = Kept::new_issue(current);
    let purpose = kept.purpose;
    let withdraw = current
        .and_then(|c| c.letter_id.clone())
        .filter(|_| !letter_mailed);
    let concerned = vec![order.identifier.as_str().to_owned()];
    let (expires_at, delivery, letter_id) = new_secret(
        &mut plan,
        order.into(),
        current,
        kept,
        withdraw,
        refusal,
        drawn,
        LetterOf::default(),
        fresh,
    );
    let action = match purpose {
        SecretPurpose::Activation => AgencyAction::SecretIssued,
        SecretPurpose::Recovery => AgencyAction::RecoverySecretIssued,
    };
    let event = AgencyAuditEvent::new(officer, action, concerned, fresh);
    plan.add(Change::AgencyAudit(event));
    Ok(Issued {
        plan,
        expires_at,
        delivery,
        letter_id,
        purpose,
    })
}

/// `POST /registrations`: a TTP applicant registers a Business Number, once, under the drawn
/// Client Number; its secret goes by letter to the address in the agency's business register
/// (`on_register`), or, where the register has no entry, waits in review with the typed
/// address. Registered already (`registered`) writes nothing: the answer is the same either
/// way. A taken Client Number (`ClientNumberTaken`) is the use case's to draw again.
pub fn register(
    user: Option<&User>,
    registered: Option<&Registration>,
    on_register: Option<&RegisterEntry>,
    order: &RegistrationOrder,
    client_number: BusinessIdentifier,
    drawn: DrawnSecret,
    fresh: &mut Fresh,
) -> Result<Plan, Refusal> {
    let user = user.ok_or(Refusal::NoUserAccount)?;
    if registered.is_some() {
        return Ok(Plan::new(Changed::Registration));
    }
    let registration = Registration {
        business_number: order.business_number.as_str().to_owned(),
        client_number: client_number.clone(),
        registered_by: Some(user.urn.clone()),
        registered_at: fresh.now.rfc3339.clone(),
    };
    let (legal_name, mailing_address, status) = match on_register {
        Some(entry) => (
            entry.legal_name.clone(),
            entry.mailing_address.clone(),
            LetterStatus::Pending,
        ),
        None => (
            order.legal_name.clone(),
            order.mailing_address.clone(),
            LetterStatus::Review,
        ),
    };
    let on_file = OnFile {
        program: Program::Ttp,
        identifier: client_number,
        legal_name,
        mailing_address,
        email: None,
        language: user.language,
    };
    let letter = LetterOf {
        status,
        registration: Some(LetterRegistration {
            business_number: order.business_number.clone(),
            registered_by: user.urn.clone(),
        }),
    };
    // The Business Number first: registered meanwhile is the answer even if the draw was
    // taken too.
    let mut plan = Plan::new(Changed::Registration)
        .with(Change::Registered(registration), Refusal::AlreadyRegistered);
    new_secret(
        &mut plan,
        on_file,
        None,
        Kept::new_issue(None),
        None,
        Refusal::ClientNumberTaken,
        drawn,
        letter,
        fresh,
    );
    Ok(plan)
}

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

/// What a new secret keeps of the identifier's item: a new issue starts afresh (but for the
/// business account that holds the identifier, which makes it a recovery secret); a new code
/// asked for keeps the issue, its counted tries and the codes in hand.
struct Kept {
    issue_no: u64,
    failures: u32,
    reported_day: Option<i64>,
    earlier: Vec<EarlierCode>,
    renewed_at: Option<i64>,
    business_id: Option<BusinessId>,
    purpose: SecretPurpose,
}

impl Kept {
    fn new_issue(current: Option<&IdentifierSecret>) -> Self {
        let business_id = current.and_then(|c| c.business_id.clone());
        Self {
            issue_no: current.map_or(0, |c| c.issue_no) + 1,
            failures: 0,
            reported_day: None,
            earlier: Vec::new(),
            renewed_at: None,
            purpose: match business_id {
                Some(_) => SecretPurpose::Recovery,
                None => SecretPurpose::Activation,
            },
            business_id,
        }
    }
}

/// How a letter starts: waiting to be mailed, or (a registration the register does not know)
/// in review; and the registration it is for.
#[derive(Debug, Clone)]
struct LetterOf {
    status: LetterStatus,
    registration: Option<LetterRegistration>,
}

impl Default for LetterOf {
    fn default() -> Self {
        Self {
            status: LetterStatus::Pending,
            registration: None,
        }
    }
}

/// Adds a new secret for `on_file` to `plan` (in place of `replacing`, as read), keeping what
/// `kept` says, and its delivery: an e-mail notice where the program e-mails secrets and an
/// address is on file, else a letter (as `letter` says). `withdraw` is an unmailed letter it
/// replaces.
#[allow(clippy::too_many_arguments)]
fn new_secret(
    plan: &mut Plan,
    on_file: OnFile,
    replacing: Option<&IdentifierSecret>,
    kept: Kept,
    withdraw: Option<LetterId>,
    if_refused: Refusal,
    drawn: DrawnSecret,
    letter: LetterOf,
    fresh: &mut Fresh,
) -> (i64, Delivery, Option<LetterId>) {
    let now = fresh.now.clone();
    let program = on_file.program;
    let expires = crate::clock::at(lifetime_end(program, now.epoch));
    let version = replacing.map_or(0, |r| r.version);
    let purpose = kept.purpose;
    let by_letter = !matches!(
        (program.rules().secret_delivery, &on_file.email),
        (Delivery::Email, Some(_))
    );
    let letter_id = by_letter.then(|| fresh.letter_id());
    // A letter in review holds its code's hash: the identifier has no live secret (the item
    // only keeps the Client Number taken) until an officer approves the letter.
    let held = letter.status == LetterStatus::Review;
    let issue = SecretIssue {
        program,
        identifier: on_file.identifier.clone(),
        legal_name: on_file.legal_name.clone(),
        mailing_address: on_file.mailing_address.clone(),
        email: on_file.email.clone(),
        language: on_file.language,
        secret_hash: drawn.hash.clone(),
        issued_at: now.rfc3339.clone(),
        expires_at: expires.epoch,
    };
    let secret = IdentifierSecret {
        program,
        identifier: on_file.identifier.clone(),
        version: version + 1,
        phantom: false,
        failures: kept.failures,
        issue: (!held).then_some(issue),
        secret_status: (!held).then_some(SecretStatus::Issued),
        business_id: kept.business_id,
        issue_no: kept.issue_no,
        letter_id: letter_id.clone(),
        earlier: kept.earlier,
        renewed_at: kept.renewed_at,
        reported_day: kept.reported_day,
        purpose: kept.purpose,
    };
    plan.push(
        Change::SecretIssued {
            secret,
            replacing: replacing.map(|r| r.version),
        },
        if_refused,
    );
    if let Some(letter_id) = withdraw {
        // Mailed meanwhile: the use case asks again, knowing its code is in someone's hand.
        plan.push(
            Change::LetterReplaced {
                letter_id,
                at: now.rfc3339.clone(),
            },
            Refusal::LetterAlreadyMailed,
        );
    }
    match (letter_id, on_file.email) {
        (None, Some(email)) => {
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
                    recovery: purpose == SecretPurpose::Recovery,
                },
            );
            plan.add(Change::Notice(notice));
            (expires.epoch, Delivery::Email, None)
        }
        // A letter: the program's channel, or no e-mail on file.
        (letter_id, _) => {
            let letter_id = letter_id.unwrap_or_else(|| fresh.letter_id());
            plan.add(Change::LetterQueued(Letter {
                letter_id: letter_id.clone(),
                program,
                business_identifier: on_file.identifier,
                legal_name: on_file.legal_name,
                mailing_address: on_file.mailing_address,
                language: on_file.language,
                sealed_secret: Some(drawn.sealed),
                expires_at: expires.epoch,
                status: letter.status,
                created_at: now.rfc3339,
                mailed_at: None,
                secret_version: Some(version + 1),
                held_secret_hash: held.then_some(drawn.hash),
                registration: letter.registration,
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
    static IDENTIFIER: std::sync::OnceLock<BusinessIdentifier> = std::sync::OnceLock::new();
    const THIRTY_DAYS: i64 = 30 * SECONDS_A_DAY;

    /// The caller: a French-speaking user.
    fn applicant() -> User {
        super::super::accounts::tests::user("alex", 1)
    }

    fn officer() -> CredentialId {
        CredentialId::new(crate::domain::Idp::GcKey, "officer-1").unwrap()
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
            issue_no: if state == "phantom" { 0 } else { 2 },
            letter_id: None,
            earlier: Vec::new(),
            renewed_at: None,
            reported_day: None,
            purpose: SecretPurpose::Activation,
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
                "a business account holds the identifier: a recovery secret for it",
                Some(current(5, 0, "activated")),
                Ok((6, Some(5))),
            ),
        ];
        for (name, current, expected) in cases {
            let got = issue(
                &officer(),
                current.as_ref(),
                order(Program::Emanifest, true),
                drawn(),
                false,
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
            // A new issue: every credential's counted tries on the earlier one stop counting.
            let issue_no = current.as_ref().map_or(0, |c| c.issue_no);
            assert_eq!(secret.issue_no, issue_no + 1, "{name}");
            assert!(
                secret.earlier.is_empty() && secret.renewed_at.is_none(),
                "{name}"
            );
            // Issued where a business account holds the identifier, it recovers that one;
            // anywhere else it only ever opens a new one.
            let held = current.as_ref().and_then(|c| c.business_id.clone());
            let purpose = match held {
                Some(_) => SecretPurpose::Recovery,
                None => SecretPurpose::Activation,
            };
            assert_eq!(
                (&secret.business_id, secret.purpose, issued.purpose),
                (&held, purpose, purpose),
                "{name}"
            );
            let told_recovery = issued.plan.changes().any(|c| {
                matches!(c, Change::Notice(n) if matches!(n.kind, NoticeKind::SharedSecretIssued { recovery: true, .. }))
            });
            assert_eq!(told_recovery, held.is_some(), "{name}");
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
            // The officer's issue is in the agency audit, in the same write.
            let audited = issued.plan.changes().find_map(|c| match c {
                Change::AgencyAudit(e) => Some(e),
                _ => None,
            });
            let audited = audited.expect("audited");
            let action = match purpose {
                SecretPurpose::Activation => AgencyAction::SecretIssued,
                SecretPurpose::Recovery => AgencyAction::RecoverySecretIssued,
            };
            assert_eq!(audited.action, action, "{name}");
            assert_eq!(audited.officer_sub, "officer-1", "{name}");
            assert_eq!(audited.concerned, ["8ABC"], "{name}");
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
            let issued = issue(
                &officer(),
                None,
                order(program, email),
                drawn(),
                false,
                &mut Fresh::fixed(NOW),
            )
            .unwrap();
            assert_eq!(issued.delivery, expected, "{program:?}");
            let changes: Vec<_> = issued.plan.changes().collect();
            assert_eq!(changes.len(), 3, "{program:?}");
            assert!(matches!(changes[2], Change::AgencyAudit(_)), "{program:?}");
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
        let order = RegistrationOrder {
            business_number: Bn9::parse("123456782").unwrap(),
            legal_name: LegalName::parse("Les Transports Boréal inc.").unwrap(),
            mailing_address: MailingAddress::parse("1 rue Attaquant\nGatineau QC").unwrap(),
        };
        let on_register = RegisterEntry {
            business_number: order.business_number.clone(),
            legal_name: LegalName::parse("Transports Boréal inc.").unwrap(),
            mailing_address: MailingAddress::parse("9 boul. du Registre\nGatineau QC").unwrap(),
            updated_at: "2026-11-01T00:00:00Z".into(),
            updated_by: "officer-1".into(),
        };
        let me = applicant();
        let earlier = Registration {
            business_number: "123456782".into(),
            client_number: BusinessIdentifier::client_number_from_random(7),
            registered_by: Some(me.urn.clone()),
            registered_at: "2026-11-01T00:00:00Z".into(),
        };
        // (name, caller, registered already, register entry,
        //  expected: Err, or None for no write, or the letter's status and address)
        let cases = [
            (
                "on the register: pending, to the register's address",
                Some(&me),
                None,
                Some(&on_register),
                Ok(Some((LetterStatus::Pending, "9 boul. du Registre"))),
            ),
            (
                "not on the register: in review, with the typed address",
                Some(&me),
                None,
                None,
                Ok(Some((LetterStatus::Review, "1 rue Attaquant"))),
            ),
            (
                "registered already: nothing written, same answer",
                Some(&me),
                Some(&earlier),
                Some(&on_register),
                Ok(None),
            ),
            (
                "registered already, not on the register",
                Some(&me),
                Some(&earlier),
                None,
                Ok(None),
            ),
            ("no account", None, None, None, Err(Refusal::NoUserAccount)),
        ];
        for (name, who, registered, entry, expected) in cases {
            let got = register(
                who,
                registered,
                entry,
                &order,
                identifier(Program::Ttp),
                drawn(),
                &mut Fresh::fixed(NOW),
            );
            let Ok(plan) = got else {
                assert_eq!(got.map(|_| None), expected, "{name}");
                continue;
            };
            let steps = plan.steps();
            let Some(letter) = steps.iter().find_map(|s| match &s.change {
                Change::LetterQueued(l) => Some(l),
                _ => None,
            }) else {
                assert!(plan.is_empty(), "{name}");
                assert_eq!(Ok(None), expected, "{name}");
                continue;
            };
            let address = letter.mailing_address.as_str().lines().next().unwrap();
            assert_eq!(Ok(Some((letter.status, address))), expected, "{name}");
            assert!(
                matches!(
                    &steps[0].change,
                    Change::Registered(r) if r.business_number == "123456782" && r.registered_by.as_ref() == Some(&me.urn) && r.client_number == identifier(Program::Ttp)
                ),
                "{name}"
            );
            assert!(
                matches!(
                    &steps[1].change,
                    Change::SecretIssued { secret, replacing: None } if secret.version == 1 && secret.identifier == identifier(Program::Ttp)
                ),
                "{name}"
            );
            // The letter carries the Client Number and the code, says whose registration it
            // is, and which secret it carries.
            assert_eq!(
                letter.business_identifier,
                identifier(Program::Ttp),
                "{name}"
            );
            assert_eq!(letter.sealed_secret.as_deref(), Some("sealed"), "{name}");
            assert_eq!(letter.secret_version, Some(1), "{name}");
            // In review, the code is held by the letter: no secret is live for the identifier.
            let in_review = letter.status == LetterStatus::Review;
            assert_eq!(letter.held_secret_hash.is_some(), in_review, "{name}");
            match &steps[1].change {
                Change::SecretIssued { secret, .. } => {
                    assert_eq!(secret.issue.is_none(), in_review, "{name}");
                    assert_eq!(secret.secret_status.is_none(), in_review, "{name}");
                }
                other => panic!("{name}: {other:?}"),
            }
            assert_eq!(letter.language, me.language, "{name}");
            let registration = letter.registration.as_ref().unwrap();
            assert_eq!(
                registration.business_number, order.business_number,
                "{name}"
            );
            assert_eq!(registration.registered_by, me.urn, "{name}");
            // Registered meanwhile wins over a taken draw, which is drawn again.
            let refusals: Vec<_> = steps.iter().map(|s| s.if_refused.clone()).collect();
            assert_eq!(
                refusals,
                [
                    Refusal::AlreadyRegistered,
                    Refusal::ClientNumberTaken,
                    Refusal::ChangedMeanwhile(Changed::Registration)
                ],
                "{name}"
            );
        }
    }

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
        let caller = super::super::access::tests::credential("alex");
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
        let caller = super::super::access::tests::credential("alex");
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
        let caller = super::super::access::tests::credential("alex");
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

    #[test]
    fn an_issue_kills_every_earlier_code_and_withdraws_an_unmailed_letter() {
        let letter = LetterId::from_random(&[5; 20]);
        let current = IdentifierSecret {
            letter_id: Some(letter.clone()),
            earlier: vec![EarlierCode {
                secret_hash: "kept".into(),
                expires_at: NOW + 60,
            }],
            renewed_at: Some(NOW - 60),
            ..current(3, 0, "issued")
        };
        for (mailed, withdrawn) in [(false, true), (true, false)] {
            let issued = issue(
                &officer(),
                Some(&current),
                order(Program::Ttp, false),
                drawn(),
                mailed,
                &mut Fresh::fixed(NOW),
            )
            .unwrap();
            let (secret, _) = issued_secret(&issued.plan);
            assert!(secret.earlier.is_empty() && secret.renewed_at.is_none());
            assert_eq!(secret.letter_id, issued.letter_id);
            assert_eq!(
                issued.plan.changes().any(
                    |c| matches!(c, Change::LetterReplaced { letter_id, .. } if *letter_id == letter)
                ),
                withdrawn
            );
        }
    }
}
