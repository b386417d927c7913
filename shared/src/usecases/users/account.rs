//! `POST /users`, `GET /users/me`, `PATCH /users/me`.

use crate::app::App;
use crate::clock::{self, Fresh};
use crate::domain::rules::{accounts, email_feedback};
use crate::domain::Caller;
use crate::domain::{NewUser, Refusal, Urn, UserPatch};
use crate::error::{Error, Result};
use crate::store::reads::Want;

use super::UserView;

/// Draws of a fresh random URN when the drawn one is taken (one in a billion per draw).
const URN_DRAWS: usize = 3;

/// `POST /users`: one user account per credential, with a URN nobody else has, and its notice.
/// Nothing is read first: the write refuses a second account and a taken URN.
pub async fn create_user(app: &App, caller: &Caller, new: NewUser) -> Result<UserView> {
    let mut fresh = Fresh::draw()?;
    for _ in 0..URN_DRAWS {
        let urn = Urn::from_random(u64::from_le_bytes(clock::random::<8>()?));
        let (plan, user) = accounts::open(&caller.credential, new.clone(), urn, &mut fresh)?;
        match app.store.apply(plan).await {
            Ok(()) => return Ok(user.into()),
            Err(Error::Refused(Refusal::UrnTaken)) => continue,
            Err(e) => return Err(e),
        }
    }
    Err(Refusal::UrnTaken.into())
}

/// `GET /users/me`.
pub async fn get_me(app: &App, caller: &Caller) -> Result<UserView> {
    let mut found = app.store.read(&[Want::User(&caller.credential)]).await?;
    let user = accounts::own(found.next()?)?;
    super::activity::admitted(app, &user).await?;
    // `ses-feedback` copies an address's mark onto the account it belongs to: one read.
    let status = email_feedback::status_of(&user);
    Ok(UserView {
        email_status: Some(status),
        ..user.into()
    })
}

/// `PATCH /users/me`: written over the version read, so a concurrent change is never lost. A
/// new e-mail waits for the code drawn for it here.
pub async fn update_me(app: &App, caller: &Caller, mut patch: UserPatch) -> Result<UserView> {
    let asked = match patch.email.take() {
        Some(email) => Some(super::email_change::draw_code(app.pepper()?, email)?),
        None => None,
    };
    let mut found = app.store.read(&[Want::User(&caller.credential)]).await?;
    let user: Option<crate::domain::user::User> = found.next()?;
    super::activity::admitted_if_any(app, user.as_ref()).await?;
    let (plan, after) = accounts::change_profile(user, patch, asked, &mut Fresh::draw()?)?;
    app.store.apply(plan).await?;
    Ok(after.into())
}
