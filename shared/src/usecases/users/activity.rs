//! Every request with a user account's credential passes here once its account is read: a
//! retired account gets 403, and the day's first request records the day (one conditional
//! update a day; every later request that day writes nothing more).

use crate::app::App;
use crate::clock;
use crate::domain::rules::dormancy;
use crate::domain::user::User;
use crate::error::{Error, Result};

/// `user` (the caller's account, as read) may go on; its activity is recorded for today.
pub(crate) async fn admitted(app: &App, user: &User) -> Result<()> {
    let today = dormancy::day_of(clock::now().epoch);
    let Some(plan) = dormancy::on_request(user, today)? else {
        return Ok(());
    };
    match app.store.apply(plan).await {
        // Another request of the day recorded it first (or the account was retired since:
        // the next request is refused).
        Ok(()) | Err(Error::Refused(_)) => Ok(()),
        Err(e) => Err(e),
    }
}

/// `admitted`, for an account that may not exist (the use case refuses that itself).
pub(crate) async fn admitted_if_any(app: &App, user: Option<&User>) -> Result<()> {
    match user {
        Some(user) => admitted(app, user).await,
        None => Ok(()),
    }
}
