//! Shared secrets: issued by the agency, by TTP registration, or on a request for a new code;
//! delivered by e-mail (sealed in the outbox until SES has it) or by letter (sealed in the
//! letter queue until the agency mails it). Only a keyed hash is kept to check activations.

use serde::Serialize;

use crate::app::App;
use crate::clock::{self, Now};
use crate::domain::business::{LegalName, MailingAddress};
use crate::domain::commands::{ActivationCodeRequest, RegistrationOrder, SecretOrder};
use crate::domain::identifier::BusinessIdentifier;
use crate::domain::programs::Delivery;
use crate::domain::shared_secret::SharedSecret;
use crate::domain::{Language, LetterId, Program};
use crate::error::{Error, Result};
use crate::http::Caller;
use crate::notify::NoticeKind;
use crate::secrets::Pepper;
use crate::store::dynamo::{decode, from_item, n, s, Cond, Tx};
use crate::store::keys;
use crate::store::records::{
    IdentRecord, LetterRecord, RegistrationRecord, SecretIssue, SecretStatus,
};
use crate::usecases::businesses::batch;
use crate::usecases::users::{load_user, no_user_account};

const SECRET_PURPOSE: &str = "shared-secret";
const SECONDS_A_DAY: i64 = 86_400;
/// Tries at a fresh Client Number when the drawn one is taken.
const CLIENT_NUMBER_DRAWS: usize = 3;

/// The keyed hash that stands for a secret, bound to its program and identifier so a secret
/// is worth nothing for any other business.
pub(crate) fn secret_hash(
    pepper: &Pepper,
    program: Program,
    identifier: &BusinessIdentifier,
    secret: &SharedSecret,
) -> String {
    let bound = format!(
        "{}:{}:{}",
        program.as_str(),
        identifier.as_str(),
        secret.expose_for_hashing()
    );
    pepper.hash(SECRET_PURPOSE, &bound)
}

// ---------------------------------------------------------------- views

#[derive(Debug, Serialize)]
pub struct IssuedView {
    /// Shown once, here; only its keyed hash is kept.
    pub shared_secret: String,
    pub expires_at: String,
    pub delivery: Delivery,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub letter_id: Option<LetterId>,
}

#[derive(Debug, Serialize)]
pub struct RegistrationView {
    pub client_number: String,
    pub status: &'static str,
}

#[derive(Debug, Serialize)]
pub struct LetterView {
    pub letter_id: LetterId,
    pub program: Program,
    pub business_identifier: String,
    pub legal_name: LegalName,
    pub mailing_address: MailingAddress,
    pub language: Language,
    pub shared_secret: String,
    pub expires_at: String,
    pub created_at: String,
}

// ---------------------------------------------------------------- issuing

/// A new secret for what is on file, written into `tx` with its delivery: the identifier item
/// (replacing any earlier secret and clearing counted tries, which ends a lock) and a letter
/// or an e-mail notice carrying the sealed secret.
struct NewSecret {
    shown: String,
    expires: Now,
    letter_id: Option<LetterId>,
}

fn write_new_secret(
    app: &App,
    tx: &mut Tx<'_>,
    issue_on_file: SecretIssue,
    version: u64,
    cond: Cond,
    now: &Now,
) -> Result<NewSecret> {
    let pepper = app.pepper()?;
    let program = issue_on_file.program;
    let (secret, shown) = SharedSecret::from_random(&clock::random::<15>()?);
    let expires =
        clock::at(now.epoch + i64::from(program.rules().secret_lifetime_days) * SECONDS_A_DAY);
    let issue = SecretIssue {
        secret_hash: secret_hash(pepper, program, &issue_on_file.identifier, &secret),
        issued_at: now.rfc3339.clone(),
        expires_at: expires.epoch,
        ..issue_on_file
    };
    let ident = IdentRecord {
        pk: keys::identifier(program, &issue.identifier),
        sk: keys::SECRET_SK.to_owned(),
        version,
        phantom: false,
        failures: 0,
        issue: Some(issue.clone()),
        secret_status: Some(SecretStatus::Issued),
        business_id: None,
    };
    tx.put("secret", &ident, cond)?;
    let sealed = pepper.seal(&shown)?;
    let mut letter_id = None;
    match (program.rules().secret_delivery, &issue.email) {
        (Delivery::Email, Some(email)) => {
            tx.notices(&[crate::notify::notice(
                email,
                issue.language,
                &now.rfc3339,
                NoticeKind::SharedSecretIssued {
                    program,
                    legal_name: issue.legal_name.clone(),
                    business_identifier: issue.identifier.as_str().to_owned(),
                    sealed,
                    expires_at: expires.rfc3339.clone(),
                },
            )?])?;
        }
        // A letter: the program's channel, or no e-mail on file.
        _ => {
            let id = LetterId::from_random(&clock::random()?);
            tx.put(
                "letter",
                &LetterRecord {
                    pk: keys::letter(&id),
                    sk: keys::LETTER_SK.to_owned(),
                    letter_id: id.clone(),
                    program,
                    business_identifier: issue.identifier.clone(),
                    legal_name: issue.legal_name.clone(),
                    mailing_address: issue.mailing_address.clone(),
                    language: issue.language,
                    sealed_secret: Some(sealed),
                    expires_at: expires.epoch,
                    status: "pending".into(),
                    created_at: now.rfc3339.clone(),
                    mailed_at: None,
                    gsi1pk: Some(keys::LETTERS_PENDING.into()),
                    gsi1sk: Some(format!("{}#{id}", now.rfc3339)),
                },
                Cond::Absent,
            )?;
            letter_id = Some(id);
        }
    }
    Ok(NewSecret {
        shown,
        expires,
        letter_id,
    })
}

fn agency_only(caller: &Caller) -> Result<()> {
    if caller.agency_officer {
        Ok(())
    } else {
        Err(Error::Forbidden("Only agency officers may do this."))
    }
}

/// `POST /agency/shared-secrets`: a new secret for a business, replacing any unused one.
pub async fn issue_shared_secret(
    app: &App,
    caller: &Caller,
    order: SecretOrder,
) -> Result<IssuedView> {
    agency_only(caller)?;
    let now = clock::now();
    let pk = keys::identifier(order.program, &order.identifier);
    let current: Option<IdentRecord> = app.store.get(pk, keys::SECRET_SK).await?;
    let on_file = SecretIssue {
        program: order.program,
        identifier: order.identifier,
        legal_name: order.legal_name,
        mailing_address: order.mailing_address,
        email: order.email,
        language: order.language,
        secret_hash: String::new(),
        issued_at: String::new(),
        expires_at: 0,
    };
    let (version, cond) = match &current {
        Some(current) => (
            current.version + 1,
            Cond::Expr(
                "#version = :v AND attribute_not_exists(#business_id)",
                vec![(":v", n(current.version))],
            ),
        ),
        None => (1, Cond::Absent),
    };
    if current.as_ref().is_some_and(|c| c.business_id.is_some()) {
        return Err(Error::Conflict(
            "A business account is active for this identifier.",
        ));
    }
    let mut tx = app.store.tx();
    let new = write_new_secret(app, &mut tx, on_file, version, cond, &now)?;
    match app.store.commit(tx).await? {
        Ok(()) => {
            let delivery = if new.letter_id.is_some() {
                Delivery::Letter
            } else {
                Delivery::Email
            };
            Ok(IssuedView {
                shared_secret: new.shown,
                expires_at: new.expires.rfc3339,
                delivery,
                letter_id: new.letter_id,
            })
        }
        Err(_) => Err(Error::Conflict(
            "The identifier changed meanwhile (activated, or another secret issued); try again.",
        )),
    }
}

/// `POST /registrations`: a TTP applicant registers its Business Number and gets a Client
/// Number; the activation code goes out by registered-mail letter.
pub async fn register(
    app: &App,
    caller: &Caller,
    order: RegistrationOrder,
) -> Result<RegistrationView> {
    let user = load_user(app, &caller.credential).await?;
    let now = clock::now();
    for _ in 0..CLIENT_NUMBER_DRAWS {
        let client_number = BusinessIdentifier::client_number_from_random(u64::from_le_bytes(
            clock::random::<8>()?,
        ));
        let registration = RegistrationRecord {
            pk: keys::registration(order.business_number.as_str()),
            sk: keys::REG_SK.to_owned(),
            business_number: order.business_number.clone(),
            client_number: client_number.clone(),
            registered_by: user.urn.clone(),
            registered_at: now.rfc3339.clone(),
        };
        let on_file = SecretIssue {
            program: Program::Ttp,
            identifier: client_number.clone(),
            legal_name: order.legal_name.clone(),
            mailing_address: order.mailing_address.clone(),
            email: None,
            language: user.language,
            secret_hash: String::new(),
            issued_at: String::new(),
            expires_at: 0,
        };
        let mut tx = app.store.tx();
        tx.put("registration", &registration, Cond::Absent)?;
        write_new_secret(app, &mut tx, on_file, 1, Cond::Absent, &now)?;
        match app.store.commit(tx).await? {
            Ok(()) => {
                return Ok(RegistrationView {
                    client_number: client_number.as_str().to_owned(),
                    status: "letter_queued",
                })
            }
            Err(refused) if refused.failed("registration") => {
                return Err(Error::Conflict(
                    "This Business Number is already registered in the program.",
                ))
            }
            Err(refused) if refused.only("secret") => continue,
            Err(_) => return Err(Error::Conflict("A concurrent registration won; try again.")),
        }
    }
    Err(Error::Unavailable(
        "no free Client Number after several draws".into(),
    ))
}

/// `POST /activation-code-requests`: where the identifier is known and not yet activated, a
/// new code goes to the address on file and the old one stops working. The answer is the same
/// whatever the identifier, so it tells nobody which identifiers exist.
pub async fn request_new_code(
    app: &App,
    caller: &Caller,
    request: ActivationCodeRequest,
) -> Result<()> {
    let ActivationCodeRequest {
        program,
        identifier,
    } = request;
    // One read: the caller's account and the identifier's secret together.
    let wanted = [
        (keys::credential(&caller.credential), keys::USER_SK),
        (keys::identifier(program, &identifier), keys::SECRET_SK),
    ];
    let [user, current] = batch(app.store.get_many(&wanted).await?)?;
    if user.is_none() {
        return Err(no_user_account());
    }
    let current = decode::<IdentRecord>(current)?;
    let Some(current) = current.filter(|c| !c.phantom && c.business_id.is_none()) else {
        return Ok(());
    };
    let Some(on_file) = current.issue else {
        return Ok(());
    };
    let now = clock::now();
    let mut tx = app.store.tx();
    let cond = Cond::Expr(
        "#version = :v AND attribute_not_exists(#business_id)",
        vec![(":v", n(current.version))],
    );
    write_new_secret(app, &mut tx, on_file, current.version + 1, cond, &now)?;
    match app.store.commit(tx).await? {
        Ok(()) => {}
        // Someone else changed it meanwhile (a new secret or an activation): nothing to add.
        Err(_) => tracing::info!("new-code request overtaken by a concurrent change"),
    }
    Ok(())
}

// ---------------------------------------------------------------- the letter queue

/// `GET /agency/letters?status=pending`: letters to print and mail, with their codes.
pub async fn pending_letters(app: &App, caller: &Caller) -> Result<Vec<LetterView>> {
    agency_only(caller)?;
    let pepper = app.pepper()?;
    let mut letters = Vec::new();
    let mut cursor = None;
    loop {
        let (items, next) = app
            .store
            .query_page(
                keys::LETTERS_PENDING.into(),
                Some(keys::GSI1),
                100,
                false,
                cursor,
            )
            .await?;
        for item in items {
            let letter: LetterRecord = from_item(item)?;
            let Some(sealed) = &letter.sealed_secret else {
                continue;
            };
            letters.push(LetterView {
                shared_secret: pepper.open(sealed)?,
                letter_id: letter.letter_id,
                program: letter.program,
                business_identifier: letter.business_identifier.as_str().to_owned(),
                legal_name: letter.legal_name,
                mailing_address: letter.mailing_address,
                language: letter.language,
                expires_at: clock::at(letter.expires_at).rfc3339,
                created_at: letter.created_at,
            });
        }
        match next {
            Some(next) => cursor = Some(next),
            None => return Ok(letters),
        }
    }
}

/// `POST /agency/letters/{id}/mailed`: the letter is in the mail; its code leaves the table.
pub async fn mark_letter_mailed(app: &App, caller: &Caller, letter_id: &LetterId) -> Result<()> {
    agency_only(caller)?;
    let now = clock::now();
    let set = vec![("status", s("mailed")), ("mailed_at", s(now.rfc3339))];
    let cond = Cond::Expr("#status = :pending", vec![(":pending", s("pending"))]);
    let pk = keys::letter(letter_id);
    match app
        .store
        .update_one(
            pk.clone(),
            keys::LETTER_SK,
            set,
            &["sealed_secret", "gsi1pk", "gsi1sk"],
            cond,
        )
        .await?
    {
        Ok(()) => Ok(()),
        Err(_) => match app.store.get::<LetterRecord>(pk, keys::LETTER_SK).await? {
            None => Err(Error::NotFound("No such letter.")),
            Some(_) => Err(Error::Conflict("The letter was already marked mailed.")),
        },
    }
}
