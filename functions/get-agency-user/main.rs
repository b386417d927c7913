//! GET /agency/users/{urn}: the support desk identifies a caller by their URN (agency officers,
//! with a second factor; every look-up is in the agency audit).
use shared::{domain::commands::UserLookup, http::Reply, usecases::support, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API, |app, request| async move {
        let caller = app.caller(&request)?;
        support::may_look_up(&caller)?;
        let lookup = UserLookup::try_from(&request)?;
        Reply::ok(&support::look_up_user(app, &caller, &lookup.urn).await?)
    })
    .await
}
