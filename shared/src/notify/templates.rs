//! Notice texts, English and French. Plain text: they are read in every mail client, and a
//! notice never carries anything a person must click.

use super::NoticeKind;
use crate::domain::business::Role;
use crate::domain::delegation::{DelegatedPermissions, DelegationNews};
use crate::domain::{Language, Program};

fn role_en(role: Role) -> &'static str {
    match role {
        Role::Owner => "Account Owner",
        Role::Proxy => "proxy",
        Role::User => "account user",
        Role::Browser => "account browser",
    }
}

fn role_fr(role: Role) -> &'static str {
    match role {
        Role::Owner => "titulaire du compte",
        Role::Proxy => "mandataire",
        Role::User => "utilisateur du compte",
        Role::Browser => "observateur du compte",
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
}

const SIGNATURE_EN: &str =
    "\n\nThis is an automated notice from the trade portal. Do not reply to this message.";
const SIGNATURE_FR: &str =
    "\n\nCeci est un avis automatique du portail commercial. Ne répondez pas à ce message.";

/// `secret` is the opened shared secret or e-mail code, for the kinds of notice that carry one.
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
        (NoticeKind::RoleGranted { name, legal_name, role }, Language::En) => (
            format!("You were added to the business account of {legal_name}"),
            format!("Hello {name},\n\nYou were added to the business account of {legal_name} as {}.", role_en(*role)),
        ),
        (NoticeKind::RoleGranted { name, legal_name, role }, Language::Fr) => (
            format!("Vous avez été ajouté au compte d'entreprise de {legal_name}"),
            format!("Bonjour {name},\n\nVous avez été ajouté au compte d'entreprise de {legal_name} à titre de {}.", role_fr(*role)),
        ),
        (NoticeKind::RoleChanged { name, legal_name, from_role, to_role }, Language::En) => (
            format!("Your role in the business account of {legal_name} changed"),
            format!(
                "Hello {name},\n\nYour role in the business account of {legal_name} changed from {} to {}.",
                role_en(*from_role),
                role_en(*to_role)
            ),
        ),
        (NoticeKind::RoleChanged { name, legal_name, from_role, to_role }, Language::Fr) => (
            format!("Votre rôle dans le compte d'entreprise de {legal_name} a changé"),
            format!(
                "Bonjour {name},\n\nVotre rôle dans le compte d'entreprise de {legal_name} est passé de {} à {}.",
                role_fr(*from_role),
                role_fr(*to_role)
            ),
        ),
        (NoticeKind::RoleRemoved { name, legal_name }, Language::En) => (
            format!("You were removed from the business account of {legal_name}"),
            format!("Hello {name},\n\nYou no longer have access to the business account of {legal_name}."),
        ),
        (NoticeKind::RoleRemoved { name, legal_name }, Language::Fr) => (
            format!("Vous avez été retiré du compte d'entreprise de {legal_name}"),
            format!("Bonjour {name},\n\nVous n'avez plus accès au compte d'entreprise de {legal_name}."),
        ),
        (NoticeKind::TransferRequested { name, legal_name, other, to_you: true, expires_at }, Language::En) => (
            format!("You are named the new owner of the business account of {legal_name}"),
            format!(
                "Hello {name},\n\n{other}, the Account Owner of {legal_name}, asked to transfer the ownership of the \
                 business account to you. Accept it in the portal before {expires_at}."
            ),
        ),
        (NoticeKind::TransferRequested { name, legal_name, other, to_you: true, expires_at }, Language::Fr) => (
            format!("Vous êtes désigné nouveau titulaire du compte d'entreprise de {legal_name}"),
            format!(
                "Bonjour {name},\n\n{other}, titulaire du compte de {legal_name}, a demandé de vous transférer le compte \
                 d'entreprise. Acceptez le transfert dans le portail avant le {expires_at}."
            ),
        ),
        (NoticeKind::TransferRequested { name, legal_name, other, to_you: false, expires_at }, Language::En) => (
            format!("Ownership transfer of the business account of {legal_name} requested"),
            format!(
                "Hello {name},\n\nYou asked to transfer the ownership of the business account of {legal_name} to \
                 {other}. It completes when they accept it, before {expires_at}; you can cancel it until then."
            ),
        ),
        (NoticeKind::TransferRequested { name, legal_name, other, to_you: false, expires_at }, Language::Fr) => (
            format!("Transfert du compte d'entreprise de {legal_name} demandé"),
            format!(
                "Bonjour {name},\n\nVous avez demandé de transférer le compte d'entreprise de {legal_name} à {other}. \
                 Le transfert sera fait lorsqu'il l'acceptera, avant le {expires_at}; vous pouvez l'annuler d'ici là."
            ),
        ),
        (NoticeKind::TransferCompleted { name, legal_name, other, to_you: true }, Language::En) => (
            format!("You are now the owner of the business account of {legal_name}"),
            format!("Hello {name},\n\nYou are now the Account Owner of {legal_name}. {other} is now a proxy."),
        ),
        (NoticeKind::TransferCompleted { name, legal_name, other, to_you: true }, Language::Fr) => (
            format!("Vous êtes maintenant titulaire du compte d'entreprise de {legal_name}"),
            format!("Bonjour {name},\n\nVous êtes maintenant titulaire du compte de {legal_name}. {other} est maintenant mandataire."),
        ),
        (NoticeKind::TransferCompleted { name, legal_name, other, to_you: false }, Language::En) => (
            format!("Ownership of the business account of {legal_name} transferred"),
            format!("Hello {name},\n\n{other} is now the Account Owner of {legal_name}. You are now a proxy."),
        ),
        (NoticeKind::TransferCompleted { name, legal_name, other, to_you: false }, Language::Fr) => (
            format!("Compte d'entreprise de {legal_name} transféré"),
            format!("Bonjour {name},\n\n{other} est maintenant titulaire du compte de {legal_name}. Vous êtes maintenant mandataire."),
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
        (NoticeKind::OwnerRetired { name, legal_name, owner, owner_urn }, Language::En) => (
            format!("The owner of the business account of {legal_name} was retired"),
            format!(
                "Hello {name},\n\nThe user account of {owner} (URN {owner_urn}), the Account Owner of {legal_name}, was \
                 retired after two years without use. You remain a proxy. To recover the ownership of the business \
                 account, contact the agency."
            ),
        ),
        (NoticeKind::OwnerRetired { name, legal_name, owner, owner_urn }, Language::Fr) => (
            format!("Le titulaire du compte d'entreprise de {legal_name} a été retiré"),
            format!(
                "Bonjour {name},\n\nLe compte d'utilisateur de {owner} (NRU {owner_urn}), titulaire du compte de \
                 {legal_name}, a été retiré après deux ans sans utilisation. Vous demeurez mandataire. Pour récupérer \
                 la propriété du compte d'entreprise, communiquez avec l'agence."
            ),
        ),
        (NoticeKind::OwnerRecovered { name, legal_name, new_owner, role }, Language::En) => (
            format!("New Account Owner for the business account of {legal_name}"),
            format!(
                "Hello {name},\n\nThe agency allowed an owner recovery for the business account of {legal_name}: \
                 {new_owner} is now its Account Owner, and the former owner is now a proxy. Every other member, the \
                 consent history and the audit trail are unchanged. Your role: {}.\n\
                 If you think this is a mistake, contact the agency at once.",
                role_en(*role)
            ),
        ),
        (NoticeKind::OwnerRecovered { name, legal_name, new_owner, role }, Language::Fr) => (
            format!("Nouveau titulaire du compte d'entreprise de {legal_name}"),
            format!(
                "Bonjour {name},\n\nL'agence a permis la reprise du compte d'entreprise de {legal_name} : \
                 {new_owner} en est maintenant titulaire, et l'ancien titulaire est maintenant mandataire. Les autres \
                 membres, l'historique des consentements et le journal d'audit ne changent pas. Votre rôle : {}.\n\
                 Si vous croyez qu'il s'agit d'une erreur, communiquez immédiatement avec l'agence.",
                role_fr(*role)
            ),
        ),
        (NoticeKind::Delegation { name, legal_name, news, grantor, grantee, program, permissions, ends_on }, language) => {
            delegation(*news, language, &DelegationText { name: name.as_str(), legal_name: legal_name.as_str(), grantor, grantee, program: *program, permissions: *permissions, ends_on })
        }
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

struct DelegationText<'a> {
    name: &'a str,
    legal_name: &'a str,
    grantor: &'a str,
    grantee: &'a str,
    program: Program,
    permissions: DelegatedPermissions,
    ends_on: &'a str,
}

/// A delegation's news, the same for both owners: what happened, then the delegation itself.
fn delegation(
    news: DelegationNews,
    language: Language,
    d: &DelegationText<'_>,
) -> (String, String) {
    use DelegationNews as N;
    let (subject, what) = match (news, language) {
        (N::Offered, Language::En) => ("A delegation was offered", "The grantor offered the delegation below. It takes effect once the grantee's Account Owner accepts it."),
        (N::Offered, Language::Fr) => ("Une délégation a été offerte", "Le mandant a offert la délégation ci-dessous. Elle prend effet lorsque le titulaire du compte du mandataire l'accepte."),
        (N::Requested, Language::En) => ("A delegation was requested", "The grantee asked for the delegation below. It takes effect once the grantor's Account Owner approves it."),
        (N::Requested, Language::Fr) => ("Une délégation a été demandée", "Le mandataire a demandé la délégation ci-dessous. Elle prend effet lorsque le titulaire du compte du mandant l'approuve."),
        (N::Accepted | N::Approved, Language::En) => ("A delegation is now active", "The delegation below is now active: the grantee's chosen people may act for the grantor within it."),
        (N::Accepted | N::Approved, Language::Fr) => ("Une délégation est maintenant active", "La délégation ci-dessous est maintenant active : les personnes choisies par le mandataire peuvent agir pour le mandant dans ses limites."),
        (N::Declined, Language::En) => ("A delegation was declined", "The delegation below was declined. It never took effect."),
        (N::Declined, Language::Fr) => ("Une délégation a été refusée", "La délégation ci-dessous a été refusée. Elle n'a jamais pris effet."),
        (N::Withdrawn, Language::En) => ("A delegation was withdrawn", "The delegation below was withdrawn before an answer. It never took effect."),
        (N::Withdrawn, Language::Fr) => ("Une délégation a été retirée", "La délégation ci-dessous a été retirée avant une réponse. Elle n'a jamais pris effet."),
        (N::Ended, Language::En) => ("A delegation was ended", "The delegation below was ended. Nobody acts under it any more."),
        (N::Ended, Language::Fr) => ("Une délégation a pris fin", "Il a été mis fin à la délégation ci-dessous. Personne n'agit plus en vertu de celle-ci."),
        (N::Expired, Language::En) => ("A delegation has expired", "The delegation below reached its end date. Nobody acts under it any more."),
        (N::Expired, Language::Fr) => ("Une délégation est échue", "La délégation ci-dessous a atteint sa date de fin. Personne n'agit plus en vertu de celle-ci."),
        (N::EndingSoon, Language::En) => ("A delegation ends in 30 days", "The delegation below ends in 30 days. To keep it, the grantor grants a new one."),
        (N::EndingSoon, Language::Fr) => ("Une délégation prend fin dans 30 jours", "La délégation ci-dessous prend fin dans 30 jours. Pour la conserver, le mandant en accorde une nouvelle."),
        (N::Closed, Language::En) => ("A delegation ended: a business closed its account", "The delegation below ended because one of the two businesses closed its account. Nobody acts under it any more."),
        (N::Closed, Language::Fr) => ("Une délégation a pris fin : une entreprise a fermé son compte", "La délégation ci-dessous a pris fin parce que l'une des deux entreprises a fermé son compte. Plus personne n'agit en vertu de celle-ci."),
    };
    let body = match language {
        Language::En => format!(
            "Hello {},\n\n{what}\n\n    Grantor: {}\n    Grantee: {}\n    Program: {}\n    Permissions: {}\n    End date: {}\n\n\
             Both businesses see it, with who did what, under Delegations in the portal ({}).",
            d.name, d.grantor, d.grantee, d.program.rules().name_en,
            match d.permissions { DelegatedPermissions::View => "view only", DelegatedPermissions::ViewSubmit => "view and submit" },
            d.ends_on, d.legal_name,
        ),
        Language::Fr => format!(
            "Bonjour {},\n\n{what}\n\n    Mandant : {}\n    Mandataire : {}\n    Programme : {}\n    Autorisations : {}\n    Date de fin : {}\n\n\
             Les deux entreprises la voient, avec qui a fait quoi, sous Délégations dans le portail ({}).",
            d.name, d.grantor, d.grantee, d.program.rules().name_fr,
            match d.permissions { DelegatedPermissions::View => "consultation seulement", DelegatedPermissions::ViewSubmit => "consultation et soumission" },
            d.ends_on, d.legal_name,
        ),
    };
    (subject.to_owned(), body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{PersonName, Program, Urn};

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

    #[test]
    fn every_delegation_news_has_its_own_words_in_both_languages() {
        use DelegationNews as N;
        let news = [
            N::Offered,
            N::Requested,
            N::Accepted,
            N::Approved,
            N::Declined,
            N::Withdrawn,
            N::Ended,
            N::Expired,
            N::EndingSoon,
            N::Closed,
        ];
        let mut subjects = std::collections::HashSet::new();
        for n in news {
            let kind = NoticeKind::Delegation {
                name: PersonName::parse("Alex").unwrap(),
                legal_name: crate::domain::business::LegalName::parse("Border Brokers Inc.")
                    .unwrap(),
                news: n,
                grantor: "Northern Freight Ltd. (8ABC)".into(),
                grantee: "8XYZ".into(),
                program: Program::Emanifest,
                permissions: DelegatedPermissions::View,
                ends_on: "2027-06-30".into(),
            };
            let (en, fr) = (
                render(&kind, Language::En, None),
                render(&kind, Language::Fr, None),
            );
            for r in [&en, &fr] {
                assert!(
                    r.text.contains("8XYZ") && r.text.contains("2027-06-30"),
                    "{n:?}"
                );
            }
            assert!(en.text.contains("view only") && fr.text.contains("consultation seulement"));
            assert_ne!(en.subject, fr.subject, "{n:?}");
            subjects.insert(en.subject);
        }
        // Accepted and approved read alike; every other news has its own subject.
        assert_eq!(subjects.len(), news.len() - 1);
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
