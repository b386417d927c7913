//! `GET /businesses/{id}/members`, and a member's role given, changed or taken away
//! (`PUT`/`DELETE /businesses/{id}/members/{urn}`).

use serde::Serialize;

use crate::app::App;
use crate::clock::Fresh;
use crate::domain::business::{Permission, Role};
use crate::domain::commands::{MembersQuery, PutMember, RemoveMember};
use crate::domain::member::Member;
use crate::domain::rules::access::Access;
use crate::domain::rules::roles;
use crate::domain::user::{UrnEntry, User};
use crate::domain::Caller;
use crate::domain::{BusinessId, PersonName, Urn};
use crate::error::{Error, Result};
use crate::store::members::MembersCursor;
use crate::store::reads::Want;
use crate::usecases::business;

#[derive(Debug, Serialize)]
pub struct MemberView {
    pub urn: Urn,
    pub name: PersonName,
    pub role: Role,
    pub since: String,
    /// Send it back as `If-Match` to change this member only if nobody else did meanwhile.
    pub version: u64,
}

impl From<Member> for MemberView {
    fn from(m: Member) -> Self {
        Self {
            urn: m.urn,
            name: m.name,
            role: m.role,
            since: m.since,
            version: m.version,
        }
    }
}

/// `GET /businesses/{id}/members`: one Query of the business's partition, the caller found
/// among the members.
pub async fn list_members(app: &App, caller: &Caller, query: &MembersQuery) -> Result<MembersPage> {
    // A cursor no page gave is refused before anything is read.
    let cursor = match query.cursor.as_deref() {
        None => None,
        Some(raw) => Some(
            MembersCursor::parse(raw)
                .ok_or_else(|| Error::invalid("cursor", "is not a cursor from this list"))?,
        ),
    };
    let id = &query.business_id;
    // One read round: the page is read beside the caller's access and shown only if allowed.
    let (access, (members, next)) = tokio::try_join!(
        business::access(app, &caller.credential, id),
        app.store.members_page(id, query.limit, cursor.as_ref()),
    )?;
    access.require(Permission::MembersList)?;
    Ok(MembersPage {
        members: members.into_iter().map(MemberView::from).collect(),
        next_cursor: next.map(|c| c.to_string()),
    })
}

/// A page of members, and where the next one starts (the function sends it as a `Link`
/// header: the body stays the list of members).
pub struct MembersPage {
    pub members: Vec<MemberView>,
    pub next_cursor: Option<String>,
}

/// One read for a change to a member: the caller's membership and the business, who the URN
/// belongs to, and their membership if they have one.
async fn member_change(
    app: &App,
    caller: &Caller,
    business_id: &BusinessId,
    urn: &Urn,
) -> Result<(Access, Option<UrnEntry>, Option<Member>)> {
    let me = &caller.credential;
    let mut found = app
        .store
        .read(&[
            Want::User(me),
            Want::Membership(me, business_id),
            Want::Business(business_id),
            Want::Urn(urn),
            Want::Member(business_id, urn),
        ])
        .await?;
    let account: Option<User> = found.next()?;
    crate::usecases::users::activity::admitted_if_any(app, account.as_ref()).await?;
    let access = Access::of(me, account.as_ref(), found.next()?, found.next()?)?;
    Ok((access, found.next()?, found.next()?))
}

/// `PUT /businesses/{id}/members/{urn}`: grants or changes a role.
pub async fn put_member(app: &App, caller: &Caller, command: PutMember) -> Result<MemberView> {
    let (access, person, current) =
        member_change(app, caller, &command.business_id, &command.urn).await?;
    let (plan, member) = roles::put(
        &access,
        &command,
        person.as_ref(),
        current.as_ref(),
        &mut Fresh::draw()?,
    )?;
    app.store.apply(plan).await?;
    Ok(member.into())
}

/// `DELETE /businesses/{id}/members/{urn}`.
pub async fn remove_member(app: &App, caller: &Caller, command: RemoveMember) -> Result<()> {
    let (access, person, current) =
        member_change(app, caller, &command.business_id, &command.urn).await?;
    let plan = roles::remove(
        &access,
        &command,
        person.as_ref(),
        current.as_ref(),
        &mut Fresh::draw()?,
    )?;
    app.store.apply(plan).await
}
