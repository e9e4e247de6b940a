//! A risk's simulated outcome is stored with its estimate: a view reads it
//! instead of simulating 100,000 years again, it equals a fresh simulation of
//! the same inputs, and it is simulated again only when the estimate, the
//! seed or the algorithm changed, or nothing usable is stored.

use crate::common::*;
use borgen_app::risk::{DEFAULT_SEED, ITERATIONS};
use borgen_core::fair::{ALGORITHM, Estimate, StoredOutcome};

const RISKS: &str = "/api/v1/orgs/acme/risks";

/// The stored result of a risk's estimate (`id` from the API: a UUID).
async fn stored(s: &TestServer, id: &str) -> Option<String> {
    assert!(id.chars().all(|c| c.is_ascii_hexdigit() || c == '-'));
    let sql = format!("SELECT result FROM risk_estimates WHERE risk_id = '{id}'");
    let mut tx = s.app.db.read().await.expect("read tx");
    borgen_store::run!(&mut tx, |c| sqlx::query_scalar::<_, Option<String>>(&sql).fetch_one(c).await).expect("result")
}

/// A value as a client receives it: written as the server writes JSON and
/// read back as the client reads it (serde_json's float reading is not always
/// exact, so compare like with like).
fn as_received(v: &impl serde::Serialize) -> Value {
    serde_json::from_str(&serde_json::to_string(v).unwrap()).unwrap()
}

async fn plant(s: &TestServer, id: &str, result: Option<&str>) {
    let v = result.map_or("NULL".to_string(), |r| {
        assert!(!r.contains('\''));
        format!("'{r}'")
    });
    s.exec(&format!("UPDATE risk_estimates SET result = {v} WHERE risk_id = '{id}'")).await;
}

db_test!(a_risks_simulated_outcome_is_stored_with_its_estimate, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    m.json(Method::POST, RISKS, &json!({"title": "Fraud"})).await;
    let r = m.json(Method::POST, RISKS, &json!({"title": "Ransomware"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let risk = r.json();
    let id = risk["id"].as_str().unwrap().to_string();
    let key = risk["number"].as_u64().unwrap();
    assert_eq!(key, 2);
    let put = |body: Value| {
        let path = format!("{RISKS}/{id}/estimate");
        async move {
            let r = m.json(Method::PUT, &path, &body).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
            r.json()
        }
    };
    let est1 = json!({"freq_min": 0.1, "freq_ml": 0.3, "freq_max": 1, "mag_min": 20000, "mag_ml": 80000,
                      "mag_max": 1500000, "mag_shape": "lognormal"});
    let body = put(est1.clone()).await;
    let e1: Estimate = serde_json::from_value(body["estimate"].clone()).unwrap();

    // Stored with the estimate, equal to a fresh simulation of the same inputs.
    let fresh = StoredOutcome::compute(key, e1, ITERATIONS, DEFAULT_SEED);
    let text = stored(&w.s, &id).await.expect("stored when the estimate is set");
    let kept = StoredOutcome::from_json(&text).expect("readable");
    assert_eq!(kept, fresh);
    assert_eq!((kept.algorithm, kept.seed, kept.iterations, kept.key), (ALGORITHM, DEFAULT_SEED, ITERATIONS, key));
    assert_eq!(body["outcome"], as_received(&fresh.outcome));
    // The same figures as the risk's row on the register's page (simulated there, all risks together).
    let q = m.get(&format!("{RISKS}/quantitative?seed={DEFAULT_SEED}")).await.json();
    assert_eq!(q["items"][0]["outcome"], body["outcome"]);

    // A view reads what is stored: a planted outcome for the same inputs is
    // what the API and the page show, and reading writes no audit event.
    let events = w.s.count("audit_events").await;
    let mut planted = fresh.clone();
    planted.outcome.ale = 4_240_000.0;
    plant(&w.s, &id, Some(&planted.to_json())).await;
    assert_eq!(put(est1.clone()).await["outcome"]["ale"], 4_240_000.0, "the unchanged estimate is not simulated again");
    let page = m.get(&format!("/o/acme/risks/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("€4,240,000"), "{}", page.text);
    assert_eq!(stored(&w.s, &id).await.as_deref(), Some(planted.to_json().as_str()));
    assert_eq!(w.s.count("audit_events").await, events);

    // Nothing stored (as after the migration), unreadable, from older code, for
    // another seed or risk, or for other inputs: simulated again on the next
    // view, and stored.
    let mut older = fresh.clone();
    older.algorithm = ALGORITHM - 1;
    older.outcome.ale = 1.0;
    let other_seed = StoredOutcome::compute(key, e1, ITERATIONS, DEFAULT_SEED + 1);
    let other_key = StoredOutcome::compute(key + 1, e1, ITERATIONS, DEFAULT_SEED);
    let mut other_input = fresh.clone();
    other_input.estimate.frequency.max = 2.0;
    for bad in [
        None,
        Some("not json".to_string()),
        Some(older.to_json()),
        Some(other_seed.to_json()),
        Some(other_key.to_json()),
        Some(other_input.to_json()),
    ] {
        plant(&w.s, &id, bad.as_deref()).await;
        assert_eq!(m.get(&format!("/o/acme/risks/{id}")).await.status, StatusCode::OK);
        assert_eq!(stored(&w.s, &id).await.as_deref(), Some(fresh.to_json().as_str()), "after {bad:?}");
        assert_eq!(put(est1.clone()).await["outcome"], body["outcome"]);
    }
    assert_eq!(w.s.count("audit_events").await, events);

    // Changing the estimate changes the stored result (one audit event).
    let body2 = put(json!({"freq_min": 0.2, "freq_ml": 0.5, "freq_max": 2, "mag_min": 20000, "mag_ml": 80000,
                           "mag_max": 1500000, "mag_shape": "lognormal"}))
    .await;
    assert_eq!(w.s.count("audit_events").await, events + 1);
    let e2: Estimate = serde_json::from_value(body2["estimate"].clone()).unwrap();
    let fresh2 = StoredOutcome::compute(key, e2, ITERATIONS, DEFAULT_SEED);
    let kept2 = StoredOutcome::from_json(&stored(&w.s, &id).await.unwrap()).unwrap();
    assert_eq!(kept2, fresh2);
    assert_ne!(kept2.outcome, fresh.outcome);
    assert_ne!(body2["outcome"], body["outcome"]);
    assert_eq!(body2["outcome"], as_received(&fresh2.outcome));

    // Clearing the estimate removes it and its result.
    let empty = json!({"freq_min": "", "freq_ml": "", "freq_max": "", "mag_min": "", "mag_ml": "", "mag_max": ""});
    assert_eq!(put(empty).await["outcome"], Value::Null);
    assert_eq!(w.s.count("risk_estimates").await, 0);
});
