//! POST /businesses/{id}/delegations/{delegation_id}/accept: the owner of the side the
//! delegation waits for accepts the offer or approves the request.
use shared::{domain::delegation::DelegationAt, http::Reply, usecases::delegations, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API, |app, request| async move {
        let caller = app.caller(&request)?;
        let at = DelegationAt::try_from(&request)?;
        Reply::ok(&delegations::accept(app, &caller, at).await?)
    })
    .await
}
