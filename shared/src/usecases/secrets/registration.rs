//! `POST /registrations`: a TTP applicant registers its Business Number; the Client Number and
//! the activation code go by registered mail, to the address in the agency's business register
//! (or, where it has none, once an officer approves the letter). Never in the answer.

use serde::Serialize;

use crate::app::App;
use crate::clock::{self, Fresh};
use crate::domain::commands::RegistrationOrder;
use crate::domain::identifier::BusinessIdentifier;
use crate::domain::onboarding::{RegisterEntry, Registration};
use crate::domain::rules::secrets;
use crate::domain::user::User;
use crate::domain::Caller;
use crate::domain::{Program, Refusal};
use crate::error::{Error, Result};
use crate::store::reads::Want;

/// Draws of a fresh Client Number when the drawn one is taken.
const CLIENT_NUMBER_DRAWS: usize = 3;

/// The one answer, whatever the Business Number: it tells nobody whether it was registered.
#[derive(Debug, Serialize)]
pub struct RegistrationView {
    pub status: &'static str,
}

const RECEIVED: RegistrationView = RegistrationView { status: "received" };

/// Once per Business Number: registered already, or meanwhile, writes nothing and is answered
/// alike. A taken Client Number is drawn again.
pub async fn register(
    app: &App,
    caller: &Caller,
    order: RegistrationOrder,
) -> Result<RegistrationView> {
    let bn = &order.business_number;
    let mut found = app
        .store
        .read(&[
            Want::User(&caller.credential),
            Want::Registration(bn.as_str()),
            Want::RegisterEntry(bn),
        ])
        .await?;
    let user: Option<User> = found.next()?;
    crate::usecases::users::activity::admitted_if_any(app, user.as_ref()).await?;
    let registered: Option<Registration> = found.next()?;
    let on_register: Option<RegisterEntry> = found.next()?;
    let mut fresh = Fresh::draw()?;
    for _ in 0..CLIENT_NUMBER_DRAWS {
        let client_number = BusinessIdentifier::client_number_from_random(u64::from_le_bytes(
            clock::random::<8>()?,
        ));
        // Drawn whatever was read, so a registered Business Number answers no faster.
        let (drawn, _shown) = super::draw_secret(app.pepper()?, Program::Ttp, &client_number)?;
        let plan = secrets::register(
            user.as_ref(),
            registered.as_ref(),
            on_register.as_ref(),
            &order,
            client_number,
            drawn,
            &mut fresh,
        )?;
        match app.store.apply(plan).await {
            Ok(()) | Err(Error::Refused(Refusal::AlreadyRegistered)) => return Ok(RECEIVED),
            Err(Error::Refused(Refusal::ClientNumberTaken)) => continue,
            Err(e) => return Err(e),
        }
    }
    Err(Refusal::ClientNumberTaken.into())
}
