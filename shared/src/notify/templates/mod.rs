//! Notice texts, English and French. Plain text: they are read in every mail client, and a
//! notice never carries anything a person must click.

use super::NoticeKind;
use crate::domain::Language;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
}

const SIGNATURE_EN: &str =
    "\n\nThis is an automated notice from the trade portal. Do not reply to this message.";
const SIGNATURE_FR: &str =
    "\n\nCeci est un avis automatique du portail commercial. Ne répondez pas à ce message.";

mod accounts;
mod business;
mod codes;
mod delegation;

/// `secret` is the opened shared secret or e-mail code, for the kinds of notice that carry one.
pub fn render(kind: &NoticeKind, language: Language, secret: Option<&str>) -> Rendered {
    let secret = secret.unwrap_or_default();
    let (subject, body) = match kind {
        NoticeKind::UrnConfirmation { .. }
        | NoticeKind::CredentialTransferred { .. }
        | NoticeKind::CredentialTransferStarted { .. }
        | NoticeKind::EmailChangeAsked { .. }
        | NoticeKind::EmailChangeCode { .. }
        | NoticeKind::AccountDormant { .. } => accounts::text(kind, language, secret),
        NoticeKind::SharedSecretIssued { .. }
        | NoticeKind::NewCodeRequested { .. }
        | NoticeKind::WrongTriesPilingUp { .. } => codes::text(kind, language, secret),
        NoticeKind::BusinessActivated { .. }
        | NoticeKind::RoleGranted { .. }
        | NoticeKind::RoleChanged { .. }
        | NoticeKind::RoleRemoved { .. }
        | NoticeKind::TransferRequested { .. }
        | NoticeKind::TransferCompleted { .. }
        | NoticeKind::OwnerRetired { .. }
        | NoticeKind::OwnerRecovered { .. } => business::text(kind, language),
        NoticeKind::Delegation { .. } => delegation::text(kind, language),
    };
    let signature = match language {
        Language::En => SIGNATURE_EN,
        Language::Fr => SIGNATURE_FR,
    };
    Rendered {
        subject,
        text: body + signature,
    }
}
