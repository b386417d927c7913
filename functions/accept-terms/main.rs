//! POST /businesses/{id}/terms: the owner accepts the program's terms → authorized.
use shared::{
    http::{path_param, Reply},
    usecases::businesses,
    Needs,
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API, |app, request| async move {
        let caller = app.caller(&request)?;
        let id = businesses::parse_business_id(path_param(&request, "id").as_deref())?;
        let version = businesses::parse_terms(request.body())?;
        Reply::ok(&businesses::accept_terms(app, &caller, &id, &version).await?)
    })
    .await
}
