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
    /// Fields published in whole euros: the engine's amount (to the cent) is rounded to
    /// whole euros before the comparison ("reproduced to the euro").
    #[serde(default)]
    to_the_euro: Vec<String>,
    /// A published table: set the input field at `path` to each value and expect.
    #[serde(default)]
    rows: Option<Rows>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Rows {
    /// Dot-separated path into the input, e.g. `employee.annual_gross_wage`.
    path: String,
    values: Vec<(
        serde_json::Value,
        serde_json::Map<String, serde_json::Value>,
    )>,
}

fn set_path(v: &mut serde_json::Value, path: &str, value: serde_json::Value) {
    let mut cur = v;
    for key in path.split('.') {
        cur = &mut cur[key];
    }
    *cur = value;
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
    let mut checked = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).expect("read case");
        let case: Case =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            !case.source.trim().is_empty(),
            "{}: every golden case names its source",
            case.name
        );
        let mut runs = vec![(case.input.clone(), case.expect.clone(), String::new())];
        if let Some(rows) = &case.rows {
            for (value, expect) in &rows.values {
                let mut input = case.input.clone();
                set_path(&mut input, &rows.path, value.clone());
                runs.push((input, expect.clone(), format!(" [{} = {value}]", rows.path)));
            }
        }
        for (input, expect, label) in runs {
            let input = income::CalcInput::from_json(&input.to_string())
                .unwrap_or_else(|e| panic!("{}: {e}", case.name));
            let out = crate::book()
                .calculate(&input)
                .unwrap_or_else(|e| panic!("{}: {e}", case.name));
            let out = serde_json::to_value(&out).expect("serialise");
            let scenario = match &case.scenario {
                serde_json::Value::String(s) if s == "current" => &out["current"],
                serde_json::Value::Number(n) => {
                    &out["scenarios"][n.as_u64().expect("index") as usize]
                }
                other => panic!("{}: bad scenario {other}", case.name),
            };
            for (field, want) in &expect {
                checked += 1;
                let got = scenario[field]
                    .as_f64()
                    .unwrap_or_else(|| panic!("{}: no field {field}", case.name));
                let got = if case.to_the_euro.contains(field) {
                    got.round()
                } else {
                    got
                };
                let want = want.as_f64().expect("number");
                if (got - want).abs() > case.tolerance + 1e-9 {
                    failures.push(format!(
                        "{}{label}: {field} = {got}, published {want} (± {}) — {}",
                        case.name, case.tolerance, case.source
                    ));
                }
            }
        }
    }
    assert!(checked >= 45, "only {checked} published figures checked");
    assert!(
        failures.is_empty(),
        "golden failures:\n{}",
        failures.join("\n")
    );
}
