//! DELETE /businesses/{id}/delegations/{delegation_id}/agents/{urn}: a person no longer acts
//! under the delegation.
use shared::{domain::delegation::AgentOrder, http::Reply, usecases::delegations, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API, |app, request| async move {
        let caller = app.caller(&request)?;
        let order = AgentOrder::try_from(&request)?;
        delegations::remove_agent(app, &caller, order).await?;
        Reply::no_content()
    })
    .await
}
