//! Golden cases: published official figures, one JSON file each in `tests/golden/`,
//! each naming its source. Run by this one data-driven test.

use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    source: String,
    input: serde_json::Value,
    /// "current" or an index into the scenarios.
    scenario: serde_json::Value,
    expect: serde_json::Map<String, serde_json::Value>,
    tolerance: f64,
}

#[test]
fn golden_cases_match_published_figures() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("golden dir")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    assert!(
        files.len() >= 20,
        "expected the golden cases, found {}",
        files.len()
    );
    let mut failures = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).expect("read case");
        let case: Case =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            !case.source.trim().is_empty(),
            "{}: every golden case names its source",
            case.name
        );
        let input = income::CalcInput::from_json(&case.input.to_string())
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let out = crate::book()
            .calculate(&input)
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let out = serde_json::to_value(&out).expect("serialise");
        let scenario = match &case.scenario {
            serde_json::Value::String(s) if s == "current" => &out["current"],
            serde_json::Value::Number(n) => &out["scenarios"][n.as_u64().expect("index") as usize],
            other => panic!("{}: bad scenario {other}", case.name),
        };
        for (field, want) in &case.expect {
            let got = scenario[field]
                .as_f64()
                .unwrap_or_else(|| panic!("{}: no field {field}", case.name));
            let want = want.as_f64().expect("number");
            if (got - want).abs() > case.tolerance + 1e-9 {
                failures.push(format!(
                    "{}: {field} = {got}, published {want} (± {}) — {}",
                    case.name, case.tolerance, case.source
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "golden failures:\n{}",
        failures.join("\n")
    );
}
