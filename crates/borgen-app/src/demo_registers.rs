//! Demo rows of the registers declared with the mechanism: what a consultant
//! would write for Voorbeeld B.V. (5.1 leadership evidence, 6.3 planned
//! changes, 7.4 communication plan).

use crate::{App, AppError, OrgCtx, Result};
use borgen_core::register::Register;
use borgen_core::registers::{COMMUNICATION, ISMS_CHANGES, LEADERSHIP_EVIDENCE, OPPORTUNITIES, OWN_THREATS};
use std::collections::BTreeMap;

/// The people of the demo who appear in these registers.
pub(crate) struct People {
    pub sanne: String,
    pub fatima: String,
    pub pieter: String,
    pub joost: Option<String>,
    pub lisa: Option<String>,
}

impl App {
    pub(crate) async fn demo_row(
        &self,
        ctx: &OrgCtx,
        reg: &'static Register,
        fields: &[(&str, &str)],
    ) -> Result<crate::register::Held> {
        let raw: BTreeMap<String, String> = fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let values = reg.parse(&raw).map_err(AppError::Invalid)?;
        self.reg_create(ctx, reg, values).await
    }

    pub(crate) async fn seed_demo_registers(&self, ctx: &OrgCtx, p: &People) -> Result<()> {
        let (sanne, fatima, pieter) = (p.sanne.as_str(), p.fatima.as_str(), p.pieter.as_str());
        // Threats the catalogue does not name in these words, specific to a
        // small software supplier to care providers.
        self.demo_row(ctx, &OWN_THREATS, &[
            ("name", "Echte patiëntgegevens in de testomgeving"),
            ("group_code", "human_error"),
            ("affects_c", "true"),
            ("description", "Een zorgklant stuurt bij een storingsmelding een export met echte patiëntgegevens mee, of een ontwikkelaar laadt die in de testomgeving om de fout na te bootsen; die omgeving is niet zo beveiligd als productie."),
        ]).await?;
        self.demo_row(ctx, &OWN_THREATS, &[
            ("name", "Gedeelde accounts bij zorgklanten"),
            ("group_code", "human_error"), ("affects_c", "true"), ("affects_i", "true"),
            ("description", "Zorgverleners bij klanten delen een inlog op de applicatie op een afdelingscomputer; wijzigingen in dossiers zijn dan niet tot een persoon te herleiden."),
        ]).await?;
        let r = &LEADERSHIP_EVIDENCE;
        self.demo_row(ctx, r, &[
            ("date", "2026-01-20"), ("kind", "decision"), ("who", pieter),
            ("description", "De directie stelt het informatiebeveiligingsbeleid 2026 vast en wijst Sanne de Vries aan als ISMS-manager, vier uur per week."),
            ("link", "https://intranet.voorbeeld.nl/directie/notulen-2026-01-20"),
        ]).await?;
        self.demo_row(ctx, r, &[
            ("date", "2026-02-03"), ("kind", "budget"), ("who", pieter),
            ("description", "Budget 2026 voor informatiebeveiliging vastgesteld: € 38.000 voor de certificeringsaudit, een penetratietest, het awarenessplatform en MFA-licenties."),
            ("link", "https://intranet.voorbeeld.nl/financien/begroting-2026"),
        ]).await?;
        self.demo_row(ctx, r, &[
            ("date", "2026-03-10"), ("kind", "staffing"), ("who", pieter),
            ("description", "Fatima El Amrani krijgt een dag per maand voor de risico's van de klantportal; bij afwezigheid neemt de IT-partner het beheer waar."),
        ]).await?;
        self.demo_row(ctx, r, &[
            ("date", "2026-06-18"), ("kind", "review_attendance"), ("who", pieter),
            ("description", "Directiebeoordeling ISMS tweede kwartaal, voorgezeten door Pieter Janssen. Besluit: de hersteltest van de back-up naar voren halen en de phishingsimulatie uitbreiden naar de uitzendkrachten."),
            ("link", "https://intranet.voorbeeld.nl/isms/directiebeoordeling-2026-q2"),
        ]).await?;
        self.demo_row(ctx, r, &[
            ("date", "2026-09-01"), ("kind", "communication"), ("who", pieter),
            ("description", "In de personeelsbijeenkomst licht de directie toe waarom MFA verplicht wordt en vraagt iedereen om incidenten direct te melden."),
        ]).await?;

        let r = &ISMS_CHANGES;
        self.demo_row(ctx, r, &[
            ("title", "Overstap naar Microsoft 365 met centraal apparaatbeheer"),
            ("purpose", "Identiteiten en laptops centraal beheren, zodat MFA en voorwaardelijke toegang voor iedereen gelden."),
            ("consequences", "De risico's van de eigen mailserver vervallen; er komt een leveranciersafhankelijkheid bij (Microsoft). Beheersmaatregelen 5.23, 8.5 en 8.9 worden herzien. Het toepassingsgebied blijft gelijk."),
            ("resources", "€ 14.000 per jaar aan licenties; zes dagen migratiewerk door de IT-partner."),
            ("responsibilities", "Sanne de Vries coördineert; de IT-partner migreert; Fatima El Amrani test de koppeling met de klantportal."),
            ("owner_id", sanne), ("planned_on", "2027-02-01"), ("status", "approved"),
            ("decided_by", pieter), ("decided_on", "2026-10-14"),
            ("decision", "Goedgekeurd in het directieoverleg, op voorwaarde dat de back-up van de mailboxen buiten Microsoft wordt bewaard."),
        ]).await?;
        self.demo_row(ctx, r, &[
            ("title", "Klantportal onder het toepassingsgebied brengen"),
            ("purpose", "Klanten vragen om zekerheid over de portal; die valt nu buiten de scope."),
            ("consequences", "De scope en de verklaring van toepasselijkheid wijzigen; nieuwe assets en risico's voor de portal en de hostingpartij."),
            ("resources", "Twee dagen voor de risicobeoordeling; een penetratietest van de portal."),
            ("responsibilities", "Fatima El Amrani als eigenaar van de portal; Sanne de Vries past scope en SoA aan."),
            ("owner_id", fatima), ("planned_on", "2026-12-15"), ("status", "in_progress"),
            ("decided_by", pieter), ("decided_on", "2026-09-02"),
        ]).await?;
        self.demo_row(ctx, r, &[
            ("title", "Tweede vestiging in Utrecht aansluiten"),
            ("purpose", "Het kantoor in Utrecht gaat in april open; de medewerkers daar werken met dezelfde systemen."),
            ("consequences", "Fysieke beveiliging van een tweede locatie (7.1–7.4); netwerkverbinding tussen de vestigingen; de scope noemt een extra locatie."),
            ("owner_id", sanne), ("planned_on", "2027-04-01"), ("status", "proposed"),
        ]).await?;
        self.demo_row(
            ctx,
            r,
            &[
                ("title", "Back-upleverancier vervangen"),
                ("purpose", "De vorige leverancier kon geen hersteltest binnen vier uur garanderen."),
                (
                    "consequences",
                    "Verwerkersovereenkomst opnieuw afsluiten; de hersteltest herhalen met de nieuwe leverancier.",
                ),
                ("owner_id", sanne),
                ("planned_on", "2026-05-01"),
                ("status", "done"),
                ("decided_by", pieter),
                ("decided_on", "2026-03-02"),
                ("decision", "Akkoord; de overstap is op 28 april afgerond en de hersteltest is geslaagd."),
            ],
        )
        .await?;

        // 6.1.1: opportunities beside the risks.
        let r = &OPPORTUNITIES;
        self.demo_row(ctx, r, &[
            ("title", "ISO 27001-certificaat als voorwaarde in aanbestedingen"),
            ("description", "Twee zorginstellingen vragen in hun aanbestedingen van 2027 om een ISO 27001-certificaat; met het certificaat kan Voorbeeld meedingen."),
            ("benefit", "3"), ("approach", "pursue"),
            ("plan", "Certificatieaudit in het tweede kwartaal van 2027; het certificaat noemen in de inschrijvingen."),
            ("owner_id", pieter), ("status", "in_progress"), ("next_review", "2027-03-01"),
        ]).await?;
        self.demo_row(ctx, r, &[
            ("title", "Automatische uitrol van beveiligingsupdates"),
            ("description", "Met Intune kunnen updates op de laptops automatisch worden uitgerold; dat scheelt handwerk en sluit kwetsbaarheden sneller."),
            ("benefit", "2"), ("approach", "enhance"),
            ("plan", "Proef met vijf laptops in januari; daarna alle laptops, met een maandelijkse rapportage van de patchstatus."),
            ("owner_id", fatima), ("status", "planned"), ("next_review", "2027-02-01"),
        ]).await?;
        self.demo_row(ctx, r, &[
            ("title", "Gezamenlijke awarenesstraining met een branchegenoot"),
            ("description", "Een bevriende organisatie in Zwolle zoekt een partner om de kosten van een phishingsimulatie te delen."),
            ("benefit", "1"), ("approach", "share"), ("status", "identified"),
        ]).await?;

        let r = &COMMUNICATION;
        let rows: [[&str; 7]; 6] = [
            [
                "Informatiebeveiligingsbeleid en gedragsregels",
                "Bij indiensttreding en na elke wijziging",
                "Alle medewerkers en uitzendkrachten",
                "intranet",
                sanne,
                "internal",
                "2026-01-27",
            ],
            [
                "Voortgang van het ISMS en de belangrijkste risico's",
                "Elk kwartaal",
                "Directie",
                "meeting",
                sanne,
                "internal",
                "2026-10-07",
            ],
            [
                "Phishingsimulatie en wat we ervan leren",
                "Elk halfjaar",
                "Alle medewerkers",
                "email",
                sanne,
                "internal",
                "2026-09-15",
            ],
            [
                "Melding van een datalek",
                "Binnen 72 uur na ontdekking",
                "Autoriteit Persoonsgegevens",
                "website",
                sanne,
                "external",
                "",
            ],
            [
                "Informatie aan klanten bij een ernstig incident",
                "Bij een incident met gevolgen voor klanten",
                "Klanten met een lopend contract",
                "email",
                pieter,
                "external",
                "",
            ],
            [
                "Certificaat en verklaring van toepasselijkheid",
                "Op verzoek en bij aanbestedingen",
                "Klanten en prospects",
                "letter",
                fatima,
                "external",
                "2026-06-30",
            ],
        ];
        let notes = [
            "Het beleid staat op het intranet; nieuwe medewerkers tekenen voor kennisname.",
            "Vast agendapunt in het directieoverleg.",
            "Uitslag per afdeling, nooit per persoon.",
            "Via het meldloket van de AP; de directie besluit over melden op advies van de ISMS-manager.",
            "Tekst vooraf afgestemd met de directie; zie de incidentprocedure.",
            "",
        ];
        for (row, note) in rows.iter().zip(notes) {
            let [subject, frequency, audience, channel, owner, direction, last] = *row;
            self.demo_row(
                ctx,
                r,
                &[
                    ("subject", subject),
                    ("frequency", frequency),
                    ("audience", audience),
                    ("channel", channel),
                    ("owner_id", owner),
                    ("direction", direction),
                    ("last_held", last),
                    ("notes", note),
                ],
            )
            .await?;
        }
        Ok(())
    }
}
