//! Crash safety: the real `borgen serve` process under a write load through
//! the JSON API, killed with SIGKILL while writes are in flight, restarted on
//! the same database each time. Afterwards every write the server
//! acknowledged (a 2xx the client received) is there, every record it holds
//! is whole and has its audit event, and `borgen audit verify` passes.
//!
//! The figures (attempted, acknowledged, found, lost, kills) are printed; see
//! them with `cargo test -p borgen-cli --test it crash -- --nocapture`. The
//! kill moments come from a seed that is printed too; `BORGEN_CRASH_SEED`
//! repeats a run's choice of moments.

use crate::common::*;
use borgen_store::Db;
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// Concurrent writers (enough to fill the SQLite writer's batches).
const WRITERS: usize = 8;
/// SIGKILLs while the load runs.
const KILLS: usize = 5;
const SLUG: &str = "crash";

/// Where the server keeps its data: a SQLite data directory or a PostgreSQL URL.
enum Store {
    Sqlite(PathBuf),
    Postgres(String),
}

/// The `borgen` binary with nothing from the environment that could point it
/// elsewhere, run in the test's own directory (so no stray `borgen.toml` is read).
fn borgen_cmd(store: &Store, work: &Path, args: &[&str]) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_borgen"));
    for (k, _) in std::env::vars() {
        if k.starts_with("BORGEN_") {
            c.env_remove(k);
        }
    }
    c.current_dir(work).args(args).env("BORGEN_LOG", "warn");
    match store {
        Store::Sqlite(dir) => {
            c.arg("--data-dir").arg(dir);
        }
        Store::Postgres(url) => {
            c.env("BORGEN_DATABASE_URL", url);
        }
    }
    c
}

fn must_run(store: &Store, work: &Path, args: &[&str]) -> String {
    let (code, out, err) = run(borgen_cmd(store, work, args));
    assert_eq!(code, 0, "borgen {args:?} failed:\n{out}{err}");
    out
}

/// A running `borgen serve`: the child process, its base URL, and the last
/// lines of its output (for a failure message, and to read its log).
struct Server {
    child: Child,
    base: String,
    stderr: Arc<Mutex<Vec<String>>>,
}

/// Starts `borgen serve` on port 0 and reads the address it reports.
fn start_server(store: &Store, work: &Path) -> Server {
    let mut child = borgen_cmd(store, work, &["serve", "--listen", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start borgen serve");
    let stdout = child.stdout.take().expect("stdout");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let tail = Arc::new(Mutex::new(Vec::new()));
    // Keep draining both pipes for the life of the process, so it never blocks
    // on a full pipe; the log (on either) goes to the tail.
    let t = tail.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(url) = line.split("Borgen is running at ").nth(1) {
                let _ = tx.send(url.trim().to_string());
            }
            let mut t = t.lock().expect("stdout tail");
            t.push(line);
            if t.len() > 40 {
                t.remove(0);
            }
        }
    });
    let t = tail.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let mut t = t.lock().expect("stderr tail");
            t.push(line);
            if t.len() > 40 {
                t.remove(0);
            }
        }
    });
    match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(base) => Server { child, base, stderr: tail },
        Err(_) => {
            let _ = child.kill();
            let _ = child.wait();
            panic!("borgen serve did not report its address:\n{}", tail.lock().expect("tail").join("\n"));
        }
    }
}

impl Server {
    /// SIGKILL (what `Child::kill` sends on Unix), and reap the process.
    fn kill(mut self) {
        self.child.kill().expect("kill borgen serve");
        self.child.wait().expect("reap borgen serve");
    }
}

/// A small deterministic generator for the kill moments (xorshift64*).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }
}

/// What the writers saw.
#[derive(Default)]
struct Tally {
    attempted: AtomicUsize,
    acknowledged: AtomicUsize,
    in_flight: AtomicUsize,
    /// Titles whose POST got a 2xx.
    acked: Mutex<Vec<String>>,
    /// Every title sent, answered or not.
    sent: Mutex<HashSet<String>>,
    /// Answers other than 2xx, by status (expected: none).
    refused: Mutex<HashMap<u16, usize>>,
    /// Requests that got no answer (connection reset or refused).
    unanswered: AtomicUsize,
    stop: AtomicBool,
}

/// One writer: POSTs context issues with unique titles until told to stop.
/// After a request without an answer it waits for the next server.
async fn writer(id: usize, token: String, mut base: watch::Receiver<(usize, String)>, tally: Arc<Tally>) {
    let http = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().expect("http client");
    let mut n = 0usize;
    while !tally.stop.load(Ordering::SeqCst) {
        let (epoch, url) = base.borrow_and_update().clone();
        n += 1;
        let title = format!("crash w{id} n{n}");
        let body = json!({"title": title, "kind": if n.is_multiple_of(2) { "internal" } else { "external" }, "category": "technology"});
        tally.sent.lock().expect("sent").insert(title.clone());
        tally.attempted.fetch_add(1, Ordering::SeqCst);
        tally.in_flight.fetch_add(1, Ordering::SeqCst);
        let r =
            http.post(format!("{url}/api/v1/orgs/{SLUG}/context-issues")).bearer_auth(&token).json(&body).send().await;
        tally.in_flight.fetch_sub(1, Ordering::SeqCst);
        match r {
            Ok(resp) if resp.status().is_success() => {
                // Acknowledged the moment the status arrives, whether or not the body follows.
                tally.acknowledged.fetch_add(1, Ordering::SeqCst);
                tally.acked.lock().expect("acked").push(title);
                let _ = resp.bytes().await;
            }
            Ok(resp) => {
                *tally.refused.lock().expect("refused").entry(resp.status().as_u16()).or_default() += 1;
            }
            Err(_) => {
                tally.unanswered.fetch_add(1, Ordering::SeqCst);
                // The server is gone: wait for the next one (or the end).
                while !tally.stop.load(Ordering::SeqCst) && base.borrow().0 == epoch {
                    let _ = tokio::time::timeout(Duration::from_millis(100), base.changed()).await;
                }
            }
        }
    }
}

/// One stored context issue and its create events.
struct Stored {
    id: String,
    title: String,
    kind: String,
    category: String,
}

async fn stored_records(store: &Store) -> (Vec<Stored>, Vec<(String, Option<String>)>) {
    let db = match store {
        Store::Sqlite(dir) => Db::open_existing_sqlite_dir(dir).await.expect("open sqlite"),
        Store::Postgres(url) => Db::connect(url).await.expect("connect"),
    };
    let mut tx = db.read().await.expect("read");
    let org: String = borgen_store::run!(&mut tx, |c| sqlx::query_scalar::<_, String>(
        "SELECT id FROM organisations WHERE slug = $1"
    )
    .bind(SLUG)
    .fetch_one(c)
    .await)
    .expect("org");
    let rows: Vec<(String, String, String, String)> = borgen_store::run!(&mut tx, |c| sqlx::query_as(
        "SELECT id, title, kind, category FROM context_issues WHERE org_id = $1"
    )
    .bind(&org)
    .fetch_all(c)
    .await)
    .expect("issues");
    let events: Vec<(String, Option<String>)> = borgen_store::run!(&mut tx, |c| sqlx::query_as(
        "SELECT entity_id, after_json FROM audit_events \
         WHERE chain = $1 AND entity_type = 'context_issue' AND action = 'create'"
    )
    .bind(&org)
    .fetch_all(c)
    .await)
    .expect("events");
    drop(tx);
    db.close().await;
    let issues = rows.into_iter().map(|(id, title, kind, category)| Stored { id, title, kind, category }).collect();
    (issues, events)
}

/// Every title the API lists for the organisation (all pages).
async fn listed_titles(base: &str, token: &str) -> Vec<String> {
    let api = Client::with_token(base, token);
    let mut titles = Vec::new();
    for page in 1.. {
        let r = api.get(&format!("/api/v1/orgs/{SLUG}/context-issues?per_page=500&page={page}")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let v = r.json();
        let items = v["items"].as_array().expect("items");
        titles.extend(items.iter().map(|i| i["title"].as_str().expect("title").to_string()));
        if items.is_empty() || titles.len() as i64 >= v["total"].as_i64().expect("total") {
            break;
        }
    }
    titles
}

async fn crash_run(engine: &str, store: Store, work: &Path) {
    let t0 = Instant::now();
    let seed: u64 = std::env::var("BORGEN_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64) | 1
    });
    let mut rng = Rng(seed | 1);

    // First-run setup from the command line: an administrator, the organisation, a token.
    let pw = work.join("password");
    std::fs::write(&pw, format!("{PW}\n")).expect("password file");
    let pw = pw.to_str().expect("utf-8 path");
    must_run(&store, work, &["user", "create", "--email", "crash@acme.test", "--admin", "--password-file", pw]);
    must_run(&store, work, &["org", "create", "--name", "Crash B.V.", "--slug", SLUG, "--lang", "en"]);
    must_run(&store, work, &["member", "add", "--org", SLUG, "--user", "crash@acme.test", "--role", "isms_manager"]);
    let token = must_run(&store, work, &["token", "create", "--user", "crash@acme.test", "--org", SLUG]);
    let token = token.trim().to_string();
    assert!(token.starts_with("borgen_"), "{token}");

    let mut server = start_server(&store, work);
    let (base_tx, base_rx) = watch::channel((0usize, server.base.clone()));
    let tally = Arc::new(Tally::default());
    let writers: Vec<_> =
        (0..WRITERS).map(|i| tokio::spawn(writer(i, token.clone(), base_rx.clone(), tally.clone()))).collect();

    let mut at_kill = Vec::new();
    for kill in 1..=KILLS {
        // Let this server take some writes, wait a while longer, then kill it mid-write.
        let acked_before = tally.acknowledged.load(Ordering::SeqCst);
        while tally.acknowledged.load(Ordering::SeqCst) < acked_before + 50 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        tokio::time::sleep(Duration::from_millis(200 + rng.below(1000))).await;
        while tally.in_flight.load(Ordering::SeqCst) == 0 {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        let in_flight = tally.in_flight.load(Ordering::SeqCst);
        server.kill();
        at_kill.push((in_flight, tally.acknowledged.load(Ordering::SeqCst)));
        server = tokio::task::spawn_blocking({
            let store = match &store {
                Store::Sqlite(d) => Store::Sqlite(d.clone()),
                Store::Postgres(u) => Store::Postgres(u.clone()),
            };
            let work = work.to_path_buf();
            move || start_server(&store, &work)
        })
        .await
        .expect("restart");
        base_tx.send_replace((kill, server.base.clone()));
    }
    // The last server takes writes too, then the load stops.
    let acked_before = tally.acknowledged.load(Ordering::SeqCst);
    while tally.acknowledged.load(Ordering::SeqCst) < acked_before + 20 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    tally.stop.store(true, Ordering::SeqCst);
    for w in writers {
        w.await.expect("writer");
    }

    // Through the API: every acknowledged write is listed, nothing twice, nothing unknown.
    let listed = listed_titles(&server.base, &token).await;
    let tail = server.stderr.lock().expect("tail").join("\n");
    server.kill();
    let acked = tally.acked.lock().expect("acked").clone();
    let sent = tally.sent.lock().expect("sent").clone();
    let listed_set: HashSet<&String> = listed.iter().collect();
    assert_eq!(listed_set.len(), listed.len(), "a write is listed twice");
    let lost: Vec<&String> = acked.iter().filter(|t| !listed_set.contains(t)).collect();
    let found = acked.len() - lost.len();
    assert!(listed.iter().all(|t| sent.contains(t)), "the API lists a record nobody sent");

    // In the database: each record whole, with exactly one create event that describes it.
    let (issues, events) = stored_records(&store).await;
    assert_eq!(issues.len(), listed.len(), "the API and the database disagree");
    let mut events_by_id: HashMap<&str, Vec<Option<&str>>> = HashMap::new();
    for (id, after) in &events {
        events_by_id.entry(id.as_str()).or_default().push(after.as_deref());
    }
    for i in &issues {
        let n: usize = i.title.rsplit(" n").next().and_then(|n| n.parse().ok()).expect("title names its number");
        let kind = if n.is_multiple_of(2) { "internal" } else { "external" };
        assert!(i.kind == kind && i.category == "technology", "record {} is not as sent", i.title);
        let ev = events_by_id.get(i.id.as_str()).map(Vec::as_slice).unwrap_or_default();
        assert_eq!(ev.len(), 1, "record {} ({}) has {} create events", i.title, i.id, ev.len());
        let after: Value = serde_json::from_str(ev[0].expect("after_json")).expect("after_json is JSON");
        assert!(after["id"] == i.id && after["title"] == i.title, "the audit event of {} does not match it", i.title);
    }
    assert_eq!(events.len(), issues.len(), "a create event without its record");

    // And the chains hold.
    let verify = must_run(&store, work, &["audit", "verify"]);
    assert!(verify.contains("intact"), "{verify}");

    let attempted = tally.attempted.load(Ordering::SeqCst);
    let unacked_present = issues.len() - found;
    println!(
        "crash test [{engine}]: seed {seed}, {WRITERS} writers, {KILLS} kills by SIGKILL \
         (writes in flight at each kill: {:?}; acknowledged so far: {:?})",
        at_kill.iter().map(|k| k.0).collect::<Vec<_>>(),
        at_kill.iter().map(|k| k.1).collect::<Vec<_>>(),
    );
    println!(
        "crash test [{engine}]: attempted {attempted}, acknowledged {}, found after restarts {found}, lost {}, \
         unanswered {} (of which stored anyway {unacked_present}), refused {:?}, records stored {}, \
         create events {}; {}; run time {:.1} s",
        acked.len(),
        lost.len(),
        tally.unanswered.load(Ordering::SeqCst),
        tally.refused.lock().expect("refused"),
        issues.len(),
        events.len(),
        verify.trim(),
        t0.elapsed().as_secs_f64(),
    );
    assert!(
        lost.is_empty(),
        "{} acknowledged writes lost, e.g. {:?}\nserver log tail:\n{tail}",
        lost.len(),
        &lost[..lost.len().min(5)]
    );
    assert!(tally.refused.lock().expect("refused").is_empty(), "writes refused:\nserver log tail:\n{tail}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_acknowledged_writes_survive_sigkill() {
    let work = tempfile::tempdir().expect("temp dir");
    let data = work.path().join("data");
    crash_run("sqlite", Store::Sqlite(data), work.path()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_acknowledged_writes_survive_sigkill() {
    let Some(url) = borgen_testkit::fresh_pg_database().await else { return };
    /// Drops the database at the end, also when the test fails.
    struct Dropper(String);
    impl Drop for Dropper {
        fn drop(&mut self) {
            borgen_testkit::drop_pg_database(&self.0);
        }
    }
    let _drop = Dropper(url.clone());
    let work = tempfile::tempdir().expect("temp dir");
    crash_run("postgres", Store::Postgres(url), work.path()).await;
}

/// The security events a real `borgen serve` writes to its log (target
/// `security`, at WARN): a failed and a successful login are there with the
/// e-mail address and the client's address; the password typed, the session
/// cookie and the CSRF token never are.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn security_events_reach_the_log_without_secrets() {
    let work = tempfile::tempdir().expect("temp dir");
    let store = Store::Sqlite(work.path().join("data"));
    let pw = work.path().join("pw");
    std::fs::write(&pw, "a long enough passphrase\n").expect("password file");
    let pw = pw.to_str().expect("path");
    must_run(
        &store,
        work.path(),
        &["user", "create", "--email", "ann@example.nl", "--name", "Ann", "--password-file", pw],
    );
    let server = start_server(&store, work.path());
    let c = Client::new(&server.base);
    let wrong = "Wrong-Guess-7d1f9c";
    let r = c.post_form("/login", &[("email", "ann@example.nl"), ("password", wrong)]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
    let r = c.post_form("/login", &[("email", "ann@example.nl"), ("password", "a long enough passphrase")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let session = c.cookie("borgen_session").expect("a session");
    let csrf = c.csrf();
    // The log is read from a pipe: give the lines a moment to arrive.
    let mut log = String::new();
    for _ in 0..50 {
        log = server.stderr.lock().expect("tail").join("\n");
        if log.contains("login_success") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    server.kill();
    let log = strip_ansi(&log);
    let failed = log
        .lines()
        .find(|l| l.contains("event=\"login_failed\""))
        .unwrap_or_else(|| panic!("no failed login in:\n{log}"));
    assert!(
        failed.contains("security") && failed.contains("ann@example.nl") && failed.contains("127.0.0.1"),
        "{failed}"
    );
    assert!(log.lines().any(|l| l.contains("event=\"login_success\"") && l.contains("ann@example.nl")), "{log}");
    for secret in [wrong, "a long enough passphrase", session.as_str(), csrf.as_str()] {
        assert!(!log.contains(secret), "a secret reached the log:\n{log}");
    }
}

/// The text of a log line without its terminal colour codes.
fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // ESC [ … final letter
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
