//! The demo risk register of "Voorbeeld B.V.": assets with their
//! dependencies, forty risks across all four treatment options, treatment
//! tasks (some overdue) and acceptances by the risk owner and top management.

use crate::{Actor, App, AppError, OrgCtx, Result};
use borgen_core::risk::RiskForm;
use borgen_core::task::TaskForm;
use std::collections::BTreeMap;

fn s(v: &str) -> Option<String> {
    if v.is_empty() { None } else { Some(v.to_string()) }
}

/// name, type, classification, C, I, A, supports (indices), owner (0 Sanne, 1 Fatima)
type AssetRow = (&'static str, &'static str, &'static str, u8, u8, u8, &'static [usize], u8);

const DEMO_ASSETS: &[AssetRow] = &[
    ("Klantdossiers", "information", "confidential", 4, 3, 2, &[], 0),
    ("Personeelsdossiers", "information", "confidential", 4, 3, 1, &[], 0),
    ("Financiële administratie", "information", "confidential", 3, 4, 2, &[], 0),
    ("Broncode klantportaal", "information", "internal", 3, 4, 2, &[], 1),
    ("Klantportaal", "service", "internal", 2, 3, 3, &[0], 1),
    ("Microsoft 365", "service", "internal", 0, 0, 3, &[0, 1, 2], 1),
    ("Boekhoudpakket", "software", "internal", 0, 0, 2, &[2], 0),
    ("Fileserver", "hardware", "internal", 0, 0, 2, &[0, 1], 1),
    ("Back-upopslag (extern)", "service", "confidential", 0, 0, 0, &[7], 1),
    ("Laptops medewerkers", "hardware", "internal", 0, 0, 2, &[0, 5], 1),
    ("Kantoor Zwolle", "site", "internal", 0, 0, 3, &[7, 9], 0),
    ("Hostingpartij", "supplier", "internal", 0, 0, 3, &[4], 0),
    ("Systeembeheerder", "people", "internal", 0, 0, 0, &[7, 4], 1),
    ("Firewall", "hardware", "internal", 0, 3, 3, &[4, 7], 1),
    ("Smartphones", "hardware", "internal", 0, 0, 1, &[5], 1),
];

/// title, assets, threat, C/I/A, inherent (L, I), treatment, Annex A controls,
/// residual (L, I) (0 = not scored), rationale, owner (0 Sanne, 1 Fatima)
type RiskRow = (
    &'static str,
    &'static [usize],
    &'static str,
    &'static str,
    (u8, u8),
    &'static str,
    &'static str,
    (u8, u8),
    &'static str,
    u8,
);

/// The applied controls each mitigated risk is treated with, by the risk's
/// place in [`RISKS`] and the controls' names: chosen one by one, as a
/// consultant links a treatment to what actually reduces the risk.
const TREATED_WITH: &[(usize, &[&str])] = &[
    (0, &["Back-up met offline kopie", "Patchmanagement"]),
    (1, &["MFA op alle cloudaccounts", "Bewustwordingsprogramma"]),
    (2, &["Bewustwordingsprogramma"]),
    (5, &["Veilige ontwikkelstraat"]),
    (6, &["Back-up met offline kopie"]),
    (8, &["Serverruimte Zwolle"]),
    (9, &["Serverruimte Zwolle"]),
    (11, &["Toegangsbeheer en autorisatiematrix"]),
    (16, &["Bewustwordingsprogramma"]),
    (19, &["Back-up met offline kopie"]),
    (22, &["Logging en monitoring"]),
    (30, &["Leveranciersbeoordeling en verwerkersovereenkomsten", "Patchmanagement"]),
    (31, &["Informatiebeveiligingsbeleid 2026"]),
    (33, &["Bewustwordingsprogramma"]),
    (35, &["MFA op alle cloudaccounts", "Toegangsbeheer en autorisatiematrix", "Logging en monitoring"]),
    (38, &["Veilige ontwikkelstraat"]),
];

const RISKS: &[RiskRow] = &[
    (
        "Ransomware versleutelt de fileserver",
        &[7, 0],
        "ransomware",
        "CIA",
        (4, 5),
        "mitigate",
        "8.7, 8.13, 8.8",
        (2, 4),
        "Back-ups offline en getest, endpointbeveiliging en patchbeleid.",
        1,
    ),
    (
        "Phishing leidt tot overname van een Microsoft 365-account",
        &[5, 0],
        "phishing",
        "CI",
        (5, 4),
        "mitigate",
        "5.17, 8.5, 6.3",
        (2, 3),
        "MFA voor alle accounts en jaarlijkse bewustwording.",
        1,
    ),
    (
        "CEO-fraude: valse betaalopdracht aan de boekhouding",
        &[2],
        "payment_fraud",
        "I",
        (3, 4),
        "mitigate",
        "5.1, 6.3",
        (2, 3),
        "Vier-ogenprincipe voor betalingen boven € 5.000.",
        0,
    ),
    (
        "Laptop met klantgegevens verloren in de trein",
        &[9, 0],
        "device_loss",
        "C",
        (4, 3),
        "mitigate",
        "8.1, 8.24",
        (4, 1),
        "Volledige schijfversleuteling en wissen op afstand.",
        1,
    ),
    (
        "Storing bij de hostingpartij legt het klantportaal plat",
        &[11, 4],
        "cloud_provider_outage",
        "A",
        (3, 4),
        "transfer",
        "5.20, 5.21",
        (3, 2),
        "SLA met boeteclausule en verzekering bedrijfsschade.",
        0,
    ),
    (
        "Kwetsbaarheid in het klantportaal wordt misbruikt",
        &[4, 0],
        "web_application_attack",
        "CIA",
        (3, 5),
        "mitigate",
        "8.8, 8.28, 8.29",
        (2, 4),
        "Pentest per release en secure coding-richtlijn.",
        1,
    ),
    (
        "Back-ups blijken niet terug te zetten",
        &[8, 7],
        "backup_failure",
        "IA",
        (3, 4),
        "mitigate",
        "8.13",
        (1, 4),
        "Hersteltest per kwartaal, met verslag.",
        1,
    ),
    (
        "Stroomuitval in het kantoor",
        &[10, 7],
        "power_outage",
        "A",
        (2, 2),
        "accept",
        "",
        (2, 2),
        "Korte uitval is acceptabel; het portaal draait extern.",
        0,
    ),
    (
        "Overstroming van de kelder met de serverruimte",
        &[10, 7],
        "flooding",
        "A",
        (2, 5),
        "mitigate",
        "7.5, 8.14",
        (1, 3),
        "Apparatuur verplaatst naar de eerste verdieping; uitwijk naar de cloud.",
        0,
    ),
    (
        "Hittegolf: koeling van de serverruimte schiet tekort",
        &[10, 7],
        "heatwave",
        "A",
        (3, 3),
        "mitigate",
        "7.11, 7.5",
        (2, 2),
        "Extra airco en temperatuurbewaking met alarm.",
        1,
    ),
    (
        "Datalek door een verkeerd geadresseerde e-mail",
        &[0, 5],
        "email_misdelivery",
        "C",
        (4, 3),
        "mitigate",
        "5.14, 8.12",
        (3, 2),
        "Waarschuwing bij externe ontvangers en DLP-regels.",
        0,
    ),
    (
        "Oud-medewerker houdt toegang tot systemen",
        &[5, 0],
        "inadequate_offboarding",
        "C",
        (3, 3),
        "mitigate",
        "5.18, 6.5",
        (1, 3),
        "Uitdienstprocedure met checklist en maandelijkse controle.",
        0,
    ),
    (
        "Systeembeheerder valt langdurig uit",
        &[12],
        "loss_of_key_personnel",
        "A",
        (3, 3),
        "mitigate",
        "5.37, 6.3",
        (2, 2),
        "Documentatie van beheerprocessen en een tweede beheerder.",
        0,
    ),
    (
        "Leverancier van het boekhoudpakket gaat failliet",
        &[6, 2],
        "supplier_failure",
        "A",
        (1, 4),
        "accept",
        "",
        (1, 4),
        "Export van gegevens mogelijk; alternatieven op de markt.",
        0,
    ),
    (
        "Verouderde server zonder beveiligingsupdates",
        &[7],
        "end_of_support_software",
        "CIA",
        (3, 4),
        "avoid",
        "",
        (1, 1),
        "Server wordt uitgefaseerd; diensten gaan naar de cloud.",
        1,
    ),
    (
        "DDoS-aanval op het klantportaal",
        &[4, 11],
        "denial_of_service",
        "A",
        (3, 3),
        "transfer",
        "5.21",
        (2, 3),
        "DDoS-bescherming afgenomen bij de hostingpartij.",
        1,
    ),
    (
        "Medewerker deelt vertrouwelijke informatie via privé-cloudopslag",
        &[0, 5],
        "shadow_it",
        "C",
        (3, 3),
        "mitigate",
        "5.10, 6.3",
        (2, 3),
        "Beleid voor acceptabel gebruik en blokkade van privéopslag.",
        0,
    ),
    (
        "Onbevoegde toegang tot het kantoor",
        &[10],
        "unauthorised_physical_access",
        "CI",
        (2, 3),
        "mitigate",
        "7.1, 7.2",
        (1, 2),
        "Toegangspassen en bezoekersregistratie.",
        0,
    ),
    (
        "Misconfiguratie van de firewall",
        &[13],
        "misconfiguration",
        "CIA",
        (3, 4),
        "mitigate",
        "8.9, 8.20",
        (2, 3),
        "Wijzigingen via change-procedure met review.",
        1,
    ),
    (
        "Per ongeluk verwijderen van een projectmap",
        &[7, 0],
        "accidental_deletion",
        "IA",
        (4, 2),
        "mitigate",
        "8.13",
        (4, 1),
        "Dagelijkse back-ups en prullenbak met 30 dagen bewaartermijn.",
        1,
    ),
    (
        "Gestolen smartphone met zakelijke mail",
        &[14, 5],
        "device_loss",
        "C",
        (3, 3),
        "mitigate",
        "8.1, 6.7",
        (2, 2),
        "MDM met pincode en wissen op afstand.",
        1,
    ),
    (
        "Spionage door een concurrent",
        &[3],
        "espionage",
        "C",
        (1, 4),
        "accept",
        "",
        (1, 4),
        "Kans klein; bestaande toegangsbeveiliging volstaat.",
        0,
    ),
    (
        "Insider kopieert klantbestand bij vertrek",
        &[0],
        "insider_data_theft",
        "C",
        (2, 4),
        "mitigate",
        "8.15, 8.16, 6.6",
        (1, 4),
        "Logging van exports en geheimhoudingsverklaring.",
        0,
    ),
    (
        "Verouderd TLS-certificaat van het klantportaal",
        &[4],
        "certificate_expiry",
        "A",
        (3, 2),
        "mitigate",
        "8.9",
        (1, 2),
        "Automatische verlenging en bewaking.",
        1,
    ),
    (
        "Afluisteren van wifi in het kantoor",
        &[10, 9],
        "eavesdropping",
        "C",
        (2, 3),
        "mitigate",
        "8.20, 8.21",
        (1, 3),
        "WPA3 en gescheiden gastnetwerk.",
        1,
    ),
    (
        "Malware via een USB-stick",
        &[9],
        "malware",
        "CIA",
        (2, 3),
        "mitigate",
        "7.10, 8.7",
        (1, 3),
        "USB-opslag geblokkeerd; endpointbeveiliging.",
        1,
    ),
    (
        "Onjuiste gegevens in de financiële administratie",
        &[2],
        "data_entry_error",
        "I",
        (3, 3),
        "mitigate",
        "8.32",
        (2, 2),
        "Controle door tweede persoon bij afsluiting.",
        0,
    ),
    (
        "Brand in het kantoor",
        &[10, 7],
        "fire",
        "IA",
        (1, 5),
        "transfer",
        "7.5",
        (1, 4),
        "Brandverzekering en externe back-ups.",
        0,
    ),
    (
        "Storm beschadigt het dak van de serverruimte",
        &[10],
        "storm",
        "A",
        (1, 3),
        "accept",
        "",
        (1, 3),
        "Kleine kans; herstel binnen een dag mogelijk.",
        0,
    ),
    (
        "Internetstoring bij de provider",
        &[10],
        "internet_outage",
        "A",
        (3, 2),
        "accept",
        "",
        (3, 2),
        "Medewerkers kunnen thuis verder werken.",
        0,
    ),
    (
        "Supply-chainaanval via een update van een softwareleverancier",
        &[6, 4],
        "supply_chain_compromise",
        "CIA",
        (1, 5),
        "mitigate",
        "5.19, 5.21, 8.8",
        (1, 4),
        "Leveranciersbeoordeling en gefaseerde uitrol van updates.",
        1,
    ),
    (
        "Onduidelijke verantwoordelijkheden voor informatiebeveiliging",
        &[],
        "unclear_responsibilities",
        "CIA",
        (3, 3),
        "mitigate",
        "5.2, 5.4",
        (1, 2),
        "Rollen vastgelegd en belegd door de directie.",
        0,
    ),
    (
        "Niet voldoen aan de AVG bij verwerking van personeelsgegevens",
        &[1],
        "non_compliance",
        "C",
        (2, 4),
        "mitigate",
        "5.34, 5.31",
        (1, 3),
        "Verwerkingsregister en privacy-impactanalyse.",
        0,
    ),
    (
        "Gebrek aan bewustzijn bij nieuwe medewerkers",
        &[],
        "lack_of_awareness",
        "CIA",
        (4, 3),
        "mitigate",
        "6.3",
        (2, 3),
        "Introductieprogramma met verplichte e-learning.",
        0,
    ),
    (
        "Capaciteitstekort op de fileserver",
        &[7],
        "capacity_overload",
        "A",
        (3, 2),
        "avoid",
        "",
        (1, 1),
        "Opslag verhuist naar SharePoint met automatische uitbreiding.",
        1,
    ),
    (
        "Account van de systeembeheerder overgenomen",
        &[12, 13],
        "account_takeover",
        "CIA",
        (2, 5),
        "mitigate",
        "8.2, 8.5, 8.15",
        (1, 4),
        "Aparte beheeraccounts met hardware-sleutel.",
        1,
    ),
    (
        "Papieren dossiers bij het oud papier",
        &[1],
        "improper_disposal",
        "C",
        (2, 3),
        "mitigate",
        "7.14",
        (1, 2),
        "Vernietigingscontainer met certificaat.",
        0,
    ),
    (
        "Pandemie: veel medewerkers tegelijk ziek",
        &[12],
        "pandemic",
        "A",
        (2, 3),
        "accept",
        "",
        (2, 3),
        "Thuiswerken ingericht; werk kan wachten.",
        0,
    ),
    (
        "Softwarefout in het klantportaal corrumpeert gegevens",
        &[4, 0],
        "software_malfunction",
        "I",
        (2, 4),
        "mitigate",
        "8.25, 8.29, 8.32",
        (1, 3),
        "Testomgeving en geautomatiseerde tests voor elke release.",
        1,
    ),
    (
        "Misbruik van rechten door een medewerker met te ruime toegang",
        &[0, 2],
        "privilege_misuse",
        "CI",
        (2, 4),
        "mitigate",
        "5.3, 5.18, 8.2",
        (1, 4),
        "Functiescheiding en een kwartaalcontrole van rechten: niemand heeft nog toegang tot beide systemen.",
        0,
    ),
];

impl App {
    pub(crate) async fn seed_demo_risks(
        &self,
        ctx: &OrgCtx,
        sanne: Option<String>,
        fatima: Option<String>,
    ) -> Result<()> {
        let owner = |o: u8| if o == 0 { sanne.clone() } else { fatima.clone() };
        let mut ids: Vec<String> = Vec::new();
        for (name, kind, class, c, i, a, supports, o) in DEMO_ASSETS {
            let mut raw: BTreeMap<String, String> = [
                ("name", name.to_string()),
                ("asset_type", kind.to_string()),
                ("classification", class.to_string()),
                ("need_c", c.to_string()),
                ("need_i", i.to_string()),
                ("need_a", a.to_string()),
                ("supports", supports.iter().map(|x| ids[*x].clone()).collect::<Vec<_>>().join(", ")),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
            if let Some(o) = owner(*o) {
                raw.insert("owner_id".into(), o);
            }
            let reg = &borgen_core::registers::ASSETS;
            let values = reg.parse(&raw).map_err(AppError::Invalid)?;
            ids.push(self.reg_create(ctx, reg, values).await?.rec.id.as_text());
        }
        let applied = self.applied_refs(ctx).await?;
        let mut made = Vec::new();
        for (k, (title, assets, threat, cia, (l, i), treatment, controls, (rl, ri), why, o)) in RISKS.iter().enumerate()
        {
            let mut treated_with = Vec::new();
            for name in TREATED_WITH.iter().filter(|(r, _)| *r == k).flat_map(|(_, names)| names.iter()) {
                let a = applied.iter().find(|a| a.name == *name).ok_or(AppError::NotFound)?;
                treated_with.push(a.id.to_string());
            }
            let num = |v: u8| (v > 0).then(|| v.to_string());
            let status = match (k % 4, *treatment) {
                (_, "avoid") => "closed",
                (0, _) => "in_treatment",
                (1, _) => "monitored",
                _ => "assessed",
            };
            let f = RiskForm {
                title: s(title),
                asset_ids: assets.iter().map(|x| ids[*x].to_string()).collect(),
                threat: s(threat),
                affects_c: cia.contains('C').then(|| "on".into()),
                affects_i: cia.contains('I').then(|| "on".into()),
                affects_a: cia.contains('A').then(|| "on".into()),
                owner_id: owner(*o),
                inherent_likelihood: num(*l),
                inherent_impact: num(*i),
                treatment: s(treatment),
                treatment_rationale: s(why),
                control_ids: s(controls),
                applied_control_ids: treated_with,
                residual_likelihood: num(*rl),
                residual_impact: num(*ri),
                status: s(status),
                // Dates from today, so that the demo reads the same whenever it is made:
                // a few reviews two months overdue, the rest due in four months.
                next_review: Some(if k % 7 == 3 { days_from_today(-60) } else { days_from_today(120) }),
                no_asset_reason: assets.is_empty().then(|| {
                    "Organisatiebreed risico: het raakt alle processen en medewerkers, niet één asset.".to_string()
                }),
                ..Default::default()
            };
            made.push(self.create_risk(ctx, f.parse().map_err(AppError::Invalid)?).await?);
        }
        // Treatment tasks, a few of them overdue.
        let tasks: &[(usize, &str, &str, &str, &str, u8)] = &[
            (0, "Offline back-up inrichten", "2026-10-15", "done", "", 1),
            (0, "Hersteltest fileserver uitvoeren", "2026-11-15", "in_progress", "40", 1),
            (1, "MFA afdwingen voor alle accounts", "2026-09-30", "done", "", 1),
            (1, "Phishingsimulatie voor alle medewerkers", "2026-12-15", "open", "", 0),
            (5, "Pentest klantportaal laten uitvoeren", "2026-11-01", "open", "", 1),
            (6, "Hersteltest per kwartaal inplannen", "2027-01-15", "open", "", 1),
            (8, "Apparatuur naar de eerste verdieping verplaatsen", "2026-10-01", "in_progress", "70", 0),
            (11, "Checklist uitdienst opstellen", "2026-12-01", "open", "", 0),
            (18, "Firewallregels reviewen", "2026-08-31", "open", "", 1),
            (33, "E-learning bewustwording selecteren", "2027-02-01", "open", "", 0),
        ];
        for (r, title, due, status, progress, o) in tasks {
            let f = TaskForm {
                title: s(title),
                owner_id: owner(*o),
                due_date: s(due),
                status: s(status),
                progress: s(progress),
                closing_note: (*status == "done").then(|| {
                    "Afgerond en gecontroleerd; het verslag staat in het ISMS-dossier (map Behandelplan).".to_string()
                }),
                ..Default::default()
            };
            self.create_risk_task(ctx, made[*r].id, f.parse().map_err(AppError::Invalid)?).await?;
        }
        // Acceptances: the owner accepts what she may; top management the rest it may.
        let fatima_user = {
            let mut tx = self.db.read().await?;
            borgen_store::users::by_email(&mut tx, "eigenaar@voorbeeld.nl").await?.map(|u| u.user()).transpose()?
        };
        if let Some(user) = fatima_user {
            let fatima_ctx = self.org_ctx(&Actor::User { user, token_org: None }, crate::demo::DEMO_SLUG).await?;
            // (Not 3 and 24: their review date has passed, so they are reviewed before anyone accepts them.)
            for k in [19, 20, 23, 25] {
                self.accept_risk(
                    &fatima_ctx,
                    made[k].id,
                    Some("Restrisico acceptabel na de maatregelen."),
                    None,
                    &crate::totp::StepUp::default(),
                )
                .await?;
            }
        }
        for k in [7, 13, 21, 28, 29, 37] {
            self.accept_risk(
                ctx,
                made[k].id,
                Some("Besproken in het MT; geaccepteerd."),
                Some(&days_from_today(365)),
                &crate::totp::StepUp::default(),
            )
            .await?;
        }
        // FAIR estimates for the risks where the figures are known best.
        type Triple = (f64, f64, f64);
        let estimates: &[(usize, Triple, Triple, bool)] = &[
            (0, (0.05, 0.2, 0.5), (40_000.0, 150_000.0, 900_000.0), true),
            (1, (0.5, 2.0, 6.0), (2_000.0, 10_000.0, 60_000.0), false),
            (2, (0.1, 0.3, 1.0), (5_000.0, 25_000.0, 120_000.0), false),
            (4, (0.5, 1.0, 3.0), (1_000.0, 8_000.0, 40_000.0), false),
            (10, (1.0, 4.0, 12.0), (500.0, 3_000.0, 50_000.0), true),
        ];
        for (k, f, m, lognormal) in estimates {
            use crate::risk::NumText::N;
            let form = crate::risk::EstimateForm {
                freq_min: Some(N(f.0)),
                freq_ml: Some(N(f.1)),
                freq_max: Some(N(f.2)),
                freq_shape: s("pert"),
                mag_min: Some(N(m.0)),
                mag_ml: Some(N(m.1)),
                mag_max: Some(N(m.2)),
                mag_shape: s(if *lognormal { "lognormal" } else { "pert" }),
            };
            let e = form.parse(borgen_core::Lang::Nl).map_err(AppError::Invalid)?;
            self.set_risk_estimate(ctx, made[*k].id, e).await?;
        }
        // The first assessment run, approved by top management.
        let run = borgen_core::run::RunForm {
            title: s("Risicobeoordeling najaar 2026"),
            reason: s("planned"),
            scope: s("Alle processen en systemen binnen het toepassingsgebied van het ISMS."),
            participants: s("Sanne de Vries (ISMS), Fatima El Amrani (IT), Pieter Janssen (directie)"),
            ..Default::default()
        };
        let n = self.take_run(ctx, &run).await?;
        let pieter = {
            let mut tx = self.db.read().await?;
            borgen_store::users::by_email(&mut tx, "directie@voorbeeld.nl").await?.map(|u| u.user()).transpose()?
        };
        let approver = match pieter {
            Some(user) => self.org_ctx(&Actor::User { user, token_org: None }, crate::demo::DEMO_SLUG).await?,
            None => ctx.clone(),
        };
        let step = crate::totp::StepUp::default();
        // The risk criteria the run used, approved before it.
        let method = self.methodology(ctx).await?.version;
        if method > 0 {
            let why = Some("Risicocriteria en acceptatieniveaus vastgesteld in het MT van september.");
            self.approve_version(&approver, &borgen_core::version::METHODOLOGY_VERSIONS, method, why, &step).await?;
        }
        let why = Some("Besproken in het MT van november.");
        self.approve_version(&approver, &borgen_core::version::RISK_RUNS, n, why, &step).await?;
        // The treatment plan after that run: every risk owner signs off their
        // part, then the director approves it.
        let plans = &borgen_core::version::TREATMENT_PLANS;
        let p = self.issue_treatment_plan(ctx, Some("Behandelplan na de risicobeoordeling najaar 2026.")).await?;
        for signer in self.treatment_plan_version(ctx, p).await?.plan.signers() {
            let user = {
                let mut tx = self.db.read().await?;
                let id = borgen_core::ids::UserId::parse(&signer.user_id);
                match id {
                    Some(id) => borgen_store::users::by_id(&mut tx, id).await?.map(|u| u.user()).transpose()?,
                    None => None,
                }
            };
            if let Some(user) = user {
                let owner = self.org_ctx(&Actor::User { user, token_org: None }, crate::demo::DEMO_SLUG).await?;
                let why = Some("Akkoord met de behandeling van mijn risico's en het restrisico.");
                self.sign_off_version(&owner, plans, p, why, &step).await?;
            }
        }
        self.approve_version(&approver, plans, p, Some("Behandelplan vastgesteld in het MT van november."), &step)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
#[test]
fn demo_treatments_name_mitigated_risks() {
    for (r, names) in TREATED_WITH {
        let (title, _, _, _, _, treatment, ..) = RISKS[*r];
        assert_eq!(treatment, "mitigate", "{title} is treated with {names:?}");
        assert!(!names.is_empty());
    }
}

/// The day `n` days from today (on the demo organisation's clock), as YYYY-MM-DD.
fn days_from_today(n: i64) -> String {
    let today = borgen_core::time::parse_date(&borgen_core::time::today()).unwrap_or_default();
    (today + chrono::Duration::days(n)).format("%Y-%m-%d").to_string()
}
