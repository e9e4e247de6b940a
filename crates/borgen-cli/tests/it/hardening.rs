//! The login/session/token/CSRF hardening (OWASP ASVS 5.0 level 2): one test
//! per finding, through HTTP.

use crate::common::*;

fn proxied() -> TestOptions {
    TestOptions { trust_proxy: true, ..Default::default() }
}

/// How many stored security events of a kind there are.
async fn events(s: &TestServer, kind: &str) -> i64 {
    let mut tx = s.app.db.read().await.unwrap();
    borgen_store::run!(&mut tx, |c| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM security_events WHERE kind = $1"
    )
    .bind(kind)
    .fetch_one(c)
    .await)
    .unwrap()
}

// Finding 1: login input is bounded before anything is stored, and refused
// attempts beyond the limit store nothing.
db_test!(login_input_is_bounded_and_refused_attempts_store_nothing, |s| {
    s.setup("ann@example.nl", PW, "Acme", "acme").await;
    let c = s.client();
    c.get("/login").await;
    let before = (s.count("login_attempts").await, s.count("security_events").await);
    let huge = format!("{}@example.nl", "a".repeat(900_000));
    let r = c.post_form("/login", &[("email", huge.as_str()), ("password", "whatever")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("far too long"), "{}", &r.text[..200.min(r.text.len())]);
    assert!(!r.text.contains("aaaaaaaaaa"), "the input is not echoed back");
    let long_pw = "p".repeat(5000);
    let r = c.post_form("/login", &[("email", "ann@example.nl"), ("password", long_pw.as_str())]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!((s.count("login_attempts").await, s.count("security_events").await), before, "nothing stored");
    // Thirty wrong guesses: only those up to the limit are stored.
    for _ in 0..30 {
        let r = c.post_form("/login", &[("email", "ann@example.nl"), ("password", "wrong password")]).await;
        assert!(matches!(r.status, StatusCode::UNAUTHORIZED | StatusCode::TOO_MANY_REQUESTS), "{}", r.status);
    }
    let stored = s.count("login_attempts").await;
    assert!(stored <= 6, "{stored} attempts stored for 30 guesses; the limit is 5");
    // A Dutch browser reads the message in Dutch.
    let nl = s.client().with_lang("nl");
    nl.get("/login").await;
    let r = nl.post_form("/login", &[("email", huge.as_str()), ("password", "x")]).await;
    assert!(r.text.contains("veel te lang"), "localised");
});

// Finding 2: lockout is per (account, address) plus per address; the owner
// elsewhere is not locked out; the lockout is logged.
db_test!(an_outsider_cannot_lock_an_account_from_elsewhere, proxied(), |s| {
    let admin = s.setup("ann@example.nl", PW, "Acme", "acme").await;
    s.user_with_roles("bob@example.nl", PW, "acme", &["viewer"]).await;
    let attacker = s.client().with_header("x-forwarded-for", "203.0.113.9");
    attacker.get("/login").await;
    let mut last = StatusCode::OK;
    for _ in 0..6 {
        last =
            attacker.post_form("/login", &[("email", "bob@example.nl"), ("password", "wrong password")]).await.status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    // The attacker's address stays locked for this account, even with the right password...
    let r = attacker.post_form("/login", &[("email", "bob@example.nl"), ("password", PW)]).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    // ...but Bob logs in from his own address.
    let bob = s.client().with_header("x-forwarded-for", "198.51.100.7");
    bob.get("/login").await;
    let r = bob.post_form("/login", &[("email", "bob@example.nl"), ("password", PW)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "the owner is not locked out from elsewhere");
    // One address guessing across many accounts hits the per-address limit.
    let sprayer = s.client().with_header("x-forwarded-for", "203.0.113.50");
    sprayer.get("/login").await;
    for i in 0..20 {
        let email = format!("user{i}@example.nl");
        let r = sprayer.post_form("/login", &[("email", email.as_str()), ("password", "wrong password")]).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "guess {i}");
    }
    let r = sprayer.post_form("/login", &[("email", "ann@example.nl"), ("password", PW)]).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "the address is limited whatever the account");
    // Lockouts are logged and shown to the administrator.
    assert!(events(&s, "login_lockout").await >= 2);
    let page = admin.get("/admin/security").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("Login blocked (too many attempts)") && page.text.contains("203.0.113.9"));
    assert!(!page.text.contains("wrong password"), "no passwords in the log");
});

// Finding 3: the CSRF token is bound to the session, rotates at login, and
// the cookies get the __Host- prefix and Secure over https.
db_test!(csrf_tokens_are_bound_to_the_session_and_rotate_at_login, |s| {
    s.setup("ann@example.nl", PW, "Acme", "acme").await;
    let c = s.client();
    c.get("/login").await;
    let anonymous = c.csrf();
    assert_eq!(anonymous.len(), 64);
    let r = c.post_form("/login", &[("email", "ann@example.nl"), ("password", PW)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let bound = c.csrf();
    assert_ne!(bound, anonymous, "login rotates the CSRF token");
    let session = c.cookie("borgen_session").unwrap();
    let form = |tok: &str| format!("title=x&kind=internal&category=legal&_csrf={tok}");
    let n = s.count("context_issues").await;
    // A cookie and field pair planted by an attacker (plain double-submit
    // accepted this) is refused: the token must be the session's.
    let planted = "ab".repeat(32);
    let raw = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let r = Client::send(
        raw.post(s.url("/o/acme/context/issues"))
            .header("cookie", format!("borgen_session={session}; borgen_csrf={planted}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(&planted)),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "a planted token is refused");
    // The pre-login token no longer works.
    let r = c.post_raw("/o/acme/context/issues", "application/x-www-form-urlencoded", &form(&anonymous)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Another session of the same user has another token.
    let other = s.login("ann@example.nl", PW).await;
    assert_ne!(other.csrf(), bound);
    let r = c.post_raw("/o/acme/context/issues", "application/x-www-form-urlencoded", &form(&other.csrf())).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // JSON with a planted header/cookie pair is refused too.
    let r = Client::send(
        raw.post(s.url("/api/v1/orgs/acme/context-issues"))
            .header("cookie", format!("borgen_session={session}; borgen_csrf={planted}"))
            .header("x-csrf-token", planted.as_str())
            .json(&json!({"title": "x", "kind": "internal", "category": "legal"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(s.count("context_issues").await, n);
    // The session's own token works, in forms and JSON.
    let r = c.post_raw("/o/acme/context/issues", "application/x-www-form-urlencoded", &form(&bound)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let r = c
        .json(
            Method::POST,
            "/api/v1/orgs/acme/context-issues",
            &json!({"title": "y", "kind": "internal", "category": "legal"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    // Logout gives a fresh pre-session token.
    c.post_form("/logout", &[]).await;
    assert_ne!(c.csrf(), bound);
});

db_test!(cookies_are_host_prefixed_and_secure_over_https, proxied(), |s| {
    s.setup("ann@example.nl", PW, "Acme", "acme").await;
    let raw = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    // Plain http: unprefixed, not Secure (local development keeps working).
    let r = Client::send(raw.get(s.url("/login"))).await;
    let c = r.set_cookies().into_iter().find(|c| c.contains("csrf")).unwrap();
    assert!(c.starts_with("borgen_csrf=") && !c.contains("Secure"), "{c}");
    // Behind a proxy that says https: __Host- and Secure.
    let r = Client::send(raw.get(s.url("/login")).header("x-forwarded-proto", "https")).await;
    let c = r.set_cookies().into_iter().find(|c| c.contains("csrf")).unwrap();
    assert!(c.starts_with("__Host-borgen_csrf=") && c.contains("Secure") && c.contains("Path=/"), "{c}");
    assert!(!c.contains("Domain"), "{c}");
    let pre = c.split(';').next().unwrap().split_once('=').unwrap().1.to_string();
    let body =
        serde_urlencoded::to_string([("email", "ann@example.nl"), ("password", PW), ("_csrf", pre.as_str())]).unwrap();
    let r = Client::send(
        raw.post(s.url("/login"))
            .header("x-forwarded-proto", "https")
            .header("cookie", format!("__Host-borgen_csrf={pre}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let cookies = r.set_cookies();
    let session = cookies.iter().find(|c| c.starts_with("__Host-borgen_session=")).expect("prefixed session cookie");
    assert!(session.contains("Secure") && session.contains("HttpOnly"), "{session}");
    assert!(cookies.iter().any(|c| c.starts_with("__Host-borgen_csrf=") && !c.contains(&pre)), "rotated: {cookies:?}");
    assert!(r.headers.contains_key("strict-transport-security"));
    // An unprefixed cookie planted over https is not read as the session.
    let token = session.split(';').next().unwrap().split_once('=').unwrap().1.to_string();
    let r = Client::send(
        raw.get(s.url("/o/acme"))
            .header("x-forwarded-proto", "https")
            .header("cookie", format!("borgen_session={token}")),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = Client::send(
        raw.get(s.url("/o/acme"))
            .header("x-forwarded-proto", "https")
            .header("cookie", format!("__Host-borgen_session={token}")),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
});

fn revoke_links(page: &str) -> Vec<String> {
    page.split("action=\"/account/sessions/")
        .skip(1)
        .filter_map(|p| p.split('"').next())
        .filter(|p| p.ends_with("/revoke") && !p.starts_with("revoke-others"))
        .map(|p| format!("/account/sessions/{p}"))
        .collect()
}

// Finding 4: idle timeout; the account page lists sessions and ends them; a
// password change ends the other sessions.
db_test!(sessions_time_out_are_listed_and_can_be_ended, |s| {
    s.setup("ann@example.nl", PW, "Acme", "acme").await;
    let a = s.login("ann@example.nl", PW).await;
    let b = s.login("ann@example.nl", PW).await;
    let page = a.get("/account").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text.matches("This session").count(), 1, "the current session is marked");
    let links = revoke_links(&page.text);
    assert!(links.len() >= 2, "the other sessions can be ended: {links:?}");
    assert!(page.text.contains("Last used") && page.text.contains("Log out everywhere else"));
    // End one session (B is the newest other one: the first in the list).
    let r = a.post_form(&links[0], &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(b.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED, "B ended");
    assert_eq!(a.get("/api/v1/me").await.status, StatusCode::OK);
    assert_eq!(
        a.post_form("/account/sessions/00000000000000000000000000000000/revoke", &[]).await.status,
        StatusCode::NOT_FOUND
    );
    // Log out everywhere else.
    let c = s.login("ann@example.nl", PW).await;
    let r = a.post_form("/account/sessions/revoke-others", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(c.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(a.get("/api/v1/me").await.status, StatusCode::OK);
    // A password change asks for the current password and ends the others.
    let d = s.login("ann@example.nl", PW).await;
    let r = a
        .post_form(
            "/account/password",
            &[("current_password", "not it at all"), ("new_password", "a brand new passphrase")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("This is not your current password"));
    let r = a.post_form("/account/password", &[("current_password", PW), ("new_password", "Password2024")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("list of common passwords"));
    let audit = s.count("audit_events").await;
    let r =
        a.post_form("/account/password", &[("current_password", PW), ("new_password", "a brand new passphrase")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(s.count("audit_events").await, audit + 1, "the change is in the audit trail");
    assert_eq!(d.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED, "other sessions end");
    assert_eq!(a.get("/api/v1/me").await.status, StatusCode::OK, "this one goes on");
    s.login("ann@example.nl", "a brand new passphrase").await;
    // Idle for longer than the timeout: the session ends.
    s.exec("UPDATE sessions SET last_seen_at = '2000-01-01T00:00:00.000000Z'").await;
    let r = a.get("/o/acme").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/login"));
    assert_eq!(a.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
});

// Last seen is written at most once a minute, not at every request.
db_test!(last_seen_is_not_written_at_every_request, |s| {
    let a = s.setup("ann@example.nl", PW, "Acme", "acme").await;
    a.get("/o/acme").await;
    let stamp = "2999-01-01T00:00:00.000000Z";
    // A time in the future: a request within the minute leaves it alone.
    s.exec(&format!("UPDATE sessions SET last_seen_at = '{stamp}'")).await;
    a.get("/o/acme").await;
    let mut tx = s.app.db.read().await.unwrap();
    let seen: Option<String> =
        borgen_store::run!(&mut tx, |c| sqlx::query_scalar("SELECT last_seen_at FROM sessions").fetch_one(c).await)
            .unwrap();
    assert_eq!(seen.as_deref(), Some(stamp));
});

// Finding 5: new passwords are checked against common passwords and the
// user's own e-mail address and name, with a localised message.
db_test!(common_and_personal_passwords_are_refused, |s| {
    let code = s.app.issue_setup_code().await.unwrap().unwrap();
    let c = s.client().with_lang("nl");
    c.get("/setup").await;
    let fields = |pw: &'static str| {
        vec![
            ("setup_code", code.clone()),
            ("name", "Ann de Vries".to_string()),
            ("email", "annedevries@example.nl".to_string()),
            ("password", pw.to_string()),
            ("org_name", "Acme".to_string()),
            ("org_slug", "acme".to_string()),
            ("lang", "nl".to_string()),
        ]
    };
    let post = |f: Vec<(&'static str, String)>| {
        let c = c.clone();
        async move {
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            c.post_form("/setup", &f).await
        }
    };
    let r = post(fields("Wachtwoord123")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("veelgebruikte wachtwoorden"), "Dutch message");
    let r = post(fields("annedevries@example.nl")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("e-mailadres of naam"));
    assert_eq!(s.count("users").await, 0);
    let r = post(fields(PW)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // The command line applies the same rule.
    s.user_with_roles("bob@example.nl", PW, "acme", &["viewer"]).await;
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), "qwertyuiop123\n").unwrap();
    let (code, _, err) = run(borgen(
        &s,
        &["user", "set-password", "--email", "bob@example.nl", "--password-file", file.path().to_str().unwrap()],
    ));
    assert_eq!(code, 1);
    assert!(err.contains("common passwords"), "{err}");
});

fn new_token(page: &str) -> String {
    page.split("id=\"new-token\">").nth(1).and_then(|t| t.split('<').next()).unwrap().to_string()
}

// Finding 6: tokens have a scope and an optional expiry; read tokens cannot
// change anything; expired and revoked tokens are refused at once.
db_test!(api_tokens_have_a_scope_and_an_expiry, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    let issue = json!({"title": "via token", "kind": "internal", "category": "legal"});
    let r = m.post_form("/o/acme/tokens", &[("name", "reader"), ("scope", "read"), ("expires_on", "")]).await;
    assert_eq!(r.status, StatusCode::OK);
    let reader = Client::with_token(&w.s.base, &new_token(&r.text));
    assert_eq!(reader.get("/api/v1/orgs/acme/context-issues").await.status, StatusCode::OK);
    let n = w.s.count("context_issues").await;
    let r = reader.json(Method::POST, "/api/v1/orgs/acme/context-issues", &issue).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["error"]["code"], "security.token_read_only");
    assert_eq!(
        reader.call(Method::POST, "/api/v1/orgs/acme/context-issues/x/archive").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(w.s.count("context_issues").await, n);
    let r =
        m.post_form("/o/acme/tokens", &[("name", "writer"), ("scope", "write"), ("expires_on", "2999-12-31")]).await;
    let writer = Client::with_token(&w.s.base, &new_token(&r.text));
    assert_eq!(writer.json(Method::POST, "/api/v1/orgs/acme/context-issues", &issue).await.status, StatusCode::CREATED);
    // Bad input: an expiry in the past or an unknown scope, nothing made.
    let tokens = w.s.count("api_tokens").await;
    let r = m.post_form("/o/acme/tokens", &[("name", "old"), ("scope", "read"), ("expires_on", "2001-01-01")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("a date in the future"));
    let r = m.post_form("/o/acme/tokens", &[("name", "odd"), ("scope", "admin")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(w.s.count("api_tokens").await, tokens);
    // The page shows scope, expiry and last use.
    let page = m.get("/o/acme/tokens").await.text;
    assert!(page.contains("Read only") && page.contains("Read and write") && page.contains("2999-12-31"));
    let times = page.matches(" CET").count() + page.matches(" CEST").count();
    assert!(times >= 4, "created and last used, for both tokens, on the Dutch clock");
    // Past its last day, a token is refused.
    w.s.exec("UPDATE api_tokens SET expires_on = '2001-01-01' WHERE name = 'writer'").await;
    let r = writer.get("/api/v1/orgs/acme/context-issues").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["error"]["code"], "security.token_expired");
    // Revocation works at once.
    let id = page.split("/o/acme/tokens/").nth(1).and_then(|t| t.split('/').next()).unwrap().to_string();
    assert_eq!(m.post_form(&format!("/o/acme/tokens/{id}/revoke"), &[]).await.status, StatusCode::SEE_OTHER);
    assert!(events(&w.s, "token_refused").await >= 2, "read-only and expired refusals are stored");
    // The command line takes a scope and an expiry.
    let (code, out, err) = run(borgen(
        &w.s,
        &[
            "token",
            "create",
            "--user",
            "manager@acme.test",
            "--org",
            "acme",
            "--scope",
            "read",
            "--expires",
            "2999-01-01",
        ],
    ));
    assert_eq!(code, 0, "{err}");
    let cli = Client::with_token(&w.s.base, out.trim());
    assert_eq!(cli.get("/api/v1/orgs/acme/context-issues").await.status, StatusCode::OK);
    assert_eq!(cli.json(Method::POST, "/api/v1/orgs/acme/context-issues", &issue).await.status, StatusCode::FORBIDDEN);
    let (code, _, _) =
        run(borgen(&w.s, &["token", "create", "--user", "viewer@acme.test", "--org", "acme", "--scope", "all"]));
    assert_eq!(code, 1);
});

// Revocation is immediate, for the token that was revoked.
db_test!(a_revoked_token_is_refused_at_once, |s| {
    let w = World::new(s).await;
    let r = w.manager.post_form("/o/acme/tokens", &[("name", "short lived"), ("scope", "read")]).await;
    let api = Client::with_token(&w.s.base, &new_token(&r.text));
    assert_eq!(api.get("/api/v1/orgs/acme/context-issues").await.status, StatusCode::OK);
    let page = w.manager.get("/o/acme/tokens").await.text;
    let id = page.split("/o/acme/tokens/").nth(1).and_then(|t| t.split('/').next()).unwrap().to_string();
    assert_eq!(w.manager.post_form(&format!("/o/acme/tokens/{id}/revoke"), &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(api.get("/api/v1/orgs/acme/context-issues").await.status, StatusCode::UNAUTHORIZED);
});

// Finding 7: /metrics needs its token unless explicitly public.
#[tokio::test]
async fn metrics_need_a_token_unless_made_public() {
    let closed =
        TestServer::start_with(Engine::Sqlite, TestOptions { metrics: true, ..Default::default() }).await.unwrap();
    closed.client().get("/login").await;
    assert_eq!(closed.client().get("/metrics").await.status, StatusCode::NOT_FOUND, "no token configured: not served");
    let opts = TestOptions { metrics: true, metrics_token: Some("metrics-secret-1234".into()), ..Default::default() };
    let guarded = TestServer::start_with(Engine::Sqlite, opts).await.unwrap();
    guarded.client().get("/login").await;
    assert_eq!(guarded.client().get("/metrics").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(Client::with_token(&guarded.base, "wrong").get("/metrics").await.status, StatusCode::UNAUTHORIZED);
    let r = Client::with_token(&guarded.base, "metrics-secret-1234").get("/metrics").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("borgen_http_requests_total"), "{}", r.text);
    let public = TestServer::start_with(
        Engine::Sqlite,
        TestOptions { metrics: true, metrics_public: true, ..Default::default() },
    )
    .await
    .unwrap();
    assert_eq!(public.client().get("/metrics").await.status, StatusCode::OK);
}

// Finding 8: security events are stored (bounded, pruned) and shown to
// installation administrators only.
db_test!(security_events_are_stored_and_shown_to_administrators, |s| {
    let w = World::new(s).await;
    w.s.exec(
        "INSERT INTO security_events (id, at, kind, email, ip) VALUES ('old', '2000-01-01T00:00:00.000000Z', 'login_failed', 'old@example.nl', '192.0.2.1')",
    )
    .await;
    let c = w.s.client();
    c.get("/login").await;
    c.post_form("/login", &[("email", "viewer@acme.test"), ("password", "a wrong guess here")]).await;
    assert_eq!(
        Client::with_token(&w.s.base, "borgen_nonsense").get("/api/v1/orgs/acme/context-issues").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert!(events(&w.s, "login_success").await >= 1, "the World's logins");
    assert!(events(&w.s, "login_failed").await >= 1);
    assert!(events(&w.s, "token_refused").await >= 1);
    let page = w.admin.get("/admin/security").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text.contains("Failed login")
            && page.text.contains("viewer@acme.test")
            && page.text.contains("API token refused")
    );
    assert!(!page.text.contains("a wrong guess here") && !page.text.contains("borgen_nonsense"), "no secrets");
    assert!(!page.text.contains("old@example.nl"), "events older than 90 days are pruned");
    assert!(w.admin.get("/admin").await.text.contains("/admin/security"));
    // Nobody else reads them.
    assert_eq!(w.manager.get("/admin/security").await.status, StatusCode::FORBIDDEN);
    assert_eq!(w.s.client().get("/admin/security").await.status, StatusCode::SEE_OTHER);
    // In Dutch too.
    w.admin.post_form("/lang", &[("lang", "nl"), ("next", "/")]).await;
    assert!(w.admin.get("/admin/security").await.text.contains("Beveiligingsgebeurtenissen"));
});
