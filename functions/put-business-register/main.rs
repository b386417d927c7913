//! PUT /agency/business-register/{business_number}: the agency's own record of a business
//! (agency officers); registrations of it are mailed to its address.
use shared::{domain::commands::RegisterEdit, http::Reply, usecases::agency, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API, |app, request| async move {
        let caller = app.caller(&request)?;
        let edit = RegisterEdit::try_from(&request)?;
        Reply::ok(&agency::edit_register(app, &caller, edit).await?)
    })
    .await
}
