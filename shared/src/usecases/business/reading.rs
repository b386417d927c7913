//! `GET /businesses/{id}` and `GET /users/me/businesses`.

use serde::Serialize;

use crate::app::App;
use crate::domain::business::{BusinessStatus, LegalName, Permission, Role};
use crate::domain::{BusinessId, Program, Refusal};
use crate::error::Result;
use crate::http::Caller;

use super::BusinessView;

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

pub async fn get_business(
    app: &App,
    caller: &Caller,
    business_id: &BusinessId,
) -> Result<BusinessView> {
    let access = super::access(app, &caller.credential, business_id).await?;
    let role = access.role();
    Ok(BusinessView::new(access.business, role))
}

/// One Query of the caller's partition (their user account and every membership), then one
/// BatchGetItem of those businesses: a closed business whose memberships are not all ended yet
/// (a big one, whose follow-up ends them after the close answered) is not listed, nor is a
/// membership of another URN (left under this credential by a credential transfer still being
/// moved).
pub async fn my_businesses(app: &App, caller: &Caller) -> Result<Vec<MyBusinessView>> {
    let partition = app.store.user_partition(&caller.credential).await?;
    let user = partition.user.ok_or(Refusal::NoUserAccount)?;
    crate::usecases::users::activity::admitted(app, &user).await?;
    let mine: Vec<_> = partition
        .memberships
        .into_iter()
        .filter(|m| m.urn == user.urn)
        .collect();
    let ids: Vec<BusinessId> = mine.iter().map(|m| m.business_id.clone()).collect();
    let open = app.store.open_businesses(&ids).await?;
    Ok(mine
        .into_iter()
        .filter(|m| open.contains(&m.business_id))
        .map(|m| MyBusinessView {
            business_id: m.business_id,
            program: m.program,
            legal_name: m.legal_name,
            status: m.status,
            role: m.role,
            permissions: m.role.permissions(),
        })
        .collect())
}
