//! `POST /businesses`: identifier + shared secret → a business account, the caller its owner;
//! with an owner-recovery secret, the caller takes over the business that holds the identifier.

use serde::Serialize;

use crate::app::App;
use crate::clock::Fresh;
use crate::domain::business::BusinessStatus;
use crate::domain::commands::Activation as Command;
use crate::domain::rules::activation::{self, Activation, ActivationState, Attempt};
use crate::domain::rules::recovery;
use crate::domain::Caller;
use crate::domain::Refusal;
use crate::domain::{BusinessId, Email};
use crate::error::{Error, Result};
use crate::store::reads::Want;
use crate::usecases::secrets::secret_hash;

#[derive(Debug, Serialize)]
pub struct ActivatedView {
    pub business_id: BusinessId,
    pub status: BusinessStatus,
}

/// The agency's mailbox for wrong tries piling up, where one is configured (a malformed one
/// is logged and left out: the try is still answered).
fn agency_mailbox(app: &App) -> Option<Email> {
    let configured = app.config.agency_notice_email.as_deref()?;
    Email::parse(configured)
        .inspect_err(|_| tracing::error!("AGENCY_NOTICE_EMAIL is not an e-mail address"))
        .ok()
}

#[derive(serde::Deserialize)]
struct Attempts {
    #[serde(default)]
    count: u64,
}

pub async fn activate(app: &App, caller: &Caller, command: Command) -> Result<ActivatedView> {
    let mut fresh = Fresh::draw()?;
    let me = &caller.credential;
    // One read: the caller, the identifier's secret, the caller's own wrong tries on it and
    // this hour's attempts.
    let mut found = app
        .store
        .read(&[
            Want::User(me),
            Want::Secret(command.program, &command.identifier),
            Want::Tries(command.program, &command.identifier, me),
            Want::Attempts(me, fresh.now.epoch / 3600),
        ])
        .await?;
    let user: Option<crate::domain::user::User> = found.next()?;
    crate::usecases::users::activity::admitted_if_any(app, user.as_ref()).await?;
    let state = ActivationState {
        caller: me.clone(),
        user,
        secret: found.next()?,
        my_tries: found.next()?,
        attempts_this_hour: found.next::<Attempts>()?.map_or(0, |a| a.count),
        agency: agency_mailbox(app),
    };
    let hash = secret_hash(
        app.pepper()?,
        command.program,
        &command.identifier,
        &command.secret,
    );
    let attempt = Attempt {
        program: command.program,
        identifier: command.identifier,
        secret_hash: hash,
        owner_contact: command.owner_contact,
    };
    match activation::decide(&state, attempt.clone(), &mut fresh)? {
        Activation::Opens { plan, business_id } => {
            app.store.apply(plan).await?;
            Ok(ActivatedView {
                business_id,
                status: BusinessStatus::Activated,
            })
        }
        // Owner recovery: the business is known only from the secret, so it is read now
        // (a second round, only for a holder of the right recovery secret).
        Activation::Recovers { business_id } => {
            let partition = app.store.business_partition(&business_id, true).await?;
            let (plan, after) = recovery::take_over(&state, attempt, &partition, &mut fresh)?;
            app.store.apply(plan).await?;
            Ok(ActivatedView {
                business_id,
                status: after.business.status,
            })
        }
        Activation::Wrong { plan, refusal } => {
            app.store.apply(plan).await?;
            // A wrong try refused as "locked" is the one that locked this credential out of
            // the identifier (one already locked is refused before any try is counted): the one
            // event no plan names.
            if refusal == Refusal::SecretLocked {
                crate::metrics::emit(&[(crate::metrics::Metric::Locks, 1)]);
            }
            if matches!(refusal, Refusal::SecretLocked | Refusal::WrongSecret { .. }) {
                tracing::info!(
                    program = command.program.as_str(),
                    ?refusal,
                    "wrong identifier/secret pair"
                );
            }
            Err(Error::Refused(refusal))
        }
    }
}
