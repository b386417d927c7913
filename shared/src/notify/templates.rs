//! Notice texts, English and French. Plain text: they are read in every mail client, and a
//! notice never carries anything a person must click.

use super::NoticeKind;
use crate::domain::Language;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
}

const SIGNATURE_EN: &str = "\n\nThis is an automated notice from the trade portal. Do not reply to this message.";
const SIGNATURE_FR: &str = "\n\nCeci est un avis automatique du portail commercial. Ne répondez pas à ce message.";

/// `secret` is the opened shared secret, for the one kind of notice that carries it.
pub fn render(kind: &NoticeKind, language: Language, secret: Option<&str>) -> Rendered {
    let secret = secret.unwrap_or_default();
    let (subject, body) = match (kind, language) {
        (NoticeKind::UrnConfirmation { name, urn }, Language::En) => (
            "Your trade portal user account".to_owned(),
            format!(
                "Hello {name},\n\nYour user account has been created. Your User Reference Number (URN) is {urn}.\n\
                 Give this number to a business account owner who wants to add you to their business account."
            ),
        ),
        (NoticeKind::UrnConfirmation { name, urn }, Language::Fr) => (
            "Votre compte d'utilisateur du portail commercial".to_owned(),
            format!(
                "Bonjour {name},\n\nVotre compte d'utilisateur a été créé. Votre numéro de référence de l'utilisateur (NRU) est {urn}.\n\
                 Donnez ce numéro au titulaire d'un compte d'entreprise qui souhaite vous ajouter à son compte."
            ),
        ),
        (NoticeKind::CredentialTransferred { name, urn }, Language::En) => (
            "Your sign-in credential was changed".to_owned(),
            format!(
                "Hello {name},\n\nYour user account (URN {urn}) now answers to a new sign-in credential; the previous \
                 credential no longer gives access to it.\nIf you did not do this, contact the agency at once."
            ),
        ),
        (NoticeKind::CredentialTransferred { name, urn }, Language::Fr) => (
            "Votre justificatif d'ouverture de session a changé".to_owned(),
            format!(
                "Bonjour {name},\n\nVotre compte d'utilisateur (NRU {urn}) est maintenant lié à un nouveau justificatif \
                 d'ouverture de session; l'ancien ne donne plus accès au compte.\nSi vous n'êtes pas à l'origine de ce \
                 changement, communiquez immédiatement avec l'agence."
            ),
        ),
        (NoticeKind::SharedSecretIssued { program, legal_name, business_identifier, expires_at, .. }, Language::En) => (
            format!("Your shared secret for the {}", program.rules().name_en),
            format!(
                "Hello,\n\nA shared secret was issued for {legal_name} ({business_identifier}).\n\n    {secret}\n\n\
                 The authorized officer uses it, with the identifier above, to activate the business account in the \
                 portal. It can be used once and expires on {expires_at}. Keep it confidential."
            ),
        ),
        (NoticeKind::SharedSecretIssued { program, legal_name, business_identifier, expires_at, .. }, Language::Fr) => (
            format!("Votre secret partagé pour le {}", program.rules().name_fr),
            format!(
                "Bonjour,\n\nUn secret partagé a été émis pour {legal_name} ({business_identifier}).\n\n    {secret}\n\n\
                 L'agent autorisé l'utilise, avec l'identifiant ci-dessus, pour activer le compte d'entreprise dans le \
                 portail. Il ne peut servir qu'une fois et expire le {expires_at}. Gardez-le confidentiel."
            ),
        ),
        (NoticeKind::BusinessActivated { name, legal_name, program, business_identifier }, Language::En) => (
            "Business account activated".to_owned(),
            format!(
                "Hello {name},\n\nThe business account of {legal_name} ({business_identifier}) in the {} is activated, \
                 and you are its Account Owner.\nAccept the program's terms and conditions in the portal to start using it.",
                program.rules().name_en
            ),
        ),
        (NoticeKind::BusinessActivated { name, legal_name, program, business_identifier }, Language::Fr) => (
            "Compte d'entreprise activé".to_owned(),
            format!(
                "Bonjour {name},\n\nLe compte d'entreprise de {legal_name} ({business_identifier}) dans le {} est activé, \
                 et vous en êtes le titulaire.\nAcceptez les modalités du programme dans le portail pour commencer à l'utiliser.",
                program.rules().name_fr
            ),
        ),
    };
    let signature = match language {
        Language::En => SIGNATURE_EN,
        Language::Fr => SIGNATURE_FR,
    };
    Rendered { subject, text: body + signature }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{PersonName, Urn};

    #[test]
    fn urn_confirmation_carries_the_urn_in_both_languages() {
        let urn = Urn::from_random(42);
        let kind = NoticeKind::UrnConfirmation { name: PersonName::parse("Alex").unwrap(), urn: urn.clone() };
        let en = render(&kind, Language::En, None);
        let fr = render(&kind, Language::Fr, None);
        assert!(en.text.contains(urn.as_str()) && fr.text.contains(urn.as_str()));
        assert!(en.text.contains("User Reference Number"));
        assert!(fr.text.contains("numéro de référence"));
        assert_ne!(en.subject, fr.subject);
    }
}
