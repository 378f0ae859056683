//! Integral numbers written with a fraction or an exponent (`2500.0`, `2.5e3`).
//!
//! OpenAPI 3.1 uses JSON Schema 2020-12, under which `2500.0` *is* an integer, so a client
//! (or a generator such as schemathesis) may send it for an integer field. serde reads
//! such a token as a float and refuses it for an `i64`. [`integral_numbers_as_integers`]
//! rewrites every number token of a JSON text whose value is a whole number that fits an
//! `i64` into plain integer form before the body is deserialised, so every integer field
//! of every input accepts it without a helper on each field. Fractions that are not zero
//! (`2500.5`) stay as they are and are refused as before; float fields read the integer
//! form just as well. The rewrite works on the text, token by token, so everything else
//! about the body (duplicate keys, key order, error positions) is what the client sent.

use std::borrow::Cow;

/// The JSON text with every integral number in integer form; borrowed when nothing changes.
pub fn integral_numbers_as_integers(json: &[u8]) -> Cow<'_, [u8]> {
    let mut out: Option<Vec<u8>> = None;
    let mut copied = 0;
    let mut i = 0;
    while let Some(&byte) = json.get(i) {
        match byte {
            b'"' => i = skip_string(json, i),
            b'-' | b'0'..=b'9' => {
                let end = number_end(json, i);
                let token = json.get(i..end).unwrap_or_default();
                if let Some(integer) = integral(token) {
                    let buffer = out.get_or_insert_with(|| Vec::with_capacity(json.len()));
                    buffer.extend_from_slice(json.get(copied..i).unwrap_or_default());
                    buffer.extend_from_slice(integer.as_bytes());
                    copied = end;
                }
                i = end.max(i + 1);
            }
            _ => i += 1,
        }
    }
    match out {
        None => Cow::Borrowed(json),
        Some(mut buffer) => {
            buffer.extend_from_slice(json.get(copied..).unwrap_or_default());
            Cow::Owned(buffer)
        }
    }
}

/// The index just past the string that opens at `start` (or the end of a broken text).
fn skip_string(json: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while let Some(&byte) = json.get(i) {
        match byte {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    json.len()
}

/// The index just past the number-like run that starts at `start`.
fn number_end(json: &[u8], start: usize) -> usize {
    let mut i = start;
    while let Some(byte) = json.get(i) {
        if byte.is_ascii_digit() || matches!(byte, b'-' | b'+' | b'.' | b'e' | b'E') {
            i += 1;
        } else {
            break;
        }
    }
    i
}

/// The integer form of a JSON number token with a fraction or exponent whose value is a
/// whole number within `i64`; `None` for plain integers (nothing to do), real fractions,
/// values out of range and anything that is not a well-formed JSON number (left for the
/// parser to refuse).
fn integral(token: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(token).ok()?;
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (unsigned.get(..at)?, Some(unsigned.get(at + 1..)?)),
        None => (unsigned, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (mantissa, None),
    };
    if fraction.is_none() && exponent.is_none() {
        return None;
    }
    // JSON's grammar: no leading zeros, digits on both sides of the point, a signed
    // exponent with digits.
    let digits_only = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits_only(whole) || (whole.len() > 1 && whole.starts_with('0')) {
        return None;
    }
    if fraction.is_some_and(|f| !digits_only(f)) {
        return None;
    }
    let exponent: i64 = match exponent {
        None => 0,
        Some(e) => {
            let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
            if !digits_only(digits) || digits.len() > 4 {
                return None;
            }
            e.parse().ok()?
        }
    };
    let all_digits = format!("{whole}{}", fraction.unwrap_or(""));
    // Where the decimal point falls in `all_digits` once the exponent is applied.
    let point = whole.len() as i64 + exponent;
    let (integer_part, fractional_part) = if point <= 0 {
        (String::new(), all_digits.as_str())
    } else if point as usize >= all_digits.len() {
        let zeros = point as usize - all_digits.len();
        if zeros > 20 {
            return None;
        }
        (format!("{all_digits}{}", "0".repeat(zeros)), "")
    } else {
        let (i, f) = all_digits.split_at(point as usize);
        (i.to_owned(), f)
    };
    if fractional_part.bytes().any(|b| b != b'0') {
        return None;
    }
    let magnitude = integer_part.trim_start_matches('0');
    let signed = if magnitude.is_empty() {
        "0".to_owned()
    } else if negative {
        format!("-{magnitude}")
    } else {
        magnitude.to_owned()
    };
    signed.parse::<i64>().ok().map(|n| n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite(text: &str) -> String {
        String::from_utf8(integral_numbers_as_integers(text.as_bytes()).into_owned()).unwrap()
    }

    #[test]
    fn whole_numbers_with_a_zero_fraction_or_an_exponent_become_integers() {
        assert_eq!(
            rewrite(r#"{"a": 2500.0, "b": -635.0, "c": 2.5e3, "d": 1E2, "e": -0.0, "f": 0.00}"#),
            r#"{"a": 2500, "b": -635, "c": 2500, "d": 100, "e": 0, "f": 0}"#
        );
        assert_eq!(rewrite("[1.000e+1,5e-0,120e-1]"), "[10,5,12]");
        assert_eq!(
            rewrite("9223372036854775807.0"),
            "9223372036854775807",
            "the largest i64 fits"
        );
    }

    #[test]
    fn real_fractions_big_values_and_strings_are_left_alone() {
        for same in [
            r#"{"a": 2500.5}"#,
            r#"{"a": 1.5e0}"#,
            r#"{"a": 1e-3}"#,
            r#"{"a": 9223372036854775808.0}"#,
            r#"{"a": 1e400}"#,
            r#"{"a": "2500.0", "b": "x\"1.0"}"#,
            r#"{"a": 2500, "b": -3}"#,
            r#"{"a": 01.0, "b": 1.e2, "c": .5}"#,
        ] {
            assert_eq!(rewrite(same), same);
        }
        assert!(matches!(
            integral_numbers_as_integers(br#"{"a": 1}"#),
            Cow::Borrowed(_)
        ));
    }
}
