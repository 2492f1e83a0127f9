//! Survey invitations by e-mail (issue 33): an organisation admin gives a round's address
//! list per team (CSV or one address per line), a background job mails each address its
//! own single-use code, and "herinnering sturen" mails only the addresses whose code is
//! still unused. Shared by pages, API and command line.
//!
//! Anonymity (docs/survey.md): the list holds round, team, address, the hash of the
//! address's current code and the day it was last mailed; responses hold no code, so the
//! two cannot be joined. The code is never stored in the clear: every send makes a fresh
//! code that replaces the unused previous one (`Store::claim_survey_invitation`), so a
//! reminder's link replaces the first mail's. The counts follow the response-rate rules
//! (a used count is a respondent count). The list is deleted when the round closes.
//! Addresses are never logged.

use std::collections::BTreeSet;

use serde::Serialize;
use store::{InvitationRun, NewJob, Store, SurveyInvitee};

use crate::AppError;
use crate::access::Caller;
use crate::jobs::{JobContext, JobError, JobFuture, JobHandler};
use crate::mail::{Mail, MailConfig};
use crate::survey::{RoundContext, round_for_caller};

/// The job kind that mails a round's invitations or reminders.
pub const SURVEY_MAIL_JOB: &str = "enquete_mail";

/// At most this many addresses in one list (one team's upload).
pub const MAX_ADDRESSES: usize = 5_000;
/// At most this many bytes in one list.
pub const MAX_LIST_BYTES: usize = 512 * 1024;
/// At most this many row problems are named in one answer.
const MAX_PROBLEMS: usize = 20;

/// The message when the server has no SMTP settings.
pub const NO_MAIL: &str = "Op deze server is geen e-mail ingesteld (de beheerder van de server \
    zet dat aan met --smtp-host), dus Urenwinst kan geen uitnodigingen mailen. Maak in plaats \
    daarvan codes aan en deel die zelf uit.";

/// A parsed address list: the distinct addresses (normalised) and how many repeated.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AddressList {
    pub addresses: Vec<String>,
    pub repeated: usize,
}

/// Reads an address list: one address per line, or a CSV (`;`, `,` or tab) with the
/// address in one column and an optional header row. Every row problem is named with its
/// row number and a fix; nothing is accepted while any row is wrong.
pub fn parse_addresses(text: &str) -> Result<AddressList, AppError> {
    let invalid = |message: String| AppError::Invalid {
        field: "addresses",
        message,
    };
    if text.len() > MAX_LIST_BYTES {
        return Err(invalid(format!(
            "De lijst is te groot ({} kB). Geef maximaal {} kB per keer, bijvoorbeeld één \
             team tegelijk.",
            text.len() / 1024,
            MAX_LIST_BYTES / 1024
        )));
    }
    let text = text.trim_start_matches('\u{feff}');
    let mut seen = BTreeSet::new();
    let mut out = AddressList::default();
    let mut problems = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let row = i + 1;
        let cells: Vec<&str> = line
            .split([';', ',', '\t'])
            .map(|c| c.trim().trim_matches('"').trim())
            .filter(|c| !c.is_empty())
            .collect();
        if cells.is_empty() {
            continue;
        }
        let with_at: Vec<&str> = cells.iter().copied().filter(|c| c.contains('@')).collect();
        match with_at.as_slice() {
            [] if row == 1 => continue, // a header row ("e-mailadres", "naam;e-mail", …)
            [] => problems.push(format!(
                "Regel {row}: \"{}\" is geen e-mailadres. Zet op elke regel één e-mailadres, \
                 of haal de regel weg.",
                shorten(line.trim())
            )),
            [one] => match store::normalise_email(one) {
                Ok(email) => {
                    if seen.insert(email.clone()) {
                        out.addresses.push(email);
                    } else {
                        out.repeated += 1;
                    }
                }
                Err(_) => problems.push(format!(
                    "Regel {row}: \"{}\" is geen geldig e-mailadres. Verbeter het adres (zoals \
                     naam@organisatie.nl) of haal de regel weg.",
                    shorten(one)
                )),
            },
            _ => problems.push(format!(
                "Regel {row}: deze regel heeft meer dan één e-mailadres. Zet elk adres op een \
                 eigen regel."
            )),
        }
        if out.addresses.len() > MAX_ADDRESSES {
            return Err(invalid(format!(
                "De lijst heeft meer dan {} adressen. Geef maximaal {} adressen per keer, \
                 bijvoorbeeld één team tegelijk.",
                report::nl::integer(MAX_ADDRESSES as i64),
                report::nl::integer(MAX_ADDRESSES as i64)
            )));
        }
    }
    if !problems.is_empty() {
        let more = problems.len().saturating_sub(MAX_PROBLEMS);
        problems.truncate(MAX_PROBLEMS);
        let mut message = format!(
            "De lijst is niet ingelezen; er is niets opgeslagen. {}",
            problems.join(" ")
        );
        if more > 0 {
            message.push_str(&format!(" En nog {more} andere regels met een fout."));
        }
        return Err(invalid(message));
    }
    if out.addresses.is_empty() {
        return Err(invalid(
            "De lijst bevat geen e-mailadressen. Zet op elke regel één e-mailadres.".into(),
        ));
    }
    Ok(out)
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s.to_string()
    }
}

/// What giving an address list did.
#[derive(Debug, Clone, Serialize)]
pub struct InviteReport {
    /// Addresses added to the round's list.
    pub added: i64,
    /// Addresses that were on the round's list already (left as they were).
    pub already_listed: i64,
    /// Addresses that appeared more than once in the given list.
    pub repeated_in_list: usize,
    /// The job that mails the new addresses (`None` while the round is not open yet: the
    /// mails go out when it opens).
    pub job_id: Option<i64>,
}

/// Adds an address list for `team_id` of round `round_id` and, when the round is open,
/// enqueues the job that mails the new addresses. Needs SMTP (`mail_configured`).
pub async fn invite(
    store: &Store,
    by: Caller<'_>,
    round_id: i64,
    team_id: i64,
    list: &str,
    mail_configured: bool,
) -> Result<InviteReport, AppError> {
    let ctx = round_for_caller(store, by, round_id).await?;
    if !mail_configured {
        return Err(AppError::BadRequest(NO_MAIL.into()));
    }
    if ctx.round.import_round || ctx.round.status == "gesloten" {
        return Err(AppError::Invalid {
            field: "round",
            message: if ctx.round.import_round {
                "Deze ronde is voor ingelezen antwoorden; daar horen geen uitnodigingen bij.".into()
            } else {
                "Deze ronde is gesloten; er kunnen geen uitnodigingen meer bij.".into()
            },
        });
    }
    let teams = store.survey_round_teams(round_id).await?;
    if !teams.iter().any(|t| t.team_id == team_id) {
        return Err(AppError::Invalid {
            field: "team_id",
            message: "Dit team doet niet mee aan deze ronde. Kies een team van de ronde.".into(),
        });
    }
    let list = parse_addresses(list)?;
    let added = store
        .add_survey_invitations(round_id, team_id, &list.addresses)
        .await?;
    let job_id = if ctx.round.status == "open" && added.added > 0 {
        enqueue(store, by, &ctx, InvitationRun::First, None).await?
    } else {
        None
    };
    store
        .audit(
            &by.actor(),
            Some(ctx.org.id),
            "survey.invitations",
            &ctx.round.name,
            &format!("team={team_id} adressen={}", added.added),
        )
        .await?;
    Ok(InviteReport {
        added: added.added,
        already_listed: added.already,
        repeated_in_list: list.repeated,
        job_id,
    })
}

/// What asking for a reminder did.
#[derive(Debug, Clone, Serialize)]
pub struct RemindReport {
    /// Addresses that will get a reminder (not answered, not mailed today).
    pub to_remind: usize,
    pub job_id: Option<i64>,
}

/// Enqueues the reminder job of an open round: it mails only the addresses whose code is
/// still unused (and not mailed today). At most one reminder run per round per day.
pub async fn remind(
    store: &Store,
    by: Caller<'_>,
    round_id: i64,
    mail_configured: bool,
) -> Result<RemindReport, AppError> {
    let ctx = round_for_caller(store, by, round_id).await?;
    if !mail_configured {
        return Err(AppError::BadRequest(NO_MAIL.into()));
    }
    if ctx.round.status != "open" {
        return Err(AppError::Invalid {
            field: "round",
            message: "Herinneringen gaan alleen uit terwijl de ronde open is.".into(),
        });
    }
    let day = crate::survey::today();
    let due = store
        .survey_invitees(round_id, InvitationRun::Reminder, &day)
        .await?;
    if due.is_empty() {
        return Ok(RemindReport {
            to_remind: 0,
            job_id: None,
        });
    }
    let Some(job_id) = enqueue(store, by, &ctx, InvitationRun::Reminder, Some(&day)).await? else {
        return Err(AppError::Conflict(
            "Vandaag is voor deze ronde al een herinnering verstuurd. Probeer het morgen \
             opnieuw."
                .into(),
        ));
    };
    store
        .audit(
            &by.actor(),
            Some(ctx.org.id),
            "survey.reminders",
            &ctx.round.name,
            &format!("adressen={}", due.len()),
        )
        .await?;
    Ok(RemindReport {
        to_remind: due.len(),
        job_id: Some(job_id),
    })
}

/// Enqueues a mail run for a round; a reminder once per `day` (dedupe key).
async fn enqueue(
    store: &Store,
    by: Caller<'_>,
    ctx: &RoundContext,
    run: InvitationRun,
    day: Option<&str>,
) -> Result<Option<i64>, AppError> {
    let run_code = match run {
        InvitationRun::First => "first",
        InvitationRun::Reminder => "reminder",
    };
    let mut job = NewJob::new(
        SURVEY_MAIL_JOB,
        serde_json::json!({ "round_id": ctx.round.id, "run": run_code }).to_string(),
    );
    job.org_id = Some(ctx.org.id);
    job.created_by = match by {
        Caller::User(u) => Some(u.id),
        Caller::Operator => None,
    };
    job.dedupe_key = day.map(|d| format!("{SURVEY_MAIL_JOB}:{}:{run_code}:{d}", ctx.round.id));
    Ok(store.enqueue_job(&job).await?)
}

/// When a round opens, the addresses listed before are mailed: enqueues the first run if
/// any address is waiting. Called by `survey::set_round_status`.
pub async fn on_round_opened(
    store: &Store,
    by: Caller<'_>,
    ctx: &RoundContext,
) -> Result<Option<i64>, AppError> {
    let waiting = store
        .survey_invitees(ctx.round.id, InvitationRun::First, &crate::survey::today())
        .await?;
    if waiting.is_empty() {
        return Ok(None);
    }
    enqueue(store, by, ctx, InvitationRun::First, None).await
}

/// A team's invitation list as admins see it.
#[derive(Debug, Clone, Serialize)]
pub struct TeamInvitations {
    pub team_id: i64,
    pub team: String,
    pub addresses: i64,
    pub sent: i64,
    /// Addresses whose code was used: `null` where the response-rate rules hide the
    /// team's respondents (a used count is a respondent count).
    pub used: Option<i64>,
}

/// The invitation counts of a round per team, with the same suppression as the teams'
/// `codes_used` (`survey::round_teams_json`). The caller checks access first.
pub async fn overview(store: &Store, ctx: &RoundContext) -> Result<Vec<TeamInvitations>, AppError> {
    let counts = store.survey_invitation_counts(ctx.round.id).await?;
    if counts.is_empty() {
        return Ok(Vec::new());
    }
    let teams = store.survey_round_teams(ctx.round.id).await?;
    let rates = crate::survey::response_rates(store, ctx).await?;
    Ok(counts
        .into_iter()
        .filter_map(|c| {
            let team = teams.iter().find(|t| t.team_id == c.team_id)?;
            let shown = rates
                .teams
                .iter()
                .any(|r| r.team == team.team && !r.suppressed && r.respondents.is_some());
            Some(TeamInvitations {
                team_id: c.team_id,
                team: team.team.clone(),
                addresses: c.addresses,
                sent: c.sent,
                used: shown.then_some(c.used),
            })
        })
        .collect())
}

/// The invitation or reminder mail of one address (Dutch, plain text).
pub fn survey_mail(
    to: &str,
    org_name: &str,
    round: &store::SurveyRound,
    link_base: &str,
    code: &str,
    run: InvitationRun,
) -> Mail {
    let base = link_base.trim_end_matches('/');
    let closes = report::nl::iso_date(&round.closes_on);
    let (subject, opening) = match run {
        InvitationRun::First => (
            format!("Uitnodiging: vragenlijst over uw werkuren ({org_name})"),
            format!(
                "{org_name} wil weten hoeveel uren medewerkers willen werken en wat daarbij \
                 helpt. Wilt u de korte vragenlijst invullen? Het kost ongeveer tien minuten."
            ),
        ),
        InvitationRun::Reminder => (
            format!("Herinnering: vragenlijst over uw werkuren ({org_name})"),
            format!(
                "U heeft de vragenlijst van {org_name} over werkuren nog niet ingevuld. Dat \
                 kan nog tot en met {closes}. Deze mail heeft een nieuwe link: de link uit \
                 de vorige mail werkt niet meer."
            ),
        ),
    };
    let extra = round.invitation_text.trim();
    let extra = if extra.is_empty() {
        String::new()
    } else {
        format!("{extra}\n\n")
    };
    let body = format!(
        "Beste collega,\n\n{opening}\n\n{extra}Uw persoonlijke link (werkt één keer):\n\
         {base}/enquete/{code}\n\n\
         Werkt de link niet? Ga naar {base}/enquete en typ de code {code}.\n\n\
         De vragenlijst is anoniem. Uw antwoorden worden niet aan uw naam of e-mailadres \
         gekoppeld. Uw e-mailadres gebruiken we alleen voor deze uitnodiging en hooguit een \
         herinnering als u nog niet heeft geantwoord; als de vragenlijst sluit ({closes}), \
         wordt het adres verwijderd.\n"
    );
    Mail {
        to_name: String::new(),
        to_email: to.to_string(),
        subject,
        body,
    }
}

/// What one mail run did.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct MailRun {
    pub sent: usize,
    /// Addresses that needed no mail after all (answered, mailed today by another run).
    pub skipped: usize,
    pub failed: usize,
}

/// Mails round `round_id`'s invitations (`First`) or reminders, one fresh code each.
/// Safe across instances: each send is claimed in the store first.
pub async fn send_round_mail(
    store: &Store,
    mail: &MailConfig,
    public_url: &str,
    round_id: i64,
    run: InvitationRun,
    ctx: Option<&JobContext>,
) -> Result<MailRun, AppError> {
    let round = store.survey_round(round_id).await?;
    let org = store.organisation(round.org_id).await?;
    let day = crate::survey::today();
    let due: Vec<SurveyInvitee> = store.survey_invitees(round_id, run, &day).await?;
    let mut out = MailRun::default();
    for (i, invitee) in due.iter().enumerate() {
        if let Some(ctx) = ctx {
            if ctx.is_cancelled() {
                break;
            }
            if i % 20 == 0 {
                ctx.report(
                    i as f64 / due.len() as f64,
                    format!("{} van {} mails verstuurd", out.sent, due.len()),
                );
            }
        }
        let code = crate::survey::new_code();
        if !store
            .claim_survey_invitation(invitee, &day, &store::hash_secret(&code))
            .await?
        {
            out.skipped += 1;
            continue;
        }
        let message = survey_mail(&invitee.email, &org.name, &round, public_url, &code, run);
        match mail.send(&message).await {
            Ok(()) => out.sent += 1,
            Err(e) => {
                tracing::warn!(round = round_id, error = %e, "survey invitation mail failed");
                store.release_survey_invitation(invitee, &day).await?;
                out.failed += 1;
            }
        }
    }
    tracing::info!(
        round = round_id,
        sent = out.sent,
        skipped = out.skipped,
        failed = out.failed,
        "survey mail run"
    );
    Ok(out)
}

/// The job that mails a round's invitations or reminders (kind [`SURVEY_MAIL_JOB`];
/// input `{"round_id": N, "run": "first" | "reminder"}`).
pub struct SurveyMailJob {
    pub mail: Option<MailConfig>,
    pub public_url: String,
}

impl JobHandler for SurveyMailJob {
    fn kind(&self) -> &'static str {
        SURVEY_MAIL_JOB
    }

    fn run(&self, ctx: JobContext, input: serde_json::Value) -> JobFuture {
        let mail = self.mail.clone();
        let public_url = self.public_url.clone();
        Box::pin(async move {
            let Some(mail) = mail else {
                return Err(JobError::Fatal(NO_MAIL.into()));
            };
            let round_id = input["round_id"]
                .as_i64()
                .ok_or_else(|| JobError::Fatal("ronde ontbreekt in de opdracht".into()))?;
            let run = match input["run"].as_str() {
                Some("first") => InvitationRun::First,
                Some("reminder") => InvitationRun::Reminder,
                _ => return Err(JobError::Fatal("onbekend soort mailronde".into())),
            };
            let done = send_round_mail(&ctx.store, &mail, &public_url, round_id, run, Some(&ctx))
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?;
            if ctx.is_cancelled() {
                return Err(JobError::Cancelled);
            }
            if done.failed > 0 && done.sent == 0 {
                // The mail server did not take any: try again later (the failed sends
                // were given back, so the retry mails exactly those).
                return Err(JobError::Retry(format!(
                    "de mailserver nam {} mails niet aan",
                    done.failed
                )));
            }
            ctx.report(1.0, format!("{} mails verstuurd", done.sent));
            serde_json::to_value(done).map_err(|e| JobError::Fatal(e.to_string()))
        })
    }
}

/// Registers the survey mail job.
pub fn register(worker: &mut crate::jobs::Worker, mail: Option<MailConfig>, public_url: &str) {
    worker.register(SurveyMailJob {
        mail,
        public_url: public_url.to_string(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_one_per_line_or_as_csv_with_a_header() {
        let l = parse_addresses("a@x.nl\n\nB@X.nl\r\na@x.nl\n").unwrap();
        assert_eq!(l.addresses, vec!["a@x.nl", "b@x.nl"]);
        assert_eq!(l.repeated, 1);
        let csv = "naam;e-mailadres\nAnna;anna@x.nl\n\"Bert\";\"bert@x.nl\"\n";
        assert_eq!(
            parse_addresses(csv).unwrap().addresses,
            vec!["anna@x.nl", "bert@x.nl"]
        );
        let tabs = "\u{feff}email\tteam\nc@x.nl\tEik\n";
        assert_eq!(parse_addresses(tabs).unwrap().addresses, vec!["c@x.nl"]);
    }

    #[test]
    fn bad_rows_are_named_and_nothing_is_taken() {
        let e = parse_addresses("a@x.nl\nkapot\nb@@x\nc@x.nl;d@x.nl\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("Regel 2") && e.contains("kapot"), "{e}");
        assert!(e.contains("Regel 3") && e.contains("geen geldig"), "{e}");
        assert!(e.contains("Regel 4") && e.contains("meer dan één"), "{e}");
        assert!(!e.contains("Regel 1"), "{e}");
        assert!(parse_addresses("\n\n").is_err());
        assert!(parse_addresses("e-mail\n").is_err());
    }

    #[test]
    fn lists_have_a_size_limit() {
        let big: String = (0..=MAX_ADDRESSES)
            .map(|i| format!("p{i}@x.nl\n"))
            .collect();
        let e = parse_addresses(&big).unwrap_err().to_string();
        assert!(e.contains("maximaal 5.000"), "{e}");
        let huge = "a".repeat(MAX_LIST_BYTES + 1);
        assert!(
            parse_addresses(&huge)
                .unwrap_err()
                .to_string()
                .contains("te groot")
        );
    }
}
