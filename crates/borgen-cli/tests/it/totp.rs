//! The second factor (TOTP, RFC 6238) through the real interfaces: enrolment
//! on the account page (the test is the authenticator app: it reads the
//! secret from the page and computes the codes itself, with totp-rs),
//! logins with a code or a recovery code, wrong and reused codes, turning it
//! off, the organisation's requirement, and the fresh code at approvals.

use crate::common::*;
use std::time::{SystemTime, UNIX_EPOCH};

/// The tests' authenticator app. A code is never given twice for one step
/// (the server refuses that), so each code is of the next unused step within
/// the drift the server allows, waiting for the clock where needed.
struct Authenticator {
    secret: Vec<u8>,
    last: Option<u64>,
}

fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

impl Authenticator {
    /// Reads the key (base32, grouped by four) from the enrolment page.
    fn from_page(html: &str) -> Authenticator {
        let at = html.find("totp-secret\"").expect("the page shows the key");
        let rest = &html[at..];
        let start = rest.find('>').unwrap() + 1;
        let end = rest[start..].find('<').unwrap() + start;
        let b32: String = rest[start..end].chars().filter(|c| !c.is_whitespace()).collect();
        assert_eq!(b32.len(), 32, "a 160-bit key: {b32}");
        let secret = totp_rs::Secret::Encoded(b32).to_bytes().expect("the key is base32");
        Authenticator { secret, last: None }
    }

    fn code_of_step(&self, step: u64) -> String {
        totp_rs::TOTP::new_unchecked(totp_rs::Algorithm::SHA1, 6, 0, 30, self.secret.clone()).generate(step * 30)
    }

    /// A code the server has not seen, valid now.
    async fn code(&mut self) -> String {
        loop {
            let now = unix_now();
            // Too close to the next step, the server might already be there.
            if now % 30 >= 27 {
                tokio::time::sleep(std::time::Duration::from_secs(31 - now % 30)).await;
                continue;
            }
            let current = now / 30;
            let step = self.last.map_or(current - 1, |l| (l + 1).max(current - 1));
            if step > current + 1 {
                let wait = (step - 1) * 30 - now + 1;
                tokio::time::sleep(std::time::Duration::from_secs(wait)).await;
                continue;
            }
            self.last = Some(step);
            return self.code_of_step(step);
        }
    }

    /// A code that is wrong (not of any step near now).
    fn wrong_code(&self) -> String {
        let near: Vec<String> = (0..5).map(|d| self.code_of_step(unix_now() / 30 + d - 2)).collect();
        (0..1_000_000).map(|n| format!("{n:06}")).find(|c| !near.contains(c)).unwrap()
    }
}

/// Sets up TOTP for the logged-in client: start, read the key, confirm with
/// a code. Returns the app and the ten recovery codes shown once.
async fn enrol(c: &Client) -> (Authenticator, Vec<String>) {
    let r = c.post_form("/account/totp/start", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let page = c.get("/account").await;
    let mut app = Authenticator::from_page(&page.text);
    let code = app.code().await;
    let r = c.post_form("/account/totp/confirm", &[("code", code.as_str())]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    (app, recovery_codes(&r.text))
}

fn recovery_codes(html: &str) -> Vec<String> {
    let at = html.find("class=\"codes\"").expect("the recovery codes are shown");
    let list = &html[at..html[at..].find("</ol>").unwrap() + at];
    list.split("<code>").skip(1).map(|c| c.split('<').next().unwrap().to_string()).collect()
}

/// The password step of a login: the pending-login redirect, no session.
async fn password_step(s: &TestServer, email: &str) -> Client {
    let c = s.client();
    c.get("/login").await;
    let r = c.post_form("/login", &[("email", email), ("password", PW), ("next", "/o/acme")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(r.location(), "/login/code?next=%2Fo%2Facme");
    assert!(c.cookie("borgen_session").is_none(), "no session before the code");
    c
}

async fn count_where(s: &TestServer, sql: &'static str, arg: &str) -> i64 {
    let mut tx = s.app.db.read().await.unwrap();
    borgen_store::run!(&mut tx, |c| sqlx::query_scalar::<_, i64>(sql).bind(arg).fetch_one(c).await).unwrap()
}

async fn events(s: &TestServer, kind: &str) -> i64 {
    count_where(s, "SELECT COUNT(*) FROM security_events WHERE kind = $1", kind).await
}

async fn failed_attempts(s: &TestServer, email: &str) -> i64 {
    count_where(s, "SELECT COUNT(*) FROM login_attempts WHERE email = $1 AND success = FALSE", email).await
}

db_test!(totp_enrolment_shows_a_qr_code_and_needs_a_valid_code, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    let page = m.get("/account").await.text;
    assert!(page.contains("Two-step verification") && page.contains("action=\"/account/totp/start\""));
    let r = m.post_form("/account/totp/start", &[]).await;
    assert_eq!(r.location(), "/account#second-factor");
    let page = m.get("/account").await;
    assert_eq!(page.status, StatusCode::OK);
    // The QR code is drawn on the server as inline SVG: no image fetched, no script.
    assert!(page.text.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""), "inline SVG");
    assert!(!page.text.contains("<img") && !page.text.contains("<script>"));
    let csp = page.headers["content-security-policy"].to_str().unwrap();
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert!(
        page.text.contains("otpauth://totp/Borgen:manager@acme.test?secret=")
            && page.text.contains("&amp;issuer=Borgen"),
        "the key URI is shown"
    );
    let mut app = Authenticator::from_page(&page.text);
    // Pending: the secret does nothing yet; logging in needs no code.
    let again = w.s.login("manager@acme.test", PW).await;
    assert_eq!(again.get("/o/acme").await.status, StatusCode::OK);
    // A wrong code does not confirm.
    let r = m.post_form("/account/totp/confirm", &[("code", app.wrong_code().as_str())]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("This code is not right"), "{}", r.text);
    let r = m.post_form("/account/totp/confirm", &[("code", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("Enter the 6-digit code"));
    let confirmed = "SELECT COUNT(*) FROM totp_factors WHERE confirmed_at IS NOT NULL AND user_id <> $1";
    assert_eq!(count_where(&w.s, confirmed, "").await, 0, "still pending");
    // The current code confirms and shows ten recovery codes, once.
    let code = app.code().await;
    let r = m.post_form("/account/totp/confirm", &[("code", code.as_str())]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let codes = recovery_codes(&r.text);
    assert_eq!(codes.len(), 10);
    assert!(codes.iter().all(|c| c.len() == 23), "{codes:?}");
    assert!(r.text.contains("shown only this once"));
    let page = m.get("/account").await.text;
    assert!(page.contains("Two-step verification is on") && page.contains("Recovery codes left: 10 of 10."));
    assert!(!page.contains(&codes[0]), "never shown again");
    assert!(!page.contains("totp-secret"), "nor the key");
    // Only hashes are stored.
    let stored = count_where(&w.s, "SELECT COUNT(*) FROM recovery_codes WHERE code_hash = $1", &codes[0]).await;
    assert_eq!(stored, 0);
    assert_eq!(w.s.count("recovery_codes").await, 10);
    assert_eq!(events(&w.s, "totp_enabled").await, 1);
    // Starting again while on is refused.
    assert_eq!(m.post_form("/account/totp/start", &[]).await.status, StatusCode::CONFLICT);
    // In Dutch.
    let nl = w.s.login("viewer@acme.test", PW).await;
    nl.post_form("/lang", &[("lang", "nl"), ("next", "/account")]).await;
    nl.post_form("/account/totp/start", &[]).await;
    let page = nl.get("/account").await.text;
    assert!(page.contains("Tweestapsverificatie") && page.contains("authenticator-app"), "Dutch page");
    assert!(page.contains("<svg"));
});

db_test!(login_asks_for_the_code_after_the_password, |s| {
    let w = World::new(s).await;
    let (mut app, _) = enrol(&w.manager).await;
    let c = password_step(&w.s, "manager@acme.test").await;
    let pending = c.cookie("borgen_login").expect("pending-login cookie");
    assert_eq!(pending.len(), 64);
    assert_eq!(c.get("/o/acme").await.status, StatusCode::SEE_OTHER, "not logged in yet");
    let form = c.get("/login/code?next=%2Fo%2Facme").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text.contains("autocomplete=\"one-time-code\"") && form.text.contains("recovery code"));
    // A wrong code is refused, counted as a failed login, and logged.
    let before = failed_attempts(&w.s, "manager@acme.test").await;
    let wrong = app.wrong_code();
    let r = c.post_form("/login/code", &[("code", wrong.as_str()), ("next", "/o/acme")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("This code is not right"));
    assert_eq!(failed_attempts(&w.s, "manager@acme.test").await, before + 1);
    assert_eq!(events(&w.s, "totp_failed").await, 1);
    let logged =
        count_where(&w.s, "SELECT COUNT(*) FROM security_events WHERE detail LIKE $1", &format!("%{wrong}%")).await;
    assert_eq!(logged, 0, "the code is never logged");
    assert!(c.cookie("borgen_session").is_none());
    // The right code starts the session, with fresh cookies.
    let code = app.code().await;
    let csrf_before = c.csrf();
    let r = c.post_form("/login/code", &[("code", code.as_str()), ("next", "/o/acme")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(r.location(), "/o/acme");
    assert!(r.set_cookies().iter().any(|c| c.starts_with("borgen_login=;") && c.contains("Max-Age=0")));
    assert_ne!(c.csrf(), csrf_before, "the CSRF token rotates");
    assert_eq!(c.get("/o/acme").await.status, StatusCode::OK);
    assert!(events(&w.s, "login_success").await >= 1);
    // The same code cannot log in again.
    let other = password_step(&w.s, "manager@acme.test").await;
    let r = other.post_form("/login/code", &[("code", code.as_str())]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("already been used"), "{}", r.text);
    // Without a pending login the code page sends the user to the password.
    let stranger = w.s.client();
    stranger.get("/login").await;
    let r = stranger.post_form("/login/code", &[("code", "123456")]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.text.contains("This login has expired"));
    // API tokens are their own factor: unaffected.
    let (_, token) =
        w.s.app
            .create_token(
                &borgen_app::Actor::Cli,
                "acme",
                Some("manager@acme.test"),
                &borgen_app::auth::TokenForm { name: Some("script".into()), ..Default::default() },
            )
            .await
            .unwrap();
    let api = Client::with_token(&w.s.base, &token);
    assert_eq!(api.get("/api/v1/orgs/acme/context-issues").await.status, StatusCode::OK);
});

db_test!(five_wrong_codes_end_the_login_and_count_towards_the_lockout, |s| {
    let w = World::new(s).await;
    let (app, _) = enrol(&w.manager).await;
    let c = password_step(&w.s, "manager@acme.test").await;
    let wrong = app.wrong_code();
    for i in 1..=4 {
        let r = c.post_form("/login/code", &[("code", wrong.as_str())]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "try {i}");
    }
    let r = c.post_form("/login/code", &[("code", wrong.as_str())]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.text.contains("Five wrong codes"), "{}", r.text);
    assert_eq!(w.s.count("pending_logins").await, 0, "the pending login has ended");
    // The five wrong codes were failed logins of this account from this
    // address: even the right password now waits.
    let r = c.post_form("/login", &[("email", "manager@acme.test"), ("password", PW)]).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(events(&w.s, "login_lockout").await >= 1);
    assert_eq!(events(&w.s, "totp_failed").await, 5);
});

db_test!(a_recovery_code_works_once_and_can_be_renewed, |s| {
    let w = World::new(s).await;
    let (mut app, codes) = enrol(&w.manager).await;
    let c = password_step(&w.s, "manager@acme.test").await;
    // Typed in capitals with spaces: still the code.
    let typed = codes[3].to_uppercase().replace('-', " ");
    let r = c.post_form("/login/code", &[("code", typed.as_str()), ("next", "/o/acme")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(events(&w.s, "recovery_code_used").await, 1);
    let again = password_step(&w.s, "manager@acme.test").await;
    let r = again.post_form("/login/code", &[("code", codes[3].as_str())]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "used up");
    assert!(w.manager.get("/account").await.text.contains("Recovery codes left: 9 of 10."));
    // New codes need a current code; the old ones stop working.
    let r = w.manager.post_form("/account/totp/recovery-codes", &[("code", codes[5].as_str())]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a recovery code does not renew the codes");
    let code = app.code().await;
    let r = w.manager.post_form("/account/totp/recovery-codes", &[("code", code.as_str())]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let fresh = recovery_codes(&r.text);
    assert_eq!(fresh.len(), 10);
    assert!(fresh.iter().all(|f| !codes.contains(f)));
    let r = again.post_form("/login/code", &[("code", codes[6].as_str())]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "an old code no longer works");
    let r = again.post_form("/login/code", &[("code", fresh[0].as_str()), ("next", "/o/acme")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
});

db_test!(turning_totp_off_needs_the_password_and_a_code, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    let (app, codes) = enrol(m).await;
    let r = m.post_form("/account/totp/disable", &[("password", "not my password"), ("code", codes[0].as_str())]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("This is not your current password"));
    let r = m.post_form("/account/totp/disable", &[("password", PW), ("code", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = m.post_form("/account/totp/disable", &[("password", PW), ("code", app.wrong_code().as_str())]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(w.s.count("totp_factors").await, 1, "still on");
    // Phone lost: a recovery code will do.
    let r = m.post_form("/account/totp/disable", &[("password", PW), ("code", codes[0].as_str())]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(r.location(), "/account?done=totp_off#second-factor");
    assert_eq!((w.s.count("totp_factors").await, w.s.count("recovery_codes").await), (0, 0));
    assert_eq!(events(&w.s, "totp_disabled").await, 1);
    // Logging in takes the password alone again.
    let c = w.s.login("manager@acme.test", PW).await;
    assert_eq!(c.get("/o/acme").await.status, StatusCode::OK);
    // Phone and codes lost: the command line turns it off, in the audit trail.
    enrol(&w.contributor).await;
    password_step(&w.s, "contributor@acme.test").await;
    let (code, out, err) = run(borgen(&w.s, &["user", "reset-second-factor", "--email", "contributor@acme.test"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("turned off"), "{out}");
    assert_eq!(w.s.count("pending_logins").await, 0, "its pending logins end too");
    let c = w.s.login("contributor@acme.test", PW).await;
    assert_eq!(c.get("/o/acme").await.status, StatusCode::OK);
    let disabled = "SELECT COUNT(*) FROM audit_events WHERE action = $1";
    assert_eq!(count_where(&w.s, disabled, "disable_totp").await, 2);
});

db_test!(an_organisation_can_require_a_second_factor, |s| {
    let w = World::new(s).await;
    // A token made before: tokens keep working whatever the requirement.
    let (_, token) =
        w.s.app
            .create_token(
                &borgen_app::Actor::Cli,
                "acme",
                Some("auditor@acme.test"),
                &borgen_app::auth::TokenForm { name: Some("script".into()), ..Default::default() },
            )
            .await
            .unwrap();
    // Only the administrator or the organisation's ISMS manager sets it.
    let on = [("require_second_factor", "on")];
    assert_eq!(w.contributor.post_form("/o/acme/settings", &on).await.status, StatusCode::FORBIDDEN);
    assert_eq!(w.contributor.get("/o/acme/settings").await.status, StatusCode::FORBIDDEN);
    assert_eq!(w.outsider.post_form("/o/acme/settings", &on).await.status, StatusCode::NOT_FOUND);
    assert_eq!(w.manager.post_form("/admin/orgs/acme/second-factor", &on).await.status, StatusCode::FORBIDDEN);
    // A manager without a second factor would lock themselves out: refused.
    let r = w.manager.post_form("/o/acme/settings", &on).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("Set up two-step verification for yourself first"));
    // The administrator sets it.
    let r = w.admin.post_form("/admin/orgs/acme/second-factor", &on).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    // A member without TOTP is sent to set it up, with the reason.
    let v = &w.viewer;
    let r = v.get("/o/acme/context/issues").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/account?required=acme#second-factor");
    let page = v.get("/account?required=acme").await;
    assert!(page.text.contains("Acme B.V. requires two-step verification"), "{}", page.text);
    assert_eq!(v.get("/").await.location(), "/o/acme");
    // A session's API calls are refused too; a token's are not (the
    // auditor has no second factor either).
    let r = v.get("/api/v1/orgs/acme/context-issues").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["error"]["code"], "error.second_factor_required");
    let api = Client::with_token(&w.s.base, &token);
    assert_eq!(api.get("/api/v1/orgs/acme/context-issues").await.status, StatusCode::OK);
    // Another organisation is not affected.
    assert_eq!(w.outsider.get("/o/other").await.status, StatusCode::OK);
    // After enrolment the organisation opens, and the way back is offered.
    v.post_form("/account/totp/start", &[("required", "acme")]).await;
    let page = v.get("/account?required=acme").await.text;
    let mut app = Authenticator::from_page(&page);
    let code = app.code().await;
    let r = v.post_form("/account/totp/confirm", &[("code", code.as_str()), ("required", "acme")]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("Continue to Acme B.V."));
    assert_eq!(v.get("/o/acme").await.status, StatusCode::OK);
    // The ISMS manager, with a second factor, turns it off on the settings page.
    let (_, _) = enrol(&w.manager).await;
    let page = w.manager.get("/o/acme/settings").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("checked"), "shown as required");
    let r = w.manager.post_form("/o/acme/settings", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(w.contributor.get("/o/acme").await.status, StatusCode::OK);
    let trail_after = w.manager.get("/api/v1/orgs/acme/audit-log").await.text;
    assert!(trail_after.contains("require_second_factor"), "both changes are in the audit trail");
});

db_test!(approvals_ask_a_fresh_code_of_a_user_with_totp, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    // Something to approve: an SoA version, a run, a risk for its owner.
    decide_the_rest(m).await;
    assert_eq!(m.post_form("/o/acme/soa/versions", &[("note", "v1")]).await.status, StatusCode::SEE_OTHER);
    let contributor = w.user_id("contributor@acme.test").await;
    let risk = m
        .json(
            Method::POST,
            "/api/v1/orgs/acme/risks",
            &json!({"title": "Supplier goes bankrupt", "owner_id": contributor, "inherent_likelihood": 2,
                "inherent_impact": 4, "treatment": "accept", "treatment_rationale": "Alternative suppliers exist",
                "residual_likelihood": 2, "residual_impact": 4}),
        )
        .await;
    assert_eq!(risk.status, StatusCode::CREATED, "{}", risk.text);
    let risk_id = risk.json()["id"].as_str().unwrap().to_string();
    let run = m.json(Method::POST, "/api/v1/orgs/acme/risk-runs", &json!({"title": "2026", "reason": "planned"})).await;
    assert_eq!(run.status, StatusCode::CREATED, "{}", run.text);
    // Without TOTP the form has no code field.
    let page = w.top.get("/o/acme/soa/versions/1").await.text;
    assert!(page.contains("/versions/1/approve") && !page.contains("name=\"code\""));
    // Top management sets up TOTP: now the form asks for the code.
    let (mut top_app, _) = enrol(&w.top).await;
    let page = w.top.get("/o/acme/soa/versions/1").await.text;
    assert!(page.contains("name=\"code\"") && page.contains("confirm this decision"));
    let approved =
        move || async move { m.get("/api/v1/orgs/acme/soa/versions/1").await.json()["version"]["approved_at"].clone() };
    let events_before = w.s.count("audit_events").await;
    // No code, a wrong code: 422 next to the field, nothing written.
    let r = w.top.post_form("/o/acme/soa/versions/1/approve", &[("comment", "Agreed")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text.contains("Enter the 6-digit code from your authenticator app") && r.text.contains("id=\"err-code\"")
    );
    let r = w
        .top
        .post_form("/o/acme/soa/versions/1/approve", &[("comment", "Agreed"), ("code", top_app.wrong_code().as_str())])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("This code is not right"));
    let r = w.top.json(Method::POST, "/api/v1/orgs/acme/soa/versions/1/approve", &json!({"comment": "Agreed"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["field"], "code");
    assert_eq!(r.json()["error"]["fields"][0]["code"], "error.totp_required");
    let r = w.top.json(Method::POST, "/api/v1/orgs/acme/soa/versions/1/approve", &json!({"code": "000000x"})).await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "error.totp_invalid");
    assert_eq!(approved().await, Value::Null);
    assert_eq!(w.s.count("audit_events").await, events_before, "nothing written");
    // The right code approves.
    let code = top_app.code().await;
    let r = w.top.post_form("/o/acme/soa/versions/1/approve", &[("comment", "Agreed"), ("code", code.as_str())]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_ne!(approved().await, Value::Null);
    // The same code does not approve the run; a fresh one does (JSON).
    let runs = "/api/v1/orgs/acme/risk-runs/1/approve";
    let r = w.top.json(Method::POST, runs, &json!({"code": code})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["code"], "error.totp_used");
    // Through an API token the user is the same: the code is asked too.
    let (_, token) = w
        .s
        .app
        .create_token(
            &borgen_app::Actor::Cli,
            "acme",
            Some("top@acme.test"),
            &borgen_app::auth::TokenForm { name: Some("t".into()), scope: Some("write".into()), ..Default::default() },
        )
        .await
        .unwrap();
    let api = Client::with_token(&w.s.base, &token);
    let r = api.json(Method::POST, runs, &json!({})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["code"], "error.totp_required");
    let code = top_app.code().await;
    let r = w.top.json(Method::POST, runs, &json!({"comment": "Besproken", "code": code})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["run"]["approved_by_label"], "top");
    // The risk owner with TOTP accepts through the form with a code.
    let accept = format!("/o/acme/risks/{risk_id}/accept");
    let (mut owner_app, _) = enrol(&w.contributor).await;
    let page = w.contributor.get(&format!("/o/acme/risks/{risk_id}")).await.text;
    assert!(page.contains(&accept) && page.contains("name=\"code\""));
    let r = w.contributor.post_form(&accept, &[("comment", "Acceptable")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("Enter the 6-digit code"));
    assert_eq!(w.s.count("risk_acceptances").await, 0);
    let code = owner_app.code().await;
    let r = w.contributor.post_form(&accept, &[("comment", "Acceptable"), ("code", code.as_str())]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(w.s.count("risk_acceptances").await, 1);
    // Users without TOTP in an organisation that does not require it are
    // unaffected (the rest of the suite approves without codes); the wrong
    // codes were logged.
    assert!(events(&w.s, "totp_failed").await >= 3);
});
