//! The demo's documented information: the scope statement and the
//! information security policy
//! (reviewed, approved by the director, published, confirmed by three of
//! the five members), procedures in force
//! (one past its review date), one in review and one being revised.

use crate::demo::DEMO_SLUG;
use crate::demo_registers::People;
use crate::{Actor, App, OrgCtx, Result};
use borgen_core::ids::UserId;
use borgen_core::registers::DOCUMENTS;
use borgen_store::users;

const POLICY: &str = "# Informatiebeveiligingsbeleid Voorbeeld B.V.

## Doel
Voorbeeld B.V. ontwikkelt en beheert software voor zorginstellingen. Onze klanten
vertrouwen ons patiënt- en bedrijfsgegevens toe. Dit beleid zegt hoe wij die
informatie beschermen en hoe de directie daarvoor zorgt.

## Uitgangspunten
- Informatie is beschikbaar voor wie haar nodig heeft, en alleen voor hen.
- Wij voldoen aan de AVG, de NEN 7510 waar klanten die eisen, en onze contracten.
- Risico's worden jaarlijks en bij grote wijzigingen beoordeeld volgens de
  vastgestelde risicomethodiek; de directie aanvaardt de restrisico's.
- Iedere medewerker kent dit beleid en meldt incidenten direct bij security@voorbeeld.nl.

## Doelstellingen
De informatiebeveiligingsdoelstellingen worden jaarlijks in de directiebeoordeling
vastgesteld en gemeten (zie het register van doelstellingen).

## Verantwoordelijkheden
| Rol | Verantwoordelijk voor |
|---|---|
| Directie | vaststellen van beleid, middelen, aanvaarden van restrisico |
| ISMS-manager | het managementsysteem, rapportage aan de directie |
| Eigenaren van assets en maatregelen | uitvoering en bewijs |

## Continue verbetering
Wij verbeteren het ISMS op basis van audits, incidenten, metingen en de
directiebeoordeling. Dit beleid wordt elk jaar herzien.
";

const SCOPE: &str = "# Toepassingsgebied van het ISMS van Voorbeeld B.V.

## Wat valt binnen het ISMS
Het ontwikkelen, hosten, beheren en ondersteunen van het zorgplatform *Voorbeeld Zorg*
(SaaS) voor ziekenhuizen en zorginstellingen, met de ondersteunende processen HR,
inkoop en facilitair. De onderdelen, locaties, processen, systemen, raakvlakken en
uitsluitingen staan hierboven; de informatie binnen de scope is: patiënt- en zorggegevens
van klanten (als verwerker), personeelsgegevens, broncode en contracten.

## Waarmee rekening is gehouden
De externe en interne kwesties (4.1) en de eisen van belanghebbenden (4.2) die hierbij zijn
meegewogen staan bij dit document vermeld; de belangrijkste: de certificeringseis van
zorgklanten, NIS2 in de keten en de afhankelijkheid van één cloudleverancier.
";

/// The demo scope's parts (4.3), as a consultant would write them.
fn scope_parts() -> borgen_core::scope::Parts {
    let v = |items: &[&str]| items.iter().map(|s| s.to_string()).collect();
    borgen_core::scope::Parts {
        units: v(&["Ontwikkeling", "Operations", "Support", "HR", "Financiën", "Directie (70 medewerkers in totaal)"]),
        locations: v(&["Kantoor Zwolle, inclusief de serverruimte", "Thuiswerkplekken"]),
        processes: v(&[
            "Softwareontwikkeling en releasebeheer",
            "Hosting en beheer van Voorbeeld Zorg",
            "Klantsupport en incidentbeheer",
            "HR-processen (in dienst, uit dienst, opleiding)",
            "Inkoop en leveranciersbeheer",
        ]),
        systems: v(&[
            "Productie- en acceptatieomgeving in het datacenter van de hostingpartner",
            "Kantoorautomatisering (SaaS)",
            "Ontwikkelstraat (broncode, build, deployment)",
            "Laptops en telefoons",
        ]),
        interfaces: v(&[
            "Hostingpartner (datacenter en fysieke beveiliging): beheerst via de verwerkersovereenkomst, hun ISO 27001-certificaat en de jaarlijkse leveranciersbeoordeling",
            "SaaS-leverancier kantoorapplicaties: idem; exit-strategie vastgelegd (5.23)",
            "Zorgklanten: zij beheren hun eigen gebruikers en werkplekken; de grens ligt bij de inlog op ons platform",
        ]),
        exclusions: vec![
            borgen_core::scope::Exclusion {
                what: "De fysieke beveiliging van het datacenter".into(),
                why: "Uitbesteed aan de hostingpartner; wij beheersen dit via het contract en hun certificaat".into(),
            },
            borgen_core::scope::Exclusion {
                what: "Het on-premise product Voorbeeld Lokaal (uitfasering 2027)".into(),
                why: "Draait volledig bij drie klanten in hun eigen beheer; wij leveren alleen updates via de ontwikkelstraat, die wel binnen de scope valt".into(),
            },
        ],
    }
}

const PROCEDURES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "PRC-001",
        "Incidentbeheer en datalekken",
        "5.24, 5.25, 5.26, 5.27, 5.28",
        "2027-02-15",
        "# Incidentbeheer en datalekken\n\n1. Meld elk (vermoed) incident direct via security@voorbeeld.nl of 0800-1234.\n2. De dienstdoende beheerder beoordeelt binnen 1 uur en schaalt op volgens de matrix.\n3. Een datalek wordt binnen 72 uur gemeld bij de Autoriteit Persoonsgegevens; de ISMS-manager besluit en legt vast.\n4. Na afloop: evaluatie, oorzaak, maatregelen in het takenregister.\n",
    ),
    (
        "PRC-002",
        "Back-up en herstel",
        "8.13",
        "2026-09-30",
        "# Back-up en herstel\n\n- Dagelijks een back-up van alle productiesystemen, 30 dagen bewaard.\n- Wekelijks een offline kopie, 12 weken bewaard, op een andere locatie.\n- Elk kwartaal een hersteltest met verslag (zie het bewijs bij de maatregel).\n",
    ),
    (
        "PRC-003",
        "Toegangsbeheer",
        "5.15, 5.16, 5.18, 8.2",
        "2027-04-01",
        "# Toegangsbeheer\n\n- Rechten volgen de autorisatiematrix; afwijkingen vraagt de leidinggevende aan.\n- Bij uitdiensttreding worden accounts op de laatste werkdag geblokkeerd.\n- Elk kwartaal beoordelen afdelingshoofden de rechten van hun afdeling.\n",
    ),
];

impl App {
    /// The ids of the records of `reg` whose title starts with each of `starts`.
    async fn demo_ids(
        &self,
        ctx: &OrgCtx,
        reg: &'static borgen_core::register::Register,
        starts: &[&str],
    ) -> Result<Vec<String>> {
        let q = reg.query(&Default::default()).map_err(|_| crate::AppError::Internal("list query".into()))?;
        let q = borgen_core::register::ListQuery { per_page: 500, ..q };
        let (items, _) = self.reg_list(ctx, reg, &q).await?;
        Ok(starts
            .iter()
            .filter_map(|s| items.iter().find(|h| reg.title_of(&h.rec).starts_with(s)).map(|h| h.rec.id.as_text()))
            .collect())
    }

    async fn demo_member_ctx(&self, email: &str, fallback: &OrgCtx) -> Result<OrgCtx> {
        let user = {
            let mut tx = self.db.read().await?;
            users::by_email(&mut tx, email).await?.map(|u| u.user()).transpose()?
        };
        match user {
            Some(user) => self.org_ctx(&Actor::User { user, token_org: None }, DEMO_SLUG).await,
            None => Ok(fallback.clone()),
        }
    }

    pub(crate) async fn seed_demo_documents(&self, ctx: &OrgCtx, p: &People) -> Result<()> {
        let top = self.demo_member_ctx("directie@voorbeeld.nl", ctx).await?;
        let fatima = self.demo_member_ctx("eigenaar@voorbeeld.nl", ctx).await?;
        let none = crate::totp::StepUp::default();
        // The policy: written by the ISMS manager, reviewed by a process
        // owner, approved by the director, published.
        let policy = self
            .demo_row(
                ctx,
                &DOCUMENTS,
                &[
                    ("code", "POL-001"),
                    ("title", "Informatiebeveiligingsbeleid"),
                    ("doc_type", "policy"),
                    ("owner_id", &p.sanne),
                    ("classification", "internal"),
                    ("review_interval", "12"),
                    ("next_review", "2027-01-12"),
                    ("control_ids", "5.1"),
                    (
                        "description",
                        "Het beleid dat de directie vaststelt (5.2); basis voor alle onderliggende procedures.",
                    ),
                ],
            )
            .await?;
        let id = policy.rec.id;
        self.doc_new_draft(ctx, id, Some(POLICY), Some("Jaarlijkse herziening 2026")).await?;
        let reviewer: Vec<UserId> = UserId::parse(&p.fatima).into_iter().collect();
        self.doc_submit(ctx, id, 1, &reviewer).await?;
        self.doc_review(&fatima, id, 1, true, None).await?;
        self.doc_approve(&top, id, 1, Some("Vastgesteld in het MT van 12 januari 2026."), &none).await?;
        self.doc_publish(ctx, id, 1).await?;
        // The scope: approved by the director, published; it names the
        // issues and requirements it took into account.
        let issues = self
            .demo_ids(
                ctx,
                &borgen_core::registers::CONTEXT_ISSUES,
                &["Strengere eisen", "NIS2", "Afhankelijkheid van één"],
            )
            .await?;
        let reqs = self
            .demo_ids(ctx, &borgen_core::registers::REQUIREMENTS, &["ISO 27001-certificaat", "Beschikbaarheid 99,5%"])
            .await?;
        let scope = self
            .demo_row(
                ctx,
                &DOCUMENTS,
                &[
                    ("code", "ISMS-001"),
                    ("title", "Toepassingsgebied van het ISMS"),
                    ("doc_type", "scope"),
                    ("owner_id", &p.sanne),
                    ("classification", "internal"),
                    ("review_interval", "12"),
                    ("next_review", "2027-01-12"),
                    ("issue_ids", &issues.join(",")),
                    ("requirement_ids", &reqs.join(",")),
                    ("description", "Wat het ISMS omvat (4.3); vastgesteld door de directie, staat voor in de VvT."),
                ],
            )
            .await?;
        let note = Some("Scope voor de certificering");
        self.doc_new_draft(ctx, scope.rec.id, Some(SCOPE), note).await?;
        self.doc_save_draft(ctx, scope.rec.id, 1, SCOPE, note, Some(&scope_parts())).await?;
        self.doc_submit(ctx, scope.rec.id, 1, &[]).await?;
        self.doc_approve(&top, scope.rec.id, 1, Some("Vastgesteld in het MT van 12 januari 2026."), &none).await?;
        self.doc_publish(ctx, scope.rec.id, 1).await?;
        // Every member is asked to read the policy; three of the five have confirmed.
        let sanne = self.demo_member_ctx("isms@voorbeeld.nl", ctx).await?;
        let joost = self.demo_member_ctx("auditor@voorbeeld.nl", ctx).await?;
        self.doc_ask(ctx, id, 1, Some(borgen_core::document::Audience::All), Some("2026-03-01")).await?;
        for who in [&sanne, &fatima, &joost] {
            self.doc_acknowledge(who, id, 1).await?;
        }

        for (i, (code, title, controls, review, text)) in PROCEDURES.iter().enumerate() {
            let owner = if i == 1 { p.fatima.as_str() } else { p.sanne.as_str() };
            let doc = self
                .demo_row(
                    ctx,
                    &DOCUMENTS,
                    &[
                        ("code", code),
                        ("title", title),
                        ("doc_type", "procedure"),
                        ("owner_id", owner),
                        ("classification", "internal"),
                        ("review_interval", "12"),
                        ("next_review", review),
                        ("control_ids", controls),
                    ],
                )
                .await?;
            let id = doc.rec.id;
            self.doc_new_draft(ctx, id, Some(text), None).await?;
            self.doc_submit(ctx, id, 1, &[]).await?;
            self.doc_approve(ctx, id, 1, None, &none).await?;
            self.doc_publish(ctx, id, 1).await?;
        }
        // In review: a new procedure, waiting for the process owner.
        let change = self
            .demo_row(
                ctx,
                &DOCUMENTS,
                &[
                    ("code", "PRC-004"),
                    ("title", "Wijzigingsbeheer"),
                    ("doc_type", "procedure"),
                    ("owner_id", &p.sanne),
                    ("classification", "internal"),
                    ("review_interval", "24"),
                    ("control_ids", "8.32"),
                ],
            )
            .await?;
        let text = "# Wijzigingsbeheer\n\n- Elke wijziging aan productie heeft een ticket met risico-inschatting.\n- Standaardwijzigingen zijn vooraf goedgekeurd; andere keurt het change board goed.\n- Een noodwijziging wordt binnen twee werkdagen achteraf beoordeeld.\n";
        self.doc_new_draft(ctx, change.rec.id, Some(text), Some("Nieuwe procedure")).await?;
        self.doc_submit(ctx, change.rec.id, 1, &reviewer).await?;
        // Being revised: the supplier procedure in force, with a new draft.
        let suppliers = self
            .demo_row(
                ctx,
                &DOCUMENTS,
                &[
                    ("code", "PRC-005"),
                    ("title", "Leveranciersbeheer"),
                    ("doc_type", "procedure"),
                    ("owner_id", &p.fatima),
                    ("classification", "confidential"),
                    ("review_interval", "12"),
                    ("next_review", "2027-06-01"),
                    ("control_ids", "5.19, 5.20, 5.21, 5.22"),
                ],
            )
            .await?;
        let id = suppliers.rec.id;
        let text = "# Leveranciersbeheer\n\n- Kritieke leveranciers vullen jaarlijks de beveiligingsvragenlijst in.\n- Met elke verwerker is een verwerkersovereenkomst gesloten.\n";
        self.doc_new_draft(ctx, id, Some(text), None).await?;
        self.doc_submit(ctx, id, 1, &[]).await?;
        self.doc_approve(ctx, id, 1, None, &none).await?;
        self.doc_publish(ctx, id, 1).await?;
        let revised = format!("{text}- Clouddiensten worden beoordeeld volgens 5.23 vóór ingebruikname.\n");
        self.doc_new_draft(ctx, id, Some(&revised), Some("Clouddiensten toegevoegd (5.23)")).await?;
        Ok(())
    }
}
