#!/usr/bin/env python3
"""The allocation-failure sweep: run programs with their Nth allocation
failing (TSR_ALLOC_FAIL=N, runtime/base/error.c), as Lua's memerr tests
do, over N = 1, 2, ... and check that every run ends as a Python error
would, under a sanitizer build:

- no sanitizer report (ASan, UBSan, LeakSanitizer: nothing leaks);
- the process ends normally (no signal) with status 0 or 1, and a status
  of 1 comes with a last stderr line `SomeError: ...` (MemoryError,
  mostly) or tsr's "failed to start" line;
- in console mode (a .repl program fed on stdin) the session survives:
  a statement after the failing one still runs.

  tests/alloc_fail_sweep.py BIN [--runs K] [PROGRAM ...]

Without PROGRAMs it sweeps a fixed set of golden cases. Every N up to the
program's allocation count when --runs is 0 (the default), else K values
of N spread over that range (make test uses a short sweep).
"""
import argparse, os, re, subprocess, sys

DEFAULT = ["tests/golden/lang/classes_exceptions.tsr", "tests/golden/lang/dicts_sets.tsr",
           "tests/golden/lang/generators.tsr", "tests/golden/autograd/backward_function.tsr",
           "tests/golden/repl/error_continues.repl"]
MARK = "alive-after-failure"
ENV = dict(os.environ,
           ASAN_OPTIONS="allocator_may_return_null=1:detect_leaks=1:exitcode=99",
           LSAN_OPTIONS="exitcode=99", UBSAN_OPTIONS="print_stacktrace=1:exitcode=99")
SANITIZER = re.compile(r"ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: \w+Sanitizer")
PY_ERROR = re.compile(r"^[A-Za-z_.]*(Error|Exception|Interrupt|Exit|Warning)\b.*|^tsr: failed to start")


def run(binary, prog, n, count=False, marker=True, empty=False):
    env = dict(ENV)
    if count:
        env["TSR_ALLOC_COUNT"] = "1"
    else:
        env["TSR_ALLOC_FAIL"] = str(n)
    folder = os.path.dirname(prog) or "."
    if prog.endswith(".repl"):
        with open(prog) as f:
            src = "" if empty else f.read()
        if marker:
            src = src.rstrip("\n") + "\n\nprint(%r)\n" % MARK
        return subprocess.run([os.path.abspath(binary)], input=src, capture_output=True, text=True,
                              env=env, cwd=folder, timeout=120)
    args = ["-c", ""] if empty else [os.path.basename(prog)]
    return subprocess.run([os.path.abspath(binary)] + args, capture_output=True,
                          text=True, env=env, cwd=folder, timeout=120)


def allocations(binary, prog, **kw):
    r = run(binary, prog, 0, count=True, **kw)
    m = re.search(r"tsr: (\d+) allocations", r.stderr)
    if not m:
        sys.exit("%s: no allocation count (%s)" % (prog, r.stderr[-300:]))
    return int(m.group(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("programs", nargs="*")
    ap.add_argument("--runs", type=int, default=0)
    a = ap.parse_intermixed_args()
    failed = 0
    for prog in a.programs or DEFAULT:
        total = allocations(a.binary, prog)
        # the console must survive a failure inside the program's own
        # statements: after startup, before the marker statement
        start = allocations(a.binary, prog, empty=True, marker=False)
        own = allocations(a.binary, prog, marker=False)
        ns = list(range(1, total + 1))
        if a.runs and a.runs < total:
            ns = sorted({1 + (i * (total - 1)) // (a.runs - 1) for i in range(a.runs)})
        bad = 0
        for n in ns:
            r = run(a.binary, prog, n)
            last = (r.stderr.strip().splitlines() or [""])[-1]
            why = None
            if SANITIZER.search(r.stderr):
                why = "sanitizer report"
            elif r.returncode not in (0, 1):
                why = "status %d" % r.returncode
            elif r.returncode == 1 and not PY_ERROR.match(last):
                why = "last stderr line is not an error: %r" % last
            elif prog.endswith(".repl") and start < n <= own and MARK not in r.stdout:
                why = "the console did not survive"
            if why:
                bad += 1
                if bad <= 5:
                    print("FAIL %s N=%d: %s\n%s" % (prog, n, why, r.stderr[-1500:]))
        print("%s: %d allocations, %d runs, %d failed" % (prog, total, len(ns), bad))
        failed += bad
    sys.exit(1 if failed else 0)


main()
