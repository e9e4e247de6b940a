//! Demo people of Voorbeeld B.V. (25 in four departments, one of whom has
//! left), its organisational roles with their holders (5.3), the
//! competences the roles require and the evidence people have (7.2): two
//! gaps and one certificate that expires within the warning period.

use crate::demo_registers::People;
use crate::{OrgCtx, Result};
use borgen_core::registers::{COMPETENCE_EVIDENCE, COMPETENCES, ORG_ROLES, PEOPLE, ROLE_HOLDERS};
use std::collections::BTreeMap;

/// (name, e-mail, department, job title, start date, end date).
type P = (&'static str, &'static str, &'static str, &'static str, &'static str, &'static str);

const STAFF: &[P] = &[
    ("Pieter Janssen", "directie@voorbeeld.nl", "Directie", "Algemeen directeur", "2014-03-01", ""),
    ("Marieke Bakker", "m.bakker@voorbeeld.nl", "Directie", "Directeur operations", "2017-09-01", ""),
    (
        "Sanne de Vries",
        "isms@voorbeeld.nl",
        "Bedrijfsvoering",
        "ISMS-manager en kwaliteitscoördinator",
        "2019-02-01",
        "",
    ),
    ("Joost van Dam", "auditor@voorbeeld.nl", "Bedrijfsvoering", "Controller, interne auditor", "2018-06-01", ""),
    (
        "Ingrid Postma",
        "i.postma@voorbeeld.nl",
        "Bedrijfsvoering",
        "HR-adviseur, functionaris gegevensbescherming",
        "2020-01-06",
        "",
    ),
    ("Kees Mulder", "k.mulder@voorbeeld.nl", "Bedrijfsvoering", "Officemanager", "2016-04-01", ""),
    ("Wendy Smit", "w.smit@voorbeeld.nl", "Bedrijfsvoering", "Financieel medewerker", "2022-08-15", ""),
    ("Fatima El Amrani", "eigenaar@voorbeeld.nl", "Ontwikkeling", "Teamlead klantportal", "2018-10-01", ""),
    ("Daan Hendriks", "d.hendriks@voorbeeld.nl", "Ontwikkeling", "Senior ontwikkelaar", "2017-01-09", ""),
    ("Noor Visser", "n.visser@voorbeeld.nl", "Ontwikkeling", "Ontwikkelaar", "2021-03-01", ""),
    ("Bram de Boer", "b.deboer@voorbeeld.nl", "Ontwikkeling", "Ontwikkelaar", "2022-09-01", ""),
    ("Lotte Meijer", "l.meijer@voorbeeld.nl", "Ontwikkeling", "Ontwikkelaar", "2023-02-01", ""),
    ("Thijs Vos", "t.vos@voorbeeld.nl", "Ontwikkeling", "Ontwikkelaar", "2026-09-01", ""),
    ("Emma Dekker", "e.dekker@voorbeeld.nl", "Ontwikkeling", "Tester", "2020-11-02", ""),
    ("Ruben Brouwer", "r.brouwer@voorbeeld.nl", "Ontwikkeling", "Systeembeheerder", "2019-05-01", ""),
    ("Sem Jacobs", "s.jacobs@voorbeeld.nl", "Ontwikkeling", "Systeembeheerder", "2025-04-01", ""),
    ("Mark Willems", "m.willems@voorbeeld.nl", "Ontwikkeling", "Ontwikkelaar", "2019-01-07", "2026-06-30"),
    ("Lisa de Graaf", "medewerker@voorbeeld.nl", "Support en implementatie", "Supportmedewerker", "2023-05-01", ""),
    ("Anouk Peters", "a.peters@voorbeeld.nl", "Support en implementatie", "Teamlead support", "2016-08-01", ""),
    ("Jeroen Kok", "j.kok@voorbeeld.nl", "Support en implementatie", "Implementatieconsultant", "2018-03-01", ""),
    (
        "Femke Hoekstra",
        "f.hoekstra@voorbeeld.nl",
        "Support en implementatie",
        "Implementatieconsultant",
        "2021-10-01",
        "",
    ),
    ("Youssef Bouzid", "y.bouzid@voorbeeld.nl", "Support en implementatie", "Supportmedewerker", "2024-01-08", ""),
    (
        "Sophie van Leeuwen",
        "s.vanleeuwen@voorbeeld.nl",
        "Support en implementatie",
        "Supportmedewerker",
        "2022-02-01",
        "",
    ),
    ("Tim Bos", "t.bos@voorbeeld.nl", "Support en implementatie", "Trainer", "2020-06-01", ""),
    (
        "Eva Huisman",
        "e.huisman@voorbeeld.nl",
        "Support en implementatie",
        "Supportmedewerker (uitzendkracht)",
        "2026-10-01",
        "",
    ),
];

impl crate::App {
    pub(crate) async fn seed_demo_people(&self, ctx: &OrgCtx, p: &People) -> Result<()> {
        let accounts: BTreeMap<&str, &str> = [
            ("isms@voorbeeld.nl", Some(p.sanne.as_str())),
            ("eigenaar@voorbeeld.nl", Some(p.fatima.as_str())),
            ("directie@voorbeeld.nl", Some(p.pieter.as_str())),
            ("auditor@voorbeeld.nl", p.joost.as_deref()),
            ("medewerker@voorbeeld.nl", p.lisa.as_deref()),
        ]
        .into_iter()
        .filter_map(|(m, id)| id.map(|id| (m, id)))
        .collect();
        let mut id: BTreeMap<&str, String> = BTreeMap::new();
        for (name, email, dept, job, start, end) in STAFF {
            let manager = match *dept {
                "Directie" if *name != "Pieter Janssen" => id.get("Pieter Janssen").cloned(),
                "Bedrijfsvoering" => id.get("Marieke Bakker").cloned(),
                "Ontwikkeling" if *name != "Fatima El Amrani" => id.get("Fatima El Amrani").cloned(),
                "Ontwikkeling" => id.get("Marieke Bakker").cloned(),
                "Support en implementatie" if *name != "Anouk Peters" => id.get("Anouk Peters").cloned(),
                "Support en implementatie" => id.get("Marieke Bakker").cloned(),
                _ => None,
            }
            .unwrap_or_default();
            let account = accounts.get(email).copied().unwrap_or("");
            let h = self
                .demo_row(
                    ctx,
                    &PEOPLE,
                    &[
                        ("name", name),
                        ("email", email),
                        ("department", dept),
                        ("job_title", job),
                        ("manager_id", &manager),
                        ("user_id", account),
                        ("start_date", start),
                        ("end_date", end),
                    ],
                )
                .await?;
            id.insert(name, h.rec.id.as_text());
        }
        let person = |n: &str| id.get(n).cloned().unwrap_or_default();

        // Roles, who holds them, and the competences they require.
        type Need = (&'static str, &'static str, &'static str);
        type R = (&'static str, bool, bool, &'static str, &'static str, &'static [&'static str], &'static [Need]);
        let roles: &[R] = &[
            (
                "ISMS-manager",
                true,
                true,
                "Zorgt dat het ISMS voldoet aan ISO/IEC 27001 en blijft voldoen; coördineert de risicobeoordeling, de verklaring van toepasselijkheid, de documentbeheersing en de interne audits; rapporteert elk kwartaal aan de directie over de prestaties van het ISMS.",
                "Mag beleid en procedures ter goedkeuring voorleggen, van iedere afdeling informatie en medewerking vragen, en bij een ernstig incident systemen laten afsluiten tot de directie beslist.",
                &["Sanne de Vries"],
                &[
                    (
                        "Risicobeoordeling volgens ISO/IEC 27005",
                        "certificate",
                        "Een certificaat ISO/IEC 27005 Risk Manager of gelijkwaardig, niet verlopen.",
                    ),
                    (
                        "Kennis van ISO/IEC 27001:2022",
                        "certificate",
                        "Een certificaat ISO/IEC 27001 Lead Implementer of Foundation.",
                    ),
                ],
            ),
            (
                "Directie",
                false,
                false,
                "Stelt het beleid en de doelstellingen vast, stelt middelen beschikbaar, accepteert restrisico's, keurt de verklaring van toepasselijkheid goed en voert de directiebeoordeling uit.",
                "Beslist over budget, risicoacceptatie en uitzonderingen op het beleid.",
                &["Pieter Janssen", "Marieke Bakker"],
                &[],
            ),
            (
                "Functionaris gegevensbescherming",
                false,
                false,
                "Ziet toe op de naleving van de AVG, adviseert over gegevensbeschermingseffectbeoordelingen en is aanspreekpunt voor de Autoriteit Persoonsgegevens.",
                "Mag bij iedere afdeling inzage vragen in verwerkingen van persoonsgegevens; rapporteert rechtstreeks aan de directie.",
                &["Ingrid Postma"],
                &[(
                    "Kennis van de AVG",
                    "certificate",
                    "Een certificaat Functionaris Gegevensbescherming of Privacy Officer.",
                )],
            ),
            (
                "Interne auditor",
                false,
                false,
                "Voert de interne audits uit volgens het auditprogramma en rapporteert de bevindingen aan de directie; audit nooit het eigen werk.",
                "Mag alle documenten en registraties van het ISMS inzien en medewerkers interviewen.",
                &["Joost van Dam"],
                &[("Auditen volgens ISO 19011", "training", "Een training interne auditor ISO 27001 / ISO 19011.")],
            ),
            (
                "Ontwikkelaar",
                false,
                false,
                "Bouwt en onderhoudt de software volgens het beleid voor veilig ontwikkelen; meldt kwetsbaarheden en incidenten direct.",
                "Mag wijzigingen doorvoeren na review door een tweede ontwikkelaar.",
                &[
                    "Fatima El Amrani",
                    "Daan Hendriks",
                    "Noor Visser",
                    "Bram de Boer",
                    "Lotte Meijer",
                    "Thijs Vos",
                    "Emma Dekker",
                    "Mark Willems",
                ],
                &[(
                    "Veilig ontwikkelen (OWASP Top 10)",
                    "training",
                    "De training veilig programmeren, elke twee jaar herhaald.",
                )],
            ),
            (
                "Systeembeheerder",
                false,
                false,
                "Beheert servers, netwerk, back-ups en accounts; verhelpt technische incidenten en test elk kwartaal het herstel van de back-up.",
                "Mag accounts blokkeren en systemen afsluiten bij een beveiligingsincident.",
                &["Ruben Brouwer", "Sem Jacobs"],
                &[(
                    "Incidentafhandeling",
                    "training",
                    "Een training incidentrespons, of aantoonbare ervaring met de incidentprocedure.",
                )],
            ),
        ];
        let year_ago = shifted(&ctx.today(), -400);
        let mut need_id: BTreeMap<&str, String> = BTreeMap::new();
        for (name, conformity, reporting, resp, auth, holders, needs) in roles {
            let role = self
                .demo_row(
                    ctx,
                    &ORG_ROLES,
                    &[
                        ("name", name),
                        ("conformity", if *conformity { "true" } else { "false" }),
                        ("reporting", if *reporting { "true" } else { "false" }),
                        ("responsibilities", resp),
                        ("authorities", auth),
                    ],
                )
                .await?;
            let rid = role.rec.id.as_text();
            for who in *holders {
                let since = STAFF.iter().find(|s| s.0 == *who).map(|s| s.4).unwrap_or("2024-01-01");
                let since = if *name == "ISMS-manager" { "2025-01-15" } else { since };
                let until = if *who == "Mark Willems" { "2026-06-30" } else { "" };
                // A newcomer's appointment is not yet made known in writing.
                let (on, how) = if *who == "Thijs Vos" { ("", "") } else { (since, "appointment_letter") };
                let (on, how) =
                    if *name == "Ontwikkelaar" && !on.is_empty() { (since, "job_description") } else { (on, how) };
                self.demo_row(
                    ctx,
                    &ROLE_HOLDERS,
                    &[
                        ("role_id", &rid),
                        ("person_id", &person(who)),
                        ("since", since),
                        ("until", until),
                        ("communicated_on", on),
                        ("communicated_how", how),
                    ],
                )
                .await?;
            }
            for (need, shown, what) in *needs {
                let c = self
                    .demo_row(
                        ctx,
                        &COMPETENCES,
                        &[("role_id", &rid), ("name", need), ("shown_by", shown), ("description", what)],
                    )
                    .await?;
                need_id.insert(need, c.rec.id.as_text());
            }
        }
        let need = |n: &str| need_id.get(n).cloned().unwrap_or_default();

        // The evidence: Sanne's risk certificate expires within the warning
        // period; Thijs (new) has not had the secure development training
        // yet, and Sem has no incident handling training: the two gaps.
        let soon = shifted(&ctx.today(), 41);
        let owasp = "Training veilig programmeren (OWASP Top 10), Securance";
        let evidence: Vec<(&str, &str, &str, &str, String, String)> = vec![
            (
                "Sanne de Vries",
                "Risicobeoordeling volgens ISO/IEC 27005",
                "ISO/IEC 27005 Risk Manager, PECB",
                "certificate",
                "2023-11-20".into(),
                soon,
            ),
            (
                "Sanne de Vries",
                "Kennis van ISO/IEC 27001:2022",
                "ISO/IEC 27001 Lead Implementer, PECB",
                "certificate",
                "2024-05-17".into(),
                "2027-05-17".into(),
            ),
            (
                "Ingrid Postma",
                "Kennis van de AVG",
                "Certified Data Protection Officer (CDPO), Nyenrode",
                "certificate",
                "2022-06-10".into(),
                String::new(),
            ),
            (
                "Joost van Dam",
                "Auditen volgens ISO 19011",
                "Training interne auditor ISO 27001, NEN",
                "training",
                "2025-03-12".into(),
                String::new(),
            ),
            (
                "Fatima El Amrani",
                "Veilig ontwikkelen (OWASP Top 10)",
                owasp,
                "training",
                "2025-10-08".into(),
                "2027-10-08".into(),
            ),
            (
                "Daan Hendriks",
                "Veilig ontwikkelen (OWASP Top 10)",
                owasp,
                "training",
                "2025-10-08".into(),
                "2027-10-08".into(),
            ),
            (
                "Noor Visser",
                "Veilig ontwikkelen (OWASP Top 10)",
                owasp,
                "training",
                "2025-10-08".into(),
                "2027-10-08".into(),
            ),
            (
                "Bram de Boer",
                "Veilig ontwikkelen (OWASP Top 10)",
                owasp,
                "training",
                "2025-10-08".into(),
                "2027-10-08".into(),
            ),
            (
                "Lotte Meijer",
                "Veilig ontwikkelen (OWASP Top 10)",
                owasp,
                "training",
                year_ago.clone(),
                shifted(&year_ago, 730),
            ),
            (
                "Emma Dekker",
                "Veilig ontwikkelen (OWASP Top 10)",
                owasp,
                "training",
                "2025-10-08".into(),
                "2027-10-08".into(),
            ),
            (
                "Ruben Brouwer",
                "Incidentafhandeling",
                "Training incidentrespons, Northwave",
                "training",
                "2024-09-24".into(),
                String::new(),
            ),
        ];
        for (who, comp, what, kind, obtained, expires) in &evidence {
            self.demo_row(
                ctx,
                &COMPETENCE_EVIDENCE,
                &[
                    ("person_id", &person(who)),
                    ("competence_id", &need(comp)),
                    ("what", what),
                    ("kind", kind),
                    ("obtained", obtained),
                    ("expires", expires),
                ],
            )
            .await?;
        }
        Ok(())
    }
}

/// The day `days` after `date` (before it when negative), `YYYY-MM-DD`.
fn shifted(date: &str, days: i64) -> String {
    borgen_core::time::parse_date(date)
        .map(|d| (d + chrono::Duration::days(days)).format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| date.to_string())
}
