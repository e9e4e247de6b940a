//! The demo organisation "Voorbeeld B.V.": a small Dutch company with a living
//! ISMS, so that a newcomer sees the registers filled. Every record is created
//! through the ordinary use cases, so the audit trail holds them too.

use crate::admin::{MemberForm, OrgForm, UserForm};
use crate::{Actor, App, Result};
use borgen_core::context::{ContextIssueForm, PartyForm, RequirementForm};
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
        let cli = Actor::Cli;
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
                "De serverruimte ligt op de begane grond in een gebied met verhoogd risico op wateroverlast; koeling raakt overbelast bij hitte.",
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
            let f = ContextIssueForm {
                title: s(title),
                kind: s(kind),
                category: s(cat),
                description: s(desc),
                effect: s(effect),
                source: s(source),
                owner_id: if i % 3 == 1 { fatima.clone() } else { sanne.clone() },
                last_reviewed: s(if i % 2 == 0 { "2026-09-15" } else { "2026-03-02" }),
            };
            self.create_issue(&ctx, f.parse().map_err(crate::AppError::Invalid)?).await?;
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
                    ("Zorgplicht: passende maatregelen in de keten", "legal", "", false, ""),
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
            let f = PartyForm {
                name: s(name),
                party_type: s(ptype),
                description: s(desc),
                owner_id: owner.clone(),
                last_reviewed: s("2026-06-30"),
            };
            let p = self.create_party(&ctx, f.parse().map_err(crate::AppError::Invalid)?).await?;
            for (title, rtype, rdesc, addressed, how) in reqs.iter() {
                let rf = RequirementForm {
                    title: s(title),
                    req_type: s(rtype),
                    description: s(rdesc),
                    addressed: Some(addressed.to_string()),
                    how_addressed: s(how),
                };
                self.add_requirement(&ctx, p.id, rf.parse().map_err(crate::AppError::Invalid)?).await?;
            }
        }
        Ok(true)
    }
}
