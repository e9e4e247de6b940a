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

/// One thing that stands in the way of an action, named (a control an SoA
/// cannot be issued with, an auditor's conflict of interest): a locale key
/// and the arguments its message takes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub key: String,
    pub args: Vec<(&'static str, String)>,
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

/// Is this a bidirectional embedding, override or isolate control (U+202A–U+202E,
/// U+2066–U+2069)? They make text display in another order than it is stored
/// (a file name, an audit-log line), so no field takes them. The marks U+200E and
/// U+200F (and U+061C) are kept: they only set the direction of neutral characters
/// next to them, cannot reorder what follows, and mixed right-to-left text needs them.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The rule for characters in a text field, as a locale key when it is broken:
///
/// - no C0 control character (U+0000–U+001F), DEL (U+007F) or C1 control
///   (U+0080–U+009F), except tab, line feed and carriage return in a multi-line field
///   (`input.control_char`, or `input.line_break` for a tab or line break in a
///   one-line field); PostgreSQL cannot store NUL at all;
/// - no bidirectional embedding, override or isolate control ([`is_bidi_control`],
///   `input.bidi`).
///
/// A one-line field is one whose limit is [`SHORT`] or less; [`LONG`] fields are
/// multi-line. Every register's `parse()` gets this through [`required`] and
/// [`optional`]; imports reach the same forms.
pub fn bad_chars(s: &str, multi_line: bool) -> Option<&'static str> {
    let mut found = None;
    for c in s.chars() {
        let key = match c {
            '\t' | '\n' | '\r' if multi_line => continue,
            '\t' | '\n' | '\r' => "input.line_break",
            '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}' => "input.control_char",
            c if is_bidi_control(c) => "input.bidi",
            _ => continue,
        };
        // A control character (NUL above all) is the worse problem: report it first.
        if key == "input.control_char" {
            return Some(key);
        }
        found.get_or_insert(key);
    }
    found
}

/// Records the character problem of a field, if any (see [`bad_chars`]).
fn check_chars(errs: &mut FieldErrors, field: &'static str, v: &str, max: usize) -> bool {
    match bad_chars(v, max > SHORT) {
        Some(key) => {
            errs.add(field, key);
            false
        }
        None => true,
    }
}

/// Trimmed text that must be present and at most `max` characters.
pub fn required(errs: &mut FieldErrors, field: &'static str, v: Option<&str>, max: usize) -> String {
    let v = v.unwrap_or("").trim();
    if v.is_empty() {
        errs.add(field, "error.required");
    } else if check_chars(errs, field, v, max) && too_long(v, max) {
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
    if check_chars(errs, field, v, max) && too_long(v, max) {
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
        || bad_chars(&v, false).is_some()
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

/// The key text sorts by, the same on SQLite and PostgreSQL: lower case, with
/// the accents of Latin letters taken off (é → e, ë → e, ĳ → ij, ß → ss), so
/// that Dutch titles sort as a Dutch reader expects; the keys are compared
/// byte by byte on both engines (`COLLATE "C"` on PostgreSQL).
pub fn sort_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.trim().chars().flat_map(char::to_lowercase) {
        let base = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
            'æ' => "ae",
            'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
            'ď' | 'đ' | 'ð' => "d",
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
            'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
            'ĥ' | 'ħ' => "h",
            'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
            'ĳ' => "ij",
            'ĵ' => "j",
            'ķ' => "k",
            'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
            'ñ' | 'ń' | 'ņ' | 'ň' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
            'œ' => "oe",
            'ŕ' | 'ŗ' | 'ř' => "r",
            'ś' | 'ŝ' | 'ş' | 'š' => "s",
            'ß' => "ss",
            'ţ' | 'ť' | 'ŧ' => "t",
            'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
            'ŵ' => "w",
            'ý' | 'ÿ' | 'ŷ' => "y",
            'ź' | 'ż' | 'ž' => "z",
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push_str(base);
    }
    out
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

    #[test]
    fn control_characters_are_refused_with_a_message() {
        let mut e = FieldErrors::default();
        // NUL and other C0/C1 controls, in one-line and multi-line fields alike.
        required(&mut e, "a", Some("Lap\u{0}top"), SHORT);
        optional(&mut e, "b", Some("note\u{0}"), LONG);
        optional(&mut e, "c", Some("bell\u{7}"), LONG);
        optional(&mut e, "d", Some("c1\u{85}x"), LONG);
        optional(&mut e, "e", Some("del\u{7F}"), SHORT);
        for f in ["a", "b", "c", "d", "e"] {
            assert_eq!(e.for_field(f), Some("input.control_char"), "{f}");
        }
        // Tab and line breaks: fine in multi-line fields, not in one-line fields.
        let mut e = FieldErrors::default();
        assert_eq!(optional(&mut e, "n", Some("line 1\r\nline 2\tx"), LONG).as_deref(), Some("line 1\r\nline 2\tx"));
        assert!(e.is_empty());
        required(&mut e, "t", Some("two\nlines"), SHORT);
        optional(&mut e, "u", Some("tab\there"), SHORT);
        assert_eq!(e.for_field("t"), Some("input.line_break"));
        assert_eq!(e.for_field("u"), Some("input.line_break"));
        // A control character is reported before a line break.
        assert_eq!(bad_chars("a\nb\u{0}", false), Some("input.control_char"));
        // E-mail addresses (the login form too) never carry a control character.
        let mut e = FieldErrors::default();
        email(&mut e, "m", Some("ann\u{0}@example.nl"));
        assert_eq!(e.for_field("m"), Some("error.bad_email"));
    }

    #[test]
    fn dutch_titles_sort_as_a_reader_expects() {
        let mut titles = vec![
            "Zeeland",
            "één keer per jaar",
            "Ééndagsoefening",
            "ecologie",
            "IJsselmeer",
            "Index",
            "ëzel",
            "Ärger",
            "azijn",
        ];
        titles.sort_by_key(|t| sort_key(t));
        assert_eq!(
            titles,
            [
                "Ärger",
                "azijn",
                "ecologie",
                "één keer per jaar",
                "Ééndagsoefening",
                "ëzel",
                "IJsselmeer",
                "Index",
                "Zeeland"
            ]
        );
        assert_eq!(sort_key("  Ĳssel Straße "), "ijssel strasse");
    }

    #[test]
    fn bidi_controls_are_refused_marks_are_kept() {
        for c in
            ['\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}']
        {
            let mut e = FieldErrors::default();
            required(&mut e, "t", Some(&format!("invoice{c}fdp.exe")), SHORT);
            optional(&mut e, "d", Some(&format!("x{c}y")), LONG);
            assert_eq!(e.for_field("t"), Some("input.bidi"), "{c:?}");
            assert_eq!(e.for_field("d"), Some("input.bidi"), "{c:?}");
        }
        let mut e = FieldErrors::default();
        required(&mut e, "t", Some("abc \u{200F}\u{5e9}\u{5dc}\u{5d5}\u{5dd}\u{200E} def"), SHORT);
        assert!(e.is_empty());
        // Ordinary accented and non-Latin text is untouched.
        assert_eq!(bad_chars("Één café, Ελλάδα, 東京", false), None);
    }
}
