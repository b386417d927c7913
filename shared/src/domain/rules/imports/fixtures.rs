//! What the import rules' tests share: an officer, a Client Number, an import and a drawn secret.

use super::*;
pub(super) use crate::domain::identifier::BusinessIdentifier;
pub(super) use crate::domain::import::ImportId;
pub(super) use crate::domain::onboarding::SecretPurpose;
pub(super) use crate::domain::programs::Delivery;
pub(super) use crate::domain::Idp;

pub(super) const T0: i64 = 1_795_000_000;
// Valid identifiers of each program, and the Business Numbers they go with.
pub(super) const BN: &str = "123456782";

pub(super) fn officer() -> CredentialId {
    CredentialId::new(Idp::SignInPartner, "officer-3").unwrap()
}

pub(super) fn client_number() -> String {
    BusinessIdentifier::client_number_from_random(1_234_567)
        .as_str()
        .to_owned()
}

pub(super) fn import() -> Import {
    let (_, import) = start(
        &officer(),
        None,
        ImportStart {
            import_id: ImportId::parse(&"c".repeat(64)).unwrap(),
            file_name: "members.csv".into(),
            rows: 3,
        },
        &mut Fresh::fixed(T0),
    );
    import
}

pub(super) fn drawn() -> DrawnSecret {
    DrawnSecret {
        hash: "hash-1".into(),
        sealed: "sealed-1".into(),
    }
}
