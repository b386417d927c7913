//! `POST /users/me/email-confirmation`, and the code `PATCH /users/me` draws for a new
//! address. Only the code's keyed hash is kept on the account; the notice to the new address
//! carries it sealed until SES has the message.

use crate::app::App;
use crate::clock::{self, Fresh};
use crate::domain::code;
use crate::domain::commands::EmailConfirmation;
use crate::domain::rules::email_change::{self, Confirmation, DrawnCode, EmailAsked};
use crate::domain::rules::step_up;
use crate::domain::Caller;
use crate::domain::Email;
use crate::error::{Error, Result};
use crate::secrets::Pepper;
use crate::store::reads::Want;

use super::UserView;

/// What the pepper hashes e-mail codes as (so the hash is worth nothing for anything else).
const EMAIL_CODE_PURPOSE: &str = "email-change";

/// The keyed hash of a code, bound to the address it was sent to: a code confirms only the
/// address it went to.
fn code_hash(pepper: &Pepper, email: &Email, code: &str) -> String {
    pepper.hash(EMAIL_CODE_PURPOSE, &format!("{email}\u{0}{code}"))
}

/// A new six-digit code for `email` from the system's CSPRNG: its hash and the code sealed.
pub(super) fn draw_code(pepper: &Pepper, email: Email) -> Result<EmailAsked> {
    let shown = loop {
        if let Some(digits) = code::six_digits(clock::random::<4>()?) {
            break digits;
        }
    };
    let code = DrawnCode {
        hash: code_hash(pepper, &email, &shown),
        sealed: pepper.seal(&shown)?,
    };
    Ok(EmailAsked { email, code })
}

/// `POST /users/me/email-confirmation`: the code sent to the new address makes it the
/// account's e-mail. A wrong or late code is written too (counted, or the change dropped),
/// then refused.
pub async fn confirm_email(
    app: &App,
    caller: &Caller,
    confirmation: EmailConfirmation,
) -> Result<UserView> {
    let fresh = Fresh::draw()?;
    // A stolen session alone must not finish moving the account's e-mail (RFC 9470 step-up).
    step_up::recent(&caller.sign_in, fresh.now.epoch)?;
    let mut found = app.store.read(&[Want::User(&caller.credential)]).await?;
    let user: Option<crate::domain::user::User> = found.next()?;
    super::activity::admitted_if_any(app, user.as_ref()).await?;
    let pepper = app.pepper()?;
    let typed = |email: &Email| code_hash(pepper, email, &confirmation.code);
    match email_change::confirm(user, typed, &fresh)? {
        Confirmation::Confirmed { plan, user } => {
            app.store.apply(plan).await?;
            Ok((*user).into())
        }
        Confirmation::Refused { plan, refusal } => {
            app.store.apply(plan).await?;
            tracing::info!(?refusal, "e-mail change code refused");
            Err(Error::Refused(refusal))
        }
    }
}
