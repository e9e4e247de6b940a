//! Validation helpers shared by every register: required and optional text with
//! a length limit, enum parsing, and the error list a form shows next to fields.

use serde::{Deserialize, Serialize};

/// One problem with one input field. `key` is a locale key; `field` the form
/// field name (also the JSON property name).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: &'static str,
    pub key: &'static str,
}

/// All problems found in one input; empty means valid.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn add(&mut self, field: &'static str, key: &'static str) {
        self.0.push(FieldError { field, key });
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn for_field(&self, field: &str) -> Option<&'static str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.key)
    }
    /// Returns `Ok(v)` when no error was recorded.
    pub fn finish<T>(self, v: T) -> Result<T, FieldErrors> {
        if self.0.is_empty() { Ok(v) } else { Err(self) }
    }
}

pub const SHORT: usize = 200;
pub const LONG: usize = 5000;

fn too_long(s: &str, max: usize) -> bool {
    s.chars().count() > max
}

/// Trimmed text that must be present and at most `max` characters.
pub fn required(errs: &mut FieldErrors, field: &'static str, v: Option<&str>, max: usize) -> String {
    let v = v.unwrap_or("").trim();
    if v.is_empty() {
        errs.add(field, "error.required");
    } else if too_long(v, max) {
        errs.add(field, if max <= SHORT { "error.too_long_short" } else { "error.too_long_long" });
    }
    v.to_string()
}

/// Trimmed text that may be empty (stored as `None`).
pub fn optional(errs: &mut FieldErrors, field: &'static str, v: Option<&str>, max: usize) -> Option<String> {
    let v = v.unwrap_or("").trim();
    if v.is_empty() {
        return None;
    }
    if too_long(v, max) {
        errs.add(field, if max <= SHORT { "error.too_long_short" } else { "error.too_long_long" });
    }
    Some(v.to_string())
}

/// Parses a required enum value from its stable code.
pub fn required_enum<T>(
    errs: &mut FieldErrors,
    field: &'static str,
    v: Option<&str>,
    parse: fn(&str) -> Option<T>,
) -> Option<T> {
    match v.map(str::trim) {
        None | Some("") => {
            errs.add(field, "error.required");
            None
        }
        Some(s) => {
            let r = parse(s);
            if r.is_none() {
                errs.add(field, "error.unknown_value");
            }
            r
        }
    }
}

/// Parses an optional `YYYY-MM-DD` date; returns it normalised.
pub fn optional_date(errs: &mut FieldErrors, field: &'static str, v: Option<&str>) -> Option<String> {
    let v = v.unwrap_or("").trim();
    if v.is_empty() {
        return None;
    }
    match crate::time::parse_date(v) {
        Some(d) => Some(d.format("%Y-%m-%d").to_string()),
        None => {
            errs.add(field, "error.bad_date");
            None
        }
    }
}

/// A slug: 2–40 lowercase letters, digits and dashes, starting with a letter.
pub fn slug(errs: &mut FieldErrors, field: &'static str, v: Option<&str>) -> String {
    let v = v.unwrap_or("").trim().to_string();
    let ok = (2..=40).contains(&v.len())
        && v.starts_with(|c: char| c.is_ascii_lowercase())
        && v.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if v.is_empty() {
        errs.add(field, "error.required");
    } else if !ok {
        errs.add(field, "error.bad_slug");
    }
    v
}

/// A plausible e-mail address, lower-cased.
pub fn email(errs: &mut FieldErrors, field: &'static str, v: Option<&str>) -> String {
    let v = v.unwrap_or("").trim().to_lowercase();
    if v.is_empty() {
        errs.add(field, "error.required");
    } else if v.len() > 254
        || !v.contains('@')
        || v.starts_with('@')
        || v.ends_with('@')
        || v.contains(char::is_whitespace)
    {
        errs.add(field, "error.bad_email");
    }
    v
}

/// Minimum password policy: 10 characters or more, at most 200.
pub fn new_password(errs: &mut FieldErrors, field: &'static str, v: Option<&str>) -> String {
    let v = v.unwrap_or("").to_string();
    if v.chars().count() < 10 {
        errs.add(field, "error.password_short");
    } else if v.chars().count() > 200 {
        errs.add(field, "error.too_long_short");
    }
    v
}

/// Accepts a JSON number or text (forms send text, JSON may send numbers).
pub(crate) fn num_or_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum NumOrText {
        N(i64),
        T(String),
    }
    Ok(Option::<NumOrText>::deserialize(d)?.map(|v| match v {
        NumOrText::N(n) => n.to_string(),
        NumOrText::T(t) => t,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_text_trims_and_limits() {
        let mut e = FieldErrors::default();
        assert_eq!(required(&mut e, "t", Some("  a  "), 5), "a");
        assert!(e.is_empty());
        required(&mut e, "t", Some("   "), 5);
        required(&mut e, "u", Some("abcdef"), 5);
        assert_eq!(e.for_field("t"), Some("error.required"));
        assert_eq!(e.for_field("u"), Some("error.too_long_short"));
    }

    #[test]
    fn slugs_and_emails() {
        let mut e = FieldErrors::default();
        slug(&mut e, "a", Some("voorbeeld-bv"));
        email(&mut e, "b", Some("Ann@Example.NL"));
        assert!(e.is_empty());
        slug(&mut e, "c", Some("Bad Slug"));
        email(&mut e, "d", Some("nope"));
        assert_eq!(e.0.len(), 2);
    }
}
