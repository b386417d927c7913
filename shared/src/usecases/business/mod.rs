//! Business accounts: activation with a shared secret, the program's terms, reading, changing
//! and closing. Each use case reads once, asks a rule in `domain::rules` for a plan, and
//! writes it.

pub mod activation;
pub mod close;
pub mod profile;
pub mod reading;
pub mod terms;

pub use activation::{activate, ActivatedView};
pub use close::close_business;
pub use profile::update_business;
pub use reading::{get_business, my_businesses, MyBusinessView};
pub use terms::{accept_terms, TermsView};

use serde::Serialize;

use crate::app::App;
use crate::domain::business::{
    BusinessAccount, BusinessStatus, Consent, LegalName, MailingAddress, OwnerContact, Permission,
    Role,
};
use crate::domain::rules::access::{Access, BusinessPartition};
use crate::domain::rules::to_do::{self, PendingTransfer, ToDo};
use crate::domain::user::User;
use crate::domain::{BusinessId, CredentialId, Program, Urn};
use crate::error::Result;
use crate::store::reads::Want;

/// The caller's account, membership and the business, in one read; 404 unless they are a
/// member of a business that is not closed.
pub(crate) async fn access(
    app: &App,
    caller: &CredentialId,
    business_id: &BusinessId,
) -> Result<Access> {
    let mut found = app
        .store
        .read(&[
            Want::User(caller),
            Want::Membership(caller, business_id),
            Want::Business(business_id),
        ])
        .await?;
    let account: Option<User> = found.next()?;
    crate::usecases::users::activity::admitted_if_any(app, account.as_ref()).await?;
    Ok(Access::of(
        caller,
        account.as_ref(),
        found.next()?,
        found.next()?,
    )?)
}

/// The business's partition (with its pending transfer if `transfer`) and, beside it, the
/// caller's account, which finds them among the members: one read round.
pub(crate) async fn among(
    app: &App,
    caller: &CredentialId,
    business_id: &BusinessId,
    transfer: bool,
) -> Result<(Access, BusinessPartition)> {
    let me = [Want::User(caller)];
    let (partition, mut found) = tokio::try_join!(
        app.store.business_partition(business_id, transfer),
        app.store.read(&me),
    )?;
    let account: Option<User> = found.next()?;
    crate::usecases::users::activity::admitted_if_any(app, account.as_ref()).await?;
    let access = Access::among(caller, account.as_ref(), &partition)?;
    Ok((access, partition))
}

/// A business account as a member sees it, with their role and what it allows.
#[derive(Debug, Serialize)]
pub struct BusinessView {
    pub business_id: BusinessId,
    pub program: Program,
    pub business_identifier: String,
    pub legal_name: LegalName,
    pub status: BusinessStatus,
    pub owner_urn: Urn,
    pub owner_contact: OwnerContact,
    pub mailing_address: MailingAddress,
    pub terms_version: Option<String>,
    pub information_sharing: Option<Consent>,
    pub created_at: String,
    pub updated_at: String,
    /// Send it back as `If-Match` to change the business only if nobody else did meanwhile.
    pub version: u64,
    /// None where the caller acts for the business through a delegation, not as a member.
    pub role: Option<Role>,
    pub permissions: &'static [Permission],
    /// Set where the caller acts for the business through a delegation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delegation: Option<reading::ActingThrough>,
    /// `GET /businesses/{id}` only: the pending ownership transfer, to its owner and to the
    /// person named (null for anyone else, or when none is pending).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ownership_transfer: Option<Option<PendingTransfer>>,
    /// What waits for the caller on this business (terms, consent, a transfer).
    pub to_do: Vec<ToDo>,
}

impl BusinessView {
    pub(crate) fn new(account: BusinessAccount, role: Role) -> Self {
        let to_do = to_do::to_do(Some(role), &account, None);
        let b = account.business;
        Self {
            business_id: b.business_id,
            program: b.program,
            business_identifier: b.identifier.as_str().to_owned(),
            legal_name: b.legal_name,
            status: b.status,
            owner_urn: b.owner_urn,
            owner_contact: b.owner_contact,
            mailing_address: account.mailing_address,
            terms_version: b.terms_version,
            information_sharing: account.information_sharing,
            created_at: b.created_at,
            updated_at: b.updated_at,
            version: b.version,
            to_do,
            role: Some(role),
            permissions: role.permissions(),
            delegation: None,
            ownership_transfer: None,
        }
    }
}
