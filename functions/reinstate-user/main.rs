//! POST /agency/users/{urn}/reinstate: a retired user account works again (agency officers).
use shared::{domain::commands::UserReinstatement, http::Reply, usecases::dormancy, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API, |app, request| async move {
        let caller = app.caller(&request)?;
        let command = UserReinstatement::try_from(&request)?;
        Reply::ok(&dormancy::reinstate(app, &caller, command).await?)
    })
    .await
}
