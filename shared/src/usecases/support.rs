//! The support desk (`GET /agency/users/{urn}`, `GET /agency/businesses`): an officer with a
//! second factor looks up a caller or a business. The look-up goes into the agency audit
//! first, found or not; then the keys that exist lead to the answer, never a scan.

use crate::app::App;
use crate::clock::{self, Fresh};
use crate::domain::agency_audit::AgencyAction;
use crate::domain::business::BusinessAccount;
use crate::domain::commands::BusinessLookup;
use crate::domain::onboarding::{IdentifierSecret, Letter, Registration};
use crate::domain::rules::step_up;
use crate::domain::rules::support::{self, BusinessCard, BusinessFound, UserCard};
use crate::domain::user::UrnEntry;
use crate::domain::Caller;
use crate::domain::Urn;
use crate::error::Result;
use crate::store::reads::{UserPartition, Want};

/// Keys one BatchGetItem takes.
const BATCH: usize = 100;

/// Whether the caller may use the support desk: an agency officer with a second factor
/// (checked before the request is read).
pub fn may_look_up(caller: &Caller) -> Result<()> {
    Ok(step_up::agency_only(
        caller.agency_officer,
        &caller.sign_in,
    )?)
}

/// `GET /agency/users/{urn}`: URN index → the account's partition (its memberships) → their
/// businesses (for the identifiers), one round each.
pub async fn look_up_user(app: &App, caller: &Caller, urn: &Urn) -> Result<UserCard> {
    step_up::agency_only(caller.agency_officer, &caller.sign_in)?;
    let mut fresh = Fresh::draw()?;
    let audit = support::looked_up(
        &caller.credential,
        AgencyAction::UserLookedUp,
        urn.to_string(),
        &mut fresh,
    );
    app.store.apply(audit).await?;
    let entry: Option<UrnEntry> = app.store.read(&[Want::Urn(urn)]).await?.next()?;
    let account = match &entry {
        Some(entry) => app.store.user_partition(&entry.credential).await?,
        None => UserPartition::default(),
    };
    let mut businesses: Vec<Option<BusinessAccount>> = Vec::new();
    for chunk in account.memberships.chunks(BATCH) {
        let wants: Vec<Want> = chunk
            .iter()
            .map(|m| Want::Business(&m.business_id))
            .collect();
        let mut found = app.store.read(&wants).await?;
        for _ in chunk {
            businesses.push(found.next()?);
        }
    }
    Ok(support::user_card(
        urn,
        entry.as_ref(),
        account.user.as_ref(),
        &account.memberships,
        &businesses,
    )?)
}

/// `GET /agency/businesses`: (a TTP Business Number's registration →) the identifier's secret
/// item → the business partition it names and the letter of its newest code.
pub async fn look_up_business(
    app: &App,
    caller: &Caller,
    lookup: BusinessLookup,
) -> Result<BusinessCard> {
    step_up::agency_only(caller.agency_officer, &caller.sign_in)?;
    let mut fresh = Fresh::draw()?;
    let concerned = match &lookup {
        BusinessLookup::Identifier(_, identifier) => identifier.as_str().to_owned(),
        BusinessLookup::BusinessNumber(bn) => bn.as_str().to_owned(),
    };
    let audit = support::looked_up(
        &caller.credential,
        AgencyAction::BusinessLookedUp,
        concerned,
        &mut fresh,
    );
    app.store.apply(audit).await?;
    let (program, identifier, registration) = match lookup {
        BusinessLookup::Identifier(program, identifier) => (program, identifier, None),
        BusinessLookup::BusinessNumber(bn) => {
            let registration: Option<Registration> = app
                .store
                .read(&[Want::Registration(bn.as_str())])
                .await?
                .next()?;
            let Some(registration) = registration else {
                return Err(crate::domain::Refusal::NoSuchBusiness.into());
            };
            let client_number = registration.client_number.clone();
            (
                crate::domain::Program::Ttp,
                client_number,
                Some(registration),
            )
        }
    };
    let secret: Option<IdentifierSecret> = app
        .store
        .read(&[Want::Secret(program, &identifier)])
        .await?
        .next()?;
    let business_id = secret.as_ref().and_then(|s| s.business_id.clone());
    let letter_id = secret.as_ref().and_then(|s| s.letter_id.clone());
    let partition = async {
        match &business_id {
            Some(id) => app.store.business_partition(id, false).await.map(Some),
            None => Ok(None),
        }
    };
    let letter = async {
        match &letter_id {
            Some(id) => app.store.read(&[Want::Letter(id)]).await?.next::<Letter>(),
            None => Ok(None),
        }
    };
    let (partition, letter) = tokio::try_join!(partition, letter)?;
    let found = BusinessFound {
        program,
        identifier: &identifier,
        secret: secret.as_ref(),
        registration: registration.as_ref(),
        partition: partition.as_ref(),
        letter: letter.as_ref(),
    };
    Ok(support::business_card(&found, clock::now().epoch)?)
}
