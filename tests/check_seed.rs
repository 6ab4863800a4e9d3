//! The seed document as written: `check` finds its defects 1-4 and leaves its delegation alone.

mod common;

use common::{check_json, codes, repo, with_code};

fn seed() -> serde_json::Value {
    let (code, doc) = check_json(&repo().join("tests/fixtures/seed"));
    assert_eq!(code, 1, "the seed has errors");
    doc
}

fn has(doc: &serde_json::Value, code: &str, position: &str) -> bool {
    codes(doc).contains(&(code.to_string(), position.to_string()))
}

#[test]
fn defect_1_tender_management_misassigned_and_duplicated() {
    let doc = seed();
    assert!(has(&doc, "misassigned-duty", "cs-specialist"));
    let dup = with_code(&doc, "duplicate-duty");
    let tender: Vec<_> = dup
        .iter()
        .filter(|d| d["message"].as_str().unwrap().contains("招投标管理"))
        .collect();
    assert_eq!(tender.len(), 1, "{dup:#?}");
    assert_eq!(tender[0]["position"], "cs-specialist");
    assert!(
        tender[0]["related"][0]["file"]
            .as_str()
            .unwrap()
            .ends_with("cs-manager.toml")
    );
    // The manager owns tender management: it is not misassigned there.
    assert!(!has(&doc, "misassigned-duty", "cs-manager"));
}

#[test]
fn defect_2_supervisor_copied_from_another_department() {
    let doc = seed();
    let refs = with_code(&doc, "unknown-position-reference");
    assert_eq!(
        refs.len(),
        1,
        "one finding per unknown title, not per place: {refs:#?}"
    );
    assert_eq!(refs[0]["position"], "cs-supervisor");
    assert!(
        refs[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("成套部经理 ")
    );
    assert_eq!(refs[0]["related"].as_array().unwrap().len(), 5);
    let mism = with_code(&doc, "superior-mismatch");
    assert_eq!(mism.len(), 1, "{mism:#?}");
    assert_eq!(mism[0]["position"], "cs-supervisor");
    assert!(
        mism[0]["message"]
            .as_str()
            .unwrap()
            .contains("客服部经理 (cs-manager)")
    );
}

#[test]
fn defect_3_qualifications_inverted() {
    let doc = seed();
    let q = with_code(&doc, "qualification-inversion");
    assert_eq!(q.len(), 1, "{q:#?}");
    assert_eq!(q[0]["position"], "cs-specialist");
    assert!(q[0]["message"].as_str().unwrap().contains("3 years"));
}

#[test]
fn defect_4_complaint_handling_not_covered_by_any_duty() {
    let doc = seed();
    let p = with_code(&doc, "purpose-uncovered");
    let spec: Vec<_> = p
        .iter()
        .filter(|d| d["position"] == "cs-specialist")
        .collect();
    assert_eq!(spec.len(), 1);
    assert!(spec[0]["message"].as_str().unwrap().contains("客户投诉"));
    assert_eq!(spec[0]["severity"], "info");
}

#[test]
fn delegated_duties_are_not_duplicates() {
    let doc = seed();
    for d in with_code(&doc, "duplicate-duty") {
        let m = d["message"].as_str().unwrap();
        assert!(
            !m.contains("孤儿客户转接") && !m.contains("客户信息保密"),
            "delegation reported as duplication: {m}"
        );
    }
    // Boilerplate "other work" duties are not duplicates either.
    assert_eq!(with_code(&doc, "duplicate-duty").len(), 1);
}

#[test]
fn kpis_without_weights_warn() {
    let doc = seed();
    let w = with_code(&doc, "kpi-weights");
    assert_eq!(w.len(), 3);
    assert!(w.iter().all(|d| d["severity"] == "warning"));
}

#[test]
fn sample_organization_is_clean() {
    let (code, doc) = check_json(&repo().join("positions"));
    assert_eq!(code, 0);
    assert_eq!(doc["summary"]["errors"], 0);
    assert_eq!(doc["summary"]["warnings"], 0);
    assert_eq!(doc["summary"]["positions"], 3);
    assert!(doc["diagnostics"].as_array().unwrap().is_empty(), "{doc:#}");
}
