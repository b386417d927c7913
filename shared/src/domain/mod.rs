//! The portal's domain: identifiers, people, programs and the rules over them.
//! Pure: no AWS, no I/O. Everything here is built once at the edge and trusted after.

pub mod audit;
pub mod business;
pub mod code;
pub mod commands;
pub mod credential;
pub mod identifier;
pub mod ids;
pub mod member;
pub mod notice;
pub mod onboarding;
pub mod person;
pub mod plan;
pub mod programs;
pub mod refusal;
pub mod rules;
pub mod shared_secret;
pub mod urn;
pub mod user;

pub use commands::{NewUser, UserPatch};
pub use credential::{CredentialId, Idp};
pub use ids::{BusinessId, LetterId};
pub use person::{Email, Language, PersonName, PhoneNumber};
pub use plan::{Change, Plan};
pub use programs::{Program, PORTAL_TERMS_VERSION};
pub use refusal::{Changed, Refusal};
pub use urn::Urn;
pub use user::UserAccount;
