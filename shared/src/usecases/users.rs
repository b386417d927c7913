//! User accounts: create, read, update, and move to another credential.

use serde::Serialize;

use crate::app::App;
use crate::clock;
use crate::domain::code::{self, TRANSFER_CODE_CHARS};
use crate::domain::commands::CredentialTransferClaim;
use crate::domain::{
    BusinessId, CredentialId, Email, Language, NewUser, PersonName, PhoneNumber, Urn, UserAccount,
    UserPatch, PORTAL_TERMS_VERSION,
};
use crate::error::{Error, Result};
use crate::http::Caller;
use crate::notify::NoticeKind;
use crate::store::dynamo::{decode, from_item, n, s, Cond, Value};
use crate::store::keys;
use crate::store::records::{CredentialTransferRecord, UrnRecord, UserRecord};
use crate::usecases::businesses::batch;

/// Tries at a fresh random URN when the drawn one is taken (one in a billion per try).
const URN_DRAWS: usize = 3;
/// A credential-transfer code lives ten minutes.
const TRANSFER_CODE_SECS: i64 = 600;
const TRANSFER_CODE_PURPOSE: &str = "credential-transfer";

// ---------------------------------------------------------------- views

/// The profile as its owner sees it.
#[derive(Debug, Serialize)]
pub struct UserView {
    pub urn: Urn,
    pub name: PersonName,
    pub email: Email,
    pub phone: PhoneNumber,
    pub language: Language,
    pub terms_version: String,
    pub created_at: String,
    pub updated_at: String,
}

impl From<UserAccount> for UserView {
    fn from(u: UserAccount) -> Self {
        Self {
            urn: u.urn,
            name: u.name,
            email: u.email,
            phone: u.phone,
            language: u.language,
            terms_version: u.terms_version,
            created_at: u.created_at,
            updated_at: u.updated_at,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct CredentialTransferView {
    pub transfer_code: String,
    pub expires_at: String,
}

// ---------------------------------------------------------------- use cases

/// `POST /users`: one user account per credential, with a unique URN, and its notice.
pub async fn create_user(app: &App, caller: &Caller, new: NewUser) -> Result<UserView> {
    if new.terms_version != PORTAL_TERMS_VERSION {
        return Err(Error::Conflict(
            "terms_version is not the current portal terms; read GET /programs.",
        ));
    }
    let now = clock::now();
    for _ in 0..URN_DRAWS {
        let urn = Urn::from_random(u64::from_le_bytes(clock::random::<8>()?));
        let account = UserAccount {
            urn: urn.clone(),
            name: new.name.clone(),
            email: new.email.clone(),
            phone: new.phone.clone(),
            language: new.language,
            terms_version: new.terms_version.clone(),
            created_at: now.rfc3339.clone(),
            updated_at: now.rfc3339.clone(),
            version: 1,
            credential: None,
        };
        let notice = crate::notify::notice(
            &account.email,
            account.language,
            &now.rfc3339,
            NoticeKind::UrnConfirmation {
                name: account.name.clone(),
                urn,
            },
        )?;
        let notices = [notice];
        let record = UserRecord::new(&caller.credential, &account);
        let mut tx = app.store.tx();
        tx.put("user", &record, Cond::Absent)?
            .put("urn", &UrnRecord::of(&record), Cond::Absent)?
            .notices(&notices)?;
        match app.store.commit(tx).await? {
            Ok(()) => {
                return Ok(account.into());
            }
            Err(refused) if refused.only("urn") => continue,
            Err(_) => {
                return Err(Error::Conflict(
                    "This credential already has a user account.",
                ))
            }
        }
    }
    Err(Error::Unavailable("no free URN after several draws".into()))
}

pub(crate) async fn find_user(app: &App, credential: &CredentialId) -> Result<Option<UserRecord>> {
    app.store
        .get(keys::credential(credential), keys::USER_SK)
        .await
}

pub(crate) async fn load_user(app: &App, credential: &CredentialId) -> Result<UserRecord> {
    find_user(app, credential)
        .await?
        .ok_or_else(no_user_account)
}

/// 404 for a credential with no user account yet.
pub(crate) fn no_user_account() -> Error {
    Error::NotFound("No user account for this credential: create one with POST /users.")
}

/// `GET /users/me`.
pub async fn get_me(app: &App, caller: &Caller) -> Result<UserView> {
    Ok(load_user(app, &caller.credential)
        .await?
        .into_account()
        .into())
}

/// `PATCH /users/me`: conditional on the version read, so a concurrent change is never lost.
pub async fn update_me(app: &App, caller: &Caller, patch: UserPatch) -> Result<UserView> {
    let record = load_user(app, &caller.credential).await?;
    let expected = record.version;
    let transfer_code_hash = record.transfer_code_hash.clone();
    let updated = patch.apply(record.into_account(), &clock::now().rfc3339);
    let mut new_record = UserRecord::new(&caller.credential, &updated);
    new_record.transfer_code_hash = transfer_code_hash;
    let mut tx = app.store.tx();
    tx.put("user", &new_record, Cond::Version(expected))?.put(
        "urn",
        &UrnRecord::of(&new_record),
        Cond::Exists,
    )?;
    match app.store.commit(tx).await? {
        Ok(()) => Ok(updated.into()),
        Err(_) => Err(Error::Conflict(
            "The user account changed meanwhile; read it again and retry.",
        )),
    }
}

/// `POST /users/me/credential-transfers`: a one-time code, shown once, that lets another
/// credential take this user account over within ten minutes. Only its keyed hash is kept.
pub async fn start_credential_transfer(
    app: &App,
    caller: &Caller,
) -> Result<CredentialTransferView> {
    let user = load_user(app, &caller.credential).await?;
    let shown = code::render(&clock::random::<7>()?, TRANSFER_CODE_CHARS * 5);
    let canonical = code::normalize(&shown, TRANSFER_CODE_CHARS)
        .ok_or_else(|| Error::Internal("a rendered code did not normalize".into()))?;
    let hash = app.pepper()?.hash(TRANSFER_CODE_PURPOSE, &canonical);
    let expires = clock::at(clock::now().epoch + TRANSFER_CODE_SECS);
    let transfer = CredentialTransferRecord {
        pk: keys::credential_transfer(&hash),
        sk: keys::XFER_SK.to_owned(),
        urn: user.urn.clone(),
        credential: user.credential.clone(),
        expires_at: expires.epoch,
        ttl: expires.epoch,
    };
    let mut tx = app.store.tx();
    tx.update(
        "user",
        user.pk.clone(),
        keys::USER_SK,
        vec![("transfer_code_hash", s(&hash))],
        &[],
        Cond::Version(user.version),
    )?
    .put("code", &transfer, Cond::Absent)?;
    match app.store.commit(tx).await? {
        Ok(()) => Ok(CredentialTransferView {
            transfer_code: shown,
            expires_at: expires.rfc3339,
        }),
        Err(_) => Err(Error::Conflict(
            "The user account changed meanwhile; try again.",
        )),
    }
}

/// `POST /credential-transfers/claim`: the caller's credential (which has no user account)
/// takes over the account the code was issued for; the old credential is unlinked.
pub async fn claim_credential_transfer(
    app: &App,
    caller: &Caller,
    claim: CredentialTransferClaim,
) -> Result<UserView> {
    let canonical_code = claim.transfer_code.as_str();
    let hash = app.pepper()?.hash(TRANSFER_CODE_PURPOSE, canonical_code);
    // Two reads, one after the other: the code says whose partition moves. A rare request.
    let wanted = [
        (keys::credential_transfer(&hash), keys::XFER_SK),
        (keys::credential(&caller.credential), keys::USER_SK),
    ];
    let [transfer, existing] = batch(app.store.get_many(&wanted).await?)?;
    let transfer = decode::<CredentialTransferRecord>(transfer)?;
    if existing.is_some() {
        return Err(Error::Conflict(
            "This credential already has a user account.",
        ));
    }
    let transfer = transfer.ok_or(Error::NotFound("No such transfer code."))?;
    let now = clock::now();
    if transfer.expires_at <= now.epoch {
        return Err(Error::Gone(
            "The transfer code has expired; ask for a new one.",
        ));
    }
    let partition = app
        .store
        .query_prefix(keys::credential(&transfer.credential), "")
        .await?;
    let user: UserRecord = partition
        .iter()
        .find(|item| {
            item.get(keys::SK)
                .and_then(|v| v.as_s().ok())
                .map(String::as_str)
                == Some(keys::USER_SK)
        })
        .cloned()
        .map(from_item)
        .transpose()?
        .ok_or(Error::Gone("The transfer code is no longer valid."))?;
    if user.transfer_code_hash.as_deref() != Some(hash.as_str()) {
        return Err(Error::Gone(
            "The transfer code was replaced by a newer one.",
        ));
    }
    let notice = crate::notify::notice(
        &user.email,
        user.language,
        &now.rfc3339,
        NoticeKind::CredentialTransferred {
            name: user.name.clone(),
            urn: user.urn.clone(),
        },
    )?;
    let notices = [notice];
    let mut tx = app.store.tx();
    move_partition(&mut tx, &user, &caller.credential, partition, &hash)?;
    tx.notices(&notices)?;
    match app.store.commit(tx).await? {
        Ok(()) => {
            let mut account = user.into_account();
            account.version += 1;
            Ok(account.into())
        }
        Err(_) => Err(Error::Conflict(
            "The user account or this credential changed meanwhile; try again.",
        )),
    }
}

/// Moves a user account to another credential within `tx`: every item of the old partition is
/// deleted (the user item on its version and live code) and written again under the new
/// credential (which must have no account); the URN index and each business's view of the
/// member are re-pointed; the code is consumed.
fn move_partition(
    tx: &mut crate::store::dynamo::Tx<'_>,
    from: &UserRecord,
    to: &CredentialId,
    partition: Vec<crate::store::dynamo::Item>,
    code_hash: &str,
) -> Result<()> {
    let new_pk = keys::credential(to);
    let repoint = || vec![("idp", s(to.idp().as_str())), ("sub", s(to.sub()))];
    for mut item in partition {
        let sk = item
            .get(keys::SK)
            .and_then(|v| v.as_s().ok())
            .cloned()
            .unwrap_or_default();
        if sk == keys::USER_SK {
            let cond = Cond::Expr(
                "#version = :v AND #transfer_code_hash = :h",
                vec![(":v", n(from.version)), (":h", s(code_hash))],
            );
            tx.delete("old user", from.pk.clone(), &sk, cond)?;
            item.insert("idp".into(), s(to.idp().as_str()));
            item.insert("sub".into(), s(to.sub()));
            item.insert("version".into(), n(from.version + 1));
            item.remove("transfer_code_hash");
        } else {
            tx.delete("old membership", from.pk.clone(), &sk, Cond::Exists)?;
            if let Some(business_id) = sk.strip_prefix(keys::MEMBER_PREFIX) {
                let business_id = BusinessId::parse(business_id)
                    .map_err(|_| Error::Internal(format!("a membership's sort key: {sk}")))?;
                tx.update(
                    "member",
                    keys::business(&business_id),
                    &keys::member(from.urn.as_str()),
                    repoint(),
                    &[],
                    Cond::Exists,
                )?;
            }
        }
        item.insert(keys::PK.into(), Value::S(new_pk.clone()));
        tx.put_item("new item", item, Cond::Absent)?;
    }
    tx.update(
        "urn",
        keys::urn(&from.urn),
        keys::URN_SK,
        repoint(),
        &[],
        Cond::Exists,
    )?;
    tx.delete(
        "code",
        keys::credential_transfer(code_hash),
        keys::XFER_SK,
        Cond::Exists,
    )?;
    Ok(())
}
