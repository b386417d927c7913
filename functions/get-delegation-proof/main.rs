//! GET /businesses/{id}/delegations/{delegation_id}/proof: a signed statement (JWS, EdDSA) of
//! an active delegation, for a third party to check offline.
use shared::{domain::delegation::DelegationAt, http::Reply, usecases::delegations, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API_WITH_SIGNING, |app, request| async move {
        let caller = app.caller(&request)?;
        let at = DelegationAt::try_from(&request)?;
        Reply::ok(&delegations::proof(app, &caller, at).await?)
    })
    .await
}
