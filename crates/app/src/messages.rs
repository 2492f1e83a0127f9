//! The Dutch wording, for users, of the rules the store refuses writes for
//! ([`store::Violation`]). The store names the rule; pages, API and command line show this.

use store::{StoreError, Violation};

/// The Dutch message for a broken rule.
pub fn dutch(v: &Violation) -> String {
    match v {
        Violation::NameLength { max } => format!("Vul een naam in van 1 tot {max} tekens."),
        Violation::NameCharacters => "Een naam mag geen onzichtbare tekens of stuurtekens \
                                      bevatten (zoals een nul-teken, een regelovergang, \
                                      tekens die de schrijfrichting omdraaien of tekens \
                                      zonder breedte). Typ de naam opnieuw in plaats van \
                                      hem te plakken."
            .into(),
        Violation::TextCharacters => "De tekst bevat onzichtbare tekens of stuurtekens (zoals \
                                      een nul-teken of tekens die de schrijfrichting \
                                      omdraaien). Haal die weg en probeer het opnieuw."
            .into(),
        Violation::DuplicateId { id } => {
            format!("Nummer {id} staat twee keer in de lijst. Kies elk item één keer.")
        }
        Violation::TokenNameLength { max } => {
            format!("Geef de sleutel een naam van 1 tot {max} tekens, bijvoorbeeld 'rapportage'.")
        }
        Violation::TokenExpired => "Deze API-sleutel is verlopen. Maak een nieuwe sleutel op de \
                                    pagina 'Mijn account'."
            .to_string(),
        Violation::UnknownCode { value, codes } => {
            format!(
                "'{value}' is geen geldige waarde; kies uit: {}",
                codes.join(", ")
            )
        }
        Violation::FulltimeHours => {
            "Voltijd moet tussen 20 en 48 uur per week liggen (meestal 36).".into()
        }
        Violation::MinGroupSize => {
            "De minimale groepsgrootte moet tussen 3 en 50 liggen (standaard 5).".into()
        }
        Violation::WageCost => {
            "Vul een loonkost per fte per jaar in tussen € 1 en € 1.000.000.".into()
        }
        Violation::JobKindMissing => "een taak heeft een soort nodig".into(),
        Violation::JobAttempts => "een taak krijgt minstens één poging".into(),
        Violation::Email => "Dit e-mailadres kan niet worden gebruikt. Vul een geldig \
                             e-mailadres in dat nog niet bij een account hoort, zoals \
                             naam@organisatie.nl."
            .into(),
        Violation::OrgRequired => "Kies de organisatie waar deze gebruiker bij hoort.".into(),
        Violation::OrgNotAllowed => "Een programmabeheerder hoort niet bij één organisatie.".into(),
        Violation::UnknownOrganisation => "Deze organisatie bestaat niet.".into(),
        Violation::UnknownLocation => "Deze locatie bestaat niet.".into(),
        Violation::LocationOfOtherOrganisation => {
            "Deze locatie hoort niet bij de organisatie.".into()
        }
        Violation::UnknownTeam => "Een gekozen team bestaat niet.".into(),
        Violation::TeamOfOtherUserOrganisation => {
            "Een gekozen team hoort niet bij de organisatie van deze gebruiker.".into()
        }
        Violation::TeamHasSurveyData { team } => format!(
            "Team '{team}' heeft antwoorden of codes in een enquête. Verwijderen kan niet, \
             want dan veranderen de uitkomsten van eerdere rondes; archiveer het team \
             in plaats daarvan. Het blijft dan in oude uitkomsten staan, maar doet \
             niet meer mee aan nieuwe rondes."
        ),
        Violation::RoundKind => "Kies een nulmeting of een effectmeting.".into(),
        Violation::Date => "Vul een geldige datum in.".into(),
        Violation::ReportFormat => "Onbekend formaat.".into(),
        Violation::RosterScanFigures => "De cijfers van de roosterscan kloppen niet.".into(),
        Violation::RegionMinOrgs { floor } => {
            format!("Het minimum aantal organisaties is minstens {floor}.")
        }
        Violation::RegionDominance { ceiling } => {
            format!("De dominantiegrens ligt tussen 1 en {ceiling} procent.")
        }
        Violation::RetentionMonths => {
            "De bewaartermijn van verzoeken ligt tussen 1 en 60 maanden.".into()
        }
        Violation::RoundDates => "Vul een begin- en einddatum in, bijvoorbeeld 01-03-2026.".into(),
        Violation::RoundClosesBeforeOpening => "De einddatum ligt voor de begindatum.".into(),
        Violation::InvitationTextLength { max } => {
            format!("De uitnodigingstekst is te lang (maximaal {max} tekens).")
        }
        Violation::NoTeams => "Kies minstens één team dat meedoet.".into(),
        Violation::TeamArchived { team } => {
            format!("Team '{team}' is gearchiveerd en doet niet meer mee aan nieuwe rondes.")
        }
        Violation::TeamOfOtherOrganisation { team_id } => {
            format!("Team {team_id} hoort niet bij deze organisatie.")
        }
        Violation::UnknownStatus => "Onbekende status.".into(),
        Violation::RoundClosedForGood => {
            "Een gesloten ronde gaat niet meer open: de resultaten zijn vrijgegeven, en \
             nieuwe antwoorden zouden laten zien wat één persoon invulde. Start een \
             nieuwe ronde om meer antwoorden te verzamelen."
                .into()
        }
        Violation::RoundOpenNoWayBack => {
            "Een open ronde gaat niet terug naar 'in voorbereiding'. Sluit de ronde \
             als er geen antwoorden meer bij mogen komen."
                .into()
        }
        Violation::RoundStatusChanged => {
            "De status van de ronde is net door iemand anders veranderd. Laad de pagina \
             opnieuw."
                .into()
        }
        Violation::InvitedCount => "Vul een aantal in van 0 tot 100.000.".into(),
        Violation::ImportRoundNoCodes => {
            "Dit is een importronde: die neemt alleen ingelezen antwoorden aan, geen codes.".into()
        }
        Violation::ClosedRoundNoCodes => {
            "De ronde is gesloten; nieuwe codes zijn niet meer nodig.".into()
        }
        Violation::PublishedTextMissing => {
            "Vul de tekst in die getoond mag worden, of houd het antwoord achter.".into()
        }
        Violation::UnknownReview => "Onbekende beoordeling.".into(),
        Violation::PublishedTextLength { max } => {
            format!("De tekst is te lang (maximaal {max} tekens).")
        }
        Violation::ResponseDay => "Ongeldige datum.".into(),
    }
}

/// The field and Dutch message of a store error that the user can fix, if it is one.
pub fn invalid(e: &StoreError) -> Option<(&'static str, String)> {
    match e {
        StoreError::Invalid { field, violation } => Some((field, dutch(violation))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_read_as_they_did_when_the_store_wrote_them() {
        assert_eq!(
            dutch(&Violation::NameLength { max: 120 }),
            "Vul een naam in van 1 tot 120 tekens."
        );
        assert_eq!(
            dutch(&Violation::UnknownCode {
                value: "bakkerij".into(),
                codes: vec!["vvt", "gz"],
            }),
            "'bakkerij' is geen geldige waarde; kies uit: vvt, gz"
        );
        assert_eq!(
            dutch(&Violation::TeamHasSurveyData { team: "A".into() }),
            "Team 'A' heeft antwoorden of codes in een enquête. Verwijderen kan niet, want \
             dan veranderen de uitkomsten van eerdere rondes; archiveer het team in plaats \
             daarvan. Het blijft dan in oude uitkomsten staan, maar doet niet meer mee aan \
             nieuwe rondes."
        );
        let e = StoreError::Invalid {
            field: "email",
            violation: Violation::Email,
        };
        assert_eq!(
            invalid(&e),
            Some((
                "email",
                "Dit e-mailadres kan niet worden gebruikt. Vul een geldig e-mailadres in dat \
                 nog niet bij een account hoort, zoals naam@organisatie.nl."
                    .to_string()
            ))
        );
        // The store's own text is English, for logs.
        assert_eq!(e.to_string(), "invalid email: e-mail address is not valid");
        assert_eq!(invalid(&StoreError::NotFound), None);
    }
}
