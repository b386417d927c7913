//! Members of a business account: roles by URN, ownership transfer, information-sharing
//! consent, and the audit trail. Every permission is asked of `Role::allows`; every change is
//! one transaction with its audit event and its notices, conditioned on the versions read.

use serde::Serialize;
use serde_json::json;

use crate::app::App;
use crate::clock;
use crate::domain::business::{BusinessStatus, Permission, Role};
use crate::domain::commands::{ConsentOrder, OwnershipTransferRequest, PutMember, RemoveMember};
use crate::domain::{BusinessId, PersonName, Urn};
use crate::error::{Error, Result};
use crate::http::Caller;
use crate::notify::NoticeKind;
use crate::store::dynamo::{av, decode, from_item, s, Cond, Item, Tx};
use crate::store::keys;
use crate::store::records::{
    Consent, ConsentRecord, MemberRecord, NoticeContact, TransferRecord, UrnRecord, UserRecord,
};
use crate::usecases::businesses::{
    access, access_with, access_with_members, batch, Access, BusinessView,
};

/// A pending ownership transfer lives seven days.
const TRANSFER_SECS: i64 = 7 * 86_400;
const AUDIT_PAGE_DEFAULT: i32 = 20;
const AUDIT_PAGE_MAX: i32 = 100;

// ---------------------------------------------------------------- views

#[derive(Debug, Serialize)]
pub struct MemberView {
    pub urn: Urn,
    pub name: PersonName,
    pub role: Role,
    pub since: String,
    /// Send it back as `If-Match` to change this member only if nobody else did meanwhile.
    pub version: u64,
}

impl From<MemberRecord> for MemberView {
    fn from(m: MemberRecord) -> Self {
        Self {
            urn: m.urn,
            name: m.name,
            role: m.role,
            since: m.since,
            version: m.version,
        }
    }
}

/// 409 when the client's `If-Match` is not the member's current version (0: not a member).
fn check_if_match(current: Option<&MemberRecord>, if_match: Option<u64>) -> Result<()> {
    match if_match {
        Some(expected) if expected != current.map_or(0, |c| c.version) => Err(Error::Conflict(
            "The member changed since you read it; read again and retry.",
        )),
        _ => Ok(()),
    }
}

#[derive(Debug, Serialize)]
pub struct TransferView {
    pub to_urn: Urn,
    pub status: &'static str,
    pub expires_at: String,
}

#[derive(Debug, Serialize)]
pub struct AuditEventView {
    pub event_id: String,
    pub action: String,
    pub actor_urn: Urn,
    pub actor_idp: crate::domain::Idp,
    pub at: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

#[derive(Debug, Serialize)]
pub struct AuditPage {
    pub events: Vec<AuditEventView>,
    pub next_cursor: Option<String>,
}

// ---------------------------------------------------------------- rules

/// The permission needed to give or take away `role`.
fn power_over(role: Role) -> Permission {
    match role {
        Role::Owner | Role::Proxy => Permission::MembersManageProxy,
        Role::User | Role::Browser => Permission::MembersManageStaff,
    }
}

fn require_authorized(access: &Access) -> Result<()> {
    if access.business.business.status == BusinessStatus::Authorized {
        Ok(())
    } else {
        Err(Error::Conflict(
            "Members can change only once the program's terms are accepted.",
        ))
    }
}

/// The business must still be authorized when the change commits.
fn still_authorized(tx: &mut Tx<'_>, business_id: &BusinessId) -> Result<()> {
    let cond = Cond::Expr(
        "#status = :authorized",
        vec![(":authorized", s("authorized"))],
    );
    tx.check("business", keys::business(business_id), keys::META_SK, cond)?;
    Ok(())
}

// ---------------------------------------------------------------- members

/// One read round for a change to a member: the caller's access, the person behind the URN,
/// and their membership if any. Nobody changes their own role.
async fn member_change(
    app: &App,
    caller: &Caller,
    business_id: &BusinessId,
    urn: &Urn,
) -> Result<(Access, Option<UrnRecord>, Option<MemberRecord>)> {
    let member_sk = keys::member(urn.as_str());
    let extra = vec![
        (keys::urn(urn), keys::URN_SK),
        (keys::business(business_id), member_sk.as_str()),
    ];
    let (access, items) = access_with(app, caller, business_id, extra).await?;
    let [person, current] = batch(items)?;
    let (person, current) = (decode(person)?, decode(current)?);
    if &access.membership.urn == urn {
        return Err(Error::Forbidden("Nobody can change their own role."));
    }
    Ok((access, person, current))
}

/// `GET /businesses/{id}/members`.
pub async fn list_members(
    app: &App,
    caller: &Caller,
    business_id: &BusinessId,
) -> Result<Vec<MemberView>> {
    let (access, members, _) =
        access_with_members(app, caller, business_id, keys::BUSINESS_AND_MEMBERS).await?;
    access.require(Permission::MembersList)?;
    Ok(members.into_iter().map(MemberView::from).collect())
}

/// `PUT /businesses/{id}/members/{urn}`: grants or changes a role.
pub async fn put_member(app: &App, caller: &Caller, command: PutMember) -> Result<MemberView> {
    let (business_id, urn) = (&command.business_id, &command.urn);
    let (role, if_match) = (command.role, command.if_match);
    let (access, person, current) = member_change(app, caller, business_id, urn).await?;
    access.require(power_over(role))?;
    if let Some(current) = &current {
        if current.role == Role::Owner {
            return Err(Error::Forbidden(
                "The owner's role changes only by transferring ownership.",
            ));
        }
        access.require(power_over(current.role))?;
    }
    require_authorized(&access)?;
    let person = person.ok_or(Error::NotFound("No user account has this URN."))?;
    check_if_match(current.as_ref(), if_match)?;
    if current.as_ref().is_some_and(|c| c.role == role) {
        return current
            .map(MemberView::from)
            .ok_or_else(|| Error::Internal("unreachable".into()));
    }

    let now = clock::now();
    let legal_name = access.business.business.legal_name.clone();
    let mut tx = app.store.tx();
    still_authorized(&mut tx, business_id)?;
    let (record, kind, action) = match &current {
        None => {
            let record = MemberRecord {
                pk: keys::business(business_id),
                sk: keys::member(urn.as_str()),
                urn: urn.clone(),
                name: person.name.clone(),
                role,
                since: now.rfc3339.clone(),
                credential: person.credential.clone(),
                version: 1,
            };
            tx.put("member", &record, Cond::Absent)?;
            let membership = crate::store::records::MembershipRecord {
                pk: keys::credential(&person.credential),
                sk: keys::member(business_id.as_str()),
                business_id: business_id.to_owned(),
                urn: urn.clone(),
                program: access.business.business.program,
                legal_name: legal_name.clone(),
                status: access.business.business.status,
                role,
                since: now.rfc3339.clone(),
            };
            tx.put("membership", &membership, Cond::Absent)?;
            (
                record,
                NoticeKind::RoleGranted {
                    name: person.name.clone(),
                    legal_name,
                    role,
                },
                "member.role_granted",
            )
        }
        Some(current) => {
            let record = MemberRecord {
                role,
                version: current.version + 1,
                ..current.clone()
            };
            tx.put("member", &record, Cond::Version(current.version))?
                .update(
                    "membership",
                    keys::credential(&current.credential),
                    &keys::member(business_id.as_str()),
                    vec![("role", av(&role)?)],
                    &[],
                    Cond::Exists,
                )?;
            let kind = NoticeKind::RoleChanged {
                name: person.name.clone(),
                legal_name,
                from_role: current.role,
                to_role: role,
            };
            (record, kind, "member.role_changed")
        }
    };
    let before = current
        .as_ref()
        .map(|c| json!({ "urn": c.urn, "role": c.role }));
    let audit = access.audit(
        caller,
        action,
        before,
        Some(json!({ "urn": urn, "role": role })),
        &now,
    )?;
    let notices = [crate::notify::notice(
        &person.email,
        person.language,
        &now.rfc3339,
        kind,
    )?];
    tx.put("audit", &audit, Cond::Absent)?.notices(&notices)?;
    match app.store.commit(tx).await? {
        Ok(()) => Ok(record.into()),
        Err(_) => Err(Error::Conflict(
            "The member or the business account changed meanwhile; read again and retry.",
        )),
    }
}

/// `DELETE /businesses/{id}/members/{urn}`.
pub async fn remove_member(app: &App, caller: &Caller, command: RemoveMember) -> Result<()> {
    let (business_id, urn) = (&command.business_id, &command.urn);
    let if_match = command.if_match;
    let (access, person, current) = member_change(app, caller, business_id, urn).await?;
    let current = current.ok_or(Error::NotFound(
        "No member has this URN in this business account.",
    ))?;
    if current.role == Role::Owner {
        return Err(Error::Forbidden(
            "The owner is removed only by transferring ownership.",
        ));
    }
    access.require(power_over(current.role))?;
    require_authorized(&access)?;
    check_if_match(Some(&current), if_match)?;
    let now = clock::now();
    let mut tx = app.store.tx();
    still_authorized(&mut tx, business_id)?;
    tx.delete(
        "member",
        current.pk.clone(),
        &current.sk,
        Cond::Version(current.version),
    )?
    .delete(
        "membership",
        keys::credential(&current.credential),
        &keys::member(business_id.as_str()),
        Cond::Exists,
    )?;
    let audit = access.audit(
        caller,
        "member.role_removed",
        Some(json!({ "urn": urn, "role": current.role })),
        None,
        &now,
    )?;
    tx.put("audit", &audit, Cond::Absent)?;
    let mut notices = Vec::new();
    if let Some(person) = person {
        let kind = NoticeKind::RoleRemoved {
            name: person.name.clone(),
            legal_name: access.business.business.legal_name.clone(),
        };
        notices.push(crate::notify::notice(
            &person.email,
            person.language,
            &now.rfc3339,
            kind,
        )?);
    }
    tx.notices(&notices)?;
    match app.store.commit(tx).await? {
        Ok(()) => Ok(()),
        Err(_) => Err(Error::Conflict(
            "The member or the business account changed meanwhile; read again and retry.",
        )),
    }
}

// ---------------------------------------------------------------- ownership transfer

/// `POST /businesses/{id}/ownership-transfer`: the owner names a member to take over.
pub async fn request_transfer(
    app: &App,
    caller: &Caller,
    request: OwnershipTransferRequest,
) -> Result<TransferView> {
    let (business_id, to) = (&request.business_id, &request.to_urn);
    let target_sk = keys::member(to.as_str());
    let extra = vec![
        (keys::business(business_id), target_sk.as_str()),
        (keys::urn(to), keys::URN_SK),
        (keys::credential(&caller.credential), keys::USER_SK),
    ];
    let (access, items) = access_with(app, caller, business_id, extra).await?;
    let [target, person, owner] = batch(items)?;
    let (target, person, owner): (Option<MemberRecord>, Option<UrnRecord>, Option<UserRecord>) =
        (decode(target)?, decode(person)?, decode(owner)?);
    access.require(Permission::BusinessManage)?;
    require_authorized(&access)?;
    if &access.membership.urn == to {
        return Err(Error::invalid("to_urn", "is already the owner"));
    }
    let (Some(target), Some(person)) = (target, person) else {
        return Err(Error::NotFound(
            "The named user is not a member of this business account.",
        ));
    };
    let owner = owner.ok_or_else(|| Error::Internal("a member without a user account".into()))?;
    let now = clock::now();
    let expires = clock::at(now.epoch + TRANSFER_SECS);
    let transfer = TransferRecord {
        pk: keys::business(business_id),
        sk: keys::TRANSFER_SK.to_owned(),
        from_urn: access.membership.urn.clone(),
        to_urn: to.clone(),
        from: NoticeContact::from(&owner),
        to: NoticeContact::from(&person),
        requested_at: now.rfc3339.clone(),
        expires_at: expires.epoch,
        ttl: expires.epoch,
    };
    let legal_name = access.business.business.legal_name.clone();
    let notices = [
        crate::notify::notice(
            &person.email,
            person.language,
            &now.rfc3339,
            NoticeKind::TransferRequested {
                name: person.name.clone(),
                legal_name: legal_name.clone(),
                other: owner.name.clone(),
                to_you: true,
                expires_at: expires.rfc3339.clone(),
            },
        )?,
        crate::notify::notice(
            &owner.email,
            owner.language,
            &now.rfc3339,
            NoticeKind::TransferRequested {
                name: owner.name.clone(),
                legal_name,
                other: person.name.clone(),
                to_you: false,
                expires_at: expires.rfc3339.clone(),
            },
        )?,
    ];
    let audit = access.audit(
        caller,
        "ownership.transfer_requested",
        None,
        Some(json!({ "to_urn": to, "expires_at": expires.rfc3339 })),
        &now,
    )?;
    let mut tx = app.store.tx();
    still_authorized(&mut tx, business_id)?;
    // One pending transfer at a time; an expired one may be replaced.
    let cond = Cond::Expr(
        "attribute_not_exists(pk) OR #expires_at < :now",
        vec![(":now", crate::store::dynamo::n(now.epoch))],
    );
    tx.put("transfer", &transfer, cond)?
        .check(
            "target",
            target.pk.clone(),
            &target.sk,
            Cond::Version(target.version),
        )?
        .put("audit", &audit, Cond::Absent)?
        .notices(&notices)?;
    match app.store.commit(tx).await? {
        Ok(()) => Ok(TransferView {
            to_urn: to.clone(),
            status: "pending",
            expires_at: expires.rfc3339,
        }),
        Err(refused) if refused.failed("transfer") => Err(Error::Conflict(
            "An ownership transfer is already pending; cancel it first.",
        )),
        Err(_) => Err(Error::Conflict(
            "The business account changed meanwhile; read again and retry.",
        )),
    }
}

/// `POST /businesses/{id}/ownership-transfer/accept`: the named member becomes owner and the
/// former owner becomes proxy, in one transaction: at every moment exactly one owner.
pub async fn accept_transfer(
    app: &App,
    caller: &Caller,
    business_id: &BusinessId,
) -> Result<BusinessView> {
    // One Query: the business, every member (the new and the former owner among them) and the
    // transfer, which says where to notify both.
    let (access, members, others) = access_with_members(
        app,
        caller,
        business_id,
        keys::BUSINESS_MEMBERS_AND_TRANSFER,
    )
    .await?;
    let transfer = others
        .into_iter()
        .find(|item| {
            item.get(keys::SK)
                .and_then(|v| v.as_s().ok())
                .map(String::as_str)
                == Some(keys::TRANSFER_SK)
        })
        .map(from_item::<TransferRecord>)
        .transpose()?
        .ok_or(Error::NotFound("No ownership transfer is pending."))?;
    let me = access.membership.urn.clone();
    if transfer.to_urn != me {
        return Err(Error::Forbidden(
            "The ownership transfer names another user.",
        ));
    }
    let now = clock::now();
    if transfer.expires_at <= now.epoch {
        return Err(Error::Gone("The ownership transfer has expired."));
    }
    require_authorized(&access)?;
    let old_owner_urn = access.business.business.owner_urn.clone();
    let member = |urn: &Urn| members.iter().find(|m| &m.urn == urn).cloned();
    let (Some(new_member), Some(old_member)) = (member(&me), member(&old_owner_urn)) else {
        return Err(Error::Conflict(
            "The business account changed meanwhile; read again and retry.",
        ));
    };
    let (new_person, old_person) = (&transfer.to, &transfer.from);

    let after = access.next_business(&now, |after| {
        after.business.owner_urn = me.clone();
    });
    let legal_name = after.business.legal_name.clone();
    let notices = [
        crate::notify::notice(
            &new_person.email,
            new_person.language,
            &now.rfc3339,
            NoticeKind::TransferCompleted {
                name: new_person.name.clone(),
                legal_name: legal_name.clone(),
                other: old_person.name.clone(),
                to_you: true,
            },
        )?,
        crate::notify::notice(
            &old_person.email,
            old_person.language,
            &now.rfc3339,
            NoticeKind::TransferCompleted {
                name: old_person.name.clone(),
                legal_name,
                other: new_person.name.clone(),
                to_you: false,
            },
        )?,
    ];
    let mut tx = app.store.tx();
    access.put_business_change(&mut tx, caller, "ownership.transfer_accepted", &after, &now)?;
    let transfer_cond = Cond::Expr(
        "#to_urn = :me AND #expires_at > :now",
        vec![
            (":me", s(me.as_str())),
            (":now", crate::store::dynamo::n(now.epoch)),
        ],
    );
    tx.delete(
        "transfer",
        keys::business(business_id),
        keys::TRANSFER_SK,
        transfer_cond,
    )?
    .put(
        "new owner",
        &MemberRecord {
            role: Role::Owner,
            version: new_member.version + 1,
            ..new_member.clone()
        },
        Cond::Version(new_member.version),
    )?
    .put(
        "former owner",
        &MemberRecord {
            role: Role::Proxy,
            version: old_member.version + 1,
            ..old_member.clone()
        },
        Cond::Version(old_member.version),
    )?
    .update(
        "new membership",
        keys::credential(&new_member.credential),
        &keys::member(business_id.as_str()),
        vec![("role", av(&Role::Owner)?)],
        &[],
        Cond::Exists,
    )?
    .update(
        "former membership",
        keys::credential(&old_member.credential),
        &keys::member(business_id.as_str()),
        vec![("role", av(&Role::Proxy)?)],
        &[],
        Cond::Exists,
    )?
    .notices(&notices)?;
    match app.store.commit(tx).await? {
        Ok(()) => Ok(BusinessView::new(after.into(), Role::Owner)),
        Err(refused) if refused.failed("transfer") => Err(Error::Gone(
            "The ownership transfer was already accepted or cancelled.",
        )),
        Err(_) => Err(Error::Conflict(
            "The business account changed meanwhile; read again and retry.",
        )),
    }
}

/// `DELETE /businesses/{id}/ownership-transfer`: the owner cancels a pending transfer.
pub async fn cancel_transfer(app: &App, caller: &Caller, business_id: &BusinessId) -> Result<()> {
    let access = access(app, caller, business_id).await?;
    access.require(Permission::BusinessManage)?;
    let now = clock::now();
    let audit = access.audit(caller, "ownership.transfer_cancelled", None, None, &now)?;
    let mut tx = app.store.tx();
    tx.delete(
        "transfer",
        keys::business(business_id),
        keys::TRANSFER_SK,
        Cond::Exists,
    )?
    .put("audit", &audit, Cond::Absent)?;
    match app.store.commit(tx).await? {
        Ok(()) => Ok(()),
        Err(refused) if refused.failed("transfer") => {
            Err(Error::NotFound("No ownership transfer is pending."))
        }
        Err(_) => Err(Error::Conflict(
            "The business account changed meanwhile; read again and retry.",
        )),
    }
}

// ---------------------------------------------------------------- consent

/// `PUT /businesses/{id}/information-sharing`: CADI consent given or withdrawn; each decision
/// is kept in the history, and the business shows the latest.
pub async fn record_consent(app: &App, caller: &Caller, order: ConsentOrder) -> Result<Consent> {
    let business_id = &order.business_id;
    let access = access(app, caller, business_id).await?;
    access.require(Permission::BusinessManage)?;
    require_authorized(&access)?;
    let now = clock::now();
    let consent = Consent {
        consent: order.consent,
        signatory_name: order.signatory_name,
        signatory_title: order.signatory_title,
        recorded_by: access.membership.urn.clone(),
        recorded_at: now.rfc3339.clone(),
    };
    let history = ConsentRecord {
        pk: keys::business(business_id),
        sk: keys::consent_sk(&now.sortable, &clock::new_id()?),
        consent: consent.clone(),
        credential: caller.credential.clone(),
    };
    let after = access.next_business(&now, |after| {
        after.information_sharing = Some(consent.clone());
    });
    let action = if consent.consent {
        "information_sharing.consent_given"
    } else {
        "information_sharing.consent_withdrawn"
    };
    let before = access
        .business
        .information_sharing
        .as_ref()
        .map(|c| json!(c));
    let audit = access.audit(caller, action, before, Some(json!(consent)), &now)?;
    let mut tx = app.store.tx();
    tx.put("consent", &history, Cond::Absent)?
        .put(
            "business",
            &after,
            Cond::Version(access.business.business.version),
        )?
        .put("audit", &audit, Cond::Absent)?;
    match app.store.commit(tx).await? {
        Ok(()) => Ok(consent),
        Err(_) => Err(Error::Conflict(
            "The business account changed meanwhile; read again and retry.",
        )),
    }
}

// ---------------------------------------------------------------- audit trail

/// `GET /businesses/{id}/audit?limit=&cursor=`: newest first, a page at a time.
pub async fn audit_page(
    app: &App,
    caller: &Caller,
    business_id: &BusinessId,
    limit: Option<&str>,
    cursor: Option<&str>,
) -> Result<AuditPage> {
    let limit = match limit {
        None => AUDIT_PAGE_DEFAULT,
        Some(raw) => raw
            .parse::<i32>()
            .ok()
            .filter(|n| (1..=AUDIT_PAGE_MAX).contains(n))
            .ok_or_else(|| {
                Error::invalid(
                    "limit",
                    format!("must be a whole number from 1 to {AUDIT_PAGE_MAX}"),
                )
            })?,
    };
    let start = match cursor {
        None => None,
        Some(raw) => Some(
            decode_cursor(business_id, raw)
                .ok_or_else(|| Error::invalid("cursor", "is not a cursor from this list"))?,
        ),
    };
    // One read round: the page is read beside the caller's access and shown only if allowed.
    let (access, (items, last)) = tokio::try_join!(
        access(app, caller, business_id),
        app.store
            .query_page(keys::audit(business_id), None, limit, true, start),
    )?;
    access.require(Permission::AuditRead)?;
    let events = items
        .into_iter()
        .map(|item| {
            let r: crate::store::records::AuditRecord = from_item(item)?;
            Ok(AuditEventView {
                event_id: r.event_id,
                action: r.action,
                actor_urn: r.actor_urn,
                actor_idp: r.actor_idp,
                at: r.at,
                before: r.before,
                after: r.after,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let next_cursor = last.and_then(|key| {
        key.get(keys::SK)
            .and_then(|v| v.as_s().ok())
            .map(|sk| hex_encode(sk))
    });
    Ok(AuditPage {
        events,
        next_cursor,
    })
}

fn hex_encode(text: &str) -> String {
    text.bytes().map(|b| format!("{b:02x}")).collect()
}

/// The cursor is the hex of the last sort key seen; the partition comes from the path, so a
/// cursor cannot reach another business's trail.
fn decode_cursor(business_id: &BusinessId, raw: &str) -> Option<Item> {
    if raw.is_empty() || raw.len() % 2 != 0 || raw.len() > 400 {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..raw.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(raw.get(i..i + 2)?, 16).ok())
        .collect();
    let sk = String::from_utf8(bytes?).ok()?;
    Some(crate::store::dynamo::key(keys::audit(business_id), &sk))
}
