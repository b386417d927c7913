//! PUT /businesses/{id}/delegations/{delegation_id}/agents/{urn}: the grantee's owner or a
//! proxy chooses a member to act under an active delegation, within what it grants.
use shared::{domain::delegation::AgentOrder, http::Reply, usecases::delegations, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API, |app, request| async move {
        let caller = app.caller(&request)?;
        let order = AgentOrder::try_from(&request)?;
        Reply::ok(&delegations::assign_agent(app, &caller, order).await?)
    })
    .await
}
