//! Notices about an identifier's shared secret: a new secret or code, a request for one, and
//! wrong tries piling up.

use super::NoticeKind;
use crate::domain::Language;

pub(super) fn text(kind: &NoticeKind, language: Language, secret: &str) -> (String, String) {
    match (kind, language) {
        (NoticeKind::SharedSecretIssued { program, legal_name, business_identifier, expires_at, recovery: true, .. }, Language::En) => (
            format!("Your owner recovery secret for the {}", program.rules().name_en),
            format!(
                "Hello,\n\nAt your request, the agency issued an owner recovery secret for the business account of \
                 {legal_name} ({business_identifier}).\n\n    {secret}\n\n\
                 The person who activates with it, with the identifier above, becomes the Account Owner of the existing \
                 business account; the current owner becomes a proxy, and every member is told. It can be used once and \
                 expires on {expires_at}. Keep it confidential. If you did not ask for it, contact the agency at once."
            ),
        ),
        (NoticeKind::SharedSecretIssued { program, legal_name, business_identifier, expires_at, recovery: true, .. }, Language::Fr) => (
            format!("Votre secret de reprise du compte pour le {}", program.rules().name_fr),
            format!(
                "Bonjour,\n\nÀ votre demande, l'agence a émis un secret de reprise du compte d'entreprise de \
                 {legal_name} ({business_identifier}).\n\n    {secret}\n\n\
                 La personne qui l'utilise, avec l'identifiant ci-dessus, devient titulaire du compte d'entreprise \
                 existant; le titulaire actuel devient mandataire, et chaque membre en est avisé. Il ne peut servir \
                 qu'une fois et expire le {expires_at}. Gardez-le confidentiel. Si vous ne l'avez pas demandé, \
                 communiquez immédiatement avec l'agence."
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
        (NoticeKind::NewCodeRequested { program, legal_name, business_identifier }, Language::En) => (
            format!("A new activation code was asked for: {}", program.rules().name_en),
            format!(
                "Hello,\n\nSomeone asked for a new activation code for {legal_name} ({business_identifier}). If a new \
                 code is sent, it goes to the address or e-mail the agency has on file, never to the person who asked.\n\
                 A code you already hold still works until it expires or a code for this business is used.\n\
                 If nobody at your business asked for it, you need not do anything; tell the agency if it happens again."
            ),
        ),
        (NoticeKind::NewCodeRequested { program, legal_name, business_identifier }, Language::Fr) => (
            format!("Un nouveau code d'activation a été demandé : {}", program.rules().name_fr),
            format!(
                "Bonjour,\n\nQuelqu'un a demandé un nouveau code d'activation pour {legal_name} ({business_identifier}). \
                 Si un nouveau code est envoyé, il va à l'adresse ou au courriel que l'agence a au dossier, jamais à la \
                 personne qui l'a demandé.\nUn code que vous détenez déjà reste valide jusqu'à son expiration ou jusqu'à \
                 ce qu'un code pour cette entreprise soit utilisé.\nSi personne dans votre entreprise ne l'a demandé, vous \
                 n'avez rien à faire; avisez l'agence si cela se reproduit."
            ),
        ),
        (NoticeKind::WrongTriesPilingUp { program, business_identifier, wrong_tries }, Language::En) => (
            format!("Wrong activation codes are being tried: {}", program.rules().name_en),
            format!(
                "Hello,\n\n{wrong_tries} wrong activation codes have been tried for the identifier \
                 {business_identifier} since its code was issued. The identifier is not locked, and a code held by the \
                 business still works; each person trying is stopped after a few wrong tries.\n\
                 If this is not your business trying, keep your code confidential and tell the agency."
            ),
        ),
        (NoticeKind::WrongTriesPilingUp { program, business_identifier, wrong_tries }, Language::Fr) => (
            format!("Des codes d'activation erronés sont essayés : {}", program.rules().name_fr),
            format!(
                "Bonjour,\n\n{wrong_tries} codes d'activation erronés ont été essayés pour l'identifiant \
                 {business_identifier} depuis l'émission de son code. L'identifiant n'est pas verrouillé, et un code \
                 détenu par l'entreprise reste valide; chaque personne qui essaie est arrêtée après quelques essais \
                 erronés.\nSi ce n'est pas votre entreprise qui essaie, gardez votre code confidentiel et avisez l'agence."
            ),
        ),
        (other, _) => unreachable!("not a shared secret's notice: {other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::render;
    use super::*;
    use crate::domain::Program;

    #[test]
    fn code_notices_say_it_in_both_languages_and_carry_no_code() {
        let kinds = [
            NoticeKind::NewCodeRequested {
                program: Program::Ttp,
                legal_name: crate::domain::business::LegalName::parse("Les Transports Boréal inc.")
                    .unwrap(),
                business_identifier: "P12345671".into(),
            },
            NoticeKind::WrongTriesPilingUp {
                program: Program::Cers,
                business_identifier: "123456782RM0001".into(),
                wrong_tries: 26,
            },
        ];
        for kind in kinds {
            let en = render(&kind, Language::En, Some("SECRET"));
            let fr = render(&kind, Language::Fr, Some("SECRET"));
            assert_ne!(en.subject, fr.subject, "{kind:?}");
            for text in [&en.text, &fr.text] {
                assert!(!text.contains("SECRET"), "{kind:?}");
                assert!(
                    text.contains("P12345671") || text.contains("123456782RM0001"),
                    "{kind:?}"
                );
            }
        }
    }
}
