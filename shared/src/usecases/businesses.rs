//! Business accounts: activation with a shared secret, the program's terms, reading, changing
//! and closing. Who may do what is asked of `Role::allows`, the contract's table.

use serde_json::json;

use crate::app::App;
use crate::clock::{self, Now};
use crate::domain::business::{BusinessStatus, Permission, Role};
use crate::domain::{BusinessId, Urn};
use crate::error::{Error, Result};
use crate::http::Caller;
use crate::store::dynamo::{decode, from_item, Cond, Item, Tx};
use crate::store::keys;
use crate::store::records::{AuditRecord, BusinessRecord, MemberRecord, MembershipRecord};

// ---------------------------------------------------------------- views

pub use super::business::activation::{activate, ActivatedView};
pub use super::business::close::close_business;
pub use super::business::profile::update_business;
pub use super::business::reading::{get_business, my_businesses, MyBusinessView};
pub use super::business::terms::{accept_terms, TermsView};
pub use super::business::BusinessView;

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

/// What the audit trail keeps of a business: its fields, without keys.
pub(crate) fn business_json(record: &BusinessRecord) -> serde_json::Value {
    let mut value = serde_json::to_value(&record.business).unwrap_or_default();
    value["mailing_address"] = json!(record.mailing_address);
    value
}
