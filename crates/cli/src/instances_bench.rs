//! `bench instances`: two `urenwinst serve` processes on one database behind a small
//! round-robin proxy, as a scale-out deployment runs them (issue 34).
//!
//! It checks, over real processes and sockets, what several instances must share through
//! the database: a login made on one instance is a session on the other; an HR upload taken
//! by one instance is mapped and imported by the other; survey submissions spread over
//! both, and one instance is stopped (SIGTERM, a graceful stop) and started again while the
//! load runs. Acknowledged must equal stored: no response lost, none stored twice. It then
//! reports requests per second and latency percentiles per kind of request.
//!
//! The proxy hands each new connection to the next instance in turn, and to the other one
//! when the first refuses the connection (an instance that is down). Every request of the
//! load opens its own connection (`Connection: close`), so requests alternate between the
//! instances.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use serde::Serialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Mutex;

use crate::survey_bench::{Prepared, percentile_ms, prepare};

#[derive(clap::Args)]
pub struct InstancesBenchArgs {
    /// The database both instances use (postgres://…); migrated here, and it must hold no
    /// organisations yet.
    #[arg(long)]
    database_url: String,
    /// Survey respondents, each posting the last step of the questionnaire once.
    #[arg(long, default_value_t = 2_000)]
    respondents: usize,
    /// Logged-in page views (the organisation admin's start page) mixed into the load.
    #[arg(long, default_value_t = 2_000)]
    page_views: usize,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Do not stop and restart the second instance halfway through the load.
    #[arg(long)]
    no_restart: bool,
    /// The binary to run as `serve` (default: this one).
    #[arg(long)]
    binary: Option<PathBuf>,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

/// Latency percentiles in milliseconds.
#[derive(Serialize, Debug, Default)]
pub struct Latency {
    pub count: usize,
    pub per_second: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

impl Latency {
    fn of(mut times: Vec<Duration>, elapsed: Duration) -> Latency {
        times.sort();
        Latency {
            count: times.len(),
            per_second: times.len() as f64 / elapsed.as_secs_f64().max(1e-9),
            p50_ms: percentile_ms(&times, 0.50),
            p95_ms: percentile_ms(&times, 0.95),
            p99_ms: percentile_ms(&times, 0.99),
            max_ms: percentile_ms(&times, 1.0),
        }
    }
}

#[derive(Serialize, Debug)]
pub struct Outcome {
    pub backend: String,
    pub cores: usize,
    pub instances: usize,
    pub concurrency: usize,
    /// A session made by logging in on instance A opened the start page on instance B.
    pub login_across: bool,
    /// An HR upload taken by instance A was mapped and imported by instance B.
    pub upload_across: bool,
    pub respondents: usize,
    pub acknowledged: usize,
    pub stored: i64,
    pub codes_used: i64,
    /// Requests that got no acknowledgement (after retries on a refused or dropped
    /// connection).
    pub failed: usize,
    /// Retries after a dropped connection or a 502 from the proxy.
    pub retries: usize,
    pub page_views_ok: usize,
    pub connections_per_instance: [usize; 2],
    pub restarted: bool,
    /// From the stop signal to the restarted instance answering its health check.
    pub restart_seconds: Option<f64>,
    pub elapsed_seconds: f64,
    pub requests_per_second: f64,
    pub all: Latency,
    pub submissions: Latency,
    pub pages: Latency,
}

pub async fn run(args: InstancesBenchArgs) -> anyhow::Result<()> {
    anyhow::ensure!(args.respondents > 0, "--respondents must be at least 1");
    anyhow::ensure!(args.concurrency > 0, "--concurrency must be at least 1");
    let scratch = tempfile::tempdir().context("cannot make a scratch directory")?;
    let store = crate::bench::open_empty(Some(&args.database_url), scratch.path()).await?;
    let outcome = measure(&store, &args, scratch.path().to_path_buf()).await?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&outcome)?);
    } else {
        print_outcome(&outcome);
    }
    anyhow::ensure!(
        outcome.login_across,
        "a login on one instance was not a session on the other"
    );
    anyhow::ensure!(
        outcome.upload_across,
        "an upload on one instance could not be mapped on the other"
    );
    anyhow::ensure!(
        outcome.stored == outcome.acknowledged as i64 && outcome.codes_used == outcome.stored,
        "acknowledged {} submissions, but {} responses stored and {} codes used",
        outcome.acknowledged,
        outcome.stored,
        outcome.codes_used
    );
    Ok(())
}

fn print_outcome(o: &Outcome) {
    println!(
        "backend={} cores={} instances=2 concurrency={} login_across={} upload_across={}",
        o.backend, o.cores, o.concurrency, o.login_across, o.upload_across
    );
    println!(
        "respondents={} acknowledged={} stored={} codes_used={} failed={} retries={} page_views_ok={} connections={:?}",
        o.respondents,
        o.acknowledged,
        o.stored,
        o.codes_used,
        o.failed,
        o.retries,
        o.page_views_ok,
        o.connections_per_instance
    );
    if let Some(s) = o.restart_seconds {
        println!("second instance stopped and back in {s:.2} s");
    }
    println!(
        "elapsed={:.2}s requests/s={:.0}",
        o.elapsed_seconds, o.requests_per_second
    );
    for (name, l) in [
        ("all", &o.all),
        ("submissions", &o.submissions),
        ("pages", &o.pages),
    ] {
        println!(
            "{name}: n={} rate={:.0}/s p50={:.1}ms p95={:.1}ms p99={:.1}ms max={:.1}ms",
            l.count, l.per_second, l.p50_ms, l.p95_ms, l.p99_ms, l.max_ms
        );
    }
}

/// One `urenwinst serve` child process.
pub(crate) struct Instance {
    pub binary: PathBuf,
    pub addr: SocketAddr,
    pub database_url: Option<String>,
    pub data_dir: PathBuf,
    pub upload_key: String,
    pub child: Option<Child>,
}

impl Instance {
    pub async fn start(&mut self) -> anyhow::Result<()> {
        let mut cmd = Command::new(&self.binary);
        cmd.args(["serve", "--addr", &self.addr.to_string()]);
        match &self.database_url {
            Some(url) => cmd.env("DATABASE_URL", url),
            None => cmd.env_remove("DATABASE_URL"),
        };
        let child = cmd
            .env("URENWINST_DATA_DIR", &self.data_dir)
            .env("URENWINST_UPLOAD_KEY", &self.upload_key)
            .env("URENWINST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .with_context(|| format!("cannot start {}", self.binary.display()))?;
        self.child = Some(child);
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(120) {
            if let Ok(r) = request(self.addr, "GET", "/healthz", &[], None).await
                && r.status == 200
            {
                return Ok(());
            }
            if let Some(child) = self.child.as_mut()
                && let Some(status) = child.try_wait()?
            {
                anyhow::bail!("the instance on {} stopped: {status}", self.addr);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        anyhow::bail!("the instance on {} did not become healthy", self.addr)
    }

    /// SIGTERM, then wait for the graceful stop (in-flight requests finish).
    pub async fn stop(&mut self) -> anyhow::Result<()> {
        if let Some(mut child) = self.child.take() {
            let pid = child.id().to_string();
            let status = Command::new("kill").args(["-TERM", &pid]).status()?;
            anyhow::ensure!(status.success(), "kill -TERM {pid} failed");
            let waited = tokio::task::spawn_blocking(move || child.wait());
            tokio::time::timeout(Duration::from_secs(60), waited)
                .await
                .context("the instance did not stop within 60 s")???;
        }
        Ok(())
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

pub(crate) fn free_addr() -> anyhow::Result<SocketAddr> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?)
}

/// The round-robin proxy: each accepted connection goes to the next instance, or to the
/// other one when that refuses the connection.
async fn proxy(
    listener: TcpListener,
    backends: [SocketAddr; 2],
    counts: Arc<[AtomicUsize; 2]>,
) -> anyhow::Result<()> {
    let next = Arc::new(AtomicUsize::new(0));
    loop {
        let (mut inbound, _) = listener.accept().await?;
        let (next, counts) = (next.clone(), counts.clone());
        tokio::spawn(async move {
            let first = next.fetch_add(1, Ordering::Relaxed) % 2;
            for i in [first, 1 - first] {
                if let Ok(mut outbound) = TcpStream::connect(backends[i]).await {
                    counts[i].fetch_add(1, Ordering::Relaxed);
                    let _ = outbound.set_nodelay(true);
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    return;
                }
            }
            let _ = inbound
                .write_all(
                    b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                )
                .await;
        });
    }
}

/// An HTTP reply: status, headers and body.
pub(crate) struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `name=value` of every Set-Cookie.
    fn cookies(&self) -> Vec<String> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
            .filter_map(|(_, v)| v.split(';').next().map(|c| c.trim().to_string()))
            .collect()
    }
}

/// One request on a new connection (`Connection: close`), read to the end.
pub(crate) async fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<(&str, &[u8])>,
) -> anyhow::Result<Reply> {
    let mut stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if let Some((content_type, bytes)) = body {
        head.push_str(&format!(
            "Content-Type: {content_type}\r\nContent-Length: {}\r\n",
            bytes.len()
        ));
    }
    head.push_str("\r\n");
    let mut out = head.into_bytes();
    if let Some((_, bytes)) = body {
        out.extend_from_slice(bytes);
    }
    stream.write_all(&out).await?;
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(60), stream.read_to_end(&mut raw))
        .await
        .context("no answer within 60 s")??;
    parse_reply(&raw)
}

fn parse_reply(raw: &[u8]) -> anyhow::Result<Reply> {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .context("connection closed before a complete answer")?;
    let head = String::from_utf8_lossy(&raw[..end]);
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .context("no status line")?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let rest = &raw[end + 4..];
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    let body = if chunked {
        dechunk(rest)?
    } else {
        rest.to_vec()
    };
    Ok(Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

fn dechunk(mut rest: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = rest
            .windows(2)
            .position(|w| w == b"\r\n")
            .context("broken chunked body")?;
        let size_text = String::from_utf8_lossy(&rest[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .context("broken chunk size")?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Ok(body);
        }
        anyhow::ensure!(rest.len() >= size + 2, "chunked body cut short");
        body.extend_from_slice(&rest[..size]);
        rest = &rest[size + 2..];
    }
}

/// The value of the first hidden input named `name` in `html`.
fn hidden_value(html: &str, name: &str) -> Option<String> {
    let needle = format!("name=\"{name}\" value=\"");
    let start = html.find(&needle)? + needle.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_string())
}

/// A logged-in browser: its cookies and the session's form token.
pub(crate) struct Session {
    pub cookie: String,
    pub csrf: String,
}

/// Logs in on `login_on` and opens the start page on `use_on`.
pub(crate) async fn login(
    login_on: SocketAddr,
    use_on: SocketAddr,
    email: &str,
    password: &str,
    name: &str,
) -> anyhow::Result<(Session, bool)> {
    let form = request(login_on, "GET", "/inloggen", &[], None).await?;
    anyhow::ensure!(form.status == 200, "login page: {}", form.status);
    let token = hidden_value(&form.body, "csrf").context("no csrf on the login page")?;
    let mut cookies = form.cookies();
    let body = format!(
        "email={}&password={}&csrf={token}",
        urlencode(email),
        urlencode(password)
    );
    let r = request(
        login_on,
        "POST",
        "/inloggen",
        &[("Cookie", &cookies.join("; "))],
        Some(("application/x-www-form-urlencoded", body.as_bytes())),
    )
    .await?;
    anyhow::ensure!(r.status == 303, "login answered {}", r.status);
    cookies.extend(r.cookies());
    let cookie = cookies.join("; ");
    let dash = request(use_on, "GET", "/dashboard", &[("Cookie", &cookie)], None).await?;
    let across = dash.status == 200 && dash.body.contains(name);
    let csrf = hidden_value(&dash.body, "csrf").unwrap_or_default();
    Ok((Session { cookie, csrf }, across))
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A small HR extract without names: `n` employees in the benchmark team.
fn hr_extract(n: usize) -> String {
    let mut csv = String::from(
        "Personeelsnr;Afdeling;Functie;FWG-schaal;Contracturen per week;Geboortedatum;Datum in dienst;Datum uit dienst;Soort contract\n",
    );
    for i in 0..n {
        csv.push_str(&format!(
            "{:06};Benchteam;Verzorgende IG;FWG 35;{};{:02}-0{}-19{};01-03-2015;;Vast\n",
            900_000 + i,
            16 + (i % 5) * 4,
            1 + i % 28,
            1 + i % 9,
            60 + i % 35
        ));
    }
    csv
}

const MAPPING: &[(&str, &str)] = &[
    ("map_employee_number", "Personeelsnr"),
    ("map_team", "Afdeling"),
    ("map_function", "Functie"),
    ("map_fwg_scale", "FWG-schaal"),
    ("map_contract_hours", "Contracturen per week"),
    ("map_birth_date", "Geboortedatum"),
    ("map_start_date", "Datum in dienst"),
    ("map_end_date", "Datum uit dienst"),
    ("map_contract_kind", "Soort contract"),
];

/// Uploads an HR extract on `a`, maps and imports it on `b`, and reads the result on `a`.
async fn upload_across(
    a: SocketAddr,
    b: SocketAddr,
    session: &Session,
    org_id: i64,
) -> anyhow::Result<bool> {
    const EMPLOYEES: usize = 40;
    let boundary = "----urenwinst-bench-boundary";
    let mut body = Vec::new();
    for (k, v) in [("soort", "hr"), ("peildatum", "2026-01-01")] {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"bestand\"; filename=\"hr.csv\"\r\nContent-Type: text/csv\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(hr_extract(EMPLOYEES).as_bytes());
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let content_type = format!("multipart/form-data; boundary={boundary}");
    let r = request(
        a,
        "POST",
        &format!(
            "/organisaties/{org_id}/nulmeting/bestand?csrf={}",
            session.csrf
        ),
        &[("Cookie", &session.cookie)],
        Some((&content_type, &body)),
    )
    .await?;
    anyhow::ensure!(r.status == 303, "upload answered {}: {}", r.status, r.body);
    let mapping = r.header("location").context("no mapping step")?.to_string();
    let m = request(b, "GET", &mapping, &[("Cookie", &session.cookie)], None).await?;
    if m.status != 200 {
        eprintln!(
            "the mapping step {mapping} answered {} on the other instance: {}",
            m.status, m.body
        );
        return Ok(false);
    }
    let mut form: Vec<String> = MAPPING
        .iter()
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect();
    form.push("actie=inlezen".into());
    form.push(format!("csrf={}", session.csrf));
    let form = form.join("&");
    let r = request(
        b,
        "POST",
        &mapping,
        &[("Cookie", &session.cookie)],
        Some(("application/x-www-form-urlencoded", form.as_bytes())),
    )
    .await?;
    if r.status != 303 {
        eprintln!(
            "the import on the other instance answered {}: {}",
            r.status, r.body
        );
        return Ok(false);
    }
    let shown = r.header("location").context("no page after the import")?;
    // The confirmation comes as a one-time message in a cookie of the redirect.
    let mut cookie = session.cookie.clone();
    for c in r.cookies() {
        cookie.push_str("; ");
        cookie.push_str(&c);
    }
    let p = request(a, "GET", shown, &[("Cookie", &cookie)], None).await?;
    let imported = format!("Ingelezen: {EMPLOYEES} medewerkers");
    if p.status != 200 || !p.body.contains(&imported) {
        eprintln!("after the import: {} {}", p.status, p.body);
        return Ok(false);
    }
    Ok(true)
}

/// One unit of the load.
#[derive(Clone, Copy)]
enum Task {
    Submit(usize),
    Page,
}

#[derive(Default)]
struct Tally {
    submissions: Vec<Duration>,
    pages: Vec<Duration>,
    acknowledged: usize,
    page_views_ok: usize,
    failed: usize,
    retries: usize,
}

async fn measure(
    store: &store::Store,
    args: &InstancesBenchArgs,
    data_dir: PathBuf,
) -> anyhow::Result<Outcome> {
    // Data: the survey's codes with drafts, and an organisation admin.
    let prepared: Prepared = prepare(store, args.respondents).await?;
    let password = store::new_secret();
    let email = "beheer@benchmark.example";
    let admin_name = "Beheerder Benchmark";
    store
        .create_user(&store::NewUser {
            email: email.into(),
            name: admin_name.into(),
            role: store::Role::OrgAdmin,
            org_id: Some(prepared.org.id),
            team_ids: vec![],
            password_hash: Some(
                app::auth::hash_password_blocking(&password).map_err(|e| anyhow::anyhow!("{e}"))?,
            ),
        })
        .await?;

    // Two instances, one upload key, one database.
    let binary = match &args.binary {
        Some(b) => b.clone(),
        None => std::env::current_exe()?,
    };
    let upload_key = store::new_secret();
    let mut instances = Vec::new();
    for _ in 0..2 {
        instances.push(Instance {
            binary: binary.clone(),
            addr: free_addr()?,
            database_url: Some(args.database_url.clone()),
            data_dir: data_dir.clone(),
            upload_key: upload_key.clone(),
            child: None,
        });
    }
    for i in instances.iter_mut() {
        i.start().await?;
    }
    let (a, b) = (instances[0].addr, instances[1].addr);

    // Shared state across the instances, checked directly on each.
    let (session, login_across) = login(a, b, email, &password, admin_name).await?;
    let upload_across = upload_across(a, b, &session, prepared.org.id).await?;

    // The proxy.
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let proxy_addr = listener.local_addr()?;
    let counts: Arc<[AtomicUsize; 2]> = Arc::new([AtomicUsize::new(0), AtomicUsize::new(0)]);
    let proxy_task = tokio::spawn(proxy(listener, [a, b], counts.clone()));

    // The load: submissions and page views interleaved.
    let mut tasks = Vec::with_capacity(args.respondents + args.page_views);
    let (mut s, mut p) = (0, 0);
    while s < args.respondents || p < args.page_views {
        // Spread page views evenly between the submissions.
        if p < args.page_views
            && (s >= args.respondents || p * args.respondents <= s * args.page_views)
        {
            tasks.push(Task::Page);
            p += 1;
        } else {
            tasks.push(Task::Submit(s));
            s += 1;
        }
    }
    let tasks = Arc::new(tasks);
    let next = Arc::new(AtomicUsize::new(0));
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let tally = Arc::new(Mutex::new(Tally::default()));
    let (cookie, body) = prepared.last_step();
    let (cookie, body) = (Arc::new(cookie), Arc::new(body));
    let codes = Arc::new(prepared.codes.clone());
    let session_cookie = Arc::new(session.cookie.clone());
    let done = Arc::new(AtomicBool::new(false));

    // Halfway, the second instance stops and starts again.
    let restarter = {
        let acknowledged = acknowledged.clone();
        let done = done.clone();
        let half = args.respondents / 2;
        let restart = !args.no_restart;
        let mut second = instances.pop().expect("two instances");
        tokio::spawn(async move {
            if !restart {
                return anyhow::Ok((second, None));
            }
            while acknowledged.load(Ordering::Relaxed) < half && !done.load(Ordering::Relaxed) {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            let t = Instant::now();
            second.stop().await?;
            second.start().await?;
            anyhow::Ok((second, Some(t.elapsed().as_secs_f64())))
        })
    };

    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..args.concurrency {
        let (tasks, next, acknowledged, tally) = (
            tasks.clone(),
            next.clone(),
            acknowledged.clone(),
            tally.clone(),
        );
        let (cookie, body, codes, session_cookie) = (
            cookie.clone(),
            body.clone(),
            codes.clone(),
            session_cookie.clone(),
        );
        workers.push(tokio::spawn(async move {
            let mut mine = Tally::default();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(task) = tasks.get(i).copied() else {
                    break;
                };
                let t = Instant::now();
                let mut attempt = 0;
                let reply = loop {
                    let r = match task {
                        Task::Submit(k) => {
                            request(
                                proxy_addr,
                                "POST",
                                &format!("/enquete/{}", codes[k]),
                                &[("Cookie", &cookie)],
                                Some(("application/x-www-form-urlencoded", body.as_bytes())),
                            )
                            .await
                        }
                        Task::Page => {
                            request(
                                proxy_addr,
                                "GET",
                                "/dashboard",
                                &[("Cookie", &session_cookie)],
                                None,
                            )
                            .await
                        }
                    };
                    // Retry only what never reached an instance's handler: a connection
                    // that closed without an answer, or the proxy's 502.
                    let retry = match &r {
                        Err(_) => true,
                        Ok(reply) => reply.status == 502,
                    };
                    if retry && attempt < 5 {
                        attempt += 1;
                        mine.retries += 1;
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                    break r;
                };
                let elapsed = t.elapsed();
                match (task, reply) {
                    (Task::Submit(_), Ok(r))
                        if r.status == 303
                            && r.header("location")
                                .is_some_and(|l| l.starts_with("/enquete/klaar")) =>
                    {
                        mine.acknowledged += 1;
                        acknowledged.fetch_add(1, Ordering::Relaxed);
                        mine.submissions.push(elapsed);
                    }
                    (Task::Page, Ok(r)) if r.status == 200 => {
                        mine.page_views_ok += 1;
                        mine.pages.push(elapsed);
                    }
                    _ => mine.failed += 1,
                }
            }
            let mut all = tally.lock().await;
            all.submissions.extend(mine.submissions);
            all.pages.extend(mine.pages);
            all.acknowledged += mine.acknowledged;
            all.page_views_ok += mine.page_views_ok;
            all.failed += mine.failed;
            all.retries += mine.retries;
        }));
    }
    for w in workers {
        w.await?;
    }
    let elapsed = started.elapsed();
    done.store(true, Ordering::Relaxed);
    let (second, restart_seconds) = restarter.await??;
    instances.push(second);
    proxy_task.abort();
    for i in instances.iter_mut() {
        i.stop().await?;
    }

    let tally = std::mem::take(&mut *tally.lock().await);
    let stored: i64 = store
        .survey_response_counts(prepared.round_id)
        .await?
        .iter()
        .map(|(_, n)| n)
        .sum();
    let codes_used = store
        .survey_round_teams(prepared.round_id)
        .await?
        .iter()
        .map(|t| t.codes_used)
        .sum();
    let mut all_times = tally.submissions.clone();
    all_times.extend(tally.pages.iter().copied());
    let total = all_times.len();
    Ok(Outcome {
        backend: format!("{:?}", store.backend()),
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        instances: 2,
        concurrency: args.concurrency,
        login_across,
        upload_across,
        respondents: args.respondents,
        acknowledged: tally.acknowledged,
        stored,
        codes_used,
        failed: tally.failed,
        retries: tally.retries,
        page_views_ok: tally.page_views_ok,
        connections_per_instance: [
            counts[0].load(Ordering::Relaxed),
            counts[1].load(Ordering::Relaxed),
        ],
        restarted: restart_seconds.is_some(),
        restart_seconds,
        elapsed_seconds: elapsed.as_secs_f64(),
        requests_per_second: total as f64 / elapsed.as_secs_f64().max(1e-9),
        all: Latency::of(all_times, elapsed),
        submissions: Latency::of(tally.submissions, elapsed),
        pages: Latency::of(tally.pages, elapsed),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_with_and_without_chunks_parse() {
        let plain = b"HTTP/1.1 303 See Other\r\nLocation: /enquete/klaar\r\nSet-Cookie: a=1; Path=/\r\nContent-Length: 2\r\n\r\nok";
        let r = parse_reply(plain).unwrap();
        assert_eq!(r.status, 303);
        assert_eq!(r.header("location"), Some("/enquete/klaar"));
        assert_eq!(r.cookies(), vec!["a=1".to_string()]);
        assert_eq!(r.body, "ok");
        let chunked =
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n";
        assert_eq!(parse_reply(chunked).unwrap().body, "Wikipedia");
        assert!(parse_reply(b"HTTP/1.1 200 OK\r\n").is_err());
    }

    #[test]
    fn the_extract_has_one_line_per_employee_and_no_names() {
        let csv = hr_extract(40);
        assert_eq!(csv.lines().count(), 41);
        assert!(!csv.to_lowercase().contains("naam"));
    }
}
