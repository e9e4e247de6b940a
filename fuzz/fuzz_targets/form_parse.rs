//! The form parsers: a urlencoded body (what a browser posts) deserialised
//! with serde_urlencoded into each core form and parsed, and the raw fields
//! of every register declared with the register mechanism. Any input may be
//! refused; nothing may panic, and no accepted form may carry a NUL or a bidi
//! control in any of its values.
#![no_main]

use borgen_core::{risk, run, soa, task};
use libfuzzer_sys::fuzz_target;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;

fn bad(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::String(s) => s.chars().any(|c| c == '\0' || borgen_core::text::is_bidi_control(c)),
        serde_json::Value::Array(a) => a.iter().any(bad),
        serde_json::Value::Object(o) => o.values().any(bad),
        _ => false,
    }
}

fn check<F, I, E>(data: &[u8], parse: fn(&F) -> Result<I, E>)
where
    F: DeserializeOwned + Serialize + std::fmt::Debug,
{
    let Ok(form) = serde_urlencoded::from_bytes::<F>(data) else { return };
    if parse(&form).is_ok() {
        let mut v = serde_json::to_value(&form).expect("a form serialises");
        // Checkboxes (the SoA's reason_* fields) count as ticked whatever their
        // value; the value itself is never stored.
        if let Some(o) = v.as_object_mut() {
            o.retain(|k, _| !k.starts_with("reason_"));
        }
        assert!(!bad(&v), "accepted with a NUL or bidi control: {form:?}");
    }
}

/// A declared register's parser, on fields posted as a form or sent as JSON
/// text: what it accepts holds no NUL or bidi control.
fn check_register(reg: &borgen_core::register::Register, raw: &BTreeMap<String, String>) {
    if let Ok(values) = reg.parse(raw) {
        for v in &values {
            if let borgen_core::register::Value::Text(s) = v {
                assert!(!bad(&serde_json::Value::String(s.clone())), "{}: accepted {s:?}", reg.key);
            }
        }
        // What is accepted can be listed back as raw fields and is accepted again.
        assert_eq!(reg.parse(&reg.raw(&values)).ok(), Some(values), "{}: parse is stable", reg.key);
    }
}

fuzz_target!(|data: &[u8]| {
    // The first byte picks the form, the rest is the body.
    let Some((which, body)) = data.split_first() else { return };
    match which % 10 {
        0..=3 | 6 => {
            // Each declared register (4.1, 4.2 with its requirements, 5.1, 6.3,
            // assets, threats, applied controls, 7.4), from a form body.
            let Ok(raw) = serde_urlencoded::from_bytes::<BTreeMap<String, String>>(body) else { return };
            for reg in borgen_core::registers::ALL {
                check_register(reg, &raw);
            }
        }
        4 => check(body, risk::RiskForm::parse),
        5 => check(body, soa::SoaEntryForm::parse),
        7 => check(body, task::TaskForm::parse),
        8 => check(body, run::RunForm::parse),
        _ => {
            // The same bytes as a JSON object of text, as the API receives them.
            if let Ok(raw) = serde_json::from_slice::<BTreeMap<String, String>>(body) {
                for reg in borgen_core::registers::ALL {
                    check_register(reg, &raw);
                }
            }
        }
    }
});
