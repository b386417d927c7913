//! The lists: a business's delegations, given and received, as its owners and proxies see
//! them.

use crate::app::App;
use crate::clock;
use crate::domain::business::Permission;
use crate::domain::delegation::{Day, DelegationsQuery};
use crate::domain::rules::delegation as rules;
use crate::domain::Caller;
use crate::error::Result;
use crate::usecases::business;

use super::views::DelegationView;

/// `GET /businesses/{id}/delegations?direction=`: the caller's access, then one Query of the
/// business's lists (kept by its identifier, which the first read gives).
pub async fn list(
    app: &App,
    caller: &Caller,
    query: DelegationsQuery,
) -> Result<Vec<DelegationView>> {
    let access = business::access(app, &caller.credential, &query.business_id).await?;
    access.require(Permission::MembersList)?;
    let b = &access.business.business;
    let read = app
        .store
        .delegation_lists(b.program, &b.identifier, query.direction)
        .await?;
    let today = Day::of(clock::now().epoch);
    let shown = rules::list(&access, read, query.direction, today)?;
    Ok(shown
        .into_iter()
        .filter_map(|d| {
            let side = d.side_of(&access.business)?;
            Some(DelegationView::new(d, side))
        })
        .collect())
}
