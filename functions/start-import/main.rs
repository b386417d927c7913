//! POST /agency/imports: an agency officer starts the batch import of a file of current
//! members (or finds the import of the same file, named by its SHA-256).
use shared::{domain::import::ImportStart, http::Reply, usecases::imports, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API, |app, request| async move {
        let caller = app.caller(&request)?;
        imports::may_import(&caller)?;
        let order = ImportStart::try_from(&request)?;
        let view = imports::start_import(app, &caller, order).await?;
        if view.created {
            Reply::created(&view)
        } else {
            Reply::ok(&view)
        }
    })
    .await
}
