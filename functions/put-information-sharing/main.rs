//! PUT /businesses/{id}/information-sharing: the owner gives or withdraws CADI consent.
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
        let order = members::parse_consent(request.body())?;
        Reply::ok(&members::record_consent(app, &caller, &id, order).await?)
    })
    .await
}
