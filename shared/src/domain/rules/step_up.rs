//! Recent sign-in (RFC 9470 step-up): what a stolen or long-lived session must not be enough
//! for. Moving the account to another credential, handing a business over, closing it and
//! confirming a new e-mail need a sign-in at most 15 minutes old; agency routes need a
//! multi-factor sign-in. The answer tells the portal what to ask the credential provider for.

use crate::domain::{Refusal, SignIn};

/// How old a sign-in may be for the sensitive routes (the challenge's `max_age`).
pub const RECENT_SIGN_IN_SECS: i64 = 900;

/// A sign-in this far in the future is taken as the provider's clock running ahead, not as
/// a token minted ahead of time (the token's own `nbf` leeway is the same).
const CLOCK_LEEWAY_SECS: i64 = 30;

/// The sensitive routes: the caller signed in within the last 15 minutes.
pub fn recent(sign_in: &SignIn, now: i64) -> Result<(), Refusal> {
    match sign_in.at {
        Some(at) if at <= now + CLOCK_LEEWAY_SECS && now - at <= RECENT_SIGN_IN_SECS => Ok(()),
        _ => Err(Refusal::SignInAgain),
    }
}

/// The agency's routes: an agency officer (403 otherwise), signed in with a second factor
/// (otherwise asked to sign in again with one).
pub fn agency_only(agency_officer: bool, sign_in: &SignIn) -> Result<(), Refusal> {
    if !agency_officer {
        return Err(Refusal::AgencyOnly);
    }
    if !sign_in.mfa {
        return Err(Refusal::MultiFactorNeeded);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    fn at(at: Option<i64>) -> SignIn {
        SignIn { at, mfa: false }
    }

    #[test]
    fn a_recent_sign_in_is_at_most_fifteen_minutes_old() {
        let cases = [
            ("just now", Some(NOW), Ok(())),
            ("14 min 59 s ago", Some(NOW - 899), Ok(())),
            ("exactly 15 min ago", Some(NOW - 900), Ok(())),
            ("15 min 1 s ago", Some(NOW - 901), Err(Refusal::SignInAgain)),
            ("yesterday", Some(NOW - 86_400), Err(Refusal::SignInAgain)),
            ("no auth_time in the token", None, Err(Refusal::SignInAgain)),
            ("provider clock 30 s ahead", Some(NOW + 30), Ok(())),
            (
                "minted for later",
                Some(NOW + 31),
                Err(Refusal::SignInAgain),
            ),
        ];
        for (case, signed_in, want) in cases {
            assert_eq!(recent(&at(signed_in), NOW), want, "{case}");
        }
    }

    #[test]
    fn agency_routes_need_the_role_and_a_second_factor() {
        let cases = [
            ("officer with mfa", true, true, Ok(())),
            (
                "officer, password only",
                true,
                false,
                Err(Refusal::MultiFactorNeeded),
            ),
            (
                "not an officer, with mfa",
                false,
                true,
                Err(Refusal::AgencyOnly),
            ),
            ("not an officer", false, false, Err(Refusal::AgencyOnly)),
        ];
        for (case, officer, mfa, want) in cases {
            let sign_in = SignIn { at: Some(NOW), mfa };
            assert_eq!(agency_only(officer, &sign_in), want, "{case}");
        }
    }
}
