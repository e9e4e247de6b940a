//! XLSX and PDF export of a full Statement of Applicability: 93 rows, 10 columns.
//!
//!     cargo bench -p borgen-report --bench export -- --warm-up-time 1 --measurement-time 5

use std::hint::black_box;

use borgen_report::{PdfDoc, Table, to_pdf, to_xlsx};
use criterion::{Criterion, criterion_group, criterion_main};

/// An SoA-like table: the 93 Annex A controls, with a long justification on
/// every fourth row and requirements on every third.
fn soa() -> Table {
    let ids =
        [(5, 37), (6, 8), (7, 14), (8, 34)].into_iter().flat_map(|(c, n)| (1..=n).map(move |i| format!("{c}.{i}")));
    let long = "Het beleid wordt jaarlijks beoordeeld door de directie; de beoordeling wordt vastgelegd in het \
                managementreview, met acties, eigenaren en termijnen, en opgevolgd in het ISMS-overleg.";
    let rows = ids
        .enumerate()
        .map(|(i, id)| {
            vec![
                id,
                format!("Beheersmaatregel {} voor informatiebeveiliging", i + 1),
                ["Organisatorisch", "Mensen", "Fysiek", "Technologisch"][i % 4].to_string(),
                if i % 7 == 3 { "Nee" } else { "Ja" }.to_string(),
                "Risicobeoordeling, wettelijke eis".to_string(),
                if i % 4 == 0 { long.to_string() } else { "Nodig voor de dienstverlening.".to_string() },
                "Geïmplementeerd".to_string(),
                "Zoë de Vries".to_string(),
                "Toegangsbeleid; logging en monitoring".to_string(),
                if i % 3 == 0 {
                    "Klant: ISO 27001-certificaat; AVG: verwerkersovereenkomst".to_string()
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    let headers = [
        "Maatregel",
        "Titel",
        "Thema",
        "Van toepassing",
        "Redenen",
        "Rechtvaardiging",
        "Status",
        "Eigenaar",
        "Toegepaste maatregelen",
        "Eisen",
    ];
    Table { title: "VvT".into(), headers: headers.map(String::from).to_vec(), rows }
}

fn export(c: &mut Criterion) {
    let t = soa();
    let front = [("Versie".to_string(), "3".to_string()), ("Goedgekeurd door".to_string(), "Directie".to_string())];
    let doc = PdfDoc {
        title: "Verklaring van toepasselijkheid",
        subtitle: "Voorbeeld B.V.",
        front: &front,
        table: &t,
        footer: "Verklaring van toepasselijkheid · Voorbeeld B.V. · versie 3",
        lang: "nl",
        group_by: None,
    };
    c.bench_function("to_xlsx (93 rows)", |b| b.iter(|| to_xlsx(black_box(&t)).unwrap()));
    c.bench_function("to_pdf (93 rows)", |b| b.iter(|| to_pdf(black_box(&doc)).unwrap()));
}

criterion_group!(benches, export);
criterion_main!(benches);
