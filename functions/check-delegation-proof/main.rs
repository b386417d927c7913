//! POST /delegation-proofs/check (public) `{proof}`: whether a proof of delegation still holds.
use shared::{domain::delegation::ProofCheck, http::Reply, usecases::delegations, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::PUBLIC_SIGNING, |app, request| async move {
        let check = ProofCheck::try_from(&request)?;
        Reply::ok(&delegations::check_proof(app, check).await?)
    })
    .await
}
