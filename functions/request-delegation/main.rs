//! POST /businesses/{id}/delegation-requests: the owner asks another business (by program and
//! identifier) to let this one act for it; 202 whatever the identifier.
use shared::{
    domain::delegation::{OpenDelegation, Side},
    http::Reply,
    usecases::delegations,
    Needs,
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API, |app, request| async move {
        let caller = app.caller(&request)?;
        let command = OpenDelegation::try_from(&request)?;
        Reply::accepted(&delegations::open(app, &caller, command, Side::Grantee).await?)
    })
    .await
}
