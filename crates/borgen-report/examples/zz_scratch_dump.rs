use borgen_report::{PdfDoc, Table, to_pdf};
fn main() {
    let nasty = r#"#set page(width: 1cm) $x$ *bold* [link] \ "q" <l> @r _u_ `c` // no comment"#;
    let ids: Vec<String> = [(5, 37), (6, 8), (7, 14), (8, 34)]
        .iter()
        .flat_map(|&(c, n)| (1..=n).map(move |i| format!("{c}.{i}")))
        .collect();
    let long = "Het beleid wordt jaarlijks beoordeeld door de directie; de beoordeling wordt vastgelegd in het managementreview, met acties, eigenaren en termijnen.";
    let rows = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            vec![
                id.clone(),
                format!("Beheersmaatregel {i} — privé"),
                "Organisatorisch".into(),
                "Ja".into(),
                "Risicobeoordeling".into(),
                if i % 5 == 0 {
                    long.into()
                } else if i == 3 {
                    nasty.into()
                } else {
                    "Idee: één coördinator.".into()
                },
                "Geïmplementeerd".into(),
                "Zoë Ëlsen".into(),
                "Toegangsbeleid; logging".into(),
                String::new(),
            ]
        })
        .collect();
    let t = Table {
        title: "SoA".into(),
        headers: [
            "Control",
            "Title",
            "Theme",
            "Applicable",
            "Reasons",
            "Justification",
            "Status",
            "Owner",
            "Applied controls",
            "Requirements",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    };
    let front = [
        ("Version".to_string(), "3".to_string()),
        ("Approved by".to_string(), "Top management, 2026-11-01".to_string()),
    ];
    let doc = PdfDoc {
        title: "Statement of Applicability",
        subtitle: "Acme B.V.",
        front: &front,
        table: &t,
        footer: "Statement of Applicability · Acme B.V. · version 3",
        lang: "en",
    };
    std::fs::write("/tmp/scratch/soa.pdf", to_pdf(&doc).unwrap()).unwrap();
}
