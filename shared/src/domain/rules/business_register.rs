//! The agency's business register: its own record of each business (from the Business Number
//! registry), which an officer edits. A registration's letter goes to the address on it.

use crate::clock::Fresh;
use crate::domain::agency_audit::{AgencyAction, AgencyAuditEvent};
use crate::domain::commands::RegisterEdit;
use crate::domain::onboarding::RegisterEntry;
use crate::domain::plan::{Change, Plan};
use crate::domain::{Changed, CredentialId};

/// `PUT /agency/business-register/{business_number}`: an officer (`secrets::agency_only`)
/// puts the record as given, whatever was there; the agency audit names the Business Number.
pub fn edit(
    officer: &CredentialId,
    edit: RegisterEdit,
    fresh: &mut Fresh,
) -> (Plan, RegisterEntry) {
    let entry = RegisterEntry {
        business_number: edit.business_number,
        legal_name: edit.legal_name,
        mailing_address: edit.mailing_address,
        updated_at: fresh.now.rfc3339.clone(),
        updated_by: officer.sub().to_owned(),
    };
    let concerned = vec![entry.business_number.as_str().to_owned()];
    let event = AgencyAuditEvent::new(officer, AgencyAction::RegisterEdited, concerned, fresh);
    let plan = Plan::new(Changed::Register)
        .and(Change::RegisterEntryPut(entry.clone()))
        .and(Change::AgencyAudit(event));
    (plan, entry)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::business::{LegalName, MailingAddress};
    use crate::domain::identifier::Bn9;
    use crate::domain::Idp;

    #[test]
    fn an_edit_is_the_record_and_its_audit() {
        let officer = CredentialId::new(Idp::SignInPartner, "officer-7").unwrap();
        // (Business Number as typed, the one kept)
        let cases = [
            ("123456782", "123456782"),
            ("123 456 782 RT0001", "123456782"),
        ];
        for (typed, kept) in cases {
            let order = RegisterEdit {
                business_number: Bn9::parse(typed).unwrap(),
                legal_name: LegalName::parse("Transports Boréal inc.").unwrap(),
                mailing_address: MailingAddress::parse("9 boul. du Registre\nGatineau QC").unwrap(),
            };
            let mut fresh = Fresh::fixed(1_795_000_000);
            let (plan, entry) = edit(&officer, order, &mut fresh);
            assert_eq!(entry.business_number.as_str(), kept, "{typed}");
            assert_eq!(entry.updated_by, "officer-7");
            assert_eq!(entry.updated_at, fresh.now.rfc3339);
            let changes: Vec<_> = plan.changes().collect();
            assert_eq!(changes[0], &Change::RegisterEntryPut(entry), "{typed}");
            match changes[1] {
                Change::AgencyAudit(event) => {
                    assert_eq!(event.action, AgencyAction::RegisterEdited);
                    assert_eq!(event.concerned, [kept]);
                    assert_eq!(
                        (event.officer_idp, event.officer_sub.as_str()),
                        (Idp::SignInPartner, "officer-7")
                    );
                }
                other => panic!("{other:?}"),
            }
            assert_eq!(changes.len(), 2);
        }
    }
}
