//! Import resolution: the rows of a sheet (read from the fuzzed bytes, or taken
//! as tab-separated text), the column mapping with the user's choices, and each
//! row resolved to the asset and risk forms against a small fixed organisation
//! and the default methodology, then parsed like a person's form. Problems are
//! fine; panics are not, and nothing accepted may carry a NUL.
#![no_main]

use borgen_core::ids::UserId;
use borgen_core::import::{self, ASSET_FIELDS, Known, Mapping, Names, RISK_FIELDS};
use borgen_core::risk::Methodology;
use libfuzzer_sys::fuzz_target;

fn has_nul(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::String(s) => s.contains('\0'),
        serde_json::Value::Array(a) => a.iter().any(has_nul),
        serde_json::Value::Object(o) => o.values().any(has_nul),
        _ => false,
    }
}

fuzz_target!(|data: &[u8]| {
    // First line: column choices as `column=field` pairs separated by `&`;
    // the rest: the sheet.
    let split = data.iter().position(|b| *b == b'\n').unwrap_or(data.len());
    let (head, sheet) = data.split_at(split);
    let choices: Vec<(String, String)> = String::from_utf8_lossy(head)
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .take(8)
        .collect();
    let sheet = sheet.get(1..).unwrap_or(&[]);
    let table: Vec<Vec<String>> = match borgen_report::import::read_table(sheet) {
        Ok(t) => t,
        Err(_) => String::from_utf8_lossy(sheet)
            .lines()
            .map(|l| l.split('\t').map(|c| c.trim().to_string()).collect())
            .collect(),
    };
    let Some(headers) = table.first() else { return };

    let ann = UserId::parse("0190c5a0-0000-7000-8000-000000000001").expect("a uuid");
    let bob = UserId::parse("0190c5a0-0000-7000-8000-000000000002").expect("a uuid");
    let known = Known {
        assets: Names::new([("0190c5a0-0000-7000-8000-0000000000a1".to_string(), "Laptop")]),
        own_threats: Names::new([("0190c5a0-0000-7000-8000-0000000000b1".to_string(), "Brand")]),
        applied: Names::new([("0190c5a0-0000-7000-8000-0000000000c1".to_string(), "MFA")]),
        ..Default::default()
    }
    .with_members([(ann, "ann@example.nl", "Ann de Vries"), (bob, "bob@example.nl", "Bob Jansen")]);
    let methodology = Methodology::default_5x5();

    if let Ok(map) = Mapping::with_choices(ASSET_FIELDS, headers, &choices)
        && let Ok(rows) = import::rows(&table, &map)
    {
        for row in &rows {
            let (form, problems) = import::asset_form(row, &map, &known);
            if problems.is_empty()
                && borgen_core::registers::ASSETS.parse(&form).is_ok()
                && let Ok(v) = serde_json::to_value(&form)
            {
                assert!(!has_nul(&v), "an accepted asset carries a NUL: {form:?}");
            }
        }
    }
    if let Ok(map) = Mapping::with_choices(RISK_FIELDS, headers, &choices)
        && let Ok(rows) = import::rows(&table, &map)
    {
        for row in &rows {
            let (form, problems) = import::risk_form(row, &map, &known, &methodology);
            if problems.is_empty()
                && form.parse().is_ok()
                && let Ok(v) = serde_json::to_value(&form)
            {
                assert!(!has_nul(&v), "an accepted risk carries a NUL: {form:?}");
            }
        }
    }
});
