//! POST /businesses/{id}/delegations: the owner offers another business (by program and
//! identifier) a delegation; 202 whatever the identifier, until its owner answers.
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
        Reply::accepted(&delegations::open(app, &caller, command, Side::Grantor).await?)
    })
    .await
}
