//! GET /.well-known/delegation-keys (public): the keys proofs of delegation are signed with.
use shared::{http::Reply, usecases::delegations, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::PUBLIC_SIGNING, |app, _request| async move {
        Reply::ok(&delegations::proof_keys(app).await?)
    })
    .await
}
