//! The day a delegation ends: a `YYYY-MM-DD` day (UTC). A delegation stays in force until
//! the last second of that day, so the day itself is what is stored and shown.

use serde::{Deserialize, Serialize};
use std::fmt;
use time::{macros::format_description, Date, Month, OffsetDateTime};

/// A `YYYY-MM-DD` day (UTC): a delegation is in force through the end of its end day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day(Date);

const DAY_FORMAT: &[time::format_description::FormatItem<'static>] =
    format_description!("[year]-[month]-[day]");

impl Day {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        Date::parse(input, DAY_FORMAT)
            .map(Self)
            .map_err(|_| "must be a day written YYYY-MM-DD")
    }

    /// The UTC day of `epoch`.
    pub fn of(epoch: i64) -> Self {
        Self(
            OffsetDateTime::from_unix_timestamp(epoch)
                .map(|t| t.date())
                .unwrap_or(Date::MIN),
        )
    }

    /// The same day `years` later (28 February for a 29th that year has not).
    pub fn plus_years(self, years: i32) -> Self {
        let (year, month, day) = (self.0.year() + years, self.0.month(), self.0.day());
        Self(
            Date::from_calendar_date(year, month, day)
                .or_else(|_| Date::from_calendar_date(year, Month::February, 28))
                .unwrap_or(self.0),
        )
    }

    /// The first second after this day (UTC): when something in force "until" it stops.
    pub fn end_epoch(self) -> i64 {
        self.0
            .next_day()
            .map_or(i64::MAX, |d| d.midnight().assume_utc().unix_timestamp())
    }

    pub fn plus_days(self, days: i64) -> Self {
        Self(self.0 + time::Duration::days(days))
    }

    pub fn as_string(self) -> String {
        self.0.format(DAY_FORMAT).unwrap_or_default()
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_string())
    }
}

impl Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.as_string())
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_parse_and_move_on() {
        let cases = [
            ("2026-11-25", true),
            ("2028-02-29", true),
            ("2027-02-29", false),
            ("2026-13-01", false),
            ("26-11-25", false),
            ("2026-11-25T00:00:00Z", false),
            ("", false),
        ];
        for (input, ok) in cases {
            assert_eq!(Day::parse(input).is_ok(), ok, "{input:?}");
        }
        let leap = Day::parse("2028-02-29").unwrap();
        assert_eq!(leap.plus_years(2).as_string(), "2030-02-28");
        assert_eq!(Day::of(1_795_000_000).as_string(), "2026-11-18");
        assert_eq!(
            Day::parse("2026-12-31").unwrap().plus_days(1).as_string(),
            "2027-01-01"
        );
    }
}
