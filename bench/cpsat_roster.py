#!/usr/bin/env python3
"""CP-SAT peer model of the Curtois shift scheduling benchmark (same model as the Rust engine).

Written for this repository from the format description in
shared/bench/roster/curtois/README.md. Usage:

    cpsat_roster.py INSTANCE --seconds N [--workers 2] [--seed S] [--out ROSTER.csv]

Prints one JSON line: instance, objective (None if no solution), feasible, seconds,
status, bound.
"""
import argparse
import json
import os
import time

from ortools.sat.python import cp_model


def parse(path):
    sections = {}
    current = None
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("SECTION_"):
                current = line
                sections[current] = []
                continue
            sections[current].append([x.strip() for x in line.split(",")])
    days = int(sections["SECTION_HORIZON"][0][0])
    shifts = [r[0] for r in sections["SECTION_SHIFTS"]]
    sidx = {s: i for i, s in enumerate(shifts)}
    length = [int(r[1]) for r in sections["SECTION_SHIFTS"]]
    cannot = [[sidx[x] for x in r[2].split("|") if x] if len(r) > 2 else [] for r in sections["SECTION_SHIFTS"]]
    staff = []
    for r in sections["SECTION_STAFF"]:
        maxs = [days] * len(shifts)
        for part in r[1].split("|"):
            if part:
                k, v = part.split("=")
                maxs[sidx[k]] = int(v)
        staff.append(dict(id=r[0], max_shifts=maxs, max_min=int(r[2]), min_min=int(r[3]),
                          max_cons=int(r[4]), min_cons=int(r[5]), min_off=int(r[6]), max_we=int(r[7])))
    eidx = {s["id"]: i for i, s in enumerate(staff)}
    days_off = [set() for _ in staff]
    for r in sections.get("SECTION_DAYS_OFF", []):
        for d in r[1:]:
            if d:
                days_off[eidx[r[0]]].add(int(d))
    on = [(eidx[r[0]], int(r[1]), sidx[r[2]], int(r[3])) for r in sections.get("SECTION_SHIFT_ON_REQUESTS", [])]
    off = [(eidx[r[0]], int(r[1]), sidx[r[2]], int(r[3])) for r in sections.get("SECTION_SHIFT_OFF_REQUESTS", [])]
    cover = [(int(r[0]), sidx[r[1]], int(r[2]), int(r[3]), int(r[4])) for r in sections.get("SECTION_COVER", [])]
    return dict(days=days, shifts=shifts, length=length, cannot=cannot, staff=staff,
                days_off=days_off, on=on, off=off, cover=cover)


def forbid_short_runs(m, work, days, min_len, value):
    """Every maximal run of `work == value` that touches neither border has length >= min_len."""
    for length in range(1, min_len):
        for start in range(1, days - length):
            end = start + length - 1
            if end + 1 > days - 1:
                continue
            # pattern: !value at start-1, value on start..end, !value at end+1
            lits = []
            for d in range(start, end + 1):
                lits.append(work[d].Not() if value else work[d])
            lits.append(work[start - 1] if value else work[start - 1].Not())
            lits.append(work[end + 1] if value else work[end + 1].Not())
            m.AddBoolOr(lits)


def build(inst):
    m = cp_model.CpModel()
    D, S, E = inst["days"], len(inst["shifts"]), len(inst["staff"])
    x = {}
    work = []
    for e, st in enumerate(inst["staff"]):
        w = []
        for d in range(D):
            for s in range(S):
                if d in inst["days_off"][e] or st["max_shifts"][s] == 0:
                    continue
                x[e, d, s] = m.NewBoolVar(f"x{e}_{d}_{s}")
            wd = m.NewBoolVar(f"w{e}_{d}")
            m.Add(sum(x[e, d, s] for s in range(S) if (e, d, s) in x) == wd)
            w.append(wd)
        work.append(w)
        for s in range(S):
            m.Add(sum(x[e, d, s] for d in range(D) if (e, d, s) in x) <= st["max_shifts"][s])
        total = sum(inst["length"][s] * x[e, d, s] for d in range(D) for s in range(S) if (e, d, s) in x)
        m.Add(total <= st["max_min"])
        m.Add(total >= st["min_min"])
        mc = st["max_cons"]
        for d in range(D - mc):
            m.Add(sum(w[d:d + mc + 1]) <= mc)
        forbid_short_runs(m, w, D, st["min_cons"], True)
        forbid_short_runs(m, w, D, st["min_off"], False)
        wes = []
        for k in range(D // 7):
            sat, sun = 7 * k + 5, 7 * k + 6
            we = m.NewBoolVar(f"we{e}_{k}")
            m.AddMaxEquality(we, [w[sat], w[sun]])
            wes.append(we)
        m.Add(sum(wes) <= st["max_we"])
        for d in range(D - 1):
            for a in range(S):
                for b in inst["cannot"][a]:
                    if (e, d, a) in x and (e, d + 1, b) in x:
                        m.AddBoolOr([x[e, d, a].Not(), x[e, d + 1, b].Not()])
    obj = []
    for e, d, s, wgt in inst["on"]:
        if (e, d, s) in x:
            obj.append(wgt * (1 - x[e, d, s]))
        else:
            obj.append(wgt)
    for e, d, s, wgt in inst["off"]:
        if (e, d, s) in x:
            obj.append(wgt * x[e, d, s])
    for d, s, req, wu, wo in inst["cover"]:
        y = sum(x[e, d, s] for e in range(E) if (e, d, s) in x)
        under = m.NewIntVar(0, req, f"u{d}_{s}")
        over = m.NewIntVar(0, E, f"o{d}_{s}")
        m.Add(y - req == over - under)
        # Tie them: at most one of under/over is positive, so the reported objective is the
        # roster's real score (without this a non-optimal solution could carry both).
        short = m.NewBoolVar(f"short{d}_{s}")
        m.Add(over == 0).OnlyEnforceIf(short)
        m.Add(under == 0).OnlyEnforceIf(short.Not())
        obj.append(wu * under + wo * over)
    m.Minimize(sum(obj))
    return m, x


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("instance")
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out")
    a = ap.parse_args()
    t0 = time.time()
    inst = parse(a.instance)
    m, x = build(inst)
    solver = cp_model.CpSolver()
    # The time limit covers the whole run, model building included, like the Rust side.
    solver.parameters.max_time_in_seconds = max(0.1, a.seconds - (time.time() - t0))
    solver.parameters.num_workers = a.workers
    solver.parameters.random_seed = a.seed
    status = solver.Solve(m)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    if found and a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            f.write("employee,day,shift\n")
            for (e, d, s), v in sorted(x.items()):
                if solver.Value(v):
                    f.write(f"{inst['staff'][e]['id']},{d},{inst['shifts'][s]}\n")
    print(json.dumps({
        "instance": os.path.basename(a.instance).removesuffix(".txt"),
        "solver": "cp-sat",
        "objective": int(solver.ObjectiveValue()) if found else None,
        "feasible": found,
        "seconds": round(time.time() - t0, 2),
        "status": solver.StatusName(status),
        "bound": int(solver.BestObjectiveBound()) if found else None,
        "workers": a.workers,
    }), flush=True)


if __name__ == "__main__":
    main()
