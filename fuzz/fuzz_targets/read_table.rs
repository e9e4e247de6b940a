//! The spreadsheet reader on arbitrary bytes: CSV (any delimiter, any
//! encoding) and XLSX (anything starting with the ZIP signature). It may refuse
//! a file; it must never panic, hang or allocate without bound.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(rows) = borgen_report::import::read_table(data) {
        // Cells are trimmed text.
        for cell in rows.iter().flatten() {
            assert_eq!(cell.trim(), cell);
        }
    }
});
