//! First-run setup, login, sessions and logout.

use crate::common::*;

db_test!(setup_requires_the_console_code_and_runs_once, |s| {
    let c = s.client();
    let r = c.get("/").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/setup");
    let code = s.app.issue_setup_code().await.unwrap().unwrap();
    let fields = |code: &'static str| {
        vec![
            ("setup_code", code),
            ("name", "Ann"),
            ("email", "ann@example.nl"),
            ("password", PW),
            ("org_name", "Acme"),
            ("org_slug", "acme"),
            ("lang", "nl"),
        ]
    };
    // A wrong code is refused next to its field; nothing is created.
    let r = c.post_form("/setup", &fields("AAAA-BBBB-CCCC")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("This setup code is not right"), "{}", r.text);
    assert!(r.text.contains("value=\"ann@example.nl\""), "typed value kept");
    assert_eq!(s.count("users").await, 0);
    assert_eq!(s.count("organisations").await, 0);
    // The right code sets up the admin and the organisation and logs in.
    let code: &'static str = Box::leak(code.into_boxed_str());
    let r = c.post_form("/setup", &fields(code)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let home = c.get("/o/acme").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.text.contains("lang=\"nl\""), "the chosen language is used");
    // Setup cannot run again, not even with the old code.
    let again = s.client();
    assert_eq!(again.get("/setup").await.status, StatusCode::SEE_OTHER);
    let r = again.post_form("/setup", &fields(code)).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(s.count("users").await, 1);
    assert_eq!(s.app.issue_setup_code().await.unwrap(), None);
});

db_test!(login_failure_does_not_reveal_whether_the_account_exists, |s| {
    s.setup("ann@example.nl", PW, "Acme", "acme").await;
    let c = s.client();
    c.get("/login").await;
    let wrong = c.post_form("/login", &[("email", "ann@example.nl"), ("password", "not the password")]).await;
    let unknown = c.post_form("/login", &[("email", "nobody@example.nl"), ("password", "not the password")]).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    let msg = "That e-mail address and password do not match";
    assert!(wrong.text.contains(msg) && unknown.text.contains(msg));
    assert!(wrong.set_cookies().iter().all(|c| !c.starts_with("borgen_session=")));
    // In Dutch for a Dutch browser.
    let nl = s.client().with_lang("nl-NL,nl;q=0.9");
    nl.get("/login").await;
    let r = nl.post_form("/login", &[("email", "ann@example.nl"), ("password", "fout")]).await;
    assert!(r.text.contains("Dit e-mailadres en wachtwoord horen niet bij elkaar"), "{}", r.text);
});

db_test!(session_cookie_is_safe_and_rotated_at_login, |s| {
    s.setup("ann@example.nl", PW, "Acme", "acme").await;
    let c = s.client();
    c.get("/login").await;
    let r = c.post_form("/login", &[("email", "ann@example.nl"), ("password", PW), ("next", "/o/acme")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/o/acme");
    let cookie = r.set_cookies().into_iter().find(|c| c.starts_with("borgen_session=")).expect("session cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "not Secure over plain http");
    let first = c.cookie("borgen_session").unwrap();
    // Logging in again gives a new session id and ends the old one.
    let r = c.post_form("/login", &[("email", "ann@example.nl"), ("password", PW)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let second = c.cookie("borgen_session").unwrap();
    assert_ne!(first, second);
    let no_redirects = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let r = Client::send(no_redirects.get(s.url("/o/acme")).header("cookie", format!("borgen_session={first}"))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "the old session no longer works");
    assert!(r.location().starts_with("/login"));
    let r = Client::send(no_redirects.get(s.url("/o/acme")).header("cookie", format!("borgen_session={second}"))).await;
    assert_eq!(r.status, StatusCode::OK, "the new one does");
    // Open redirects are refused.
    let r = c.post_form("/login", &[("email", "ann@example.nl"), ("password", PW), ("next", "//evil.example")]).await;
    assert_eq!(r.location(), "/");
});

db_test!(logout_ends_the_session, |s| {
    let c = s.setup("ann@example.nl", PW, "Acme", "acme").await;
    assert_eq!(c.get("/o/acme").await.status, StatusCode::OK);
    let token = c.cookie("borgen_session").unwrap();
    let r = c.post_form("/logout", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = Client::send(
        reqwest::Client::new().get(s.url("/api/v1/me")).header("cookie", format!("borgen_session={token}")),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
});

db_test!(failed_logins_are_rate_limited_per_account, |s| {
    s.setup("ann@example.nl", PW, "Acme", "acme").await;
    let c = s.client();
    c.get("/login").await;
    for _ in 0..5 {
        let r = c.post_form("/login", &[("email", "ann@example.nl"), ("password", "wrong password")]).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    // Now even the right password is refused for a while, with a clear message.
    let r = c.post_form("/login", &[("email", "ann@example.nl"), ("password", PW)]).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.text.contains("Too many failed attempts"));
    // Another account from the same address is not locked by this.
    s.user_with_roles("bob@example.nl", PW, "acme", &["viewer"]).await;
    let r = c.post_form("/login", &[("email", "bob@example.nl"), ("password", PW)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
});

db_test!(language_follows_the_user_then_the_organisation, |s| {
    let admin = s.setup("ann@example.nl", PW, "Acme", "acme").await;
    // Users without their own choice see the organisation's default.
    s.app
        .create_org(
            &borgen_app::Actor::Cli,
            &borgen_app::admin::OrgForm {
                name: Some("Dutch".into()),
                slug: Some("nlorg".into()),
                default_lang: Some("nl".into()),
            },
        )
        .await
        .unwrap();
    s.user_with_roles("bob@example.nl", PW, "nlorg", &["contributor"]).await;
    let bob = s.login("bob@example.nl", PW).await;
    let r = bob.get("/o/nlorg/context/issues").await;
    assert!(r.text.contains("<html lang=\"nl\""), "organisation default");
    // The switch in the header stores the user's choice.
    let r = bob.post_form("/lang", &[("lang", "en"), ("next", "/o/nlorg/context/issues")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/o/nlorg/context/issues");
    let r = bob.get("/o/nlorg/context/issues").await;
    assert!(r.text.contains("<html lang=\"en\"") && r.text.contains("Internal and external issues"));
    let r = admin.post_form("/lang", &[("lang", "nl"), ("next", "/o/acme")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(admin.get("/o/acme").await.text.contains("Interne en externe factoren"));
});

db_test!(parallel_guesses_cannot_pass_the_limit, |s| {
    s.setup("ann@example.nl", PW, "Acme", "acme").await;
    let c = s.client();
    c.get("/login").await;
    let mut tasks = Vec::new();
    for i in 0..20 {
        let c = c.clone();
        tasks.push(tokio::spawn(async move {
            let guess = format!("guess number {i}");
            c.post_form("/login", &[("email", "ann@example.nl"), ("password", guess.as_str())]).await.status
        }));
    }
    let mut checked = 0;
    for t in tasks {
        match t.await.unwrap() {
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => {}
            other => panic!("unexpected {other}"),
        }
    }
    assert!(checked <= 5, "{checked} guesses reached the password check; the limit is 5");
});

db_test!(odd_next_parameters_never_leave_the_site_or_fail, |s| {
    let c = s.setup("ann@example.nl", PW, "Acme", "acme").await;
    for next in ["/%09/evil.example", "/%0A", "%2F%2Fevil.example", "https://evil.example"] {
        let r = c.get(&format!("/login?next={next}")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{next}");
        assert_eq!(r.location(), "/", "{next}");
    }
    let r = c.get("/login?next=a&next=b").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "a duplicated parameter is a clear 400, not a crash");
});

db_test!(a_new_password_ends_existing_sessions, |s| {
    s.setup("ann@example.nl", PW, "Acme", "acme").await;
    s.user_with_roles("bob@example.nl", PW, "acme", &["viewer"]).await;
    let bob = s.login("bob@example.nl", PW).await;
    assert_eq!(bob.get("/api/v1/me").await.status, StatusCode::OK);
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), "an entirely new password\n").unwrap();
    let (code, out, err) = run(borgen(
        &s,
        &["user", "set-password", "--email", "bob@example.nl", "--password-file", file.path().to_str().unwrap()],
    ));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(bob.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    s.login("bob@example.nl", "an entirely new password").await;
});
