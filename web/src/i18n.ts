// Every string the portal shows, in English and French. `fr` must have every key of `en`
// (the type says so, so a missing translation fails the build), and the API's own English
// messages are translated here too (apiMessage, apiDetail).

export type Lang = "en" | "fr";

const en = {
  // ---------------------------------------------------------------- shell
  "site.title": "Trade portal accounts",
  "site.agency": "Canada Border Services Agency",
  "site.portals": "Trusted Trader Portal · eManifest Portal · CERS portal",
  "site.skip": "Skip to main content",
  "site.nav": "Main menu",
  "site.footer": "Trade portal accounts",
  "site.footer.local": "Local test stack: sign-in tokens are issued by the stack itself.",
  "site.loading": "Loading…",
  "site.signedInAs": "Signed in as {name}",
  "site.langSwitch": "Français",
  "site.langSwitch.label": "Afficher le portail en français",
  "site.footer.contact": "Contact the Canada Border Services Agency",
  "site.footer.contactUrl": "https://www.cbsa-asfc.gc.ca/contact/menu-eng.html",
  "crumb.business": "Business account",
  "notice.info": "Good to know",
  "notice.success": "Done",
  "notice.warning": "Before you go on",
  "notice.error": "Something went wrong",
  "nav.dashboard": "My business accounts",
  "nav.account": "My user account",
  "nav.issueSecret": "Issue a shared secret",
  "nav.letters": "Letter queue",
  "nav.signOut": "Sign out",
  "common.back": "Back to my business accounts",
  "common.optional": "(optional)",
  "common.required": "(required)",
  "common.yes": "Yes",
  "common.no": "No",
  "common.cancel": "Cancel",
  "common.working": "Working…",
  "common.none": "None",
  "page.notFound.title": "Page not found",
  "page.notFound.body": "We could not find this page.",

  // ---------------------------------------------------------------- sign in
  "signin.title": "Sign in",
  "signin.intro":
    "Sign in with GCKey or a Sign-In Partner to manage the business accounts you hold for the Trusted Trader Portal, the eManifest Portal and the CERS portal.",
  "signin.local":
    "This is the local test stack: there is no real credential provider. Choose a provider and a user name; the stack issues a sign-in token for them. The same name signs in as the same person again.",
  "signin.provider": "Credential provider",
  "signin.gckey": "GCKey",
  "signin.sip": "Sign-In Partner (your online banking)",
  "signin.username": "User name",
  "signin.username.hint": "Any name, for example maria.chen",
  "signin.agency": "I am an agency officer (issue secrets, mail letters)",
  "signin.submit": "Sign in",
  "signin.withGckey": "Sign in with GCKey",
  "signin.withSip": "Sign in with a Sign-In Partner",
  "signin.expired": "Your session ended. Please sign in again.",
  "signin.againRecent": "For your security, this needs a recent sign-in. Please sign in again to continue where you were.",
  "signin.againMfa": "Agency work needs a sign-in with a second factor. Please sign in again with it to continue.",
  "signin.signedOut": "You are signed out.",
  "signin.callbackFailed": "Sign-in did not complete. Please try again.",
  "signin.username.required": "Enter a user name.",

  // ---------------------------------------------------------------- user account
  "account.new.title": "Create your user account",
  "account.new.intro":
    "Your sign-in is not linked to a user account yet. Create one: you will get a User Reference Number (URN) to give to the businesses you work for.",
  "account.new.submit": "Create my user account",
  "account.created.title": "Your user account is created",
  "account.created.urn": "Your User Reference Number (URN)",
  "account.created.body":
    "Give this number to a business account owner so they can add you to their business account. We also sent it to {email}.",
  "account.continue": "Continue to my business accounts",
  "account.title": "My user account",
  "account.details": "Your details",
  "account.edit": "Change your details",
  "account.save": "Save changes",
  "account.saved": "Your changes are saved.",
  "account.email.hint": "If you change it, we send a code to the new address. It becomes your address once you enter that code.",
  "account.pendingEmail": "New email address, waiting for its code",
  "account.emailSent": "Your changes are saved. A code was sent to {email}: enter it below to use this address.",
  "account.confirm.title": "Confirm your new email address",
  "account.confirm.intro":
    "A code was sent to {email}. Enter it within 24 hours. Until then, we keep writing to {current}.",
  "account.confirm.submit": "Confirm my new email address",
  "account.emailConfirmed": "Your email address is now {email}.",
  "account.undeliverable.bounced":
    "Messages to {email} cannot be delivered (they came back on {since}), so we have stopped sending them. Give us another email address.",
  "account.undeliverable.complained":
    "Messages to {email} were reported as unwanted on {since}, so we have stopped sending them. Give us another email address.",
  "account.undeliverable.fix": "Change my email address",
  "field.email_code": "Code",
  "field.email_code.hint": "6 digits, from the message sent to the new address",
  "account.noAccount": "You have no user account yet.",
  "account.create": "Create my user account",
  "account.move": "Move my account to another sign-in",
  "account.move.hint":
    "For example, to sign in with a Sign-In Partner instead of GCKey. Your URN, business accounts and roles stay the same.",
  "account.new.claim": "I already have a user account: move it to this sign-in",
  "move.title": "Move my account to another sign-in",
  "move.intro":
    "Your user account (URN {urn}) can move to another sign-in credential, for example from GCKey to a Sign-In Partner. Your URN, business accounts and roles move with it. Afterwards, the sign-in you are using now no longer opens the account.",
  "move.how": "How it works",
  "move.step.code": "Get a one-time transfer code here. It works once, within 10 minutes.",
  "move.step.signIn": "Sign out, then sign in with the other credential. That sign-in must not have a user account yet.",
  "move.step.claim":
    "On the page \"Create your user account\", choose \"I already have a user account: move it to this sign-in\" and enter the code.",
  "move.submit": "Get a transfer code",
  "move.code.title": "Your transfer code",
  "move.code.label": "Transfer code",
  "move.code.expires": "Use it before {time} (within 10 minutes). It is shown only once, here: note it now.",
  "move.code.replace": "Getting another code makes this one stop working. Until the code is used, nothing changes.",
  "move.next": "What to do next",
  "move.back": "Back to my user account",
  "claim.title": "Move my user account to this sign-in",
  "claim.intro":
    "Enter the transfer code you got under \"My user account\" while signed in with your other credential. Your user account, URN and business accounts then answer to this sign-in, and the other sign-in no longer opens them.",
  "claim.noCode":
    "No code yet? Sign in with the credential your user account uses now and get one under \"My user account\", \"Move my account to another sign-in\".",
  "field.transfer_code": "Transfer code",
  "field.transfer_code.hint": "10 characters, for example ABCD-EFGH-JK",
  "claim.submit": "Move my user account to this sign-in",
  "claim.done": "Your user account (URN {urn}) now answers to this sign-in.",
  "claim.hasAccount":
    "This sign-in already has a user account (URN {urn}), so no other user account can move to it.",
  "claim.create": "I do not have a user account: create one",
  "field.name": "Full name",
  "field.email": "Email address",
  "field.phone": "Telephone number",
  "field.phone.hint": "For example 613-555-0100",
  "field.language": "Language of correspondence",
  "field.terms": "I have read and I accept the portal's terms and conditions (version {version}).",
  "field.terms.required": "Accept the terms and conditions to continue.",
  "field.terms.short": "Terms and conditions",
  "field.urn": "User Reference Number (URN)",
  "lang.en": "English",
  "lang.fr": "French",

  // ---------------------------------------------------------------- dashboard
  "dash.title": "My business accounts",
  "dash.yourUrn": "Your User Reference Number (URN):",
  "dash.empty": "You are not a member of any business account yet.",
  "dash.caption": "Business accounts you are a member of",
  "dash.col.business": "Business",
  "dash.col.program": "Program",
  "dash.col.status": "Status",
  "dash.col.role": "Your role",
  "dash.actions": "What would you like to do?",
  "dash.activate": "Activate a business account",
  "dash.activate.hint": "You have an identifier and a shared secret (activation code).",
  "dash.register": "Register for the Trusted Trader Portal",
  "dash.register.hint": "Get a Client Number; an activation code is mailed to the business.",
  "dash.requestCode": "Request a new activation code",
  "dash.requestCode.hint": "The code was lost, expired or locked.",
  "dash.agency": "Agency work",

  // ---------------------------------------------------------------- vocabulary
  "status.issued": "Issued",
  "status.activated": "Activated",
  "status.authorized": "Authorized",
  "status.closed": "Closed",
  "role.owner": "Owner",
  "role.proxy": "Proxy",
  "role.user": "Account user",
  "role.browser": "Account browser",
  "perm.declarations:view": "View declarations and lookups",
  "perm.declarations:edit": "Create and edit declarations and lookups",
  "perm.messages:view": "View messages",
  "perm.members:list": "See the members",
  "perm.members:manage-proxy": "Assign and remove proxies",
  "perm.members:manage-staff": "Assign and remove account users and browsers",
  "perm.business:manage": "Manage the business account: details, terms, consent, ownership, closing",
  "perm.audit:read": "Read the audit trail",
  "program.ttp": "Trusted Trader Portal",
  "program.emanifest": "eManifest Portal",
  "program.cers": "Canadian Export Reporting System portal",
  "idkind.ttp": "Client Number, for example P12345674",
  "idkind.emanifest": "Carrier code, for example 8ABC",
  "idkind.cers": "Business Number with its RM account, for example 123456789RM0001",
  "field.program": "Program",
  "field.program.choose": "Choose a program",
  "field.business_identifier": "Business identifier",
  "field.business_identifier.hint":
    "Client Number for the Trusted Trader Portal (P12345674), carrier code for eManifest (8ABC), Business Number with its RM account for CERS (123456789RM0001).",

  // ---------------------------------------------------------------- register, code
  "reg.title": "Register for the Trusted Trader Portal",
  "reg.intro":
    "We give the business a Client Number and mail it, with an activation code, by registered mail to the business's address in the agency's business register. With both, activate the business account.",
  "field.business_number": "Business Number (9 digits)",
  "field.business_number.hint": "For example 123456782",
  "field.legal_name": "Legal name of the business",
  "field.mailing_address": "Mailing address",
  "field.mailing_address.hint": "Up to 6 lines.",
  "reg.submit": "Register",
  "reg.done.title": "Registration received",
  "reg.done.body": "Your letter is on its way.",
  "reg.done.next":
    "The business's Client Number and its activation code travel by registered mail to the business's address on file with the agency. When the letter arrives, activate the business account with both.",
  "code.title": "Request a new activation code",
  "code.intro":
    "If the identifier is on file, a new code goes to the address on file, at most once a day. A code you already hold keeps working until it expires or a code is used.",
  "code.submit": "Request a new code",
  "code.done": "Request received. If this identifier is on file, a new activation code is on its way to the address on file.",

  // ---------------------------------------------------------------- activate
  "act.title": "Activate a business account",
  "act.intro":
    "Enter the business identifier and the shared secret (activation code) you received, and the owner's contact information. You become the owner of the business account.",
  "field.shared_secret": "Shared secret (activation code)",
  "field.shared_secret.hint": "24 characters, for example ABCD-EFGH-JKMN-PQRS-TVWX-YZ01",
  "act.contact": "Owner's contact information",
  "field.position_title": "Position title",
  "field.address": "Address",
  "act.submit": "Activate the business account",
  "act.done": "The business account is activated and you are its owner. Accept the program's terms to start using it.",

  // ---------------------------------------------------------------- business
  "bus.tabs": "Business account sections",
  "bus.tab.overview": "Overview",
  "bus.tab.terms": "Program terms",
  "bus.tab.members": "Members",
  "bus.tab.transfer": "Ownership transfer",
  "bus.tab.sharing": "Information sharing",
  "bus.tab.audit": "Audit trail",
  "bus.details": "Business account details",
  "bus.program": "Program",
  "bus.identifier": "Identifier",
  "bus.status": "Status",
  "bus.role": "Your role",
  "bus.owner": "Owner's URN",
  "bus.mailing_address": "Mailing address",
  "bus.contact": "Owner's contact",
  "bus.terms_version": "Accepted terms version",
  "bus.access": "What your role allows",
  "bus.termsNeeded":
    "The program's terms are not accepted yet: members and information can change only once the owner accepts them.",
  "bus.acceptTerms": "Accept the program's terms",
  "bus.sharing": "Information-sharing consent",
  "bus.sharing.none": "No decision recorded.",
  "bus.manage": "Manage this business account",
  "bus.edit": "Edit details",
  "bus.edit.hint": "The mailing address and the owner's contact information.",
  "bus.close": "Close this business account",
  "bus.close.hint": "Every member loses access. This cannot be undone.",

  // ---------------------------------------------------------------- edit, close
  "edit.title": "Edit the business account's details",
  "edit.intro":
    "Change the mailing address and the owner's contact information. The legal name, the program and the identifier cannot be changed.",
  "edit.termsNeeded":
    "These details can be changed only once the program's terms are accepted. Accept the terms first; until then the change is refused.",
  "edit.ownerOnly": "Only the owner can change the business account's details.",
  "edit.submit": "Save the details",
  "edit.saved": "The business account's details are saved.",
  "close.title": "Close the business account",
  "close.intro":
    "Closing {name} ends this business account for the {program}. Every member, you included, loses access at once, and a new shared secret can then be issued for the identifier {identifier}.",
  "close.permanent": "This cannot be undone.",
  "close.check": "I understand that every member loses access to {name} and that closing cannot be undone.",
  "close.check.short": "Confirmation",
  "close.check.required": "Confirm that you want to close the business account.",
  "close.submit": "Close the business account",
  "close.keep": "Keep the business account",
  "close.done": "{name} is closed. Its members no longer have access to it.",
  "close.ownerOnly": "Only the owner can close the business account.",

  // ---------------------------------------------------------------- terms
  "terms.title": "Program terms and conditions",
  "terms.intro":
    "To use the {program}, the business must accept the program's terms and conditions, version {version}. Only the owner can accept them.",
  "terms.check": "I accept the program's terms and conditions, version {version}, on behalf of the business.",
  "terms.check.required": "Confirm that you accept the terms.",
  "terms.check.short": "Acceptance of the terms",
  "terms.submit": "Accept the terms",
  "terms.done": "The terms are accepted. The business account is authorized.",
  "terms.accepted": "The program's terms and conditions (version {version}) are accepted.",
  "terms.ownerOnly": "Only the owner can accept the program's terms.",

  // ---------------------------------------------------------------- members
  "mem.title": "Members",
  "mem.caption": "Members of {business}",
  "mem.col.name": "Name",
  "mem.col.urn": "URN",
  "mem.col.role": "Role",
  "mem.col.since": "Member since",
  "mem.col.actions": "Actions",
  "mem.you": "(you)",
  "mem.newRole": "New role for {name}",
  "mem.changeRole": "Change role",
  "mem.remove": "Remove",
  "mem.remove.label": "Remove {name}",
  "mem.remove.confirm": "Remove {name} from this business account? They lose access at once.",
  "mem.remove.yes": "Yes, remove {name}",
  "mem.add": "Add a member",
  "mem.add.intro": "Ask the person for the URN shown in their user account and the email address of that account.",
  "mem.add.email.hint": "The email address of their user account. A URN and an address that do not belong together are refused.",
  "field.urn.hint": "10 digits",
  "apimsg.is required to add a person: the e-mail of their user account": "is required to add a person: the email address of their user account",
  "field.role": "Role",
  "mem.add.submit": "Add the member",
  "mem.added": "{name} is now {role}.",
  "mem.changed": "{name} is now {role}.",
  "mem.removed": "{name} no longer has access to this business account.",
  "mem.cannotList": "Your role does not show the members of this business account.",

  // ---------------------------------------------------------------- transfer
  "tr.title": "Ownership transfer",
  "tr.owner.intro":
    "Name the member who will become the owner. The transfer waits for them to accept; you then become a proxy.",
  "field.to_urn": "URN of the new owner",
  "tr.start": "Start the transfer",
  "tr.started": "Transfer requested: it waits for {urn} to accept, until {date}",
  "tr.cancel.title": "Cancel a pending transfer",
  "tr.cancel.intro": "A pending transfer can be cancelled until it is accepted.",
  "tr.cancel": "Cancel the pending transfer",
  "tr.cancelled": "The pending transfer is cancelled.",
  "tr.accept.intro":
    "If the owner named you as the new owner of this business account, accept the transfer here. You become the owner, and the former owner becomes a proxy.",
  "tr.accept": "Accept ownership",
  "tr.accepted": "You are now the owner of this business account.",

  // ---------------------------------------------------------------- information sharing
  "share.title": "Information-sharing consent",
  "share.intro":
    "The owner records whether the business consents to the agency sharing its information with partner government departments (CADI), and who signs for it.",
  "share.current": "Current decision",
  "share.given": "Consent given",
  "share.withdrawn": "Consent not given",
  "share.signedBy": "Signed by {name}, {title}, on {date}",
  "field.consent": "Does the business consent to information sharing?",
  "field.consent.yes": "Yes, the business consents",
  "field.consent.no": "No, the business does not consent",
  "field.signatory_name": "Name of the signing officer",
  "field.signatory_title": "Title of the signing officer",
  "share.submit": "Record the decision",
  "share.saved": "The decision is recorded.",
  "share.ownerOnly": "Only the owner can record the information-sharing decision.",

  // ---------------------------------------------------------------- audit
  "audit.title": "Audit trail",
  "audit.caption": "Audit trail, newest first, page {page}",
  "audit.col.when": "When",
  "audit.col.action": "Action",
  "audit.col.by": "By (URN)",
  "audit.col.idp": "Signed in with",
  "audit.col.details": "Details",
  "audit.empty": "No events.",
  "audit.prev": "Newer events",
  "audit.next": "Older events",
  "audit.page": "Page {page}",
  "audit.pager": "Audit trail pages",
  "audit.action.business.activated": "Business account activated",
  "audit.action.business.terms_accepted": "Program terms accepted",
  "audit.action.business.updated": "Business information changed",
  "audit.action.business.closed": "Business account closed",
  "audit.action.member.role_granted": "Role granted",
  "audit.action.member.role_changed": "Role changed",
  "audit.action.member.role_removed": "Role removed",
  "audit.action.ownership.transfer_requested": "Ownership transfer requested",
  "audit.action.ownership.transfer_accepted": "Ownership transfer accepted",
  "audit.action.ownership.transfer_cancelled": "Ownership transfer cancelled",
  "audit.action.information_sharing.consent_given": "Information-sharing consent given",
  "audit.action.information_sharing.consent_withdrawn": "Information-sharing consent withdrawn",
  "audit.detail": "{label}: {value}",
  "audit.detail.urn": "URN",
  "audit.detail.to_urn": "New owner",
  "audit.detail.role": "Role",
  "audit.detail.status": "Status",
  "audit.detail.terms_version": "Terms version",
  "audit.detail.owner_urn": "Owner",
  "audit.detail.consent": "Consent",
  "audit.detail.signatory_name": "Signed by",
  "audit.detail.signatory_title": "Title",
  "audit.detail.expires_at": "Expires",
  "idp.gckey": "GCKey",
  "idp.sign-in-partner": "Sign-In Partner",

  // ---------------------------------------------------------------- agency
  "ag.secret.title": "Issue a shared secret",
  "ag.secret.intro":
    "The secret replaces any earlier unused one for the identifier. It is shown once, here. Trusted Trader Portal secrets go out by letter (see the letter queue); eManifest and CERS secrets are emailed to the contact.",
  "field.contact_email": "Contact email address",
  "field.contact_email.hint": "Required for programs that send the secret by email (eManifest, CERS).",
  "field.letter_language": "Language of the letter or email",
  "ag.secret.submit": "Issue the shared secret",
  "ag.secret.done": "Shared secret issued",
  "ag.secret.once": "Note it now: it is not shown again.",
  "ag.secret.value": "Shared secret",
  "ag.secret.expires": "Expires",
  "ag.secret.delivery": "Delivery",
  "delivery.letter": "Letter, by mail (added to the letter queue)",
  "delivery.email": "Email to the contact",
  "ag.letters.title": "Letter queue",
  "ag.letters.intro": "Letters waiting to be mailed, oldest first. Mark each one mailed once it is in the post.",
  "ag.letters.caption": "Letters to mail",
  "ag.letters.col.business": "Business",
  "ag.letters.col.address": "Mailing address",
  "ag.letters.col.secret": "Shared secret",
  "ag.letters.col.expires": "Expires",
  "ag.letters.col.language": "Language",
  "ag.letters.col.action": "Action",
  "ag.letters.mark": "Mark mailed",
  "ag.letters.mark.label": ": the letter to {name}",
  "ag.letters.marked": "The letter to {name} is marked as mailed.",
  "ag.letters.empty": "No letters are waiting to be mailed.",
  "ag.only": "This page is for agency officers. Sign in as an agency officer to use it.",
  "nav.register": "Business register",
  "nav.agencyAudit": "Agency audit",
  "ag.register.title": "Business register",
  "ag.register.intro":
    "The agency's own record of a business, from the Business Number registry. A registration's letter, with the Client Number and the activation code, goes to this address, never to one the registrant typed.",
  "ag.register.submit": "Save to the register",
  "ag.register.saved": "The register entry for Business Number {number} is saved.",
  "ag.audit.title": "Agency audit",
  "ag.audit.intro": "What agency officers did, newest first: secrets issued, letters approved, rejected or mailed, pending codes read, register entries edited.",
  "ag.audit.col.officer": "Officer",
  "ag.audit.col.concerned": "Concerning",
  "ag.audit.more": "{shown} and {more} more",
  "ag.audit.action.secret.issued": "Shared secret issued",
  "ag.audit.action.letter.approved": "Letter approved",
  "ag.audit.action.letter.rejected": "Letter rejected",
  "ag.audit.action.letter.mailed": "Letter marked mailed",
  "ag.audit.action.letters.codes_read": "Pending codes read",
  "ag.audit.action.register.edited": "Register entry edited",
  "ag.audit.action.user.reinstated": "User account reinstated",
  "nav.reinstate": "Retired accounts",
  "ag.reinstate.title": "Reinstate a retired user account",
  "ag.reinstate.intro":
    "A user account with no sign-in for two years is retired: its sign-in no longer opens the portal and its URN cannot be added to a business. Reinstating it makes it active from today; its memberships are as they were.",
  "ag.reinstate.urn": "The account's User Reference Number (URN)",
  "ag.reinstate.submit": "Reinstate the account",
  "ag.reinstate.done": "The user account with URN {urn} is reinstated.",
  "retired.title": "Your user account is retired",
  "retired.body":
    "Your user account was not used for two years, so it was retired. Your businesses and roles are kept. To use the portal again, contact the agency and ask for your account to be reinstated; give them your User Reference Number (URN).",
  "ag.audit.action.secret.issued_for_recovery": "Owner recovery secret issued",
  "ag.audit.action.user.looked_up": "User looked up",
  "ag.audit.action.business.looked_up": "Business looked up",
  "nav.supportUsers": "Find a user",
  "nav.supportBusinesses": "Find a business",
  "ag.secret.purpose": "Purpose",
  "ag.secret.purpose.activation": "Activation of a new business account",
  "ag.secret.purpose.recovery": "Owner recovery: whoever activates with it becomes the owner of the existing business account",
  "ag.users.title": "Find a user",
  "ag.users.intro": "Identify a caller by the User Reference Number (URN) they give you. Every look-up is recorded in the agency audit.",
  "ag.users.submit": "Look up",
  "ag.users.businesses": "Business accounts",
  "ag.users.none": "This user belongs to no business account.",
  "ag.users.col.role": "Role",
  "ag.users.col.status": "Status",
  "ag.users.credential": "Sign-in credential",
  "ag.users.created": "Account created",
  "ag.users.lastActive": "Last active",
  "ag.users.lastActive.none": "Not recorded",
  "ag.users.status.active": "Active",
  "ag.users.status.retired": "Retired (two years without use): reinstate it under Retired accounts",
  "ag.biz.title": "Find a business",
  "ag.biz.intro": "Find a business by its program and identifier, or by the Business Number of a Trusted Trader registration. Every look-up is recorded in the agency audit.",
  "ag.biz.submit": "Look up",
  "ag.biz.bn.hint": "Instead of the program and identifier: a Trusted Trader registration's 9-digit Business Number",
  "ag.biz.status.none": "No business account, no code waiting",
  "ag.biz.owner": "Account Owner",
  "ag.biz.members": "Members",
  "ag.biz.secret": "Code waiting to be used",
  "ag.biz.secret.activation": "Activation code, expires {date}",
  "ag.biz.secret.recovery": "Owner recovery code, expires {date}",
  "ag.biz.secret.none": "None",
  "ag.biz.letter": "Letter with the newest code",
  "ag.letters.tabs": "Letters by status",
  "ag.letters.status.review": "In review",
  "ag.letters.status.pending": "To mail",
  "ag.letters.status.mailed": "Mailed",
  "ag.letters.status.withdrawn": "Withdrawn",
  "ag.letters.intro.review":
    "Registrations for Business Numbers the register does not know. Check the business, then approve the letter (to a verified address) or reject it.",
  "ag.letters.intro.pending": "Letters waiting to be mailed, oldest first. Mark each one mailed once it is in the post. Reading these codes is recorded in the agency audit.",
  "ag.letters.intro.mailed": "Letters in the mail. Their codes are no longer kept.",
  "ag.letters.intro.withdrawn": "Letters that were never mailed. Their codes do not work.",
  "ag.letters.col.created": "Created",
  "ag.letters.approve": "Approve",
  "ag.letters.approve.address": "Verified mailing address",
  "ag.letters.approve.hint": "Leave empty to mail to the address typed.",
  "ag.letters.approved": "The letter to {name} is approved and waits to be mailed.",
  "ag.letters.reject": "Reject",
  "ag.letters.reason": "Reason for rejecting",
  "ag.letters.rejected": "The letter to {name} is rejected; its code does not work.",
  "ag.letters.bn": "Business Number {number}",
  "ag.letters.by": "Registered by URN {urn}",

  // ---------------------------------------------------------------- problems
  "err.summary": "There is a problem",
  "err.prefix": "Error:",
  "err.summary.n": "There are {n} problems",
  "err.field": "{label}: {message}",
  "err.400": "The request could not be read. Please try again.",
  "err.401": "Your session ended. Please sign in again.",
  "err.403": "You are not allowed to do this.",
  "err.404": "Not found, or you do not have access to it.",
  "err.409": "This conflicts with the current state of the account. Reload the page and try again.",
  "err.410": "This has expired or was already used.",
  "err.413": "What you entered is too long.",
  "err.422": "Some information is not valid. Check the fields named below.",
  "err.423": "Too many wrong tries from your sign-in: try again in 24 hours, or with a new shared secret.",
  "err.attempts_left": "You have {n} tries left before your sign-in is locked out of this identifier for 24 hours.",
  "err.429": "Too many attempts. Try again later.",
  "err.503": "A service is not available right now; nothing was changed. Try again in a moment.",
  "err.500": "Something went wrong on our side. Try again later.",
  "err.network": "The portal could not be reached. Check your connection and try again.",
  "err.field.unknown": "This value is not valid.",

  // API field messages (the `errors` of a 422), by the API's English text.
  "apimsg.is required": "This field is required.",
  "apimsg.must be a string": "Enter text.",
  "apimsg.must be true or false": "Choose yes or no.",
  "apimsg.must be an object": "This information is missing.",
  "apimsg.must not be empty": "This field cannot be empty.",
  "apimsg.must be at most {n} characters": "Use at most {n} characters.",
  "apimsg.must not contain control characters": "Remove the special control characters.",
  "apimsg.must be an e-mail address": "Enter an email address, for example name@example.com.",
  "apimsg.must be a telephone number, e.g. +1 613 555 0100":
    "Enter a telephone number, for example +1 613 555 0100.",
  "apimsg.must be at most 6 lines": "Use at most 6 lines.",
  "apimsg.must be en or fr": "Choose English or French.",
  "apimsg.must be ttp, emanifest or cers": "Choose a program.",
  "apimsg.give program and identifier, or business_number": "Give the program and the identifier, or a Business Number.",
  "apimsg.registration is for ttp only": "Registration is for the Trusted Trader Portal only.",
  "apimsg.must be a Client Number: P and 8 digits, e.g. P12345674":
    "Enter a Client Number: P and 8 digits, for example P12345674.",
  "apimsg.must be a carrier code: 4 letters or digits, e.g. 8ABC":
    "Enter a carrier code: 4 letters or digits, for example 8ABC.",
  "apimsg.must be a Business Number with its RM account, e.g. 123456789RM0001":
    "Enter a Business Number with its RM account, for example 123456789RM0001.",
  "apimsg.must be a 9-digit Business Number, e.g. 123456789":
    "Enter a 9-digit Business Number, for example 123456782.",
  "apimsg.the Business Number's check digit does not match: it was mistyped":
    "This Business Number is not valid: check it for a typing mistake.",
  "apimsg.must be the 24-character shared secret, e.g. ABCD-EFGH-JKMN-PQRS-TVWX-YZ01":
    "Enter the 24-character shared secret, for example ABCD-EFGH-JKMN-PQRS-TVWX-YZ01.",
  "apimsg.must be 10 digits": "Enter the 10 digits of the URN.",
  "apimsg.check digit does not match: the URN was mistyped":
    "This URN is not valid: check it for a typing mistake.",
  "apimsg.must be proxy, user or browser (ownership moves only by transfer)":
    "Choose proxy, account user or account browser. Ownership moves only by a transfer.",
  "apimsg.must be proxy, user or browser": "Choose proxy, account user or account browser.",
  "apimsg.is already the owner": "This person is already the owner.",
  "apimsg.give mailing_address or owner_contact fields to change": "Change at least one field.",
  "apimsg.give at least one of name, email, phone, language": "Change at least one field.",
  "apimsg.is not a cursor from this list": "This page of the list no longer exists. Go back to the first page.",
  "apimsg.must be the 10-character code, e.g. ABCD-EFGH-JK": "Enter the 10-character code, for example ABCD-EFGH-JK.",
  "apimsg.must be the 6-digit code sent to the new address": "Enter the 6-digit code sent to the new address.",
  "apimsg.is not the code sent to the new address": "This is not the code sent to the new address. Check it and try again.",
  "apimsg.was wrong too many times: the change of e-mail address is cancelled":
    "The code was wrong too many times, so the change of email address is cancelled. Change your email address again to get a new code.",
  "apimsg.has expired: the change of e-mail address is cancelled":
    "The code has expired, so the change of email address is cancelled. Change your email address again to get a new code.",
  "apimsg.must be an id: 26 lower-case letters or digits": "This link does not point to anything: check the address.",

  // API problem details (403, 404, 409, 410), by the API's English text.
  "apidetail.This credential already has a user account.": "This sign-in already has a user account.",
  "apidetail.No change of e-mail address is waiting for a code.":
    "No change of email address is waiting for a code. Reload the page.",
  "apidetail.terms_version is not the current portal terms; read GET /programs.":
    "The portal's terms and conditions have changed. Reload the page and accept the current version.",
  "apidetail.That is not the program's current terms version; read GET /programs.":
    "The program's terms have changed. Reload the page and accept the current version.",
  "apidetail.A business account is active for this identifier.":
    "A business account is already active for this identifier.",
  "apidetail.This Business Number is already registered in the program.":
    "This Business Number is already registered in the program.",
  "apidetail.An ownership transfer is already pending; cancel it first.":
    "An ownership transfer is already pending: cancel it first.",
  "apidetail.Information can be modified only once the program's terms are accepted.":
    "Information can change only once the program's terms are accepted.",
  "apidetail.Members can change only once the program's terms are accepted.":
    "Members can change only once the program's terms are accepted.",
  "apidetail.The letter was already marked mailed.": "This letter was already marked as mailed.",
  "apidetail.Another officer changed the letter meanwhile; read it again.":
    "Another officer changed this letter meanwhile. Reload the page.",
  "apidetail.Only a letter in review can be approved or rejected.":
    "Only a letter in review can be approved or rejected.",
  "apidetail.This letter is not waiting to be mailed.": "This letter is not waiting to be mailed.",
  "apidetail.Another officer edited the register meanwhile; try again.":
    "Another officer edited this register entry meanwhile. Try again.",
  "apidetail.No such Business Number.": "No such Business Number.",
  "apimsg.must be review, pending, mailed or withdrawn": "Choose which letters to show.",
  "apidetail.The member changed since you read it; read again and retry.":
    "Someone changed this member meanwhile. Reload the page and try again.",
  "apidetail.The business account changed since you read it; read it again and retry.":
    "Someone changed this business account meanwhile. Reload the page and try again.",
  "apidetail.Nobody can change their own role.": "Nobody can change their own role.",
  "apidetail.Only agency officers may do this.": "Only agency officers may do this.",
  "apidetail.This user account was retired after two years without use; the agency can reinstate it.":
    "This user account was retired after two years without use; the agency can reinstate it.",
  "apidetail.This user account is not retired.": "This user account is not retired.",
  "apidetail.This needs a recent sign-in: sign in again.": "This needs a recent sign-in: sign in again.",
  "apidetail.Agency routes need a sign-in with a second factor: sign in again with it.": "Agency work needs a sign-in with a second factor: sign in again with it.",
  "apidetail.The identifier and shared secret do not match.":
    "The identifier and the shared secret do not match.",
  "apidetail.The owner is removed only by transferring ownership.":
    "The owner can leave only by transferring ownership.",
  "apidetail.The owner's role changes only by transferring ownership.":
    "The owner's role changes only by transferring ownership.",
  "apidetail.The ownership transfer names another user.": "The pending ownership transfer names someone else.",
  "apidetail.Your role in this business account does not allow this.":
    "Your role in this business account does not allow this.",
  "apidetail.The ownership transfer has expired.": "The ownership transfer has expired.",
  "apidetail.The ownership transfer was already accepted or cancelled.":
    "The ownership transfer was already accepted or cancelled.",
  "apidetail.This shared secret has expired; ask for a new one.":
    "This shared secret has expired: ask for a new one.",
  "apidetail.This shared secret was already used.": "This shared secret was already used.",
  "apidetail.No member has this URN in this business account.": "No member has this URN in this business account.",
  "apidetail.No ownership transfer is pending.": "No ownership transfer is pending.",
  "apidetail.No such business account.": "No such business account, or you do not have access to it.",
  "apidetail.No such letter.": "No such letter.",
  "apidetail.No user account has this URN.": "No user account has this URN.",
  "apidetail.The named user is not a member of this business account.":
    "The person named is not a member of this business account. Add them as a member first.",
  "apidetail.No user account for this credential: create one with POST /users.":
    "Your sign-in has no user account yet.",
  "apidetail.Too many wrong tries from this sign-in: try again in 24 hours, or with a new shared secret.":
    "Too many wrong tries from your sign-in: you can try this identifier again in 24 hours, or once the agency issues a new shared secret.",
  "apidetail.A request with this Idempotency-Key is in progress; retry.":
    "Your request is still being handled. Try again in a moment.",
  "apidetail.A request with this Idempotency-Key is still being handled; retry after the given time.":
    "Your request is still being handled. Try again in a moment.",
  "apidetail.Too many attempts; try again later.": "Too many attempts. Try again later.",
  "apidetail.A concurrent change won; try again.":
    "Someone else changed this at the same moment. Try again.",
  "apidetail.A concurrent registration won; try again.":
    "Another registration was made at the same moment. Try again.",
  "apidetail.No such transfer code.":
    "This transfer code is not valid.",
  "apidetail.The business account changed meanwhile; read again and retry.":
    "The business account changed meanwhile. Reload the page and try again.",
  "apidetail.The business account changed meanwhile; read it again and retry.":
    "The business account changed meanwhile. Reload the page and try again.",
  "apidetail.The identifier changed meanwhile (activated, or another secret issued); try again.":
    "This identifier changed meanwhile (activated, or a new secret issued). Try again.",
  "apidetail.The member or the business account changed meanwhile; read again and retry.":
    "The member or the business account changed meanwhile. Reload the page and try again.",
  "apidetail.The transfer code has expired; ask for a new one.":
    "This transfer code has expired: ask for a new one.",
  "apidetail.The transfer code is no longer valid.":
    "This transfer code is no longer valid.",
  "apidetail.The transfer code was replaced by a newer one.":
    "This transfer code was replaced by a newer one.",
  "apidetail.The user account changed meanwhile; read it again and retry.":
    "Your user account changed meanwhile. Reload the page and try again.",
  "apidetail.The user account changed meanwhile; try again.":
    "Your user account changed meanwhile. Try again.",
  "apidetail.The user account or this credential changed meanwhile; try again.":
    "Your user account or this sign-in changed meanwhile. Try again.",
  "apidetail.This account is still being moved from its previous sign-in; try again in a minute.":
    "This user account is still being moved from its previous sign-in. Try again in a minute.",
  // ---------------------------------------------------------------- delegations (API texts)
  "apidetail.No such delegation for this business account.": "There is no such delegation for this business account.",
  "apidetail.Delegations can be given or received only once the program's terms are accepted.":
    "Delegations can be given or received only once the program's terms and conditions are accepted.",
  "apidetail.This delegation waits for the other business's answer.":
    "This delegation is waiting for the other business to answer.",
  "apidetail.This delegation was already declined, withdrawn, ended, or is past its end day.":
    "This delegation was already declined, withdrawn or ended, or its end date has passed.",
  "apidetail.The delegation changed meanwhile; read it again and retry.":
    "The delegation changed meanwhile. Refresh the page and try again.",
  "apimsg.is this business account's own identifier": "is this business account's own identifier: a business cannot delegate to itself",
  "apimsg.must be after today and at most two years from today": "Choose an end date after today and at most two years from today.",
  "apimsg.must be given or received": "Choose given or received.",
  "apimsg.must be view or view_submit": "Choose view only, or view and submit.",
  "apimsg.must be a day written YYYY-MM-DD": "Enter a date as YYYY-MM-DD, for example 2027-06-30.",
  "apidetail.Only the business that receives a delegation chooses who acts under it.":
    "Only the business that receives a delegation chooses who acts under it.",
  "apidetail.People act under a delegation only while it is active.": "People can act under a delegation only while it is active.",
  "apidetail.This person already acts for that business through another delegation.":
    "This person already acts for that business through another delegation.",
  "apidetail.This person does not act under this delegation.": "This person does not act under this delegation.",
  "apimsg.must not be more than the delegation grants": "Choose no more than the delegation grants.",
  "apimsg.is not a proof of delegation signed by this portal": "This is not a proof of delegation signed by this portal.",
  "apimsg.must be a proof of delegation: three base64url parts joined by dots": "Paste the whole proof of delegation.",
  // ---------------------------------------------------------------- delegations
  "bus.tab.delegations": "Delegations",
  "bus.role.delegated": "Acting for this business through a delegation to {name}",
  "dash.delegated": "Acting for it through {name}",
  "dlg.title": "Delegations",
  "dlg.intro": "A delegation lets another business act for this one in its program (a customs broker, a service provider, a freight forwarder), or this business act for another. The other business's Account Owner answers; either side can end it at any time, and it ends by itself on its end date.",
  "dlg.cannotList": "Your role does not show the delegations of this business account.",
  "dlg.given.title": "Given: others act for this business",
  "dlg.received.title": "Received: this business acts for others",
  "dlg.given.none": "This business has not given any delegation.",
  "dlg.received.none": "This business has not received any delegation.",
  "dlg.col.grantee": "Business acting for you",
  "dlg.col.grantor": "Business you act for",
  "dlg.col.permissions": "Permissions",
  "dlg.col.ends": "End date",
  "dlg.col.status": "Status",
  "dlg.status.pending": "Waiting for the other business to accept",
  "dlg.status.requested": "Requested, waiting for approval",
  "dlg.status.active": "Active",
  "dlg.status.declined": "Declined",
  "dlg.status.withdrawn": "Withdrawn",
  "dlg.status.ended": "Ended",
  "dlg.status.expired": "Expired",
  "dlg.perm.view": "View only",
  "dlg.perm.view_submit": "View and submit",
  "dlg.history": "Who did what",
  "dlg.action.offered": "Offered",
  "dlg.action.requested": "Requested",
  "dlg.action.accepted": "Accepted",
  "dlg.action.approved": "Approved",
  "dlg.action.declined": "Declined",
  "dlg.action.withdrawn": "Withdrawn",
  "dlg.action.ended": "Ended",
  "dlg.action.expired": "Expired on its end date",
  "dlg.by": "by URN {urn}",
  "dlg.accept": "Accept",
  "dlg.approve": "Approve",
  "dlg.accepted": "The delegation is now active.",
  "dlg.end": "End",
  "dlg.decline": "Decline",
  "dlg.withdraw": "Withdraw",
  "dlg.ended": "The delegation is closed.",
  "dlg.agents": "People acting under it",
  "dlg.agents.none": "Nobody acts under this delegation yet.",
  "dlg.agent.add": "Choose this member",
  "dlg.agent.hint": "The URN of a member of this business account.",
  "dlg.agent.added": "{name} now acts under this delegation.",
  "dlg.agent.remove": "Remove",
  "dlg.agent.removed": "{name} no longer acts under this delegation.",
  "dlg.field.identifier": "The other business's identifier",
  "dlg.field.permissions": "Permissions",
  "dlg.field.ends_on": "End date",
  "dlg.field.ends_on.hint": "As YYYY-MM-DD, after today and at most two years from today.",
  "dlg.field.note": "Note",
  "dlg.offer.title": "Let another business act for this one",
  "dlg.offer.intro": "Name the other business by its program and identifier. It waits for that business's Account Owner to accept it. You need to have signed in within the last 15 minutes.",
  "dlg.offer.submit": "Offer the delegation",
  "dlg.offered": "The delegation is offered. It takes effect once the other business accepts it.",
  "dlg.ask.title": "Ask to act for another business",
  "dlg.ask.intro": "Name the business you want to act for by its program and identifier. Its Account Owner approves or declines.",
  "dlg.ask.submit": "Ask for the delegation",
  "dlg.asked": "Your request is sent. It takes effect once the other business approves it.",
} as const;

export type Key = keyof typeof en;

const fr: Record<Key, string> = {
  "site.title": "Comptes des portails commerciaux",
  "site.agency": "Agence des services frontaliers du Canada",
  "site.portals": "Portail des négociants fiables · Portail du manifeste électronique · Portail du SCDE",
  "site.skip": "Passer au contenu principal",
  "site.nav": "Menu principal",
  "site.footer": "Comptes des portails commerciaux",
  "site.footer.local": "Environnement de test local : les jetons de connexion sont émis par l'environnement lui-même.",
  "site.loading": "Chargement…",
  "site.signedInAs": "Connecté en tant que {name}",
  "site.langSwitch": "English",
  "site.langSwitch.label": "Show the portal in English",
  "site.footer.contact": "Communiquer avec l'Agence des services frontaliers du Canada",
  "site.footer.contactUrl": "https://www.cbsa-asfc.gc.ca/contact/menu-fra.html",
  "crumb.business": "Compte d'entreprise",
  "notice.info": "Bon à savoir",
  "notice.success": "C'est fait",
  "notice.warning": "Avant de continuer",
  "notice.error": "Un problème est survenu",
  "nav.dashboard": "Mes comptes d'entreprise",
  "nav.account": "Mon compte d'utilisateur",
  "nav.issueSecret": "Émettre un secret partagé",
  "nav.letters": "File des lettres",
  "nav.signOut": "Se déconnecter",
  "common.back": "Retour à mes comptes d'entreprise",
  "common.optional": "(facultatif)",
  "common.required": "(obligatoire)",
  "common.yes": "Oui",
  "common.no": "Non",
  "common.cancel": "Annuler",
  "common.working": "Traitement en cours…",
  "common.none": "Aucun",
  "page.notFound.title": "Page introuvable",
  "page.notFound.body": "Nous n'avons pas trouvé cette page.",

  "signin.title": "Se connecter",
  "signin.intro":
    "Connectez-vous avec CléGC ou un partenaire de connexion pour gérer les comptes d'entreprise que vous détenez pour le Portail des négociants fiables, le Portail du manifeste électronique et le portail du SCDE.",
  "signin.local":
    "Ceci est l'environnement de test local : il n'y a pas de vrai fournisseur de justificatifs. Choisissez un fournisseur et un nom d'utilisateur; l'environnement émet un jeton de connexion pour eux. Le même nom reconnecte la même personne.",
  "signin.provider": "Fournisseur de justificatifs",
  "signin.gckey": "CléGC",
  "signin.sip": "Partenaire de connexion (vos services bancaires en ligne)",
  "signin.username": "Nom d'utilisateur",
  "signin.username.hint": "N'importe quel nom, par exemple maria.chen",
  "signin.agency": "Je suis agent de l'Agence (émettre des secrets, poster des lettres)",
  "signin.submit": "Se connecter",
  "signin.withGckey": "Se connecter avec CléGC",
  "signin.withSip": "Se connecter avec un partenaire de connexion",
  "signin.expired": "Votre session a pris fin. Veuillez vous reconnecter.",
  "signin.againRecent": "Pour votre sécurité, cette action exige une connexion récente. Veuillez vous reconnecter pour reprendre là où vous étiez.",
  "signin.againMfa": "Le travail de l’Agence exige une connexion avec un deuxième facteur. Veuillez vous reconnecter avec celui-ci pour continuer.",
  "signin.signedOut": "Vous êtes déconnecté.",
  "signin.callbackFailed": "La connexion n'a pas abouti. Veuillez réessayer.",
  "signin.username.required": "Entrez un nom d'utilisateur.",

  "account.new.title": "Créer votre compte d'utilisateur",
  "account.new.intro":
    "Votre connexion n'est pas encore liée à un compte d'utilisateur. Créez-en un : vous recevrez un numéro de référence d'utilisateur (NRU) à donner aux entreprises pour lesquelles vous travaillez.",
  "account.new.submit": "Créer mon compte d'utilisateur",
  "account.created.title": "Votre compte d'utilisateur est créé",
  "account.created.urn": "Votre numéro de référence d'utilisateur (NRU)",
  "account.created.body":
    "Donnez ce numéro au propriétaire d'un compte d'entreprise pour qu'il vous ajoute à son compte. Nous l'avons aussi envoyé à {email}.",
  "account.continue": "Continuer vers mes comptes d'entreprise",
  "account.title": "Mon compte d'utilisateur",
  "account.details": "Vos renseignements",
  "account.edit": "Modifier vos renseignements",
  "account.save": "Enregistrer les modifications",
  "account.saved": "Vos modifications sont enregistrées.",
  "account.email.hint": "Si vous la changez, nous envoyons un code à la nouvelle adresse. Elle devient votre adresse une fois ce code saisi.",
  "account.pendingEmail": "Nouvelle adresse courriel, en attente de son code",
  "account.emailSent": "Vos modifications sont enregistrées. Un code a été envoyé à {email} : saisissez-le ci-dessous pour utiliser cette adresse.",
  "account.confirm.title": "Confirmer votre nouvelle adresse courriel",
  "account.confirm.intro":
    "Un code a été envoyé à {email}. Saisissez-le dans les 24 heures. D'ici là, nous continuons d'écrire à {current}.",
  "account.confirm.submit": "Confirmer ma nouvelle adresse courriel",
  "account.emailConfirmed": "Votre adresse courriel est maintenant {email}.",
  "account.undeliverable.bounced":
    "Les messages à {email} ne peuvent pas être livrés (ils nous sont revenus le {since}); nous avons donc cessé de les envoyer. Donnez-nous une autre adresse courriel.",
  "account.undeliverable.complained":
    "Les messages à {email} ont été signalés comme indésirables le {since}; nous avons donc cessé de les envoyer. Donnez-nous une autre adresse courriel.",
  "account.undeliverable.fix": "Changer mon adresse courriel",
  "field.email_code": "Code",
  "field.email_code.hint": "6 chiffres, tirés du message envoyé à la nouvelle adresse",
  "account.noAccount": "Vous n'avez pas encore de compte d'utilisateur.",
  "account.create": "Créer mon compte d'utilisateur",
  "account.move": "Transférer mon compte vers une autre connexion",
  "account.move.hint":
    "Par exemple, pour vous connecter avec un partenaire de connexion plutôt qu'avec CléGC. Votre NRU, vos comptes d'entreprise et vos rôles restent les mêmes.",
  "account.new.claim": "J'ai déjà un compte d'utilisateur : le transférer vers cette connexion",
  "move.title": "Transférer mon compte vers une autre connexion",
  "move.intro":
    "Votre compte d'utilisateur (NRU {urn}) peut être transféré vers un autre justificatif de connexion, par exemple de CléGC vers un partenaire de connexion. Votre NRU, vos comptes d'entreprise et vos rôles suivent. Ensuite, la connexion que vous utilisez maintenant n'ouvre plus le compte.",
  "move.how": "Comment faire",
  "move.step.code": "Obtenez ici un code de transfert à usage unique. Il ne sert qu'une fois, dans les 10 minutes.",
  "move.step.signIn":
    "Déconnectez-vous, puis connectez-vous avec l'autre justificatif. Cette connexion ne doit pas encore avoir de compte d'utilisateur.",
  "move.step.claim":
    "À la page « Créer votre compte d'utilisateur », choisissez « J'ai déjà un compte d'utilisateur : le transférer vers cette connexion » et entrez le code.",
  "move.submit": "Obtenir un code de transfert",
  "move.code.title": "Votre code de transfert",
  "move.code.label": "Code de transfert",
  "move.code.expires":
    "Utilisez-le avant {time} (dans les 10 minutes). Il n'est affiché qu'une fois, ici : notez-le maintenant.",
  "move.code.replace":
    "Obtenir un autre code rend celui-ci inutilisable. Tant que le code n'est pas utilisé, rien ne change.",
  "move.next": "Étapes suivantes",
  "move.back": "Retour à mon compte d'utilisateur",
  "claim.title": "Transférer mon compte d'utilisateur vers cette connexion",
  "claim.intro":
    "Entrez le code de transfert obtenu sous « Mon compte d'utilisateur » avec votre autre connexion. Votre compte d'utilisateur, votre NRU et vos comptes d'entreprise relèvent alors de cette connexion, et l'autre connexion ne les ouvre plus.",
  "claim.noCode":
    "Pas encore de code? Connectez-vous avec le justificatif qu'utilise votre compte d'utilisateur et obtenez-en un sous « Mon compte d'utilisateur », « Transférer mon compte vers une autre connexion ».",
  "field.transfer_code": "Code de transfert",
  "field.transfer_code.hint": "10 caractères, par exemple ABCD-EFGH-JK",
  "claim.submit": "Transférer mon compte d'utilisateur vers cette connexion",
  "claim.done": "Votre compte d'utilisateur (NRU {urn}) relève maintenant de cette connexion.",
  "claim.hasAccount":
    "Cette connexion a déjà un compte d'utilisateur (NRU {urn}) : aucun autre compte d'utilisateur ne peut y être transféré.",
  "claim.create": "Je n'ai pas de compte d'utilisateur : en créer un",
  "field.name": "Nom complet",
  "field.email": "Adresse courriel",
  "field.phone": "Numéro de téléphone",
  "field.phone.hint": "Par exemple 613-555-0100",
  "field.language": "Langue de correspondance",
  "field.terms": "J'ai lu et j'accepte les conditions d'utilisation du portail (version {version}).",
  "field.terms.required": "Acceptez les conditions d'utilisation pour continuer.",
  "field.terms.short": "Conditions d'utilisation",
  "field.urn": "Numéro de référence d'utilisateur (NRU)",
  "lang.en": "Anglais",
  "lang.fr": "Français",

  "dash.title": "Mes comptes d'entreprise",
  "dash.yourUrn": "Votre numéro de référence d'utilisateur (NRU) :",
  "dash.empty": "Vous n'êtes encore membre d'aucun compte d'entreprise.",
  "dash.caption": "Comptes d'entreprise dont vous êtes membre",
  "dash.col.business": "Entreprise",
  "dash.col.program": "Programme",
  "dash.col.status": "État",
  "dash.col.role": "Votre rôle",
  "dash.actions": "Que voulez-vous faire?",
  "dash.activate": "Activer un compte d'entreprise",
  "dash.activate.hint": "Vous avez un identifiant et un secret partagé (code d'activation).",
  "dash.register": "S'inscrire au Portail des négociants fiables",
  "dash.register.hint": "Obtenez un numéro de client; un code d'activation est posté à l'entreprise.",
  "dash.requestCode": "Demander un nouveau code d'activation",
  "dash.requestCode.hint": "Le code a été perdu, est expiré ou est verrouillé.",
  "dash.agency": "Travail de l'Agence",

  "status.issued": "Émis",
  "status.activated": "Activé",
  "status.authorized": "Autorisé",
  "status.closed": "Fermé",
  "role.owner": "Propriétaire",
  "role.proxy": "Mandataire",
  "role.user": "Utilisateur du compte",
  "role.browser": "Lecteur du compte",
  "perm.declarations:view": "Consulter les déclarations et les recherches",
  "perm.declarations:edit": "Créer et modifier des déclarations et des recherches",
  "perm.messages:view": "Consulter les messages",
  "perm.members:list": "Voir les membres",
  "perm.members:manage-proxy": "Désigner et retirer des mandataires",
  "perm.members:manage-staff": "Désigner et retirer des utilisateurs et des lecteurs du compte",
  "perm.business:manage": "Gérer le compte d'entreprise : coordonnées, conditions, consentement, propriété, fermeture",
  "perm.audit:read": "Consulter la piste de vérification",
  "program.ttp": "Portail des négociants fiables",
  "program.emanifest": "Portail du manifeste électronique",
  "program.cers": "Portail du Système canadien de déclaration des exportations",
  "idkind.ttp": "Numéro de client, par exemple P12345674",
  "idkind.emanifest": "Code de transporteur, par exemple 8ABC",
  "idkind.cers": "Numéro d'entreprise avec son compte RM, par exemple 123456789RM0001",
  "field.program": "Programme",
  "field.program.choose": "Choisissez un programme",
  "field.business_identifier": "Identifiant de l'entreprise",
  "field.business_identifier.hint":
    "Numéro de client pour le Portail des négociants fiables (P12345674), code de transporteur pour le manifeste électronique (8ABC), numéro d'entreprise avec son compte RM pour le SCDE (123456789RM0001).",

  "reg.title": "S'inscrire au Portail des négociants fiables",
  "reg.intro":
    "Nous attribuons un numéro de client à l'entreprise et le lui envoyons, avec un code d'activation, par courrier recommandé à son adresse inscrite au registre des entreprises de l'Agence. Avec les deux, activez le compte d'entreprise.",
  "field.business_number": "Numéro d'entreprise (9 chiffres)",
  "field.business_number.hint": "Par exemple 123456782",
  "field.legal_name": "Dénomination sociale de l'entreprise",
  "field.mailing_address": "Adresse postale",
  "field.mailing_address.hint": "Jusqu'à 6 lignes.",
  "reg.submit": "S'inscrire",
  "reg.done.title": "Inscription reçue",
  "reg.done.body": "Votre lettre est en route.",
  "reg.done.next":
    "Le numéro de client de l'entreprise et son code d'activation voyagent par courrier recommandé jusqu'à l'adresse de l'entreprise au dossier de l'Agence. À la réception de la lettre, activez le compte d'entreprise avec les deux.",
  "code.title": "Demander un nouveau code d'activation",
  "code.intro":
    "Si l'identifiant est au dossier, un nouveau code est envoyé à l'adresse au dossier, au plus une fois par jour. Un code que vous détenez déjà reste valide jusqu'à son expiration ou jusqu'à ce qu'un code soit utilisé.",
  "code.submit": "Demander un nouveau code",
  "code.done":
    "Demande reçue. Si cet identifiant est au dossier, un nouveau code d'activation est en route vers l'adresse au dossier.",

  "act.title": "Activer un compte d'entreprise",
  "act.intro":
    "Entrez l'identifiant de l'entreprise et le secret partagé (code d'activation) reçu, ainsi que les coordonnées du propriétaire. Vous devenez le propriétaire du compte d'entreprise.",
  "field.shared_secret": "Secret partagé (code d'activation)",
  "field.shared_secret.hint": "24 caractères, par exemple ABCD-EFGH-JKMN-PQRS-TVWX-YZ01",
  "act.contact": "Coordonnées du propriétaire",
  "field.position_title": "Titre du poste",
  "field.address": "Adresse",
  "act.submit": "Activer le compte d'entreprise",
  "act.done":
    "Le compte d'entreprise est activé et vous en êtes le propriétaire. Acceptez les conditions du programme pour commencer à l'utiliser.",

  "bus.tabs": "Sections du compte d'entreprise",
  "bus.tab.overview": "Aperçu",
  "bus.tab.terms": "Conditions du programme",
  "bus.tab.members": "Membres",
  "bus.tab.transfer": "Transfert de propriété",
  "bus.tab.sharing": "Communication de renseignements",
  "bus.tab.audit": "Piste de vérification",
  "bus.details": "Renseignements sur le compte d'entreprise",
  "bus.program": "Programme",
  "bus.identifier": "Identifiant",
  "bus.status": "État",
  "bus.role": "Votre rôle",
  "bus.owner": "NRU du propriétaire",
  "bus.mailing_address": "Adresse postale",
  "bus.contact": "Coordonnées du propriétaire",
  "bus.terms_version": "Version des conditions acceptée",
  "bus.access": "Ce que votre rôle permet",
  "bus.termsNeeded":
    "Les conditions du programme ne sont pas encore acceptées : les membres et les renseignements ne peuvent changer qu'une fois qu'elles sont acceptées par le propriétaire.",
  "bus.acceptTerms": "Accepter les conditions du programme",
  "bus.sharing": "Consentement à la communication de renseignements",
  "bus.sharing.none": "Aucune décision enregistrée.",
  "bus.manage": "Gérer ce compte d'entreprise",
  "bus.edit": "Modifier les renseignements",
  "bus.edit.hint": "L'adresse postale et les coordonnées du propriétaire.",
  "bus.close": "Fermer ce compte d'entreprise",
  "bus.close.hint": "Tous les membres perdent l'accès. C'est irréversible.",

  "edit.title": "Modifier les renseignements du compte d'entreprise",
  "edit.intro":
    "Modifiez l'adresse postale et les coordonnées du propriétaire. La dénomination sociale, le programme et l'identifiant ne peuvent pas être modifiés.",
  "edit.termsNeeded":
    "Ces renseignements ne peuvent être modifiés qu'une fois les conditions du programme acceptées. Acceptez d'abord les conditions; d'ici là, la modification est refusée.",
  "edit.ownerOnly": "Seul le propriétaire peut modifier les renseignements du compte d'entreprise.",
  "edit.submit": "Enregistrer les renseignements",
  "edit.saved": "Les renseignements du compte d'entreprise sont enregistrés.",
  "close.title": "Fermer le compte d'entreprise",
  "close.intro":
    "Fermer {name} met fin à ce compte d'entreprise pour le {program}. Tous les membres, vous compris, perdent l'accès immédiatement, et un nouveau secret partagé peut ensuite être émis pour l'identifiant {identifier}.",
  "close.permanent": "C'est irréversible.",
  "close.check": "Je comprends que tous les membres perdent l'accès à {name} et que la fermeture est irréversible.",
  "close.check.short": "Confirmation",
  "close.check.required": "Confirmez que vous voulez fermer le compte d'entreprise.",
  "close.submit": "Fermer le compte d'entreprise",
  "close.keep": "Garder le compte d'entreprise",
  "close.done": "{name} est fermé. Ses membres n'y ont plus accès.",
  "close.ownerOnly": "Seul le propriétaire peut fermer le compte d'entreprise.",

  "terms.title": "Conditions du programme",
  "terms.intro":
    "Pour utiliser le {program}, l'entreprise doit accepter les conditions du programme, version {version}. Seul le propriétaire peut les accepter.",
  "terms.check": "J'accepte les conditions du programme, version {version}, au nom de l'entreprise.",
  "terms.check.required": "Confirmez que vous acceptez les conditions.",
  "terms.check.short": "Acceptation des conditions",
  "terms.submit": "Accepter les conditions",
  "terms.done": "Les conditions sont acceptées. Le compte d'entreprise est autorisé.",
  "terms.accepted": "Les conditions du programme (version {version}) sont acceptées.",
  "terms.ownerOnly": "Seul le propriétaire peut accepter les conditions du programme.",

  "mem.title": "Membres",
  "mem.caption": "Membres de {business}",
  "mem.col.name": "Nom",
  "mem.col.urn": "NRU",
  "mem.col.role": "Rôle",
  "mem.col.since": "Membre depuis",
  "mem.col.actions": "Actions",
  "mem.you": "(vous)",
  "mem.newRole": "Nouveau rôle pour {name}",
  "mem.changeRole": "Changer le rôle",
  "mem.remove": "Retirer",
  "mem.remove.label": "Retirer {name}",
  "mem.remove.confirm": "Retirer {name} de ce compte d'entreprise? La personne perd l'accès immédiatement.",
  "mem.remove.yes": "Oui, retirer {name}",
  "mem.add": "Ajouter un membre",
  "mem.add.intro": "Demandez à la personne le NRU affiché dans son compte d'utilisateur et l'adresse courriel de ce compte.",
  "mem.add.email.hint": "L'adresse courriel de son compte d'utilisateur. Un NRU et une adresse qui ne vont pas ensemble sont refusés.",
  "field.urn.hint": "10 chiffres",
  "apimsg.is required to add a person: the e-mail of their user account": "est obligatoire pour ajouter une personne : l'adresse courriel de son compte d'utilisateur",
  "field.role": "Rôle",
  "mem.add.submit": "Ajouter le membre",
  "mem.added": "{name} est maintenant {role}.",
  "mem.changed": "{name} est maintenant {role}.",
  "mem.removed": "{name} n'a plus accès à ce compte d'entreprise.",
  "mem.cannotList": "Votre rôle ne permet pas de voir les membres de ce compte d'entreprise.",

  "tr.title": "Transfert de propriété",
  "tr.owner.intro":
    "Nommez le membre qui deviendra propriétaire. Le transfert attend son acceptation; vous devenez alors mandataire.",
  "field.to_urn": "NRU du nouveau propriétaire",
  "tr.start": "Lancer le transfert",
  "tr.started": "Transfert demandé : il attend l'acceptation de {urn} jusqu'au {date}",
  "tr.cancel.title": "Annuler un transfert en attente",
  "tr.cancel.intro": "Un transfert en attente peut être annulé tant qu'il n'est pas accepté.",
  "tr.cancel": "Annuler le transfert en attente",
  "tr.cancelled": "Le transfert en attente est annulé.",
  "tr.accept.intro":
    "Si le propriétaire vous a nommé nouveau propriétaire de ce compte d'entreprise, acceptez le transfert ici. Vous devenez propriétaire et l'ancien propriétaire devient mandataire.",
  "tr.accept": "Accepter la propriété",
  "tr.accepted": "Vous êtes maintenant le propriétaire de ce compte d'entreprise.",

  "share.title": "Consentement à la communication de renseignements",
  "share.intro":
    "Le propriétaire indique si l'entreprise consent à ce que l'Agence communique ses renseignements aux ministères partenaires (CADI), et qui signe en son nom.",
  "share.current": "Décision actuelle",
  "share.given": "Consentement donné",
  "share.withdrawn": "Consentement non donné",
  "share.signedBy": "Signé par {name}, {title}, le {date}",
  "field.consent": "L'entreprise consent-elle à la communication de renseignements?",
  "field.consent.yes": "Oui, l'entreprise consent",
  "field.consent.no": "Non, l'entreprise ne consent pas",
  "field.signatory_name": "Nom du signataire autorisé",
  "field.signatory_title": "Titre du signataire autorisé",
  "share.submit": "Enregistrer la décision",
  "share.saved": "La décision est enregistrée.",
  "share.ownerOnly": "Seul le propriétaire peut enregistrer la décision sur la communication de renseignements.",

  "audit.title": "Piste de vérification",
  "audit.caption": "Piste de vérification, du plus récent au plus ancien, page {page}",
  "audit.col.when": "Date et heure",
  "audit.col.action": "Action",
  "audit.col.by": "Par (NRU)",
  "audit.col.idp": "Connecté avec",
  "audit.col.details": "Détails",
  "audit.empty": "Aucun événement.",
  "audit.prev": "Événements plus récents",
  "audit.next": "Événements plus anciens",
  "audit.page": "Page {page}",
  "audit.pager": "Pages de la piste de vérification",
  "audit.action.business.activated": "Compte d'entreprise activé",
  "audit.action.business.terms_accepted": "Conditions du programme acceptées",
  "audit.action.business.updated": "Renseignements de l'entreprise modifiés",
  "audit.action.business.closed": "Compte d'entreprise fermé",
  "audit.action.member.role_granted": "Rôle attribué",
  "audit.action.member.role_changed": "Rôle modifié",
  "audit.action.member.role_removed": "Rôle retiré",
  "audit.action.ownership.transfer_requested": "Transfert de propriété demandé",
  "audit.action.ownership.transfer_accepted": "Transfert de propriété accepté",
  "audit.action.ownership.transfer_cancelled": "Transfert de propriété annulé",
  "audit.action.information_sharing.consent_given": "Consentement à la communication donné",
  "audit.action.information_sharing.consent_withdrawn": "Consentement à la communication retiré",
  "audit.detail": "{label} : {value}",
  "audit.detail.urn": "NRU",
  "audit.detail.to_urn": "Nouveau propriétaire",
  "audit.detail.role": "Rôle",
  "audit.detail.status": "État",
  "audit.detail.terms_version": "Version des conditions",
  "audit.detail.owner_urn": "Propriétaire",
  "audit.detail.consent": "Consentement",
  "audit.detail.signatory_name": "Signé par",
  "audit.detail.signatory_title": "Titre",
  "audit.detail.expires_at": "Expire le",
  "idp.gckey": "CléGC",
  "idp.sign-in-partner": "Partenaire de connexion",

  "ag.secret.title": "Émettre un secret partagé",
  "ag.secret.intro":
    "Le secret remplace tout secret antérieur inutilisé pour l'identifiant. Il n'est affiché qu'une fois, ici. Les secrets du Portail des négociants fiables sont envoyés par lettre (voir la file des lettres); ceux du manifeste électronique et du SCDE sont envoyés par courriel à la personne-ressource.",
  "field.contact_email": "Adresse courriel de la personne-ressource",
  "field.contact_email.hint":
    "Obligatoire pour les programmes qui envoient le secret par courriel (manifeste électronique, SCDE).",
  "field.letter_language": "Langue de la lettre ou du courriel",
  "ag.secret.submit": "Émettre le secret partagé",
  "ag.secret.done": "Secret partagé émis",
  "ag.secret.once": "Notez-le maintenant : il ne sera plus affiché.",
  "ag.secret.value": "Secret partagé",
  "ag.secret.expires": "Expire le",
  "ag.secret.delivery": "Envoi",
  "delivery.letter": "Lettre, par la poste (ajoutée à la file des lettres)",
  "delivery.email": "Courriel à la personne-ressource",
  "ag.letters.title": "File des lettres",
  "ag.letters.intro":
    "Lettres à poster, de la plus ancienne à la plus récente. Marquez chacune comme postée une fois à la poste.",
  "ag.letters.caption": "Lettres à poster",
  "ag.letters.col.business": "Entreprise",
  "ag.letters.col.address": "Adresse postale",
  "ag.letters.col.secret": "Secret partagé",
  "ag.letters.col.expires": "Expire le",
  "ag.letters.col.language": "Langue",
  "ag.letters.col.action": "Action",
  "ag.letters.mark": "Marquer comme postée",
  "ag.letters.mark.label": " : la lettre à {name}",
  "ag.letters.marked": "La lettre à {name} est marquée comme postée.",
  "ag.letters.empty": "Aucune lettre n'attend d'être postée.",
  "ag.only": "Cette page est réservée aux agents de l'Agence. Connectez-vous en tant qu'agent pour l'utiliser.",
  "nav.register": "Registre des entreprises",
  "nav.agencyAudit": "Vérification de l'Agence",
  "ag.register.title": "Registre des entreprises",
  "ag.register.intro":
    "Le dossier de l'Agence sur une entreprise, tiré du registre des numéros d'entreprise. La lettre d'une inscription, avec le numéro de client et le code d'activation, va à cette adresse, jamais à celle saisie par la personne qui s'inscrit.",
  "ag.register.submit": "Enregistrer au registre",
  "ag.register.saved": "L'inscription au registre du numéro d'entreprise {number} est enregistrée.",
  "ag.audit.title": "Vérification de l'Agence",
  "ag.audit.intro": "Ce que les agents de l'Agence ont fait, du plus récent au plus ancien : secrets émis, lettres approuvées, rejetées ou postées, codes en attente consultés, inscriptions au registre modifiées.",
  "ag.audit.col.officer": "Agent",
  "ag.audit.col.concerned": "Concernant",
  "ag.audit.more": "{shown} et {more} de plus",
  "ag.audit.action.secret.issued": "Secret partagé émis",
  "ag.audit.action.letter.approved": "Lettre approuvée",
  "ag.audit.action.letter.rejected": "Lettre rejetée",
  "ag.audit.action.letter.mailed": "Lettre marquée comme postée",
  "ag.audit.action.letters.codes_read": "Codes en attente consultés",
  "ag.audit.action.register.edited": "Inscription au registre modifiée",
  "ag.audit.action.user.reinstated": "Compte d'utilisateur rétabli",
  "nav.reinstate": "Comptes retirés",
  "ag.reinstate.title": "Rétablir un compte d'utilisateur retiré",
  "ag.reinstate.intro":
    "Un compte d'utilisateur sans ouverture de session depuis deux ans est retiré : son justificatif n'ouvre plus le portail et son NRU ne peut plus être ajouté à une entreprise. Le rétablir le rend actif à compter d'aujourd'hui; ses adhésions restent telles quelles.",
  "ag.reinstate.urn": "Le numéro de référence de l'utilisateur (NRU) du compte",
  "ag.reinstate.submit": "Rétablir le compte",
  "ag.reinstate.done": "Le compte d'utilisateur du NRU {urn} est rétabli.",
  "retired.title": "Votre compte d'utilisateur est retiré",
  "retired.body":
    "Votre compte d'utilisateur n'a pas été utilisé depuis deux ans; il a donc été retiré. Vos entreprises et vos rôles sont conservés. Pour utiliser de nouveau le portail, communiquez avec l'agence et demandez le rétablissement de votre compte; donnez-lui votre numéro de référence de l'utilisateur (NRU).",
  "ag.audit.action.secret.issued_for_recovery": "Secret de reprise du compte émis",
  "ag.audit.action.user.looked_up": "Utilisateur recherché",
  "ag.audit.action.business.looked_up": "Entreprise recherchée",
  "nav.supportUsers": "Trouver un utilisateur",
  "nav.supportBusinesses": "Trouver une entreprise",
  "ag.secret.purpose": "But",
  "ag.secret.purpose.activation": "Activation d'un nouveau compte d'entreprise",
  "ag.secret.purpose.recovery": "Reprise du compte : la personne qui l'utilise devient titulaire du compte d'entreprise existant",
  "ag.users.title": "Trouver un utilisateur",
  "ag.users.intro": "Identifiez une personne qui appelle par le numéro de référence d'utilisateur (NRU) qu'elle vous donne. Chaque recherche est consignée dans la vérification de l'Agence.",
  "ag.users.submit": "Rechercher",
  "ag.users.businesses": "Comptes d'entreprise",
  "ag.users.none": "Cet utilisateur n'appartient à aucun compte d'entreprise.",
  "ag.users.col.role": "Rôle",
  "ag.users.col.status": "État",
  "ag.users.credential": "Justificatif d'ouverture de session",
  "ag.users.created": "Compte créé le",
  "ag.users.lastActive": "Dernière activité",
  "ag.users.lastActive.none": "Non consignée",
  "ag.users.status.active": "Actif",
  "ag.users.status.retired": "Retiré (deux ans sans utilisation) : rétablissez-le sous Comptes retirés",
  "ag.biz.title": "Trouver une entreprise",
  "ag.biz.intro": "Trouvez une entreprise par son programme et son identifiant, ou par le numéro d'entreprise d'une inscription au Programme des négociants dignes de confiance. Chaque recherche est consignée dans la vérification de l'Agence.",
  "ag.biz.submit": "Rechercher",
  "ag.biz.bn.hint": "Au lieu du programme et de l'identifiant : le numéro d'entreprise à 9 chiffres d'une inscription au Programme des négociants dignes de confiance",
  "ag.biz.status.none": "Aucun compte d'entreprise, aucun code en attente",
  "ag.biz.owner": "Titulaire du compte",
  "ag.biz.members": "Membres",
  "ag.biz.secret": "Code en attente d'utilisation",
  "ag.biz.secret.activation": "Code d'activation, expire le {date}",
  "ag.biz.secret.recovery": "Code de reprise du compte, expire le {date}",
  "ag.biz.secret.none": "Aucun",
  "ag.biz.letter": "Lettre avec le code le plus récent",
  "ag.letters.tabs": "Lettres par état",
  "ag.letters.status.review": "En examen",
  "ag.letters.status.pending": "À poster",
  "ag.letters.status.mailed": "Postées",
  "ag.letters.status.withdrawn": "Retirées",
  "ag.letters.intro.review":
    "Inscriptions de numéros d'entreprise que le registre ne connaît pas. Vérifiez l'entreprise, puis approuvez la lettre (à une adresse vérifiée) ou rejetez-la.",
  "ag.letters.intro.pending": "Lettres qui attendent d'être postées, de la plus ancienne à la plus récente. Marquez chacune comme postée une fois à la poste. La consultation de ces codes est consignée dans la vérification de l'Agence.",
  "ag.letters.intro.mailed": "Lettres postées. Leurs codes ne sont plus conservés.",
  "ag.letters.intro.withdrawn": "Lettres jamais postées. Leurs codes ne fonctionnent pas.",
  "ag.letters.col.created": "Créée le",
  "ag.letters.approve": "Approuver",
  "ag.letters.approve.address": "Adresse postale vérifiée",
  "ag.letters.approve.hint": "Laissez vide pour poster à l'adresse saisie.",
  "ag.letters.approved": "La lettre à {name} est approuvée et attend d'être postée.",
  "ag.letters.reject": "Rejeter",
  "ag.letters.reason": "Motif du rejet",
  "ag.letters.rejected": "La lettre à {name} est rejetée; son code ne fonctionne pas.",
  "ag.letters.bn": "Numéro d'entreprise {number}",
  "ag.letters.by": "Inscrite par le NRU {urn}",

  "err.summary": "Il y a un problème",
  "err.prefix": "Erreur :",
  "err.summary.n": "Il y a {n} problèmes",
  "err.field": "{label} : {message}",
  "err.400": "La demande n'a pas pu être lue. Veuillez réessayer.",
  "err.401": "Votre session a pris fin. Veuillez vous reconnecter.",
  "err.403": "Vous n'êtes pas autorisé à faire ceci.",
  "err.404": "Introuvable, ou vous n'y avez pas accès.",
  "err.409": "Ceci est en conflit avec l'état actuel du compte. Rechargez la page et réessayez.",
  "err.410": "Ceci est expiré ou a déjà été utilisé.",
  "err.413": "Ce que vous avez entré est trop long.",
  "err.422": "Certains renseignements ne sont pas valides. Vérifiez les champs indiqués ci-dessous.",
  "err.423": "Trop d'essais erronés à partir de votre connexion : réessayez dans 24 heures, ou avec un nouveau secret partagé.",
  "err.attempts_left": "Il vous reste {n} essais avant que votre connexion soit bloquée pour cet identifiant pendant 24 heures.",
  "err.429": "Trop de tentatives. Réessayez plus tard.",
  "err.503": "Un service n'est pas disponible pour le moment; rien n'a été modifié. Réessayez dans un instant.",
  "err.500": "Une erreur s'est produite de notre côté. Réessayez plus tard.",
  "err.network": "Le portail est injoignable. Vérifiez votre connexion et réessayez.",
  "err.field.unknown": "Cette valeur n'est pas valide.",

  "apimsg.is required": "Ce champ est obligatoire.",
  "apimsg.must be a string": "Entrez du texte.",
  "apimsg.must be true or false": "Choisissez oui ou non.",
  "apimsg.must be an object": "Ces renseignements sont manquants.",
  "apimsg.must not be empty": "Ce champ ne peut pas être vide.",
  "apimsg.must be at most {n} characters": "Utilisez au plus {n} caractères.",
  "apimsg.must not contain control characters": "Retirez les caractères de contrôle spéciaux.",
  "apimsg.must be an e-mail address": "Entrez une adresse courriel, par exemple nom@exemple.ca.",
  "apimsg.must be a telephone number, e.g. +1 613 555 0100":
    "Entrez un numéro de téléphone, par exemple +1 613 555 0100.",
  "apimsg.must be at most 6 lines": "Utilisez au plus 6 lignes.",
  "apimsg.must be en or fr": "Choisissez l'anglais ou le français.",
  "apimsg.must be ttp, emanifest or cers": "Choisissez un programme.",
  "apimsg.give program and identifier, or business_number": "Indiquez le programme et l'identifiant, ou un numéro d'entreprise.",
  "apimsg.registration is for ttp only": "L'inscription est réservée au Portail des négociants fiables.",
  "apimsg.must be a Client Number: P and 8 digits, e.g. P12345674":
    "Entrez un numéro de client : P et 8 chiffres, par exemple P12345674.",
  "apimsg.must be a carrier code: 4 letters or digits, e.g. 8ABC":
    "Entrez un code de transporteur : 4 lettres ou chiffres, par exemple 8ABC.",
  "apimsg.must be a Business Number with its RM account, e.g. 123456789RM0001":
    "Entrez un numéro d'entreprise avec son compte RM, par exemple 123456789RM0001.",
  "apimsg.must be a 9-digit Business Number, e.g. 123456789":
    "Entrez un numéro d'entreprise de 9 chiffres, par exemple 123456782.",
  "apimsg.the Business Number's check digit does not match: it was mistyped":
    "Ce numéro d'entreprise n'est pas valide : vérifiez s'il y a une faute de frappe.",
  "apimsg.must be the 24-character shared secret, e.g. ABCD-EFGH-JKMN-PQRS-TVWX-YZ01":
    "Entrez le secret partagé de 24 caractères, par exemple ABCD-EFGH-JKMN-PQRS-TVWX-YZ01.",
  "apimsg.must be 10 digits": "Entrez les 10 chiffres du NRU.",
  "apimsg.check digit does not match: the URN was mistyped":
    "Ce NRU n'est pas valide : vérifiez s'il y a une faute de frappe.",
  "apimsg.must be proxy, user or browser (ownership moves only by transfer)":
    "Choisissez mandataire, utilisateur du compte ou lecteur du compte. La propriété ne change que par un transfert.",
  "apimsg.must be proxy, user or browser": "Choisissez mandataire, utilisateur du compte ou lecteur du compte.",
  "apimsg.is already the owner": "Cette personne est déjà le propriétaire.",
  "apimsg.give mailing_address or owner_contact fields to change": "Modifiez au moins un champ.",
  "apimsg.give at least one of name, email, phone, language": "Modifiez au moins un champ.",
  "apimsg.is not a cursor from this list": "Cette page de la liste n'existe plus. Revenez à la première page.",
  "apimsg.must be the 10-character code, e.g. ABCD-EFGH-JK": "Entrez le code de 10 caractères, par exemple ABCD-EFGH-JK.",
  "apimsg.must be the 6-digit code sent to the new address": "Entrez le code de 6 chiffres envoyé à la nouvelle adresse.",
  "apimsg.is not the code sent to the new address": "Ce n'est pas le code envoyé à la nouvelle adresse. Vérifiez-le et réessayez.",
  "apimsg.was wrong too many times: the change of e-mail address is cancelled":
    "Le code a été mal saisi trop de fois : le changement d'adresse courriel est annulé. Changez de nouveau votre adresse pour obtenir un nouveau code.",
  "apimsg.has expired: the change of e-mail address is cancelled":
    "Le code est expiré : le changement d'adresse courriel est annulé. Changez de nouveau votre adresse pour obtenir un nouveau code.",
  "apimsg.must be an id: 26 lower-case letters or digits": "Ce lien ne mène à rien : vérifiez l'adresse.",

  "apidetail.This credential already has a user account.": "Cette connexion a déjà un compte d'utilisateur.",
  "apidetail.No change of e-mail address is waiting for a code.":
    "Aucun changement d'adresse courriel n'attend de code. Rechargez la page.",
  "apidetail.terms_version is not the current portal terms; read GET /programs.":
    "Les conditions d'utilisation du portail ont changé. Rechargez la page et acceptez la version actuelle.",
  "apidetail.That is not the program's current terms version; read GET /programs.":
    "Les conditions du programme ont changé. Rechargez la page et acceptez la version actuelle.",
  "apidetail.A business account is active for this identifier.":
    "Un compte d'entreprise est déjà actif pour cet identifiant.",
  "apidetail.This Business Number is already registered in the program.":
    "Ce numéro d'entreprise est déjà inscrit au programme.",
  "apidetail.An ownership transfer is already pending; cancel it first.":
    "Un transfert de propriété est déjà en attente : annulez-le d'abord.",
  "apidetail.Information can be modified only once the program's terms are accepted.":
    "Les renseignements ne peuvent changer qu'une fois les conditions du programme acceptées.",
  "apidetail.Members can change only once the program's terms are accepted.":
    "Les membres ne peuvent changer qu'une fois les conditions du programme acceptées.",
  "apidetail.The letter was already marked mailed.": "Cette lettre est déjà marquée comme postée.",
  "apidetail.Another officer changed the letter meanwhile; read it again.":
    "Un autre agent a modifié cette lettre entre-temps. Rechargez la page.",
  "apidetail.Only a letter in review can be approved or rejected.":
    "Seule une lettre en examen peut être approuvée ou rejetée.",
  "apidetail.This letter is not waiting to be mailed.": "Cette lettre n'attend pas d'être postée.",
  "apidetail.Another officer edited the register meanwhile; try again.":
    "Un autre agent a modifié cette inscription au registre entre-temps. Réessayez.",
  "apidetail.No such Business Number.": "Ce numéro d'entreprise n'existe pas.",
  "apimsg.must be review, pending, mailed or withdrawn": "Choisissez les lettres à afficher.",
  "apidetail.The member changed since you read it; read again and retry.":
    "Quelqu'un a modifié ce membre entre-temps. Rechargez la page et réessayez.",
  "apidetail.The business account changed since you read it; read it again and retry.":
    "Quelqu'un a modifié ce compte d'entreprise entre-temps. Rechargez la page et réessayez.",
  "apidetail.Nobody can change their own role.": "Personne ne peut changer son propre rôle.",
  "apidetail.Only agency officers may do this.": "Seuls les agents de l'Agence peuvent faire ceci.",
  "apidetail.This user account was retired after two years without use; the agency can reinstate it.":
    "Ce compte d'utilisateur a été retiré après deux ans sans utilisation; l'agence peut le rétablir.",
  "apidetail.This user account is not retired.": "Ce compte d'utilisateur n'est pas retiré.",
  "apidetail.This needs a recent sign-in: sign in again.": "Cette action exige une connexion récente : reconnectez-vous.",
  "apidetail.Agency routes need a sign-in with a second factor: sign in again with it.": "Le travail de l’Agence exige une connexion avec un deuxième facteur : reconnectez-vous avec celui-ci.",
  "apidetail.The identifier and shared secret do not match.":
    "L'identifiant et le secret partagé ne correspondent pas.",
  "apidetail.The owner is removed only by transferring ownership.":
    "Le propriétaire ne peut partir que par un transfert de propriété.",
  "apidetail.The owner's role changes only by transferring ownership.":
    "Le rôle du propriétaire ne change que par un transfert de propriété.",
  "apidetail.The ownership transfer names another user.": "Le transfert de propriété en attente nomme quelqu'un d'autre.",
  "apidetail.Your role in this business account does not allow this.":
    "Votre rôle dans ce compte d'entreprise ne le permet pas.",
  "apidetail.The ownership transfer has expired.": "Le transfert de propriété est expiré.",
  "apidetail.The ownership transfer was already accepted or cancelled.":
    "Le transfert de propriété a déjà été accepté ou annulé.",
  "apidetail.This shared secret has expired; ask for a new one.":
    "Ce secret partagé est expiré : demandez-en un nouveau.",
  "apidetail.This shared secret was already used.": "Ce secret partagé a déjà été utilisé.",
  "apidetail.No member has this URN in this business account.": "Aucun membre n'a ce NRU dans ce compte d'entreprise.",
  "apidetail.No ownership transfer is pending.": "Aucun transfert de propriété n'est en attente.",
  "apidetail.No such business account.": "Ce compte d'entreprise n'existe pas, ou vous n'y avez pas accès.",
  "apidetail.No such letter.": "Cette lettre n'existe pas.",
  "apidetail.No user account has this URN.": "Aucun compte d'utilisateur n'a ce NRU.",
  "apidetail.The named user is not a member of this business account.":
    "La personne nommée n'est pas membre de ce compte d'entreprise. Ajoutez-la d'abord comme membre.",
  "apidetail.No user account for this credential: create one with POST /users.":
    "Votre connexion n'a pas encore de compte d'utilisateur.",
  "apidetail.Too many wrong tries from this sign-in: try again in 24 hours, or with a new shared secret.":
    "Trop d'essais erronés à partir de votre connexion : vous pourrez essayer cet identifiant de nouveau dans 24 heures, ou dès que l'agence émettra un nouveau secret partagé.",
  "apidetail.A request with this Idempotency-Key is in progress; retry.":
    "Votre demande est encore en traitement. Réessayez dans un instant.",
  "apidetail.A request with this Idempotency-Key is still being handled; retry after the given time.":
    "Votre demande est encore en traitement. Réessayez dans un instant.",
  "apidetail.Too many attempts; try again later.": "Trop de tentatives. Réessayez plus tard.",
  "apidetail.A concurrent change won; try again.":
    "Quelqu'un d'autre a fait une modification au même moment. Réessayez.",
  "apidetail.A concurrent registration won; try again.":
    "Une autre inscription a été faite au même moment. Réessayez.",
  "apidetail.No such transfer code.":
    "Ce code de transfert n'est pas valide.",
  "apidetail.The business account changed meanwhile; read again and retry.":
    "Le compte d'entreprise a changé entre-temps. Rechargez la page et réessayez.",
  "apidetail.The business account changed meanwhile; read it again and retry.":
    "Le compte d'entreprise a changé entre-temps. Rechargez la page et réessayez.",
  "apidetail.The identifier changed meanwhile (activated, or another secret issued); try again.":
    "Cet identifiant a changé entre-temps (activé, ou nouveau secret émis). Réessayez.",
  "apidetail.The member or the business account changed meanwhile; read again and retry.":
    "Le membre ou le compte d'entreprise a changé entre-temps. Rechargez la page et réessayez.",
  "apidetail.The transfer code has expired; ask for a new one.":
    "Ce code de transfert est expiré : demandez-en un nouveau.",
  "apidetail.The transfer code is no longer valid.":
    "Ce code de transfert n'est plus valide.",
  "apidetail.The transfer code was replaced by a newer one.":
    "Ce code de transfert a été remplacé par un plus récent.",
  "apidetail.The user account changed meanwhile; read it again and retry.":
    "Votre compte d'utilisateur a changé entre-temps. Rechargez la page et réessayez.",
  "apidetail.The user account changed meanwhile; try again.":
    "Votre compte d'utilisateur a changé entre-temps. Réessayez.",
  "apidetail.The user account or this credential changed meanwhile; try again.":
    "Votre compte d'utilisateur ou cette connexion a changé entre-temps. Réessayez.",
  "apidetail.This account is still being moved from its previous sign-in; try again in a minute.":
    "Ce compte d'utilisateur est encore en cours de transfert depuis sa connexion précédente. Réessayez dans une minute.",
  // ---------------------------------------------------------------- délégations (textes de l'API)
  "apidetail.No such delegation for this business account.": "Aucune délégation de ce type pour ce compte d'entreprise.",
  "apidetail.Delegations can be given or received only once the program's terms are accepted.":
    "Les délégations ne peuvent être accordées ou reçues qu'une fois les modalités du programme acceptées.",
  "apidetail.This delegation waits for the other business's answer.":
    "Cette délégation attend la réponse de l'autre entreprise.",
  "apidetail.This delegation was already declined, withdrawn, ended, or is past its end day.":
    "Cette délégation a déjà été refusée, retirée ou terminée, ou sa date de fin est passée.",
  "apidetail.The delegation changed meanwhile; read it again and retry.":
    "La délégation a changé entre-temps. Actualisez la page et réessayez.",
  "apimsg.is this business account's own identifier": "est l'identifiant de ce compte d'entreprise : une entreprise ne peut pas se déléguer à elle-même",
  "apimsg.must be after today and at most two years from today": "Choisissez une date de fin postérieure à aujourd'hui et d'au plus deux ans à partir d'aujourd'hui.",
  "apimsg.must be given or received": "Choisissez accordées ou reçues.",
  "apimsg.must be view or view_submit": "Choisissez consultation seulement, ou consultation et soumission.",
  "apimsg.must be a day written YYYY-MM-DD": "Entrez une date au format AAAA-MM-JJ, par exemple 2027-06-30.",
  "apidetail.Only the business that receives a delegation chooses who acts under it.":
    "Seule l'entreprise qui reçoit une délégation choisit qui agit en vertu de celle-ci.",
  "apidetail.People act under a delegation only while it is active.": "On ne peut agir en vertu d'une délégation que pendant qu'elle est active.",
  "apidetail.This person already acts for that business through another delegation.":
    "Cette personne agit déjà pour cette entreprise en vertu d'une autre délégation.",
  "apidetail.This person does not act under this delegation.": "Cette personne n'agit pas en vertu de cette délégation.",
  "apimsg.must not be more than the delegation grants": "Ne choisissez pas plus que ce que la délégation accorde.",
  "apimsg.is not a proof of delegation signed by this portal": "Ce n'est pas une preuve de délégation signée par ce portail.",
  "apimsg.must be a proof of delegation: three base64url parts joined by dots": "Collez la preuve de délégation au complet.",
  // ---------------------------------------------------------------- délégations
  "bus.tab.delegations": "Délégations",
  "bus.role.delegated": "Vous agissez pour cette entreprise en vertu d'une délégation à {name}",
  "dash.delegated": "Vous agissez pour elle par l'entremise de {name}",
  "dlg.title": "Délégations",
  "dlg.intro": "Une délégation permet à une autre entreprise d'agir pour celle-ci dans son programme (un courtier en douane, un fournisseur de services, un transitaire), ou à celle-ci d'agir pour une autre. Le titulaire du compte de l'autre entreprise répond; chaque partie peut y mettre fin en tout temps, et elle prend fin d'elle-même à sa date de fin.",
  "dlg.cannotList": "Votre rôle ne permet pas de voir les délégations de ce compte d'entreprise.",
  "dlg.given.title": "Accordées : d'autres agissent pour cette entreprise",
  "dlg.received.title": "Reçues : cette entreprise agit pour d'autres",
  "dlg.given.none": "Cette entreprise n'a accordé aucune délégation.",
  "dlg.received.none": "Cette entreprise n'a reçu aucune délégation.",
  "dlg.col.grantee": "Entreprise qui agit pour vous",
  "dlg.col.grantor": "Entreprise pour laquelle vous agissez",
  "dlg.col.permissions": "Autorisations",
  "dlg.col.ends": "Date de fin",
  "dlg.col.status": "État",
  "dlg.status.pending": "En attente de l'acceptation de l'autre entreprise",
  "dlg.status.requested": "Demandée, en attente d'approbation",
  "dlg.status.active": "Active",
  "dlg.status.declined": "Refusée",
  "dlg.status.withdrawn": "Retirée",
  "dlg.status.ended": "Terminée",
  "dlg.status.expired": "Échue",
  "dlg.perm.view": "Consultation seulement",
  "dlg.perm.view_submit": "Consultation et soumission",
  "dlg.history": "Qui a fait quoi",
  "dlg.action.offered": "Offerte",
  "dlg.action.requested": "Demandée",
  "dlg.action.accepted": "Acceptée",
  "dlg.action.approved": "Approuvée",
  "dlg.action.declined": "Refusée",
  "dlg.action.withdrawn": "Retirée",
  "dlg.action.ended": "Terminée",
  "dlg.action.expired": "Échue à sa date de fin",
  "dlg.by": "par le NRU {urn}",
  "dlg.accept": "Accepter",
  "dlg.approve": "Approuver",
  "dlg.accepted": "La délégation est maintenant active.",
  "dlg.end": "Mettre fin",
  "dlg.decline": "Refuser",
  "dlg.withdraw": "Retirer",
  "dlg.ended": "La délégation est close.",
  "dlg.agents": "Personnes qui agissent en vertu de celle-ci",
  "dlg.agents.none": "Personne n'agit encore en vertu de cette délégation.",
  "dlg.agent.add": "Choisir ce membre",
  "dlg.agent.hint": "Le NRU d'un membre de ce compte d'entreprise.",
  "dlg.agent.added": "{name} agit maintenant en vertu de cette délégation.",
  "dlg.agent.remove": "Retirer",
  "dlg.agent.removed": "{name} n'agit plus en vertu de cette délégation.",
  "dlg.field.identifier": "L'identifiant de l'autre entreprise",
  "dlg.field.permissions": "Autorisations",
  "dlg.field.ends_on": "Date de fin",
  "dlg.field.ends_on.hint": "Sous la forme AAAA-MM-JJ, après aujourd'hui et au plus deux ans à partir d'aujourd'hui.",
  "dlg.field.note": "Note",
  "dlg.offer.title": "Permettre à une autre entreprise d'agir pour celle-ci",
  "dlg.offer.intro": "Nommez l'autre entreprise par son programme et son identifiant. La délégation attend que le titulaire du compte de cette entreprise l'accepte. Vous devez avoir ouvert une session dans les 15 dernières minutes.",
  "dlg.offer.submit": "Offrir la délégation",
  "dlg.offered": "La délégation est offerte. Elle prend effet lorsque l'autre entreprise l'accepte.",
  "dlg.ask.title": "Demander d'agir pour une autre entreprise",
  "dlg.ask.intro": "Nommez l'entreprise pour laquelle vous voulez agir par son programme et son identifiant. Son titulaire du compte approuve ou refuse.",
  "dlg.ask.submit": "Demander la délégation",
  "dlg.asked": "Votre demande est envoyée. Elle prend effet lorsque l'autre entreprise l'approuve.",
};

const dictionaries: Record<Lang, Record<Key, string>> = { en, fr };

const LANG_KEY = "portal.lang";
const listeners: Array<() => void> = [];
let current: Lang = initialLang();

function initialLang(): Lang {
  const stored = localStorage.getItem(LANG_KEY);
  if (stored === "en" || stored === "fr") return stored;
  return navigator.language.toLowerCase().startsWith("fr") ? "fr" : "en";
}

export function lang(): Lang {
  return current;
}

/** Switches the language (remembered in this browser) and re-renders through the listeners. */
export function setLang(next: Lang): void {
  localStorage.setItem(LANG_KEY, next);
  if (next === current) return;
  current = next;
  for (const listener of listeners) listener();
}

export function onLangChange(listener: () => void): void {
  listeners.push(listener);
}

/** The string for `key` in the current language, with {name} placeholders filled. */
export function t(key: Key, values: Record<string, string | number> = {}): string {
  const text = dictionaries[current][key] ?? en[key];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}

export function has(key: string): key is Key {
  return key in en;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return trimmed;
  const first = trimmed[0]!.toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

/** A field message of the API (a 422's errors[].message) in the current language. */
export function apiMessage(message: string): string {
  const key = `apimsg.${message}`;
  if (has(key)) return t(key);
  const tooLong = /^must be at most (\d+) characters$/.exec(message);
  if (tooLong) return t("apimsg.must be at most {n} characters", { n: tooLong[1]! });
  // A message this portal does not know yet: the API's English is better than nothing in
  // English; in French, a generic message rather than English.
  return current === "en" ? sentence(message) : t("err.field.unknown");
}

/** A problem's detail in the current language, or null when there is no translation for it. */
export function apiDetail(detail: string | undefined): string | null {
  if (!detail) return null;
  const key = `apidetail.${detail}`;
  return has(key) ? t(key) : null;
}

/** A date-time of the API (RFC 3339) for people, in the current language. */
export function formatDate(iso: string | null | undefined, withTime = false): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const locale = current === "fr" ? "fr-CA" : "en-CA";
  return date.toLocaleString(locale, {
    year: "numeric",
    month: "long",
    day: "numeric",
    ...(withTime ? { hour: "2-digit", minute: "2-digit" } : {}),
  });
}
