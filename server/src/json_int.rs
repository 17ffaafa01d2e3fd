//! Integers in request bodies as JSON Schema (and so the OpenAPI document) defines them: any
//! number without a fractional part, so `276.0` is the integer 276, while `276.5` and numbers out
//! of the field's range are refused (400) as before. serde alone would refuse `276.0`, and a
//! generated client may well send it.

use serde::de::{Deserialize, Deserializer, Error};
use serde_json::Number;

/// The value of `number` as a `T`, if it is a whole number within `T`'s range.
fn whole<T: TryFrom<i64> + TryFrom<u64>>(number: &Number) -> Option<T> {
    if let Some(n) = number.as_i64() {
        return T::try_from(n).ok();
    }
    if let Some(n) = number.as_u64() {
        return T::try_from(n).ok();
    }
    // A float: only whole values within ±2^63 (beyond that an f64 is not an exact integer anyway,
    // and every field here is narrower).
    let f = number.as_f64()?;
    (f.fract() == 0.0 && f.abs() < 9.2e18).then(|| T::try_from(f as i64).ok()).flatten()
}

fn refuse<E: Error>(number: &Number) -> E {
    E::custom(format_args!("invalid value: {number}, expected a whole number in range"))
}

/// For `#[serde(deserialize_with = "json_int::required")]`.
pub fn required<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i64> + TryFrom<u64>,
{
    let number = Number::deserialize(deserializer)?;
    whole(&number).ok_or_else(|| refuse(&number))
}

/// For `#[serde(default, deserialize_with = "json_int::optional")]`: absent or `null` is `None`.
pub fn optional<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i64> + TryFrom<u64>,
{
    match Option::<Number>::deserialize(deserializer)? {
        None => Ok(None),
        Some(number) => whole(&number).map(Some).ok_or_else(|| refuse(&number)),
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize, Debug, PartialEq)]
    struct Body {
        #[serde(deserialize_with = "super::required")]
        exp: i64,
        #[serde(default, deserialize_with = "super::optional")]
        uses: Option<u32>,
    }

    fn parse(json: &str) -> Result<Body, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn whole_numbers_are_integers_however_written() {
        assert_eq!(parse(r#"{"exp": 602.0, "uses": 276.0}"#).unwrap(), Body { exp: 602, uses: Some(276) });
        assert_eq!(parse(r#"{"exp": -5, "uses": null}"#).unwrap(), Body { exp: -5, uses: None });
        assert_eq!(parse(r#"{"exp": 1e3}"#).unwrap(), Body { exp: 1000, uses: None });
        for refused in [
            r#"{"exp": 602.5}"#,
            r#"{"exp": "602"}"#,
            r#"{"exp": 1, "uses": -1}"#,
            r#"{"exp": 1, "uses": 4294967296}"#,
            r#"{"exp": 1e300}"#,
            r#"{"exp": 18446744073709551615}"#,
        ] {
            assert!(parse(refused).is_err(), "{refused}");
        }
    }
}
