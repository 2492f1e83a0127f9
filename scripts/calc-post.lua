-- wrk script: POST one household to the public WerkUrenBerekenaar API.
-- The household is the example "verpleegkundige-fwg45-kinderopvang" (crates/income/data/
-- examples.json): single parent, two children in childcare, rent — the most work per call.
-- Usage: wrk -t2 -c16 -d10s --latency -s scripts/calc-post.lua http://127.0.0.1:PORT/api/v1/calc
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"year": 2026,
  "employee": {"hourly_wage": 22.50, "hours_per_week": 24, "holiday_allowance": true,
               "year_end_bonus": false, "irregular_allowance_per_year": 0, "pension": "pfzw"},
  "partner": null,
  "children": [{"age": 2}, {"age": 6}],
  "rent_per_month": 850,
  "childcare": [
    {"child": 0, "type": "dagopvang", "hours_per_month": 80, "price_per_hour": 10.50},
    {"child": 1, "type": "bso", "hours_per_month": 40, "price_per_hour": 9.50}],
  "assets": 0,
  "hours": [24, 28, 32]}]]
