//! Members of a business account: roles by URN, ownership transfer, information-sharing
//! consent, and the audit trail. Each use case reads once, asks a rule in `domain::rules`
//! (`roles`, `ownership`, `consent`) for a plan, and writes it.

pub mod audit;
pub mod consent;
pub mod ownership;
pub mod roles;

pub use audit::{audit_page, AuditEventView, AuditPage};
pub use consent::record_consent;
pub use ownership::{
    accept_transfer, cancel_transfer, may_request_transfer, request_transfer, TransferView,
};
pub use roles::{list_members, put_member, remove_member, MemberView};
