//! `survey bench`: a small load generator for survey submissions against a running server.
//!
//! It prepares, in the database the server uses, a benchmark organisation with one team,
//! an open round, N single-use codes and for each code a saved draft with every page but
//! the last answered (what a respondent has after the first steps). Then C workers, each
//! on its own keep-alive connection, post the last step for every code: that request
//! checks the code, validates the whole questionnaire and stores the response in one
//! transaction (code marked used, response inserted, draft deleted) — an acknowledged
//! submission is a `303` to the closing page. Reported: submissions per second and latency
//! percentiles; finally the stored count is checked against the acknowledged count.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use store::{NewSurveyRound, OrganisationInput, Store, Subsector};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

#[derive(clap::Args)]
pub struct BenchArgs {
    /// The running server, e.g. http://127.0.0.1:8080 (started on the same database).
    #[arg(long)]
    url: String,
    /// Number of submissions.
    #[arg(long, default_value_t = 20_000)]
    submissions: usize,
    /// Concurrent connections.
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
}

fn draft_json() -> String {
    // Every page before "over_uzelf" answered; valid for medewerkers-v1.
    serde_json::json!({
        "contract_uren": {"number": 24.0},
        "gewerkte_uren": {"number": 26.0},
        "gewenste_uren": {"number": 28.0},
        "bereidheid": {"choice": "ja_onder_voorwaarden"},
        "voorwaarden": {"choices": ["langere_diensten", "vast_rooster"]},
        "rondkomen": {"choice": "lukt_net"},
        "weet_netto": {"choice": "nee"},
        "tevredenheid_rooster": {"scale": 3},
        "blijven": {"choice": "waarschijnlijk_wel"}
    })
    .to_string()
}

/// One keep-alive HTTP/1.1 connection that posts forms and reads status + Location.
struct Conn {
    stream: TcpStream,
    host: String,
    buf: Vec<u8>,
}

impl Conn {
    async fn open(host: &str) -> anyhow::Result<Conn> {
        let stream = TcpStream::connect(host).await?;
        stream.set_nodelay(true)?;
        Ok(Conn {
            stream,
            host: host.to_string(),
            buf: Vec::with_capacity(8192),
        })
    }

    async fn post(
        &mut self,
        path: &str,
        cookie: &str,
        body: &str,
    ) -> anyhow::Result<(u16, String)> {
        let req = format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\nCookie: {cookie}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            self.host,
            body.len()
        );
        self.stream.write_all(req.as_bytes()).await?;
        self.buf.clear();
        let mut chunk = [0u8; 4096];
        loop {
            if let Some(end) = find(&self.buf, b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&self.buf[..end]).to_string();
                let status: u16 = head
                    .split_whitespace()
                    .nth(1)
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0);
                let mut len = 0usize;
                let mut location = String::new();
                for line in head.lines() {
                    if let Some((k, v)) = line.split_once(':') {
                        if k.eq_ignore_ascii_case("content-length") {
                            len = v.trim().parse().unwrap_or(0);
                        } else if k.eq_ignore_ascii_case("location") {
                            location = v.trim().to_string();
                        }
                    }
                }
                while self.buf.len() < end + 4 + len {
                    let n = self.stream.read(&mut chunk).await?;
                    if n == 0 {
                        anyhow::bail!("connection closed");
                    }
                    self.buf.extend_from_slice(&chunk[..n]);
                }
                return Ok((status, location));
            }
            let n = self.stream.read(&mut chunk).await?;
            if n == 0 {
                anyhow::bail!("connection closed");
            }
            self.buf.extend_from_slice(&chunk[..n]);
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx].as_secs_f64() * 1000.0
}

/// A benchmark organisation with one team, an open round, `n` single-use codes and for
/// each code a saved draft with every page but the last answered.
pub(crate) struct Prepared {
    pub org: store::Organisation,
    pub round_id: i64,
    pub codes: Vec<String>,
    /// The one browser secret every simulated respondent's draft is bound to.
    pub browser: String,
}

impl Prepared {
    /// The cookie header and form body that post the last step for any of the codes.
    pub fn last_step(&self) -> (String, String) {
        let csrf = store::new_secret();
        (
            format!(
                "uw_csrf={csrf}; {}={}",
                app::survey::BROWSER_COOKIE,
                self.browser
            ),
            format!("csrf={csrf}&stap=over_uzelf&lang=nl&leeftijd=35_44"),
        )
    }
}

pub(crate) async fn prepare(store: &Store, n: usize) -> anyhow::Result<Prepared> {
    let name = format!("Benchmark {}", &store::new_secret()[..8]);
    let org = store
        .create_organisation(&OrganisationInput::new(&name, Subsector::Vvt))
        .await?;
    let team = store.create_team(org.id, "Benchteam", None).await?;
    let round = store
        .create_survey_round(
            org.id,
            &NewSurveyRound {
                name: "Benchmark".into(),
                kind: "nulmeting".into(),
                questionnaire: "medewerkers".into(),
                version: 1,
                custom_questions: "[]".into(),
                opens_on: "2000-01-01".into(),
                closes_on: "2999-12-31".into(),
                invitation_text: String::new(),
                import_round: false,
            },
            &[team.id],
        )
        .await?;
    store.set_survey_round_status(round.id, "open").await?;
    let codes: Vec<String> = (0..n).map(|_| app::survey::new_code()).collect();
    let draft = draft_json();
    let day = app::survey::today();
    // Drafts are bound to a browser secret as well as the code: every simulated
    // respondent uses this one browser cookie.
    let browser = store::new_secret();
    for chunk in codes.chunks(1000) {
        let hashes: Vec<String> = chunk.iter().map(|c| store::hash_secret(c)).collect();
        store.add_survey_codes(round.id, team.id, &hashes).await?;
        for h in &hashes {
            let key = app::survey::code_draft_key(h, &browser);
            store
                .save_survey_draft(&key, round.id, &draft, &day)
                .await?;
        }
    }
    Ok(Prepared {
        org,
        round_id: round.id,
        codes,
        browser,
    })
}

/// Percentile `p` (0..=1) of sorted durations, in milliseconds.
pub(crate) fn percentile_ms(sorted: &[Duration], p: f64) -> f64 {
    percentile(sorted, p)
}

pub async fn run(store: &Store, args: BenchArgs) -> anyhow::Result<()> {
    let host = args
        .url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    // Prepare: organisation, team, open round, codes and drafts.
    let prep = Instant::now();
    let prepared = prepare(store, args.submissions).await?;
    eprintln!(
        "prepared {} codes with drafts in {:.1} s (organisation '{}')",
        prepared.codes.len(),
        prep.elapsed().as_secs_f64(),
        prepared.org.name
    );
    let (cookie, body_tail) = prepared.last_step();
    let round = prepared.round_id;
    let codes = prepared.codes;

    let codes = Arc::new(codes);
    let next = Arc::new(AtomicUsize::new(0));
    let cookie = Arc::new(cookie);
    let body_tail = Arc::new(body_tail);
    let start = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..args.concurrency.max(1) {
        let (codes, next, cookie, body, host) = (
            codes.clone(),
            next.clone(),
            cookie.clone(),
            body_tail.clone(),
            host.clone(),
        );
        workers.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut failed = 0usize;
            let mut conn = Conn::open(&host).await?;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= codes.len() {
                    break;
                }
                let t = Instant::now();
                let path = format!("/enquete/{}", codes[i]);
                let res = match conn.post(&path, &cookie, &body).await {
                    Ok(r) => Ok(r),
                    Err(_) => {
                        conn = Conn::open(&host).await?;
                        conn.post(&path, &cookie, &body).await
                    }
                };
                match res {
                    Ok((303, loc)) if loc.starts_with("/enquete/klaar") => lat.push(t.elapsed()),
                    _ => failed += 1,
                }
            }
            anyhow::Ok((lat, failed))
        }));
    }
    let mut lat = Vec::new();
    let mut failed = 0;
    for w in workers {
        let (l, f) = w.await??;
        lat.extend(l);
        failed += f;
    }
    let elapsed = start.elapsed();
    lat.sort();
    let ok = lat.len();
    let stored: i64 = store
        .survey_response_counts(round)
        .await?
        .iter()
        .map(|(_, n)| n)
        .sum();
    println!(
        "backend={:?} submissions={} concurrency={} acknowledged={ok} failed={failed} \
         elapsed={:.2}s rate={:.0}/s p50={:.1}ms p95={:.1}ms p99={:.1}ms max={:.1}ms stored={stored}",
        store.backend(),
        args.submissions,
        args.concurrency,
        elapsed.as_secs_f64(),
        ok as f64 / elapsed.as_secs_f64(),
        percentile(&lat, 0.50),
        percentile(&lat, 0.95),
        percentile(&lat, 0.99),
        percentile(&lat, 1.0),
    );
    if stored as usize != ok {
        anyhow::bail!("stored {stored} responses but {ok} were acknowledged");
    }
    Ok(())
}
