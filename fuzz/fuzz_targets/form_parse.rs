//! The form parsers: a urlencoded body (what a browser posts) deserialised
//! with serde_urlencoded into each core form and parsed. Any input may be
//! refused; nothing may panic, and no accepted form may carry a NUL or a bidi
//! control in any of its values.
#![no_main]

use borgen_core::{asset, context, risk, run, soa, task};
use libfuzzer_sys::fuzz_target;
use serde::Serialize;
use serde::de::DeserializeOwned;

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

fuzz_target!(|data: &[u8]| {
    // The first byte picks the form, the rest is the body.
    let Some((which, body)) = data.split_first() else { return };
    match which % 10 {
        0 => check(body, context::ContextIssueForm::parse),
        1 => check(body, context::PartyForm::parse),
        2 => check(body, context::RequirementForm::parse),
        3 => check(body, asset::AssetForm::parse),
        4 => check(body, risk::RiskForm::parse),
        5 => check(body, soa::SoaEntryForm::parse),
        6 => check(body, soa::AppliedControlForm::parse),
        7 => check(body, task::TaskForm::parse),
        8 => check(body, run::RunForm::parse),
        _ => {
            // The same bytes as JSON, as the API receives them.
            if let Ok(form) = serde_json::from_slice::<context::ContextIssueForm>(body)
                && form.parse().is_ok()
            {
                assert!(!bad(&serde_json::to_value(&form).expect("serialises")));
            }
        }
    }
});
