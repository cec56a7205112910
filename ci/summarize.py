#!/usr/bin/env python3
"""Summarise `tandem wast --report` JSON files as a Markdown table for docs/status.md.

Usage: ci/summarize.py [--suite-root DIR] [--stage NAME=LISTFILE ...] REPORT.json...
Rows are grouped by folder (e.g. core, core/simd, proposals/threads,
component-model/values) and, with --stage, also by named file lists (e.g. the
Stage A list in spec-tests/stages/stage-a.txt). Columns are the report's tier.
"""
import argparse
import json
import os
from collections import defaultdict


def rel(path, root):
    p = os.path.normpath(os.path.abspath(path))
    r = os.path.normpath(os.path.abspath(root))
    return os.path.relpath(p, r) if p.startswith(r + os.sep) else path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--suite-root", default=os.environ.get("TANDEM_TESTSUITE", "../shared/testsuite"))
    ap.add_argument("--stage", action="append", default=[], help="NAME=LISTFILE")
    ap.add_argument("reports", nargs="+")
    args = ap.parse_args()

    stages = {}
    for s in args.stage:
        name, path = s.split("=", 1)
        with open(path) as f:
            stages[name] = {l.strip() for l in f if l.strip() and not l.startswith("#")}

    # table[(group)][tier] = [passed, failed, skipped]
    table = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    tiers = []
    for rp in args.reports:
        with open(rp) as f:
            rep = json.load(f)
        tier = rep.get("tier", "?") + (" diff" if rep.get("differential") else "")
        if tier not in tiers:
            tiers.append(tier)
        for fr in rep["files"]:
            path = rel(fr["path"], args.suite_root)
            groups = [os.path.dirname(path) or "."]
            groups += [name for name, files in stages.items() if path in files]
            for g in groups:
                cell = table[g][tier]
                cell[0] += fr["passed"]
                cell[1] += fr["failed"]
                cell[2] += fr["skipped"]

    print("| suite | " + " | ".join(f"{t}: passed / failed / skipped" for t in tiers) + " |")
    print("| --- |" + " --- |" * len(tiers))
    for g in sorted(table):
        cells = []
        for t in tiers:
            p, fl, sk = table[g][t]
            cells.append(f"{p} / {fl} / {sk}")
        print(f"| {g} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
