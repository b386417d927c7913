//! POST /businesses/{id}/delegations: the owner offers another business (by program and
//! identifier) a delegation; 202 whatever the identifier, until its owner answers.
//! At most once per `Idempotency-Key`: a retried request gets the first answer, and offers
//! or asks nothing twice.
use shared::{
    domain::delegation::{OpenDelegation, Side},
    domain::BusinessId,
    http::Reply,
    usecases::delegations,
    Needs,
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::lambda::serve_idempotent(
        Needs::API_WITH_PEPPER,
        |app, caller, request| async move {
            let business_id = BusinessId::try_from(&request)?;
            delegations::may_open(app, &caller, &business_id).await
        },
        |app, caller, request| async move {
            let command = OpenDelegation::try_from(&request)?;
            Reply::accepted(&delegations::open(app, &caller, command, Side::Grantor).await?)
        },
    )
    .await
}
