//! Dormant user accounts: the daily sweep (warn 30 days before two years without a request,
//! retire on the day) and an officer's reinstatement. The sweep reads the index by day, a
//! week back from each day it handles, and each account's write checks it is still as read.

use serde::Serialize;

use crate::app::App;
use crate::clock::{self, Fresh};
use crate::domain::business::{BusinessStatus, Role};
use crate::domain::commands::UserReinstatement;
use crate::domain::rules::dormancy::{self, OwnedBusiness};
use crate::domain::rules::step_up;
use crate::domain::user::{UrnEntry, User};
use crate::domain::Caller;
use crate::domain::Urn;
use crate::error::{Error, Result};
use crate::store::reads::Want;

/// What one run of the sweep did (logged by the schedule).
#[derive(Debug, Default, Serialize)]
pub struct SweepSummary {
    pub warned: u32,
    pub retired: u32,
    /// Accounts that made a request (or were handled by another run) between the read and
    /// the write.
    pub skipped: u32,
}

/// The daily sweep. A failure of the store stops the run; the next run makes it up.
pub async fn sweep(app: &App) -> Result<SweepSummary> {
    let today = dormancy::day_of(clock::now().epoch);
    let mut summary = SweepSummary::default();
    for day in dormancy::sweep_days(today).read() {
        for user in app.store.last_active_on(day).await? {
            let mut fresh = Fresh::draw()?;
            let (plan, retiring) = match dormancy::warn(&user, today, &mut fresh) {
                Some(plan) => (plan, false),
                None => {
                    // Checked before reading what it owns: most accounts of the day are not due.
                    if dormancy::retire(&user, &[], today, &mut fresh).is_none() {
                        continue;
                    }
                    let owned = owned_businesses(app, &user).await?;
                    match dormancy::retire(&user, &owned, today, &mut fresh) {
                        Some(plan) => (plan, true),
                        None => continue,
                    }
                }
            };
            match app.store.apply(plan).await {
                Ok(()) if retiring => summary.retired += 1,
                Ok(()) => summary.warned += 1,
                Err(Error::Refused(_)) => summary.skipped += 1,
                Err(e) => return Err(e),
            }
        }
    }
    Ok(summary)
}

/// The open businesses `user` owns, each with its proxies' contacts from the URN index.
async fn owned_businesses(app: &App, user: &User) -> Result<Vec<OwnedBusiness>> {
    let partition = app.store.user_partition(&user.credential).await?;
    let mut owned = Vec::new();
    for membership in partition.memberships {
        if membership.role != Role::Owner || membership.urn != user.urn {
            continue;
        }
        let business = app
            .store
            .business_partition(&membership.business_id, false)
            .await?;
        let Some(account) = business.business else {
            continue;
        };
        if account.business.status == BusinessStatus::Closed {
            continue;
        }
        let proxies: Vec<&Urn> = business
            .members
            .iter()
            .filter(|m| m.role == Role::Proxy)
            .map(|m| &m.urn)
            .collect();
        let mut contacts = Vec::new();
        if !proxies.is_empty() {
            let wants: Vec<Want> = proxies.iter().map(|u| Want::Urn(u)).collect();
            let mut found = app.store.read(&wants).await?;
            for _ in &proxies {
                if let Some(entry) = found.next::<UrnEntry>()? {
                    contacts.push(entry.contact());
                }
            }
        }
        owned.push(OwnedBusiness {
            legal_name: account.business.legal_name,
            proxies: contacts,
        });
    }
    Ok(owned)
}

#[derive(Debug, Serialize)]
pub struct ReinstatedView {
    pub urn: Urn,
    pub status: &'static str,
}

/// `POST /agency/users/{urn}/reinstate` (officers, with a second factor).
pub async fn reinstate(
    app: &App,
    caller: &Caller,
    command: UserReinstatement,
) -> Result<ReinstatedView> {
    step_up::agency_only(caller.agency_officer, &caller.sign_in)?;
    // Two reads, one after the other: the URN says whose account. A rare request.
    let entry: Option<UrnEntry> = app.store.read(&[Want::Urn(&command.urn)]).await?.next()?;
    let user: Option<User> = match &entry {
        Some(entry) => app
            .store
            .read(&[Want::User(&entry.credential)])
            .await?
            .next()?,
        None => None,
    };
    let user = user.filter(|u| u.urn == command.urn);
    let (plan, after) =
        dormancy::reinstate(&caller.credential, user.as_ref(), &mut Fresh::draw()?)?;
    app.store.apply(plan).await?;
    Ok(ReinstatedView {
        urn: after.urn,
        status: "active",
    })
}
