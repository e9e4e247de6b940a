//! Demo people of Voorbeeld B.V. (25 in four departments, and one who has
//! left), its organisational roles with their holders and the RACI of its
//! ISMS processes (5.3), four objectives with their measured values (6.2), a
//! year's resources (7.1), the competences the roles require and the
//! evidence people have (7.2: two gaps and one certificate that expires
//! within the warning period), and two awareness campaigns (7.3, one a
//! phishing simulation at 84%).

use crate::demo_registers::People;
use crate::{OrgCtx, Result};
use borgen_core::registers::{
    CAMPAIGNS, COMPETENCE_EVIDENCE, COMPETENCES, COMPLETIONS, ISMS_PROCESSES, OBJECTIVE_PROGRESS, OBJECTIVES,
    ORG_ROLES, PEOPLE, RACI, RESOURCES, ROLE_HOLDERS,
};
use std::collections::BTreeMap;

/// (name, e-mail, department, job title, start date, end date).
type P = (&'static str, &'static str, &'static str, &'static str, &'static str, &'static str);

#[rustfmt::skip]
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
    ("Hanna Koster", "h.koster@voorbeeld.nl", "Support en implementatie", "Implementatieconsultant", "2019-09-01", ""),
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
        let mut role_id: BTreeMap<&str, String> = BTreeMap::new();
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
            role_id.insert(name, rid.clone());
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
        let role = |n: &str| role_id.get(n).cloned().unwrap_or_default();
        self.seed_demo_raci(ctx, &role).await?;
        self.seed_demo_objectives(ctx, p).await?;
        self.seed_demo_resources(ctx, p).await?;
        self.seed_demo_awareness(ctx, p, &person).await
    }
}

/// The day `days` after `date` (before it when negative), `YYYY-MM-DD`.
fn shifted(date: &str, days: i64) -> String {
    borgen_core::time::parse_date(date)
        .map(|d| (d + chrono::Duration::days(days)).format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| date.to_string())
}

#[rustfmt::skip]
impl crate::App {
    /// Awareness: the year's e-learning (two newcomers exempt, one not yet
    /// done) and the autumn phishing simulation (4 of 25 clicked: 84%).
    async fn seed_demo_awareness(&self, ctx: &OrgCtx, p: &People, person: &dyn Fn(&str) -> String) -> Result<()> {
        let present: Vec<&str> = STAFF.iter().filter(|s| s.5.is_empty()).map(|s| s.0).collect();
        let campaigns: [(&str, &str, &str, &str, &str); 2] = [
            ("E-learning informatiebeveiliging 2026", "elearning", "2026-02-02", "2026-03-31", "De jaarlijkse e-learning van 45 minuten: het beleid, phishing herkennen, veilig thuiswerken, incidenten melden. Verplicht voor iedereen in dienst."),
            ("Phishingsimulatie najaar 2026", "phishing", "2026-10-06", "2026-10-20", "Drie nagemaakte phishingmails over twee weken. Afgerond: niet geklikt, of de mail gemeld via de meldknop."),
        ];
        for (i, (title, kind, starts, ends, what)) in campaigns.iter().enumerate() {
            let c = self.demo_row(ctx, &CAMPAIGNS, &[
                ("title", title), ("kind", kind), ("audience", "all"), ("starts", starts), ("ends", ends),
                ("owner_id", p.sanne.as_str()), ("description", what),
            ]).await?;
            let cid = c.rec.id.as_text();
            for who in &present {
                let (status, on, note) = match (i, *who) {
                    (0, "Eva Huisman" | "Thijs Vos") => ("exempt", "", "In dienst na de campagne; volgt de e-learning in de eerste maand."),
                    (0, "Sem Jacobs") => ("not_done", "", "Herinnering gestuurd op 15 april."),
                    (0, _) => ("done", "2026-03-12", ""),
                    (1, "Bram de Boer" | "Youssef Bouzid" | "Wendy Smit" | "Eva Huisman") => ("not_done", "", "Klikte op de link in mail 2."),
                    (_, _) => ("done", "2026-10-20", ""),
                };
                self.demo_row(ctx, &COMPLETIONS, &[
                    ("campaign_id", &cid), ("person_id", &person(who)), ("status", status), ("completed_on", on), ("note", note),
                ]).await?;
            }
        }
        Ok(())
    }

    /// The ISMS processes and who is Responsible, Accountable, Consulted or Informed.
    async fn seed_demo_raci(&self, ctx: &OrgCtx, role: &dyn Fn(&str) -> String) -> Result<()> {
        type Pr = (&'static str, &'static str, &'static [(&'static str, &'static str)]);
        let processes: &[Pr] = &[
            ("Risicobeoordeling en risicobehandeling", "6.1.2", &[("ISMS-manager", "r"), ("Directie", "a"), ("Ontwikkelaar", "c"), ("Systeembeheerder", "c")]),
            ("Verklaring van toepasselijkheid", "6.1.3", &[("ISMS-manager", "r"), ("Directie", "a"), ("Interne auditor", "i")]),
            ("Wijzigingen in het ISMS", "6.3", &[("ISMS-manager", "r"), ("Directie", "a"), ("Functionaris gegevensbescherming", "c")]),
            ("Bewustwording en training", "7.3", &[("ISMS-manager", "r"), ("Directie", "a"), ("Ontwikkelaar", "i"), ("Systeembeheerder", "i")]),
            ("Documentbeheer", "7.5", &[("ISMS-manager", "a"), ("ISMS-manager", "r"), ("Directie", "c")]),
            ("Incidentbeheer en datalekken", "A.5.24", &[("Systeembeheerder", "r"), ("ISMS-manager", "a"), ("Functionaris gegevensbescherming", "c"), ("Directie", "i")]),
            ("Leveranciersbeheer", "A.5.19", &[("ISMS-manager", "r"), ("Directie", "a"), ("Systeembeheerder", "c")]),
            ("Interne audit", "9.2", &[("Interne auditor", "r"), ("Directie", "a"), ("ISMS-manager", "i")]),
            ("Directiebeoordeling", "9.3", &[("ISMS-manager", "r"), ("Directie", "a"), ("Interne auditor", "c")]),
        ];
        for (name, clause, letters) in processes {
            let pid = self.demo_row(ctx, &ISMS_PROCESSES, &[("name", name), ("clause", clause)]).await?.rec.id.as_text();
            for (r, letter) in *letters {
                self.demo_row(ctx, &RACI, &[("process_id", &pid), ("role_id", &role(r)), ("letter", letter)]).await?;
            }
        }
        Ok(())
    }

    /// Four objectives following from the policy, each with its measured values.
    async fn seed_demo_objectives(&self, ctx: &OrgCtx, p: &People) -> Result<()> {
        let policy = self.key_document(ctx, "policy").await?.map(|d| d.document_id).unwrap_or_default();
        type O = (&'static str, &'static str, &'static str, &'static str, &'static str, &'static str, &'static str, &'static str, &'static [(&'static str, &'static str)]);
        let objectives: [O; 4] = [
            ("Iedereen heeft de jaarlijkse e-learning afgerond", "Aandeel medewerkers in dienst dat de e-learning van dit jaar heeft afgerond", "at_least", "95", "%", "6.3", "on_track",
             "Jaarlijkse e-learning in februari, herinneringen na vier en acht weken, nieuwe collega's binnen hun eerste maand.",
             &[("2026-03-31", "78"), ("2026-06-30", "88"), ("2026-09-30", "92"), ("2026-11-30", "95,8")]),
            ("Minder dan 10% klikt op een phishingsimulatie", "Aandeel ontvangers dat op de link in een gesimuleerde phishingmail klikt", "at_most", "10", "%", "6.3, 8.23", "at_risk",
             "Twee simulaties per jaar; wie klikt krijgt een korte training; de meldknop in de mail wordt bij iedereen geïnstalleerd.",
             &[("2025-11-15", "24"), ("2026-04-20", "15"), ("2026-10-20", "16")]),
            ("Kritieke kwetsbaarheden binnen 14 dagen verholpen", "Aandeel kritieke kwetsbaarheden (CVSS 9 of hoger) in de klantportal dat binnen 14 dagen na melding is verholpen", "at_least", "95", "%", "8.8, 8.25", "on_track",
             "Wekelijkse scan van de afhankelijkheden, een vast deel van elke sprint voor beveiligingsfixes, escalatie naar de teamlead na zeven dagen.",
             &[("2026-03-31", "80"), ("2026-06-30", "86"), ("2026-09-30", "93,5")]),
            ("Elk kwartaal een geslaagde hersteltest van de back-up", "Aantal geslaagde hersteltests in het jaar", "at_least", "4", "tests", "8.13", "on_track",
             "Elk kwartaal zet de systeembeheerder een volledige database en een bestandsmap terug in de testomgeving en legt de hersteltijd vast.",
             &[("2026-03-28", "1"), ("2026-06-27", "2"), ("2026-09-26", "3")]),
        ];
        for (i, (title, measure, direction, target, unit, controls, status, plan, values)) in objectives.iter().enumerate() {
            let owner = if i >= 2 { p.fatima.as_str() } else { p.sanne.as_str() };
            let o = self.demo_row(ctx, &OBJECTIVES, &[
                ("title", title), ("policy_id", &policy), ("measure", measure), ("direction", direction),
                ("target", target), ("unit", unit), ("plan", plan),
                ("resources", "Binnen het budget 2026 voor informatiebeveiliging."), ("owner_id", owner), ("due", "2026-12-31"),
                ("evaluation", "Elk kwartaal in het ISMS-overleg; het jaarresultaat in de directiebeoordeling."),
                ("status", status), ("control_ids", controls),
            ]).await?;
            let oid = o.rec.id.as_text();
            for (date, value) in *values {
                self.demo_row(ctx, &OBJECTIVE_PROGRESS, &[("objective_id", &oid), ("date", date), ("value", value)]).await?;
            }
        }
        Ok(())
    }

    /// The budget and staff of 2026, approved by the director, and a 2027 line not yet approved.
    async fn seed_demo_resources(&self, ctx: &OrgCtx, p: &People) -> Result<()> {
        let lines: [(&str, &str, &str, &str, &str); 7] = [
            ("2026", "ISMS-manager (vier uur per week)", "", "0,1", "Sanne de Vries, naast haar taak als kwaliteitscoördinator."),
            ("2026", "Certificeringsaudit fase 1 en 2", "14500", "", "Offerte van de certificerende instelling, inclusief reiskosten."),
            ("2026", "Penetratietest klantportal", "7500", "", "Jaarlijkse test door een extern bureau."),
            ("2026", "Awarenessplatform en phishingsimulaties", "4200", "", "Licentie voor 30 gebruikers."),
            ("2026", "MFA-licenties", "6800", "", "Voor alle accounts, ook van uitzendkrachten."),
            ("2026", "Externe ondersteuning ISMS", "5000", "", "Tien dagdelen van een consultant bij de eerste risicobeoordeling en de interne audit."),
            ("2027", "Surveillance-audit", "6500", "", "Eerste jaarlijkse controle na certificering."),
        ];
        for (year, purpose, amount, fte, what) in lines {
            let (by, on) = if year == "2026" { (p.pieter.as_str(), "2026-02-03") } else { ("", "") };
            self.demo_row(ctx, &RESOURCES, &[
                ("year", year), ("purpose", purpose), ("amount", amount), ("fte", fte), ("description", what),
                ("approved_by", by), ("approved_on", on),
            ]).await?;
        }
        Ok(())
    }
}
