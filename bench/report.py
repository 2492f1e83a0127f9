#!/usr/bin/env python3
"""Builds the markdown results table from bench/results/*.jsonl and best_known.csv.

    report.py [RESULTS_DIR] [CURTOIS_DIR]
"""
import csv
import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
results = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "results")
data = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "..", "..", "shared", "bench", "roster", "curtois")

best = {}
with open(os.path.join(data, "best_known.csv"), encoding="utf-8") as f:
    for row in csv.DictReader(f):
        best[row["instance"]] = int(row["best_known_objective"])


def load(name):
    out = {}
    path = os.path.join(results, name)
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line:
                    d = json.loads(line)
                    out[d["instance"]] = d
    return out


def checked(solver, secs, i):
    """Objective of the saved roster as scored by `urenwinst roster check`, if available."""
    path = os.path.join(results, "rosters", f"{solver}-{secs}-{i}.check")
    if not os.path.exists(path):
        return None
    text = open(path, encoding="utf-8").read()
    for line in text.splitlines():
        if line.startswith("objective ") and line.endswith("harde overtredingen: 0"):
            return int(line.split()[1])
    return None


def gap(obj, bk):
    return None if obj is None else 100.0 * (obj - bk) / bk


def fmt_gap(g):
    return "–" if g is None else f"{g:.1f} %"


for secs in (10, 60):
    ours = load(f"ours-{secs}s.jsonl")
    cp = load(f"cpsat-{secs}s.jsonl")
    if not ours and not cp:
        continue
    print(f"\n### {secs} s per instance\n")
    print("| instance | best known | ours | gap | CP-SAT | gap | CP-SAT status |")
    print("|---|---:|---:|---:|---:|---:|---|")
    og, cg = [], []
    notes = []
    for i in range(1, 25):
        name = f"Instance{i}"
        bk = best[name]
        o = ours.get(name)
        c = cp.get(name)
        oo = o["objective"] if o and o.get("feasible") else None
        co = c["objective"] if c and c.get("feasible") else None
        # Every roster is re-scored by the independent checker; use its score.
        ok, ck = checked("ours", secs, i), checked("cpsat", secs, i)
        if oo is not None and ok is not None and ok != oo:
            notes.append(f"Instance{i} ours: reported {oo}, checker {ok}")
        if co is not None and ck is not None and ck != co:
            notes.append(f"Instance{i} CP-SAT: reported {co}, checker {ck}")
        if oo is not None and ok is not None:
            oo = ok
        if co is not None and ck is not None:
            co = ck
        go, gc = gap(oo, bk), gap(co, bk)
        og.append(go)
        cg.append(gc)
        status = c.get("status", "") if c else "not run"
        print(f"| {i} | {bk} | {oo if oo is not None else ('none' if o else 'not run')} | {fmt_gap(go)} | "
              f"{co if co is not None else ('none' if c else 'not run')} | {fmt_gap(gc)} | {status} |")

    for lo, hi in ((1, 24), (1, 14), (15, 24)):
        idx = range(lo - 1, hi)
        so = [og[k] for k in idx if og[k] is not None]
        sc = [cg[k] for k in idx if cg[k] is not None]
        both = [k for k in idx if og[k] is not None and cg[k] is not None]
        mo = sum(so) / len(so) if so else None
        mc = sum(sc) / len(sc) if sc else None
        bo = sum(og[k] for k in both) / len(both) if both else None
        bc = sum(cg[k] for k in both) / len(both) if both else None
        print(f"\nInstances {lo}–{hi}: ours solved {len(so)}/{hi - lo + 1}, mean gap {fmt_gap(mo)}; "
              f"CP-SAT solved {len(sc)}/{hi - lo + 1}, mean gap {fmt_gap(mc)}; "
              f"on the {len(both)} solved by both: ours {fmt_gap(bo)}, CP-SAT {fmt_gap(bc)}.")
    if notes:
        print("\nReported objective differs from the checker's score of the same roster "
              "(the table uses the checker's): " + "; ".join(notes) + ".")
    opt = [i for i in (1, 2, 3, 4, 5, 6, 7, 9, 10, 11)
           if ours.get(f"Instance{i}", {}).get("objective") == best[f"Instance{i}"]]
    print(f"\nOurs at the known optimum on instances 1–7, 9–11: {opt}.")
