//! GET /agency/businesses?program=&identifier= (or ?business_number=): the support desk finds a
//! business by its identifier (agency officers, with a second factor; in the agency audit).
use shared::{domain::commands::BusinessLookup, http::Reply, usecases::support, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API, |app, request| async move {
        let caller = app.caller(&request)?;
        support::may_look_up(&caller)?;
        let lookup = BusinessLookup::try_from(&request)?;
        Reply::ok(&support::look_up_business(app, &caller, lookup).await?)
    })
    .await
}
