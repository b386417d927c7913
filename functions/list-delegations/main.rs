//! GET /businesses/{id}/delegations?direction=given|received: what the business gives and
//! receives, open and closed, with who did what.
use shared::{domain::delegation::DelegationsQuery, http::Reply, usecases::delegations, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API, |app, request| async move {
        let caller = app.caller(&request)?;
        let query = DelegationsQuery::try_from(&request)?;
        Reply::ok(&delegations::list(app, &caller, query).await?)
    })
    .await
}
