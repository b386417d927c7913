//! Notices about a business account: activation, roles, ownership transfer, and an owner who
//! retired or was replaced through the agency.

use super::NoticeKind;
use crate::domain::business::Role;
use crate::domain::Language;

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

pub(super) fn text(kind: &NoticeKind, language: Language) -> (String, String) {
    match (kind, language) {
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
        (other, _) => unreachable!("not a business account's notice: {other:?}"),
    }
}
