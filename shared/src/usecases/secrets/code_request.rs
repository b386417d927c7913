//! `POST /activation-code-requests`: a new code to the address on file, whatever the
//! identifier.

use crate::app::App;
use crate::clock::Fresh;
use crate::domain::commands::ActivationCodeRequest;
use crate::domain::onboarding::IdentifierSecret;
use crate::domain::rules::secrets;
use crate::domain::user::User;
use crate::error::{Error, Result};
use crate::http::Caller;
use crate::store::reads::Want;

/// Where the identifier is known and not yet activated, a new code goes to the address on file
/// and the old one stops working. The answer is the same whatever the identifier, so it tells
/// nobody which identifiers exist.
pub async fn request_new_code(
    app: &App,
    caller: &Caller,
    request: ActivationCodeRequest,
) -> Result<()> {
    let ActivationCodeRequest {
        program,
        identifier,
    } = request;
    // One read: the caller's account and the identifier's secret together.
    let mut found = app
        .store
        .read(&[
            Want::User(&caller.credential),
            Want::Secret(program, &identifier),
        ])
        .await?;
    let user: Option<User> = found.next()?;
    let current: Option<IdentifierSecret> = found.next()?;
    // Drawn whatever the identifier, so a known one takes no longer to answer than another.
    let (drawn, _shown) = super::draw_secret(app.pepper()?, program, &identifier)?;
    let plan = secrets::renew(user.as_ref(), current.as_ref(), drawn, &mut Fresh::draw()?)?;
    match app.store.apply(plan).await {
        Ok(()) => Ok(()),
        // Someone else changed it meanwhile (a new secret or an activation): nothing to add.
        Err(Error::Refused(refusal)) => {
            tracing::info!(
                ?refusal,
                "new-code request overtaken by a concurrent change"
            );
            Ok(())
        }
        Err(e) => Err(e),
    }
}
