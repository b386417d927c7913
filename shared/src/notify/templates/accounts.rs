//! Notices about a person's own user account: their URN, a move to another credential, a change
//! of e-mail address, and dormancy.

use super::NoticeKind;
use crate::domain::Language;

pub(super) fn text(kind: &NoticeKind, language: Language, secret: &str) -> (String, String) {
    match (kind, language) {
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
        (NoticeKind::CredentialTransferStarted { name, urn, expires_at }, Language::En) => (
            "A code to move your user account was issued".to_owned(),
            format!(
                "Hello {name},\n\nA one-time code was issued to move your user account (URN {urn}) to another sign-in \
                 credential. It can be used until {expires_at}.\nIf you did not ask for it, sign in and change your \
                 password at once, and contact the agency."
            ),
        ),
        (NoticeKind::CredentialTransferStarted { name, urn, expires_at }, Language::Fr) => (
            "Un code pour transférer votre compte d'utilisateur a été émis".to_owned(),
            format!(
                "Bonjour {name},\n\nUn code à usage unique a été émis pour lier votre compte d'utilisateur (NRU {urn}) à \
                 un autre justificatif d'ouverture de session. Il peut servir jusqu'au {expires_at}.\nSi vous ne l'avez pas \
                 demandé, ouvrez une session et changez votre mot de passe immédiatement, et communiquez avec l'agence."
            ),
        ),
        (NoticeKind::EmailChangeAsked { name, new_email }, Language::En) => (
            "A change of e-mail address was asked for your user account".to_owned(),
            format!(
                "Hello {name},\n\nSomeone signed in to your user account asked to change its e-mail address to \
                 {new_email}. Nothing changes until a code sent to that address is entered in the portal; until then \
                 notices keep coming here.\nIf you did not ask for it, sign in and change your e-mail address back, \
                 change your password, and contact the agency."
            ),
        ),
        (NoticeKind::EmailChangeAsked { name, new_email }, Language::Fr) => (
            "Un changement d'adresse courriel a été demandé pour votre compte d'utilisateur".to_owned(),
            format!(
                "Bonjour {name},\n\nUne personne connectée à votre compte d'utilisateur a demandé de remplacer son adresse \
                 courriel par {new_email}. Rien ne change tant qu'un code envoyé à cette adresse n'est pas saisi dans le \
                 portail; d'ici là, les avis continuent d'arriver ici.\nSi vous ne l'avez pas demandé, ouvrez une session \
                 et remettez votre adresse, changez votre mot de passe et communiquez avec l'agence."
            ),
        ),
        (NoticeKind::EmailChangeCode { name, expires_at, .. }, Language::En) => (
            "Your code to confirm your new e-mail address".to_owned(),
            format!(
                "Hello {name},\n\nTo make this address the e-mail of your trade portal user account, enter this code \
                 in the portal:\n\n    {secret}\n\nIt works until {expires_at}. If you did not ask for this change, \
                 ignore this message: nothing changes without the code."
            ),
        ),
        (NoticeKind::EmailChangeCode { name, expires_at, .. }, Language::Fr) => (
            "Votre code pour confirmer votre nouvelle adresse courriel".to_owned(),
            format!(
                "Bonjour {name},\n\nPour faire de cette adresse le courriel de votre compte d'utilisateur du portail \
                 commercial, saisissez ce code dans le portail :\n\n    {secret}\n\nIl est valide jusqu'au {expires_at}. \
                 Si vous n'avez pas demandé ce changement, ignorez ce message : rien ne change sans le code."
            ),
        ),
        (NoticeKind::AccountDormant { name, urn, retires_on }, Language::En) => (
            "Your trade portal user account will be retired".to_owned(),
            format!(
                "Hello {name},\n\nYour user account (URN {urn}) has not been used for almost two years. Unless you \
                 sign in to the trade portal before {retires_on}, it will be retired on that day: your sign-in will no \
                 longer give access to it until the agency reinstates it."
            ),
        ),
        (NoticeKind::AccountDormant { name, urn, retires_on }, Language::Fr) => (
            "Votre compte d'utilisateur du portail commercial sera retiré".to_owned(),
            format!(
                "Bonjour {name},\n\nVotre compte d'utilisateur (NRU {urn}) n'a pas été utilisé depuis près de deux ans. \
                 À moins que vous n'ouvriez une session dans le portail commercial avant le {retires_on}, il sera retiré \
                 ce jour-là : votre justificatif ne donnera plus accès au compte tant que l'agence ne l'aura pas rétabli."
            ),
        ),
        (other, _) => unreachable!("not a user account's notice: {other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::render;
    use super::*;
    use crate::domain::{PersonName, Urn};

    #[test]
    fn urn_confirmation_carries_the_urn_in_both_languages() {
        let urn = Urn::from_random(42);
        let kind = NoticeKind::UrnConfirmation {
            name: PersonName::parse("Alex").unwrap(),
            urn: urn.clone(),
        };
        let en = render(&kind, Language::En, None);
        let fr = render(&kind, Language::Fr, None);
        assert!(en.text.contains(urn.as_str()) && fr.text.contains(urn.as_str()));
        assert!(en.text.contains("User Reference Number"));
        assert!(fr.text.contains("numéro de référence"));
        assert_ne!(en.subject, fr.subject);
    }

    /// The code goes only in the message to the new address; the current one is told of the
    /// change without it.
    #[test]
    fn an_email_change_tells_the_old_address_and_gives_the_new_one_its_code() {
        let name = PersonName::parse("Alex").unwrap();
        let asked = NoticeKind::EmailChangeAsked {
            name: name.clone(),
            new_email: crate::domain::Email::parse("new@example.com").unwrap(),
        };
        let code = NoticeKind::EmailChangeCode {
            name,
            sealed: "5ea1ed".into(),
            expires_at: "2026-11-23T12:00:00Z".into(),
        };
        for language in [Language::En, Language::Fr] {
            let told = render(&asked, language, None);
            assert!(told.text.contains("new@example.com"), "{language:?}");
            let sent = render(&code, language, Some("042137"));
            assert!(sent.text.contains("    042137\n"), "{language:?}");
            assert!(!sent.text.contains("5ea1ed"), "{language:?}");
        }
    }

    #[test]
    fn dormancy_notices_say_it_in_both_languages() {
        let urn = Urn::from_random(42);
        let name = PersonName::parse("Alex").unwrap();
        let dormant = NoticeKind::AccountDormant {
            name: name.clone(),
            urn: urn.clone(),
            retires_on: "2026-12-18".into(),
        };
        let retired = NoticeKind::OwnerRetired {
            name: PersonName::parse("Sam").unwrap(),
            legal_name: crate::domain::business::LegalName::parse("Maple Freight Inc.").unwrap(),
            owner: name,
            owner_urn: urn.clone(),
        };
        let cases = [
            (&dormant, Language::En, "2026-12-18", "retired"),
            (&dormant, Language::Fr, "2026-12-18", "retiré"),
            (&retired, Language::En, "Maple Freight Inc.", "recover"),
            (&retired, Language::Fr, "Maple Freight Inc.", "récupérer"),
        ];
        for (kind, language, named, says) in cases {
            let r = render(kind, language, None);
            assert!(r.text.contains(urn.as_str()), "{language:?}: {}", r.text);
            assert!(r.text.contains(named), "{language:?}: {}", r.text);
            assert!(r.text.contains(says), "{language:?}: {}", r.text);
        }
    }
}
