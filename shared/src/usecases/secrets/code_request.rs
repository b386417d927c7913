//! `POST /activation-code-requests`: a new code to the address on file, whatever the
//! identifier.

use crate::app::App;
use crate::clock::Fresh;
use crate::domain::commands::ActivationCodeRequest;
use crate::domain::onboarding::IdentifierSecret;
use crate::domain::rules::secrets::{self, CodeRequest};
use crate::domain::user::User;
use crate::domain::Caller;
use crate::domain::Refusal;
use crate::error::{Error, Result};
use crate::store::reads::Want;

#[derive(serde::Deserialize)]
struct Requests {
    #[serde(default)]
    count: u64,
}

/// Where the identifier is known and not yet activated, and no new code went in the last day,
/// a new code goes to the address on file; codes in hand keep working. The answer, and what
/// is read and written, are alike whatever the identifier, so it tells nobody which exist.
pub async fn request_new_code(
    app: &App,
    caller: &Caller,
    request: ActivationCodeRequest,
) -> Result<()> {
    let ActivationCodeRequest {
        program,
        identifier,
    } = request;
    let mut fresh = Fresh::draw()?;
    let me = &caller.credential;
    // One read: the caller's account, the identifier's secret, and this hour's requests.
    let mut found = app
        .store
        .read(&[
            Want::User(me),
            Want::Secret(program, &identifier),
            Want::CodeRequests(me, fresh.now.epoch / 3600),
        ])
        .await?;
    let user: Option<User> = found.next()?;
    crate::usecases::users::activity::admitted_if_any(app, user.as_ref()).await?;
    let current: Option<IdentifierSecret> = found.next()?;
    let mut request = CodeRequest {
        caller: me,
        program,
        identifier: &identifier,
        user: user.as_ref(),
        current: current.as_ref(),
        requests_this_hour: found.next::<Requests>()?.map_or(0, |r| r.count),
        letter_mailed: false,
    };
    // Drawn whatever the identifier, so a known one takes no longer to answer than another.
    let (drawn, _shown) = super::draw_secret(app.pepper()?, program, &identifier)?;
    let mut outcome = app
        .store
        .apply(secrets::renew(&request, drawn.clone(), &mut fresh)?)
        .await;
    if matches!(outcome, Err(Error::Refused(Refusal::LetterAlreadyMailed))) {
        // The newest code's letter went out meanwhile: its code is in hand, and stays good.
        request.letter_mailed = true;
        outcome = app
            .store
            .apply(secrets::renew(&request, drawn, &mut fresh)?)
            .await;
    }
    match outcome {
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
