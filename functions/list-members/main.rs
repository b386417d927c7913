//! GET /businesses/{id}/members: owner and proxy.
use shared::{
    http::{path_param, Reply},
    usecases::{businesses, members},
    Needs,
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API, |app, request| async move {
        let caller = app.caller(&request)?;
        let id = businesses::parse_business_id(path_param(&request, "id").as_deref())?;
        Reply::ok(&members::list_members(app, &caller, &id).await?)
    })
    .await
}
