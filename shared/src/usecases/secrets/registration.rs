//! `POST /registrations`: a TTP applicant registers its Business Number and gets a Client
//! Number; the activation code goes out by registered-mail letter.

use serde::Serialize;

use crate::app::App;
use crate::clock::{self, Fresh};
use crate::domain::commands::RegistrationOrder;
use crate::domain::identifier::BusinessIdentifier;
use crate::domain::rules::secrets;
use crate::domain::user::User;
use crate::domain::{Program, Refusal};
use crate::error::{Error, Result};
use crate::http::Caller;
use crate::store::reads::Want;

/// Draws of a fresh Client Number when the drawn one is taken.
const CLIENT_NUMBER_DRAWS: usize = 3;

#[derive(Debug, Serialize)]
pub struct RegistrationView {
    pub client_number: String,
    pub status: &'static str,
}

/// Once per Business Number: the write refuses a second registration and a taken Client
/// Number, which is drawn again.
pub async fn register(
    app: &App,
    caller: &Caller,
    order: RegistrationOrder,
) -> Result<RegistrationView> {
    let mut found = app.store.read(&[Want::User(&caller.credential)]).await?;
    let user: Option<User> = found.next()?;
    let mut fresh = Fresh::draw()?;
    for _ in 0..CLIENT_NUMBER_DRAWS {
        let client_number = BusinessIdentifier::client_number_from_random(u64::from_le_bytes(
            clock::random::<8>()?,
        ));
        let (drawn, _shown) = super::draw_secret(app.pepper()?, Program::Ttp, &client_number)?;
        let plan = secrets::register(
            user.as_ref(),
            &order,
            client_number.clone(),
            drawn,
            &mut fresh,
        )?;
        match app.store.apply(plan).await {
            Ok(()) => {
                return Ok(RegistrationView {
                    client_number: client_number.as_str().to_owned(),
                    status: "letter_queued",
                })
            }
            Err(Error::Refused(Refusal::ClientNumberTaken)) => continue,
            Err(e) => return Err(e),
        }
    }
    Err(Refusal::ClientNumberTaken.into())
}
