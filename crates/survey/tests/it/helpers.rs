use survey::{Answer, Questionnaire, Response, Submission};

pub fn employees() -> &'static Questionnaire {
    Questionnaire::standard("medewerkers", 1).unwrap()
}

pub fn managers() -> &'static Questionnaire {
    Questionnaire::standard("leidinggevenden", 1).unwrap()
}

/// A complete valid employee response with the given openness answer and hours.
pub fn employee(openness: &str, contract: f64, desired: f64) -> Response {
    let mut r = Response::new()
        .with("contract_uren", Answer::Number(contract))
        .with("gewerkte_uren", Answer::Number(contract))
        .with("gewenste_uren", Answer::Number(desired))
        .with("bereidheid", Answer::Choice(openness.into()))
        .with("rondkomen", Answer::Choice("lukt_net".into()))
        .with("weet_netto", Answer::Choice("nee".into()))
        .with("tevredenheid_rooster", Answer::Scale(3))
        .with("blijven", Answer::Choice("waarschijnlijk_wel".into()));
    match openness {
        "ja_onder_voorwaarden" => {
            r.set(
                "voorwaarden",
                Answer::Choices(vec!["langere_diensten".into(), "vast_rooster".into()]),
            );
        }
        "nee" => {
            r.set("belemmeringen", Answer::Choices(vec!["werkdruk".into()]));
        }
        _ => {}
    }
    r
}

pub fn sub(team: &str, response: Response) -> Submission {
    let v = employees()
        .validate(&response)
        .expect("test response is valid");
    Submission {
        team: Some(team.to_string()),
        response: v.response,
    }
}
