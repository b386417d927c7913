//! DELETE /businesses/{id}/delegations/{delegation_id}: either side's owner ends it (declines,
//! withdraws, or ends an active one).
use shared::{domain::delegation::DelegationAt, http::Reply, usecases::delegations, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API, |app, request| async move {
        let caller = app.caller(&request)?;
        let at = DelegationAt::try_from(&request)?;
        delegations::end(app, &caller, at).await?;
        Reply::no_content()
    })
    .await
}
