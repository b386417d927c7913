//! The single mapping from `Error` to an RFC 9457 `application/problem+json` response.

use lambda_http::{http::StatusCode, Body, Response};
use serde::Serialize;

use crate::domain::rules::step_up::RECENT_SIGN_IN_SECS;
use crate::domain::{Changed, Refusal};
use crate::error::{Error, FieldError, StepUp};

#[derive(Serialize)]
struct Problem<'a> {
    #[serde(rename = "type")]
    kind: String,
    title: &'static str,
    status: u16,
    detail: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    errors: Option<&'a [FieldError]>,
    /// On a wrong identifier/secret pair: the caller's tries left before they are locked out.
    #[serde(skip_serializing_if = "Option::is_none")]
    attempts_left: Option<u32>,
}

/// Seconds a client should wait before retrying after a 503.
const RETRY_AFTER_UNAVAILABLE: u64 = 2;

/// What each refusal tells the caller: its status (through the `Error` it stands for) and its
/// words. The web portal translates each detail (test_web checks every one has a translation).
fn refused(refusal: &Refusal) -> Error {
    use Refusal as R;
    match refusal {
        R::NoUserAccount => {
            Error::NotFound("No user account for this credential: create one with POST /users.")
        }
        R::NoSuchBusiness => Error::NotFound("No such business account."),
        R::NoUserWithUrn => Error::NotFound("No user account has this URN."),
        R::NoSuchMember => Error::NotFound("No member has this URN in this business account."),
        R::NotAMember => {
            Error::NotFound("The named user is not a member of this business account.")
        }
        R::NoTransferPending => Error::NotFound("No ownership transfer is pending."),
        R::NoSuchLetter => Error::NotFound("No such letter."),
        R::NoSuchTransferCode => Error::NotFound("No such transfer code."),
        R::SignInAgain => Error::SignInAgain(
            "This needs a recent sign-in: sign in again.",
            StepUp::MaxAge(RECENT_SIGN_IN_SECS),
        ),
        R::MultiFactorNeeded => Error::SignInAgain(
            "Agency routes need a sign-in with a second factor: sign in again with it.",
            StepUp::MultiFactor,
        ),
        R::RoleDoesNotAllow => {
            Error::Forbidden("Your role in this business account does not allow this.")
        }
        R::OwnRole => Error::Forbidden("Nobody can change their own role."),
        R::OwnerRoleByTransferOnly => {
            Error::Forbidden("The owner's role changes only by transferring ownership.")
        }
        R::OwnerRemovedByTransferOnly => {
            Error::Forbidden("The owner is removed only by transferring ownership.")
        }
        R::WrongSecret { .. } => Error::Forbidden("The identifier and shared secret do not match."),
        R::TransferNamesAnother => Error::Forbidden("The ownership transfer names another user."),
        R::AgencyOnly => Error::Forbidden("Only agency officers may do this."),
        R::AccountRetired => Error::Retired(
            "This user account was retired after two years without use; the agency can reinstate it.",
        ),
        R::AccountNotRetired => Error::Conflict("This user account is not retired."),
        R::AccountExists => Error::Conflict("This credential already has a user account."),
        R::PortalTermsNotCurrent => {
            Error::Conflict("terms_version is not the current portal terms; read GET /programs.")
        }
        R::ProgramTermsNotCurrent => {
            Error::Conflict("That is not the program's current terms version; read GET /programs.")
        }
        R::NotAuthorizedYet => Error::Conflict(
            "Information can be modified only once the program's terms are accepted.",
        ),
        R::MembersWaitForTerms => {
            Error::Conflict("Members can change only once the program's terms are accepted.")
        }
        R::Stale(Changed::Member) => {
            Error::Conflict("The member changed since you read it; read again and retry.")
        }
        R::Stale(_) => Error::Conflict(
            "The business account changed since you read it; read it again and retry.",
        ),
        R::ChangedMeanwhile(Changed::UserAccount) => {
            Error::Conflict("The user account changed meanwhile; read it again and retry.")
        }
        R::ChangedMeanwhile(Changed::Credential) => {
            Error::Conflict("This credential already has a user account.")
        }
        R::ChangedMeanwhile(Changed::AccountForCode) => {
            Error::Conflict("The user account changed meanwhile; try again.")
        }
        R::ChangedMeanwhile(Changed::AccountOrCredential) => {
            Error::Conflict("The user account or this credential changed meanwhile; try again.")
        }
        R::ChangedMeanwhile(Changed::Business) => {
            Error::Conflict("The business account changed meanwhile; read it again and retry.")
        }
        R::ChangedMeanwhile(Changed::Member) => Error::Conflict(
            "The member or the business account changed meanwhile; read again and retry.",
        ),
        R::ChangedMeanwhile(Changed::Identifier) => Error::Conflict(
            "The identifier changed meanwhile (activated, or another secret issued); try again.",
        ),
        R::ChangedMeanwhile(Changed::Registration) => {
            Error::Conflict("A concurrent registration won; try again.")
        }
        R::LetterAlreadyMailed => Error::Conflict("The letter was already marked mailed."),
        R::NoSuchImport => Error::NotFound("No such import."),
        R::ImportLineDone => Error::Conflict(
            "Another request is importing this line; send the step again to see its outcome.",
        ),
        R::ChangedMeanwhile(Changed::Import) => {
            Error::Conflict("Another request changed this import meanwhile; send it again.")
        }
        R::ChangedMeanwhile(Changed::Register) => {
            Error::Conflict("Another officer edited the register meanwhile; try again.")
        }
        R::ChangedMeanwhile(Changed::Letter) => {
            Error::Conflict("Another officer changed the letter meanwhile; read it again.")
        }
        R::LetterNotInReview => {
            Error::Conflict("Only a letter in review can be approved or rejected.")
        }
        R::LetterNotPending => Error::Conflict("This letter is not waiting to be mailed."),
        R::TransferAlreadyPending => {
            Error::Conflict("An ownership transfer is already pending; cancel it first.")
        }
        R::AccountStillMoving => Error::Conflict(
            "This account is still being moved from its previous sign-in; try again in a minute.",
        ),
        R::AlreadyRegistered => {
            Error::Conflict("This Business Number is already registered in the program.")
        }
        R::SecretUsed => Error::Gone("This shared secret was already used."),
        R::SecretExpired => Error::Gone("This shared secret has expired; ask for a new one."),
        R::TransferExpired => Error::Gone("The ownership transfer has expired."),
        R::TransferEnded => {
            Error::Gone("The ownership transfer was already accepted or cancelled.")
        }
        R::TransferCodeExpired => Error::Gone("The transfer code has expired; ask for a new one."),
        R::TransferCodeInvalid => Error::Gone("The transfer code is no longer valid."),
        R::TransferCodeReplaced => Error::Gone("The transfer code was replaced by a newer one."),
        R::SecretLocked => Error::Locked,
        R::TooManyAttempts { retry_after_secs } => Error::TooManyRequests {
            retry_after_secs: *retry_after_secs,
        },
        R::AlreadyOwner => Error::invalid("to_urn", "is already the owner"),
        R::EmailNeededToAdd => Error::invalid(
            "email",
            "is required to add a person: the e-mail of their user account",
        ),
        // ---- delegations
        R::NoSuchDelegation => Error::NotFound("No such delegation for this business account."),
        R::DelegationsWaitForTerms => Error::Conflict(
            "Delegations can be given or received only once the program's terms are accepted.",
        ),
        R::DelegationAwaitsTheOtherSide => {
            Error::Conflict("This delegation waits for the other business's answer.")
        }
        R::DelegationClosed => Error::Conflict(
            "This delegation was already declined, withdrawn, ended, or is past its end day.",
        ),
        R::ChangedMeanwhile(Changed::Delegation) => {
            Error::Conflict("The delegation changed meanwhile; read it again and retry.")
        }
        R::DelegationToItself => Error::invalid(
            "business_identifier",
            "is this business account's own identifier",
        ),
        R::AgentsChosenByGrantee => Error::Forbidden(
            "Only the business that receives a delegation chooses who acts under it.",
        ),
        R::DelegationNotActive => {
            Error::Conflict("People act under a delegation only while it is active.")
        }
        R::AgentBeyondGrant => {
            Error::invalid("permissions", "must not be more than the delegation grants")
        }
        R::NoSuchAgent => Error::NotFound("This person does not act under this delegation."),
        R::ActsThroughAnotherDelegation => Error::Conflict(
            "This person already acts for that business through another delegation.",
        ),
        R::NotAProof => Error::invalid(
            "proof",
            "is not a proof of delegation signed by this portal",
        ),
        R::DelegationEndOutOfRange => Error::invalid(
            "ends_on",
            "must be after today and at most two years from today",
        ),
        R::NoEmailChangePending => {
            Error::Conflict("No change of e-mail address is waiting for a code.")
        }
        R::EmailCodeWrong => Error::invalid("code", "is not the code sent to the new address"),
        R::EmailCodeWrongTooOften => Error::invalid(
            "code",
            "was wrong too many times: the change of e-mail address is cancelled",
        ),
        R::EmailCodeExpired => Error::invalid(
            "code",
            "has expired: the change of e-mail address is cancelled",
        ),
        // Drawn again by the use case; reaching a person means every draw was taken.
        R::UrnTaken | R::ClientNumberTaken => {
            Error::Unavailable(format!("{refusal:?} after every draw"))
        }
    }
}

/// RFC 9470's challenge: what the client asks the credential provider for when it sends the
/// person to sign in again.
fn challenge(detail: &str, step_up: StepUp) -> String {
    let wanted = match step_up {
        StepUp::MaxAge(secs) => format!("max_age={secs}"),
        StepUp::MultiFactor => "acr_values=\"mfa\"".to_owned(),
    };
    format!(
        "Bearer error=\"insufficient_user_authentication\", error_description=\"{detail}\", {wanted}"
    )
}

pub fn problem_response(error: &Error) -> Response<Body> {
    match error {
        Error::Refused(refusal @ Refusal::WrongSecret { attempts_left }) => {
            problem(&refused(refusal), Some(*attempts_left))
        }
        Error::Refused(refusal) => problem(&refused(refusal), None),
        error => problem(error, None),
    }
}

fn problem(error: &Error, attempts_left: Option<u32>) -> Response<Body> {
    let (status, kind, title, detail, retry_after): (StatusCode, &str, &str, &str, Option<u64>) =
        match error {
            Error::Malformed(d) => (
                StatusCode::BAD_REQUEST,
                "malformed-request",
                "Malformed request",
                d,
                None,
            ),
            Error::Unauthenticated => (
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "Not authenticated",
                "A valid bearer token from GCKey or a Sign-In Partner is required.",
                None,
            ),
            Error::SignInAgain(d, _) => (
                StatusCode::UNAUTHORIZED,
                "insufficient-user-authentication",
                "Sign in again",
                d,
                None,
            ),
            Error::Forbidden(d) => (StatusCode::FORBIDDEN, "forbidden", "Forbidden", d, None),
            Error::Retired(d) => (
                StatusCode::FORBIDDEN,
                "account-retired",
                "Account retired",
                d,
                None,
            ),
            Error::NotFound(d) => (StatusCode::NOT_FOUND, "not-found", "Not found", d, None),
            Error::Conflict(d) => (StatusCode::CONFLICT, "conflict", "Conflict", d, None),
            Error::InProgress { retry_after_secs } => (
            StatusCode::CONFLICT,
            "in-progress",
            "In progress",
            "A request with this Idempotency-Key is still being handled; retry after the given time.",
            Some(*retry_after_secs),
        ),
        Error::Gone(d) => (StatusCode::GONE, "gone", "Gone", d, None),
            Error::PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload-too-large",
                "Payload too large",
                "The request body is over 64 KiB.",
                None,
            ),
            Error::Invalid(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                "Invalid fields",
                "Some fields are not valid; see errors.",
                None,
            ),
            Error::Locked => (
                StatusCode::LOCKED,
                "locked",
                "Locked",
                "Too many wrong tries from this sign-in: try again in 24 hours, or with a new shared secret.",
                None,
            ),
            Error::TooManyRequests { retry_after_secs } => (
                StatusCode::TOO_MANY_REQUESTS,
                "too-many-requests",
                "Too many requests",
                "Too many attempts; try again later.",
                Some(*retry_after_secs),
            ),
            Error::Unavailable(cause) => {
                tracing::error!(%cause, "backing service unavailable");
                (
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "Service unavailable",
                "A service the portal depends on did not answer; nothing was changed. Try again.",
                Some(RETRY_AFTER_UNAVAILABLE),
            )
            }
            // Answered above, as the error it stands for.
            Error::Refused(_) => unreachable!("refusals are mapped by `refused`"),
            Error::Internal(cause) => {
                tracing::error!(%cause, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "Internal error",
                    "Something went wrong on our side.",
                    None,
                )
            }
        };
    let errors = match error {
        Error::Invalid(fields) => Some(fields.as_slice()),
        _ => None,
    };
    let problem = Problem {
        kind: format!("https://trade-portal.example/problems/{kind}"),
        title,
        status: status.as_u16(),
        detail,
        errors,
        attempts_left,
    };
    let body = serde_json::to_string(&problem).unwrap_or_default();
    let mut response = Response::builder()
        .status(status)
        .header("content-type", "application/problem+json")
        .header("cache-control", "no-store");
    if let Some(secs) = retry_after {
        response = response.header("retry-after", secs.to_string());
    }
    match error {
        Error::Unauthenticated => response = response.header("www-authenticate", "Bearer"),
        Error::SignInAgain(detail, step_up) => {
            response = response.header("www-authenticate", challenge(detail, *step_up))
        }
        _ => {}
    }
    response
        .body(Body::from(body))
        .unwrap_or_else(|_| Response::new(Body::Empty))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The challenge each 401 carries (RFC 6750's plain one; RFC 9470's for step-up).
    #[test]
    fn every_401_says_what_to_sign_in_with() {
        let cases = [
            (Error::Unauthenticated, "Bearer"),
            (
                Refusal::SignInAgain.into(),
                "Bearer error=\"insufficient_user_authentication\", error_description=\"This needs a recent sign-in: sign in again.\", max_age=900",
            ),
            (
                Refusal::MultiFactorNeeded.into(),
                "Bearer error=\"insufficient_user_authentication\", error_description=\"Agency routes need a sign-in with a second factor: sign in again with it.\", acr_values=\"mfa\"",
            ),
        ];
        for (error, challenge) in cases {
            let response = problem_response(&error);
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{error:?}");
            assert_eq!(
                response.headers()["www-authenticate"],
                challenge,
                "{error:?}"
            );
        }
        let forbidden = problem_response(&Refusal::AgencyOnly.into());
        assert!(!forbidden.headers().contains_key("www-authenticate"));
    }

    /// A retired account's requests are told apart from every other 403 by the problem type.
    #[test]
    fn a_retired_account_gets_its_own_problem_type() {
        let response = problem_response(&Refusal::AccountRetired.into());
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let Body::Text(body) = response.body() else {
            panic!("a text body")
        };
        let problem: serde_json::Value = serde_json::from_str(body).unwrap();
        assert!(problem["type"]
            .as_str()
            .unwrap()
            .ends_with("/account-retired"));
        let other = problem_response(&Refusal::AgencyOnly.into());
        let Body::Text(body) = other.body() else {
            panic!("a text body")
        };
        assert!(body.contains("/forbidden\""));
    }
}
