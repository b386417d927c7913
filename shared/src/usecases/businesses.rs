//! Business accounts: activation with a shared secret, the program's terms, reading, changing
//! and closing. Who may do what is asked of `Role::allows`, the contract's table.

use serde::Serialize;
use serde_json::json;

use crate::app::App;
use crate::clock::{self, Now};
use crate::domain::business::{
    Business, BusinessStatus, LegalName, MailingAddress, OwnerContact, Permission, Role,
};
use crate::domain::commands::{Activation, BusinessPatch, TermsAcceptance};
use crate::domain::shared_secret::MAX_WRONG_TRIES;
use crate::domain::{BusinessId, Program, Urn};
use crate::error::{Error, Result};
use crate::http::Caller;
use crate::notify::{Notice, NoticeKind};
use crate::store::dynamo::{av, decode, from_item, n, s, Cond, Item, Tx, Value};
use crate::store::keys;
use crate::store::records::{
    AttemptsRecord, AuditRecord, BusinessRecord, Consent, IdentRecord, MemberRecord,
    MembershipRecord, SecretStatus, UserRecord,
};
use crate::usecases::secrets::secret_hash;
use crate::usecases::users::no_user_account;

/// Activation attempts one credential may make in a clock hour.
const MAX_ACTIVATION_ATTEMPTS_AN_HOUR: u64 = 20;

/// Compared against when an identifier has no secret, so both paths do the same work.
const NO_SECRET: &str = "0000000000000000000000000000000000000000000000000000000000000000";

// ---------------------------------------------------------------- views

#[derive(Debug, Serialize)]
pub struct ActivatedView {
    pub business_id: BusinessId,
    pub status: BusinessStatus,
}

/// A business account as a member sees it, with their role and what it allows.
#[derive(Debug, Serialize)]
pub struct BusinessView {
    pub business_id: BusinessId,
    pub program: Program,
    pub business_identifier: String,
    pub legal_name: LegalName,
    pub status: BusinessStatus,
    pub owner_urn: Urn,
    pub owner_contact: OwnerContact,
    pub mailing_address: MailingAddress,
    pub terms_version: Option<String>,
    pub information_sharing: Option<Consent>,
    pub created_at: String,
    pub updated_at: String,
    /// Send it back as `If-Match` to change the business only if nobody else did meanwhile.
    pub version: u64,
    pub role: Role,
    pub permissions: &'static [Permission],
}

impl BusinessView {
    pub(crate) fn new(record: BusinessRecord, role: Role) -> Self {
        let b = record.business;
        Self {
            business_id: b.business_id,
            program: b.program,
            business_identifier: b.identifier.as_str().to_owned(),
            legal_name: b.legal_name,
            status: b.status,
            owner_urn: b.owner_urn,
            owner_contact: b.owner_contact,
            mailing_address: record.mailing_address,
            terms_version: b.terms_version,
            information_sharing: record.information_sharing,
            created_at: b.created_at,
            updated_at: b.updated_at,
            version: b.version,
            role,
            permissions: role.permissions(),
        }
    }
}

/// One line of `GET /users/me/businesses`.
#[derive(Debug, Serialize)]
pub struct MyBusinessView {
    pub business_id: BusinessId,
    pub program: Program,
    pub legal_name: LegalName,
    pub status: BusinessStatus,
    pub role: Role,
    pub permissions: &'static [Permission],
}

#[derive(Debug, Serialize)]
pub struct TermsView {
    pub status: BusinessStatus,
    pub terms_version: String,
}

// ---------------------------------------------------------------- access

/// The caller's place in a business: their membership and the business, read together.
pub(crate) struct Access {
    pub membership: MembershipRecord,
    pub business: BusinessRecord,
}

impl Access {
    pub fn role(&self) -> Role {
        self.membership.role
    }

    /// 403 unless the caller's role allows `permission` (they are a member, so 403 is no leak).
    pub fn require(&self, permission: Permission) -> Result<()> {
        if self.role().allows(permission) {
            Ok(())
        } else {
            Err(Error::Forbidden(
                "Your role in this business account does not allow this.",
            ))
        }
    }

    /// The audit event for a change the caller makes, to write in the change's transaction.
    /// The business as `change` leaves it, its time and version moved on; the write conditions
    /// on the version read, so a concurrent change is never lost.
    pub fn next_business(
        &self,
        now: &Now,
        change: impl FnOnce(&mut BusinessRecord),
    ) -> BusinessRecord {
        let mut after = self.business.clone();
        change(&mut after);
        after.business.updated_at = now.rfc3339.clone();
        after.business.version += 1;
        after
    }

    pub fn audit(
        &self,
        caller: &Caller,
        action: &str,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
        now: &Now,
    ) -> Result<AuditRecord> {
        audit_event(
            &self.business.business.business_id,
            &self.membership.urn,
            caller,
            action,
            before,
            after,
            now,
        )
    }
}

impl Access {
    /// Puts the business as `after` into `tx`, on the version read (a concurrent change is
    /// never lost), with the audit event of the change: the business before and after.
    pub fn put_business_change(
        &self,
        tx: &mut Tx<'_>,
        caller: &Caller,
        action: &str,
        after: &BusinessRecord,
        now: &Now,
    ) -> Result<()> {
        let before = Some(business_json(&self.business));
        let audit = self.audit(caller, action, before, Some(business_json(after)), now)?;
        tx.put(
            "business",
            after,
            Cond::Version(self.business.business.version),
        )?
        .put("audit", &audit, Cond::Absent)?;
        Ok(())
    }
}

pub(crate) fn audit_event(
    business_id: &BusinessId,
    actor: &Urn,
    caller: &Caller,
    action: &str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
    now: &Now,
) -> Result<AuditRecord> {
    let event_id = clock::new_id()?;
    Ok(AuditRecord {
        pk: keys::audit(business_id),
        sk: keys::audit_sk(&now.sortable, &event_id),
        event_id,
        business_id: business_id.to_owned(),
        action: action.to_owned(),
        actor_urn: actor.clone(),
        actor_idp: caller.credential.idp(),
        actor_sub: caller.credential.sub().to_owned(),
        at: now.rfc3339.clone(),
        before,
        after,
    })
}

/// 404 unless the caller is a member of a business that is not closed: a non-member learns
/// nothing, not even that the id exists.
pub(crate) async fn access(app: &App, caller: &Caller, business_id: &BusinessId) -> Result<Access> {
    Ok(access_with(app, caller, business_id, Vec::new()).await?.0)
}

/// `access`, with the `extra` items the use case needs read in the same call (one
/// BatchGetItem), returned in the order asked.
pub(crate) async fn access_with(
    app: &App,
    caller: &Caller,
    business_id: &BusinessId,
    extra: Vec<(String, &str)>,
) -> Result<(Access, Vec<Option<Item>>)> {
    let membership_sk = keys::member(business_id.as_str());
    let mut wanted = vec![
        (keys::credential(&caller.credential), membership_sk.as_str()),
        (keys::business(business_id), keys::META_SK),
    ];
    wanted.extend(extra);
    let mut items = app.store.get_many(&wanted).await?.into_iter();
    let membership = decode::<MembershipRecord>(items.next().flatten())?;
    let business = decode::<BusinessRecord>(items.next().flatten())?;
    match (membership, business) {
        (Some(membership), Some(business))
            if business.business.status != BusinessStatus::Closed =>
        {
            Ok((
                Access {
                    membership,
                    business,
                },
                items.collect(),
            ))
        }
        _ => Err(Error::NotFound("No such business account.")),
    }
}

/// `access` and every member, from the business's own partition in one Query (the caller is
/// found among the members by their credential): for the routes that need all members.
pub(crate) async fn access_with_members(
    app: &App,
    caller: &Caller,
    business_id: &BusinessId,
    range: (&str, &str),
) -> Result<(Access, Vec<MemberRecord>, Vec<Item>)> {
    let items = app
        .store
        .query_between(keys::business(business_id), range)
        .await?;
    let mut business = None;
    let mut members = Vec::new();
    let mut others = Vec::new();
    for item in items {
        match item
            .get(keys::SK)
            .and_then(|v| v.as_s().ok())
            .map(String::as_str)
        {
            Some(keys::META_SK) => business = Some(from_item::<BusinessRecord>(item)?),
            Some(sk) if sk.starts_with(keys::MEMBER_PREFIX) => members.push(from_item(item)?),
            _ => others.push(item),
        }
    }
    let not_found = || Error::NotFound("No such business account.");
    let business = business
        .filter(|b| b.business.status != BusinessStatus::Closed)
        .ok_or_else(not_found)?;
    let me = members
        .iter()
        .find(|m: &&MemberRecord| m.credential == caller.credential)
        .ok_or_else(not_found)?;
    let access = Access {
        membership: MembershipRecord::of(me, &business),
        business,
    };
    Ok((access, members, others))
}

/// The items of a batch read, as many as were asked.
pub(crate) fn batch<const N: usize>(items: Vec<Option<Item>>) -> Result<[Option<Item>; N]> {
    <[Option<Item>; N]>::try_from(items)
        .map_err(|_| Error::Internal("a batch read answered a different number of items".into()))
}

fn same_hash(a: &str, b: &str) -> bool {
    // No early exit: the time does not depend on where the hashes differ.
    a.len() == b.len()
        && std::hint::black_box(
            a.bytes()
                .zip(b.bytes())
                .fold(0u8, |acc, (x, y)| acc | (x ^ y)),
        ) == 0
}

// ---------------------------------------------------------------- activation

/// `POST /businesses`: identifier + shared secret → a business account, the caller its owner.
/// The secret is consumed in the same transaction that creates the account, so two
/// activations with one secret cannot both win.
pub async fn activate(app: &App, caller: &Caller, activation: Activation) -> Result<ActivatedView> {
    let pk = keys::identifier(activation.program, &activation.identifier);
    let now = clock::now();
    // Every attempt that compares a secret counts against the credential's hourly allowance,
    // in the attempt's own transaction, so guessing across many identifiers is slowed as much
    // as guessing one. One read: the caller, the identifier's secret and this hour's count.
    let hour = now.epoch / 3600;
    let rate_pk = keys::activation_attempts(&caller.credential, hour);
    let wanted = [
        (keys::credential(&caller.credential), keys::USER_SK),
        (pk.clone(), keys::SECRET_SK),
        (rate_pk.clone(), keys::RATE_SK),
    ];
    let [user, ident, rate] = batch(app.store.get_many(&wanted).await?)?;
    let (user, ident): (Option<UserRecord>, Option<IdentRecord>) = (decode(user)?, decode(ident)?);
    let attempts = decode::<AttemptsRecord>(rate)?.map_or(0, |r| r.count);
    let too_many = || Error::TooManyRequests {
        retry_after_secs: ((hour + 1) * 3600 - now.epoch).max(1) as u64,
    };
    if attempts >= MAX_ACTIVATION_ATTEMPTS_AN_HOUR {
        return Err(too_many());
    }
    // Counted within the allowance, or the whole attempt is refused (concurrent attempts).
    let count_attempt = |tx: &mut Tx<'_>| {
        tx.count(
            "attempts",
            rate_pk.clone(),
            keys::RATE_SK,
            "count",
            vec![("ttl", n((hour + 2) * 3600))],
            Cond::Expr(
                "attribute_not_exists(#count) OR #count < :max",
                vec![(":max", n(MAX_ACTIVATION_ATTEMPTS_AN_HOUR))],
            ),
        )
        .map(|_| ())
    };
    let user = user.ok_or_else(no_user_account)?;
    let hash = secret_hash(
        app.pepper()?,
        activation.program,
        &activation.identifier,
        &activation.secret,
    );
    // Wrong identifier and wrong secret take the same path: compare, count, refuse alike.
    let stored = ident
        .as_ref()
        .and_then(|i| i.issue.as_ref())
        .map(|issue| issue.secret_hash.as_str());
    let matches = same_hash(&hash, stored.unwrap_or(NO_SECRET)) && stored.is_some();
    let failures = ident.as_ref().map_or(0, |i| i.failures);
    if failures >= MAX_WRONG_TRIES {
        return Err(Error::Locked);
    }
    if !matches {
        // The wrong try is counted on the identifier (a phantom item if it has no secret, so
        // unknown identifiers lock alike) in the same write as the hourly count.
        let mut tx = app.store.tx();
        tx.count(
            "secret",
            pk,
            keys::SECRET_SK,
            "failures",
            vec![("phantom", Value::Bool(true))],
            Cond::Always,
        )?;
        count_attempt(&mut tx)?;
        if app.store.commit(tx).await?.is_err() {
            return Err(too_many());
        }
        let tries = failures + 1;
        tracing::info!(
            program = activation.program.as_str(),
            tries,
            "wrong identifier/secret pair"
        );
        return Err(if tries >= MAX_WRONG_TRIES {
            Error::Locked
        } else {
            Error::Forbidden("The identifier and shared secret do not match.")
        });
    }
    let (Some(ident), Some(issue)) = (
        ident.as_ref(),
        ident.as_ref().and_then(|i| i.issue.as_ref()),
    ) else {
        return Err(Error::Internal(
            "a matching secret without its issue".into(),
        ));
    };
    if ident.secret_status != Some(SecretStatus::Issued) || ident.business_id.is_some() {
        return Err(Error::Gone("This shared secret was already used."));
    }
    if issue.expires_at <= now.epoch {
        return Err(Error::Gone(
            "This shared secret has expired; ask for a new one.",
        ));
    }

    let business_id = BusinessId::from_random(&clock::random()?);
    let business = Business {
        business_id: business_id.clone(),
        program: activation.program,
        identifier: activation.identifier.clone(),
        legal_name: issue.legal_name.clone(),
        status: BusinessStatus::Activated,
        owner_urn: user.urn.clone(),
        owner_contact: activation.owner_contact,
        terms_version: None,
        created_at: now.rfc3339.clone(),
        updated_at: now.rfc3339.clone(),
        version: 1,
    };
    let record = BusinessRecord {
        pk: keys::business(&business_id),
        sk: keys::META_SK.to_owned(),
        mailing_address: issue.mailing_address.clone(),
        business: business.clone(),
        information_sharing: None,
    };
    let notice = Notice::new(
        &user.email,
        user.language,
        &now.rfc3339,
        NoticeKind::BusinessActivated {
            name: user.name.clone(),
            legal_name: business.legal_name.clone(),
            program: business.program,
            business_identifier: business.identifier.as_str().to_owned(),
        },
    )?;
    let notices = [notice];
    let mut tx = app.store.tx();
    tx.update(
        "secret",
        keys::identifier(activation.program, &activation.identifier),
        keys::SECRET_SK,
        vec![
            ("secret_status", av(&SecretStatus::Used)?),
            ("business_id", s(business_id.as_str())),
            ("used_at", s(&now.rfc3339)),
            ("version", n(ident.version + 1)),
        ],
        &[],
        Cond::Expr(
            "#version = :v AND #secret_status = :issued AND #failures < :max AND attribute_not_exists(#business_id)",
            vec![(":v", n(ident.version)), (":issued", av(&SecretStatus::Issued)?), (":max", n(MAX_WRONG_TRIES))],
        ),
    )?
    .put("business", &record, Cond::Absent)?;
    add_member(&mut tx, &record.business, &user, Role::Owner, &now)?;
    let audit = audit_event(
        &business_id,
        &user.urn,
        caller,
        "business.activated",
        None,
        Some(business_json(&record)),
        &now,
    )?;
    tx.put("audit", &audit, Cond::Absent)?.notices(&notices)?;
    count_attempt(&mut tx)?;
    match app.store.commit(tx).await? {
        Ok(()) => Ok(ActivatedView {
            business_id,
            status: BusinessStatus::Activated,
        }),
        Err(refused) if refused.failed("attempts") => Err(too_many()),
        Err(refused) if refused.failed("secret") => {
            Err(Error::Gone("This shared secret was already used."))
        }
        Err(_) => Err(Error::Conflict("A concurrent change won; try again.")),
    }
}

/// Both sides of a membership, new.
pub(crate) fn add_member(
    tx: &mut Tx<'_>,
    business: &Business,
    user: &UserRecord,
    role: Role,
    now: &Now,
) -> Result<()> {
    tx.put(
        "member",
        &MemberRecord {
            pk: keys::business(&business.business_id),
            sk: keys::member(user.urn.as_str()),
            urn: user.urn.clone(),
            name: user.name.clone(),
            role,
            since: now.rfc3339.clone(),
            credential: user.credential.clone(),
            version: 1,
        },
        Cond::Absent,
    )?
    .put(
        "membership",
        &MembershipRecord {
            pk: user.pk.clone(),
            sk: keys::member(business.business_id.as_str()),
            business_id: business.business_id.clone(),
            urn: user.urn.clone(),
            program: business.program,
            legal_name: business.legal_name.clone(),
            status: business.status,
            role,
            since: now.rfc3339.clone(),
        },
        Cond::Absent,
    )?;
    Ok(())
}

/// What the audit trail keeps of a business: its fields, without keys.
pub(crate) fn business_json(record: &BusinessRecord) -> serde_json::Value {
    let mut value = serde_json::to_value(&record.business).unwrap_or_default();
    value["mailing_address"] = json!(record.mailing_address);
    value
}

// ---------------------------------------------------------------- reading

/// `GET /businesses/{id}`.
pub async fn get_business(
    app: &App,
    caller: &Caller,
    business_id: &BusinessId,
) -> Result<BusinessView> {
    let access = access(app, caller, business_id).await?;
    let role = access.role();
    Ok(BusinessView::new(access.business, role))
}

/// `GET /users/me/businesses`: one Query of the caller's partition (their user item and
/// every membership with its summary).
pub async fn my_businesses(app: &App, caller: &Caller) -> Result<Vec<MyBusinessView>> {
    let items = app
        .store
        .query_prefix(keys::credential(&caller.credential), "")
        .await?;
    let mut has_account = false;
    let mut list = Vec::new();
    for item in items {
        let sk = item
            .get(keys::SK)
            .and_then(|v| v.as_s().ok())
            .cloned()
            .unwrap_or_default();
        if sk == keys::USER_SK {
            has_account = true;
        } else if sk.starts_with(keys::MEMBER_PREFIX) {
            let m: MembershipRecord = from_item(item)?;
            list.push(MyBusinessView {
                business_id: m.business_id,
                program: m.program,
                legal_name: m.legal_name,
                status: m.status,
                role: m.role,
                permissions: m.role.permissions(),
            });
        }
    }
    if !has_account {
        return Err(no_user_account());
    }
    Ok(list)
}

// ---------------------------------------------------------------- terms, changes, closing

/// `POST /businesses/{id}/terms`: the owner accepts the program's current terms → authorized.
pub async fn accept_terms(app: &App, caller: &Caller, terms: TermsAcceptance) -> Result<TermsView> {
    let (business_id, version) = (&terms.business_id, terms.version.as_str());
    let access = access(app, caller, business_id).await?;
    access.require(Permission::BusinessManage)?;
    let record = &access.business;
    let current = record.business.program.rules().terms_version;
    if version != current {
        return Err(Error::Conflict(
            "That is not the program's current terms version; read GET /programs.",
        ));
    }
    if record.business.status == BusinessStatus::Authorized
        && record.business.terms_version.as_deref() == Some(current)
    {
        return Ok(TermsView {
            status: BusinessStatus::Authorized,
            terms_version: current.to_owned(),
        });
    }
    let now = clock::now();
    let after = access.next_business(&now, |after| {
        after.business.status = BusinessStatus::Authorized;
        after.business.terms_version = Some(current.to_owned());
    });
    let mut tx = app.store.tx();
    access.put_business_change(&mut tx, caller, "business.terms_accepted", &after, &now)?;
    if record.business.status != BusinessStatus::Authorized {
        // Members join only once authorized, so the owner's is the one summary to move on.
        tx.update(
            "membership",
            access.membership.pk.clone(),
            &access.membership.sk,
            vec![("status", av(&BusinessStatus::Authorized)?)],
            &[],
            Cond::Exists,
        )?;
    }
    match app.store.commit(tx).await? {
        Ok(()) => Ok(TermsView {
            status: BusinessStatus::Authorized,
            terms_version: current.to_owned(),
        }),
        Err(_) => Err(Error::Conflict(
            "The business account changed meanwhile; read it again and retry.",
        )),
    }
}

/// `PATCH /businesses/{id}`: only once authorized.
pub async fn update_business(
    app: &App,
    caller: &Caller,
    patch: BusinessPatch,
) -> Result<BusinessView> {
    let (business_id, if_match) = (&patch.business_id, patch.if_match);
    let access = access(app, caller, business_id).await?;
    access.require(Permission::BusinessManage)?;
    let record = &access.business;
    if if_match.is_some_and(|expected| expected != record.business.version) {
        return Err(Error::Conflict(
            "The business account changed since you read it; read it again and retry.",
        ));
    }
    if record.business.status != BusinessStatus::Authorized {
        return Err(Error::Conflict(
            "Information can be modified only once the program's terms are accepted.",
        ));
    }
    let now = clock::now();
    let after = access.next_business(&now, |after| {
        let contact = &mut after.business.owner_contact;
        if let Some(v) = patch.position_title {
            contact.position_title = v;
        }
        if let Some(v) = patch.address {
            contact.address = v;
        }
        if let Some(v) = patch.phone {
            contact.phone = v;
        }
        if let Some(v) = patch.email {
            contact.email = v;
        }
        if let Some(v) = patch.mailing_address {
            after.mailing_address = v;
        }
    });
    let mut tx = app.store.tx();
    access.put_business_change(&mut tx, caller, "business.updated", &after, &now)?;
    match app.store.commit(tx).await? {
        Ok(()) => Ok(BusinessView::new(after, access.role())),
        Err(_) => Err(Error::Conflict(
            "The business account changed meanwhile; read it again and retry.",
        )),
    }
}

/// `DELETE /businesses/{id}`: closed; every membership goes (members lose access at once) and
/// the identifier is free for a new secret.
pub async fn close_business(app: &App, caller: &Caller, business_id: &BusinessId) -> Result<()> {
    let (access, members, _) =
        access_with_members(app, caller, business_id, keys::BUSINESS_AND_MEMBERS).await?;
    access.require(Permission::BusinessManage)?;
    let record = &access.business;
    let now = clock::now();
    let after = access.next_business(&now, |after| {
        after.business.status = BusinessStatus::Closed;
    });
    let mut tx = app.store.tx();
    access.put_business_change(&mut tx, caller, "business.closed", &after, &now)?;
    for member in members {
        tx.delete("member", member.pk.clone(), &member.sk, Cond::Exists)?
            .delete(
                "membership",
                keys::credential(&member.credential),
                &keys::member(business_id.as_str()),
                Cond::Exists,
            )?;
    }
    tx.update(
        "secret",
        keys::identifier(record.business.program, &record.business.identifier),
        keys::SECRET_SK,
        vec![],
        &["business_id"],
        Cond::Exists,
    )?;
    match app.store.commit(tx).await? {
        Ok(()) => Ok(()),
        Err(_) => Err(Error::Conflict(
            "The business account changed meanwhile; read it again and retry.",
        )),
    }
}
