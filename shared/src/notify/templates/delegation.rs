//! A delegation's news, the same for both owners: what happened, then the delegation itself.

use super::NoticeKind;
use crate::domain::delegation::{DelegatedPermissions, DelegationNews};
use crate::domain::{Language, Program};

pub(super) fn text(kind: &NoticeKind, language: Language) -> (String, String) {
    match kind {
        NoticeKind::Delegation {
            name,
            legal_name,
            news,
            grantor,
            grantee,
            program,
            permissions,
            ends_on,
        } => delegation(
            *news,
            language,
            &DelegationText {
                name: name.as_str(),
                legal_name: legal_name.as_str(),
                grantor,
                grantee,
                program: *program,
                permissions: *permissions,
                ends_on,
            },
        ),
        other => unreachable!("not a delegation's notice: {other:?}"),
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
    use super::super::render;
    use super::*;
    use crate::domain::{PersonName, Program};

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
}
