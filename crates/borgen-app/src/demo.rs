//! The demo organisation "Voorbeeld B.V.": a small Dutch company with a living
//! ISMS, so that a newcomer sees the registers filled. Every record is created
//! through the ordinary use cases, so the audit trail holds them too.

use crate::admin::{MemberForm, OrgForm, UserForm};
use crate::{Actor, App, Result};
use borgen_core::registers::{INTERESTED_PARTIES, REQUIREMENTS};
use borgen_store::users;

pub const DEMO_SLUG: &str = "voorbeeld";

/// The demo accounts: e-mail, name, role.
pub const DEMO_USERS: &[(&str, &str, &str)] = &[
    ("isms@voorbeeld.nl", "Sanne de Vries", "isms_manager"),
    ("directie@voorbeeld.nl", "Pieter Janssen", "top_management"),
    ("eigenaar@voorbeeld.nl", "Fatima El Amrani", "contributor"),
    ("auditor@voorbeeld.nl", "Joost Bakker", "auditor"),
    ("medewerker@voorbeeld.nl", "Lisa Visser", "viewer"),
];

fn s(v: &str) -> Option<String> {
    if v.is_empty() { None } else { Some(v.to_string()) }
}

impl App {
    /// Creates the demo organisation when it does not exist yet, and (re)sets
    /// every demo account's password to `password`. Returns true when it
    /// created the data.
    pub async fn seed_demo(&self, password: &str) -> Result<bool> {
        let cli = Actor::Demo;
        let exists = {
            let mut tx = self.db.read().await?;
            borgen_store::orgs::by_slug(&mut tx, DEMO_SLUG).await?.is_some()
        };
        for (i, (email, name, _)) in DEMO_USERS.iter().enumerate() {
            let known = {
                let mut tx = self.db.read().await?;
                users::by_email(&mut tx, email).await?.is_some()
            };
            if known {
                self.set_password(&cli, email, password).await?;
            } else {
                let f = UserForm {
                    email: s(email),
                    name: s(name),
                    password: s(password),
                    is_admin: (i == 0).then(|| "on".into()),
                };
                self.create_user(&cli, &f).await?;
            }
        }
        if exists {
            return Ok(false);
        }
        self.create_org(&cli, &OrgForm { name: s("Voorbeeld B.V."), slug: s(DEMO_SLUG), default_lang: s("nl") })
            .await?;
        for (email, _, role) in DEMO_USERS {
            self.add_member(&cli, DEMO_SLUG, &MemberForm { email: s(email), role: s(role) }).await?;
        }
        let ctx = self.org_ctx(&cli, DEMO_SLUG).await?;
        let members = self.members(&cli, DEMO_SLUG).await?;
        let id_of = |email: &str| members.iter().find(|m| m.email == email).map(|m| m.user_id.to_string());
        let sanne = id_of("isms@voorbeeld.nl");
        let fatima = id_of("eigenaar@voorbeeld.nl");
        let pieter = id_of("directie@voorbeeld.nl");

        let issues: &[(&str, &str, &str, &str, &str, &str)] = &[
            (
                "Strengere eisen van zorgklanten aan informatiebeveiliging",
                "external",
                "customers",
                "Ziekenhuizen vragen bij aanbestedingen om ISO 27001-certificering en NEN 7510-aansluiting.",
                "Certificering is nodig om klanten te behouden; scope moet de zorgdienstverlening omvatten.",
                "Accountgesprekken 2026",
            ),
            (
                "NIS2 / Cyberbeveiligingswet",
                "external",
                "legal",
                "Als leverancier van een essentiële entiteit vallen wij in de keten onder de zorgplicht.",
                "Meldprocedures en ketenafspraken moeten aantoonbaar zijn.",
                "Rijksoverheid, NCSC",
            ),
            (
                "Toename van ransomware bij mkb-bedrijven",
                "external",
                "threat_landscape",
                "Het NCSC meldt een stijging van aanvallen via phishing en onbeveiligde VPN's.",
                "Back-ups, MFA en bewustwording krijgen prioriteit in het risicobeheer.",
                "NCSC Cybersecuritybeeld Nederland",
            ),
            (
                "Hittegolven en wateroverlast bij het kantoor in Zwolle",
                "external",
                "climate_change",
                "De serverruimte ligt in de kelder, in een gebied met verhoogd risico op wateroverlast; koeling raakt overbelast bij hitte.",
                "Beschikbaarheid van lokale systemen; afweging om naar een gecertificeerd datacenter te verhuizen.",
                "Klimaateffectatlas",
            ),
            (
                "Afhankelijkheid van één cloudleverancier",
                "external",
                "suppliers",
                "Alle kantoorapplicaties draaien bij één SaaS-leverancier.",
                "Exit-strategie en leveranciersbeoordeling nodig.",
                "",
            ),
            (
                "Groei van 40 naar 70 medewerkers",
                "internal",
                "strategy",
                "Snelle groei door nieuwe contracten; veel nieuwe collega's zonder securityachtergrond.",
                "Onboarding, bewustwording en toegangsbeheer moeten meegroeien.",
                "Jaarplan 2027",
            ),
            (
                "Beperkte securitykennis in het team",
                "internal",
                "staff_competence",
                "Eén parttime ISMS-manager; ontwikkelaars hebben weinig training in veilig programmeren.",
                "Competentieplan en externe ondersteuning.",
                "",
            ),
            (
                "Open cultuur met veel thuiswerken",
                "internal",
                "culture",
                "Medewerkers werken hybride en delen veel via chat.",
                "Beleid voor thuiswerken en classificatie van informatie.",
                "Medewerkersonderzoek",
            ),
            (
                "Verouderde on-premises fileserver",
                "internal",
                "infrastructure",
                "De fileserver draait op een besturingssysteem dat eind 2027 geen updates meer krijgt.",
                "Migratie plannen; tot die tijd extra maatregelen.",
                "",
            ),
            (
                "Vraag van klanten om inzicht in de keten",
                "external",
                "customers",
                "Klanten willen weten welke subverwerkers wij gebruiken.",
                "Register van leveranciers en verwerkers bijhouden.",
                "",
            ),
        ];
        for (i, (title, kind, cat, desc, effect, source)) in issues.iter().enumerate() {
            let owner = if i % 3 == 1 { fatima.clone() } else { sanne.clone() };
            let reviewed = if i % 2 == 0 { "2026-09-15" } else { "2026-03-02" };
            let mut raw: std::collections::BTreeMap<String, String> = [
                ("title", *title),
                ("kind", *kind),
                ("category", *cat),
                ("description", *desc),
                ("effect", *effect),
                ("source", *source),
                ("last_reviewed", reviewed),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
            if let Some(o) = owner {
                raw.insert("owner_id".into(), o);
            }
            let reg = &borgen_core::registers::CONTEXT_ISSUES;
            self.reg_create(&ctx, reg, reg.parse(&raw).map_err(crate::AppError::Invalid)?).await?;
        }

        type Req<'a> = (&'a str, &'a str, &'a str, bool, &'a str);
        type Seed<'a> = (&'a str, &'a str, &'a str, Option<String>, &'a [Req<'a>]);
        let parties: &[Seed] = &[
            (
                "Klanten in de zorg",
                "customer",
                "Ziekenhuizen en zorginstellingen die ons platform gebruiken.",
                sanne.clone(),
                &[
                    (
                        "ISO 27001-certificaat binnen 12 maanden",
                        "contractual",
                        "Opgenomen in de raamovereenkomst met het grootste ziekenhuis.",
                        true,
                        "Certificeringstraject; planning in het ISMS-jaarplan.",
                    ),
                    ("Aansluiting bij NEN 7510", "contractual", "", false, ""),
                    (
                        "Beschikbaarheid 99,5% per maand",
                        "contractual",
                        "SLA.",
                        true,
                        "Monitoring en incidentprocedure.",
                    ),
                ],
            ),
            (
                "Autoriteit Persoonsgegevens",
                "regulator",
                "Toezichthouder op de AVG.",
                sanne.clone(),
                &[
                    (
                        "Datalekken binnen 72 uur melden (AVG art. 33)",
                        "legal",
                        "",
                        true,
                        "Procedure datalekken en incidentregister.",
                    ),
                    (
                        "Verwerkingsregister bijhouden (AVG art. 30)",
                        "legal",
                        "",
                        true,
                        "Register in het privacyhandboek.",
                    ),
                ],
            ),
            (
                "Rijksoverheid (Cyberbeveiligingswet, NIS2)",
                "government",
                "Wetgever en toezicht via de sectorale toezichthouder.",
                sanne.clone(),
                &[
                    (
                        "Zorgplicht: passende maatregelen in de keten",
                        "legal",
                        "",
                        true,
                        "Leveranciersbeleid met beoordeling van kritieke leveranciers (bijlage A 5.19–5.22).",
                    ),
                    ("Significante incidenten melden bij het CSIRT", "regulatory", "", false, ""),
                ],
            ),
            (
                "Medewerkers",
                "employee",
                "Alle vaste en tijdelijke medewerkers.",
                fatima.clone(),
                &[
                    ("Duidelijke regels voor thuiswerken", "expectation", "", true, "Thuiswerkbeleid 2026."),
                    ("Privacy van eigen personeelsgegevens", "legal", "", true, "HR-systeem met toegangsbeheer."),
                ],
            ),
            (
                "Directie en aandeelhouders",
                "management",
                "",
                pieter.clone(),
                &[(
                    "Certificering als commercieel onderscheid",
                    "expectation",
                    "",
                    true,
                    "ISMS-project met budget 2026–2027.",
                )],
            ),
            (
                "Cloudleverancier kantoorapplicaties",
                "supplier",
                "SaaS voor e-mail, documenten en chat.",
                fatima.clone(),
                &[("Verwerkersovereenkomst getekend", "contractual", "", true, "Getekend in 2025; jaarlijks herzien.")],
            ),
            (
                "Cyberverzekeraar",
                "insurer",
                "",
                sanne.clone(),
                &[("MFA op alle accounts als polisvoorwaarde", "contractual", "", false, "")],
            ),
        ];
        for (name, ptype, desc, owner, reqs) in parties {
            let owner = owner.clone().unwrap_or_default();
            let fields = [
                ("name", *name),
                ("party_type", *ptype),
                ("description", *desc),
                ("owner_id", owner.as_str()),
                ("last_reviewed", "2026-06-30"),
            ];
            let p = self.demo_row(&ctx, &INTERESTED_PARTIES, &fields).await?;
            let pid = p.rec.id.as_text();
            for (title, rtype, rdesc, addressed, how) in reqs.iter() {
                let addressed = addressed.to_string();
                let fields = [
                    ("party_id", pid.as_str()),
                    ("title", *title),
                    ("req_type", *rtype),
                    ("description", *rdesc),
                    ("addressed", addressed.as_str()),
                    ("how_addressed", *how),
                ];
                self.demo_row(&ctx, &REQUIREMENTS, &fields).await?;
            }
        }
        self.seed_demo_applied(&ctx, sanne.clone(), fatima.clone()).await?;
        self.seed_demo_risks(&ctx, sanne.clone(), fatima.clone()).await?;
        self.seed_demo_soa(&ctx, sanne.clone(), fatima.clone()).await?;
        if let (Some(sanne), Some(fatima), Some(pieter)) = (sanne, fatima, pieter) {
            let (joost, lisa) = (id_of("auditor@voorbeeld.nl"), id_of("medewerker@voorbeeld.nl"));
            let people = crate::demo_registers::People { sanne, fatima, pieter, joost, lisa };
            self.seed_demo_registers(&ctx, &people).await?;
            self.seed_demo_documents(&ctx, &people).await?;
            self.seed_demo_people(&ctx, &people).await?;
        }
        Ok(true)
    }

    /// The applied controls: how the organisation implements its Annex A
    /// controls (and one of its own). Seeded before the risks, which are
    /// treated with them.
    async fn seed_demo_applied(
        &self,
        ctx: &crate::OrgCtx,
        sanne: Option<String>,
        fatima: Option<String>,
    ) -> Result<()> {
        let applied: &[(&str, &str, &str, &str)] = &[
            (
                "Informatiebeveiligingsbeleid 2026",
                "5.1, 5.2, 5.4",
                "implemented",
                "Vastgesteld door de directie op 12 januari 2026; jaarlijks herzien.",
            ),
            (
                "Procedure incidentbeheer en datalekken",
                "5.24, 5.25, 5.26, 5.27, 6.8",
                "implemented",
                "Meldpunt security@voorbeeld.nl, 72-uursregel, register van incidenten.",
            ),
            (
                "MFA op alle cloudaccounts",
                "5.17, 8.5",
                "partial",
                "Afgedwongen voor medewerkers; beheerdersaccounts van leveranciers volgen in Q1.",
            ),
            (
                "Leveranciersbeoordeling en verwerkersovereenkomsten",
                "5.19, 5.20, 5.21, 5.22",
                "partial",
                "Vragenlijst en verwerkersovereenkomsten voor alle kritieke leveranciers.",
            ),
            (
                "Back-up met offline kopie",
                "8.13",
                "implemented",
                "Dagelijks, wekelijks offline; hersteltest per kwartaal.",
            ),
            ("Patchmanagement", "8.8, 8.19", "planned", "Maandelijks patchvenster; kwetsbaarhedenscan vanaf maart."),
            (
                "Bewustwordingsprogramma",
                "6.3",
                "partial",
                "E-learning bij indiensttreding, phishingsimulatie twee keer per jaar.",
            ),
            (
                "Toegangsbeheer en autorisatiematrix",
                "5.15, 5.16, 5.18, 8.2, 8.3",
                "partial",
                "Kwartaalreview van rechten door afdelingshoofden.",
            ),
            ("Logging en monitoring", "8.15, 8.16", "planned", "SIEM-dienst wordt geselecteerd."),
            (
                "Veilige ontwikkelstraat",
                "8.25, 8.26, 8.27, 8.28, 8.29",
                "partial",
                "Code review, SAST in de pipeline, pentest voor elke grote release.",
            ),
            (
                "Serverruimte Zwolle",
                "7.1, 7.2, 7.3, 7.5, 7.8, 7.11",
                "implemented",
                "Toegangspas, brandmelding, klimaatbeheersing, UPS.",
            ),
            ("Screening bij indiensttreding (VOG)", "6.1, 6.2", "implemented", ""),
            (
                "ISO 27001-certificering: klanteis ziekenhuizen",
                "",
                "planned",
                "Eigen maatregel uit de raamovereenkomst: certificaat binnen 12 maanden.",
            ),
        ];
        for (i, (name, controls, status, note)) in applied.iter().enumerate() {
            let owner = if i % 3 == 2 { fatima.clone() } else { sanne.clone() };
            let due = if *status == "implemented" { "" } else { "2027-03-31" };
            let fields = [
                ("name", *name),
                ("control_ids", *controls),
                ("status", *status),
                ("description", *note),
                ("owner_id", owner.as_deref().unwrap_or("")),
                ("due_date", due),
            ];
            let held = self.demo_row(ctx, &borgen_core::registers::APPLIED_CONTROLS, &fields).await?;
            let files = demo_evidence(name);
            for (file, note, bytes) in files {
                let s = crate::evidence::Subject::Record(&borgen_core::registers::APPLIED_CONTROLS, held.rec.id);
                self.attach_evidence(ctx, s, file, note, bytes::Bytes::from_static(bytes)).await?;
            }
        }
        Ok(())
    }

    /// SoA decisions with links to the requirements above, and an approved
    /// first version, with a few changes since.
    async fn seed_demo_soa(&self, ctx: &crate::OrgCtx, sanne: Option<String>, fatima: Option<String>) -> Result<()> {
        use borgen_core::soa::SoaEntryForm;
        // Requirements to link, by title.
        let q = REQUIREMENTS.query(&Default::default()).map_err(|_| crate::AppError::NotFound)?;
        let reqs = self.reg_list(ctx, &REQUIREMENTS, &borgen_core::register::ListQuery { per_page: 500, ..q }).await?.0;
        let req = |title: &str| {
            reqs.iter()
                .find(|r| REQUIREMENTS.title_of(&r.rec).starts_with(title))
                .and_then(|r| borgen_core::ids::RequirementId::parse(&r.rec.id.as_text()))
        };
        let links: &[(&str, &str)] = &[
            ("5.24", "Datalekken binnen 72 uur"),
            ("5.26", "Datalekken binnen 72 uur"),
            ("5.34", "Verwerkingsregister"),
            ("5.20", "Verwerkersovereenkomst"),
            ("5.36", "ISO 27001-certificaat"),
            ("8.5", "MFA op alle accounts"),
            ("5.19", "Zorgplicht"),
            ("8.14", "Beschikbaarheid 99,5%"),
        ];
        // One honest exclusion: nothing is developed by outsiders.
        let excluded: &[(&str, &str)] = &[(
            "8.30",
            "Voorbeeld besteedt geen systeemontwikkeling uit: alle ontwikkeling gebeurt door eigen medewerkers \
             (zie 8.25–8.29). Bij een eerste uitbestede opdracht wordt deze beheersmaatregel opnieuw beoordeeld.",
        )];
        // Notes where an auditor would ask why a control applies.
        let notes: &[(&str, &str)] = &[
            (
                "7.6",
                "De serverruimte in de kelder is een beveiligde ruimte: er wordt alleen gewerkt met toestemming, \
                 en derden werken er nooit zonder begeleiding.",
            ),
            (
                "7.13",
                "Het onderhoud is uitbesteed aan de leverancier; wij houden toezicht: onderhoud volgens \
                 contract, onder begeleiding, en een controle na elk onderhoud.",
            ),
        ];
        // Every control decided: the gate of 6.1.3 d lets nothing through undecided.
        for c in borgen_core::catalog::controls() {
            let ids: Vec<borgen_core::ids::RequirementId> =
                links.iter().filter(|(id, _)| *id == c.id).filter_map(|(_, t)| req(t)).collect();
            let form = match excluded.iter().find(|(id, _)| *id == c.id) {
                Some((_, why)) => {
                    SoaEntryForm { applicable: s("no"), exclusion_justification: s(why), ..Default::default() }
                }
                None => SoaEntryForm {
                    applicable: s("yes"),
                    reason_business: ids.is_empty().then(|| "on".into()),
                    inclusion_note: notes.iter().find(|(id, _)| *id == c.id).and_then(|(_, n)| s(n)),
                    owner_id: if c.theme == borgen_core::catalog::Theme::Technological {
                        fatima.clone()
                    } else {
                        sanne.clone()
                    },
                    ..Default::default()
                },
            };
            self.update_soa_row(ctx, &c.id, form.parse().map_err(crate::AppError::Invalid)?, ids).await?;
        }
        let v = self.issue_soa_version(ctx, Some("Eerste versie voor de directiebeoordeling.")).await?;
        // Approved by the director, as a person.
        let pieter = {
            let mut tx = self.db.read().await?;
            users::by_email(&mut tx, "directie@voorbeeld.nl").await?.map(|u| u.user()).transpose()?
        };
        let top = match pieter {
            Some(user) => self.org_ctx(&Actor::User { user, token_org: None }, DEMO_SLUG).await?,
            None => self.org_ctx(&Actor::Demo, DEMO_SLUG).await?,
        };
        self.approve_version(
            &top,
            &borgen_core::version::SOA_VERSIONS,
            v,
            Some("Akkoord; exclusies besproken in het MT."),
            &crate::totp::StepUp::default(),
        )
        .await?;
        // A change since the approved version, so that the draft shows one.
        let f = SoaEntryForm {
            applicable: s("yes"),
            reason_business: s("on"),
            inclusion_note: s("Toegevoegd na de risicobeoordeling van oktober."),
            ..Default::default()
        };
        self.update_soa_row(ctx, "5.7", f.parse().map_err(crate::AppError::Invalid)?, Vec::new()).await?;
        Ok(())
    }
}

/// Evidence files on a few of the demo's applied controls: what an auditor
/// asks to see for them.
fn demo_evidence(control: &str) -> Vec<(&'static str, &'static str, &'static [u8])> {
    match control {
        "Back-up met offline kopie" => vec![(
            "hersteltest-2026-Q1.txt",
            "Hersteltest eerste kwartaal: CRM-database en dossiers volledig teruggezet.",
            b"Hersteltest back-up - Voorbeeld B.V.\n\
Datum: 2026-03-18\nUitgevoerd door: Sanne de Vries (ISMS-manager), Mehmet Yilmaz (IT)\n\n\
Gekozen herstelpunt: offline kopie van 2026-03-15 (week 11)\n\
1. CRM-database teruggezet op testserver: 14 min, 0 fouten, steekproef van 25 klantrecords klopt.\n\
2. Klantdossiers (fileshare) teruggezet: 2,1 GB, 38 min, checksums gelijk.\n\
3. Configuratie van de firewall teruggezet: gelukt.\n\n\
Hersteltijd totaal: 1 uur 12 minuten (doel: binnen 4 uur).\n\
Bevinding: de handleiding noemde nog het oude NAS-adres; bijgewerkt op 2026-03-19.\n",
        )],
        "Toegangsbeheer en autorisatiematrix" => vec![(
            "toegangsreview-2026-Q1.csv",
            "Kwartaalreview van rechten, afgetekend door de afdelingshoofden.",
            "Systeem;Account;Rol;Afdeling;Beoordeeld door;Besluit;Datum\n\
CRM;j.bakker;Gebruiker;Verkoop;Pieter Janssen;Behouden;2026-03-28\n\
CRM;l.smit;Beheerder;IT;Fatima El Amrani;Teruggebracht naar Gebruiker;2026-03-28\n\
Boekhouding;r.visser;Gebruiker;Financiën;Pieter Janssen;Behouden;2026-03-29\n\
Fileshare;stagiair01;Gebruiker;Ontwikkeling;Fatima El Amrani;Ingetrokken (stage beëindigd);2026-03-29\n"
                .as_bytes(),
        )],
        "Bewustwordingsprogramma" => vec![(
            "phishingsimulatie-voorjaar-2026.eml",
            "Uitslag van de phishingsimulatie, zoals gemeld aan het MT.",
            b"From: Sanne de Vries <isms@voorbeeld.nl>\r\n\
To: mt@voorbeeld.nl\r\n\
Subject: Uitslag phishingsimulatie voorjaar 2026\r\n\
Date: Mon, 13 Apr 2026 09:12:00 +0200\r\n\
MIME-Version: 1.0\r\n\
Content-Type: text/plain; charset=utf-8\r\n\r\n\
Beste collega's,\r\n\r\n\
Van de 48 medewerkers klikten er 6 op de link (12,5 %, najaar 2025: 21 %).\r\n\
2 medewerkers vulden hun wachtwoord in; beiden volgden dezelfde week de korte training.\r\n\
19 medewerkers meldden de mail via de meldknop.\r\n\r\n\
Groet,\r\nSanne\r\n",
        )],
        _ => vec![],
    }
}
