#!/usr/bin/env python3
"""Golden-case runner for tsr (Python 3.9+ standard library only).

A copy of the shared conformance runner (so the repository's own tests need
nothing outside it), extended with command-line cases (NAME.cli, NAME.status).

    tests/run_cases.py TSR_BINARY [DIR ...] [--filter SUBSTR] [--verbose]
                       [--max-diffs N] [--jobs N] [--timeout SECONDS]
    tests/run_cases.py --regen-with ORACLE DIR [DIR ...] [--filter SUBSTR] [--jobs N]
    tests/run_cases.py TSR_BINARY --baseline FILE       (ratchet: see below)
    tests/run_cases.py TSR_BINARY --write-baseline FILE

Cases are searched recursively in each DIR (default: tests/golden/, whose
cases sit in one folder per family, tests/golden/FAMILY/NAME.tsr) and named
by their path under DIR, `family/NAME.tsr` (with several DIRs, DIR/family/
NAME.tsr); --filter, --baseline and the FAIL lines use that name, so
`--filter nn/` picks a family and `--filter reduce/cumsum` a few cases.
A case runs in its own folder, so files it reads sit beside it. Its files:
    NAME.tsr   script mode:  TSR_BINARY NAME.tsr   (run in the case's folder)
    NAME.repl  REPL mode:    TSR_BINARY -i < NAME.repl
    NAME.cli   command line: TSR_BINARY ARGS... (run in the case's folder, no
               standard input), ARGS being NAME.cli's text split as a POSIX
               shell would split it (quotes may span lines; no expansions)
    NAME.status  optional: the exit status expected instead of the default
               (0; 1 with NAME.err for a script or command line); a case with
               NAME.status is written by hand and --regen-with leaves it alone
    NAME.cpu   optional: CPU flags (as /proc/cpuinfo's `flags` line spells
               them, e.g. avx512f avx512dq) the expected output depends on,
               e.g. numpy's float math, which runs Intel's SVML on AVX-512
               (docs/float-math.md); on a machine lacking one the case is
               skipped (printed as SKIP, counted as passed) and --regen-with
               leaves it alone. The word `no-cuda` there asks for a binary
               whose torch.cuda.is_available() is False, as the oracle's
               CPU-only PyTorch (a build on the emulated or a real GPU
               skips the case)
    NAME.out   expected standard output, compared byte for byte
    NAME.errors  optional: the exception lines the run must print on standard
               error ("RuntimeError: message", one per uncaught error, in
               order), compared exactly, so PyTorch's wording is checked and
               not only the class; SyntaxError lines compare by class only
               (tsr's syntax messages are its own). --regen-with writes it
               whenever the oracle printed one.
    NAME.stderr  optional: the whole standard error expected (a traceback,
               say), compared byte for byte. --regen-with rewrites a
               NAME.stderr that exists; to start one, create it empty and
               regenerate.
    NAME.err   present when the case must fail: its first line is the expected
               error class (e.g. RuntimeError), which must appear as a word in
               the last non-empty line of standard error; a script must then
               exit with status 1, a REPL run with status 0.  Without NAME.err
               the exit status must be 0.

Prints one line per failing case and closes with exactly one line
`N passed, N failed`.  Exit status 0 only if every selected case passed (and
at least one case was selected).

--baseline FILE names, one a line, the cases that must pass (a ratchet for
CI while the suite is not yet all green): the exit status is then 0 exactly
when every listed case passed, whatever else failed; each listed case that
failed is printed as `REGRESSED NAME`.  --write-baseline FILE writes the names
of the cases that pass now (sorted), after the run.

--regen-with ORACLE runs ORACLE (oracle/torch-oracle) on every case and writes
NAME.out, plus NAME.err when the run ends in an uncaught error (REPL cases:
when the last line of standard error names an error class); a stale NAME.err
is removed.
"""

import argparse
import concurrent.futures
import difflib
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys

DEFAULT_TIMEOUT = 20.0
HERE = os.path.dirname(os.path.abspath(__file__))
CASE_EXTS = (".tsr", ".repl", ".cli")
ERROR_LINE = re.compile(
    r"^(?:[\w./<>-]+:\d+(?::\d+)?:\s*)?"
    r"((?:[A-Za-z_][\w.]*)?(?:Error|Exception|Interrupt|Exit|Iteration|Warning))(?::|$)"
)


def resolve_command(arg):
    """A path to an executable (made absolute) or a command line for the shell's PATH."""
    if os.path.exists(arg):
        return [os.path.abspath(arg)]
    parts = shlex.split(arg)
    if not parts:
        sys.exit("run_cases: empty command")
    if shutil.which(parts[0]) is None and not os.path.exists(parts[0]):
        sys.exit("run_cases: cannot find %r" % parts[0])
    return parts


def find_cases(dirs, substr):
    cases = []
    multi = len(dirs) > 1
    for d in dirs:
        if not os.path.isdir(d):
            sys.exit("run_cases: not a directory: %s" % d)
        for root, subdirs, files in os.walk(d):
            subdirs.sort()
            for f in sorted(files):
                if not f.endswith(CASE_EXTS):
                    continue
                path = os.path.join(root, f)
                rel = os.path.relpath(path, d)
                name = os.path.join(d, rel) if multi else rel
                if substr and substr not in name:
                    continue
                cases.append((name, path))
    return cases


def stem(path):
    return os.path.splitext(path)[0]


def cpu_flags():
    """This machine's CPU flags (/proc/cpuinfo), or None where unknown."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return None


_has_cuda = {}


def binary_has_cuda(cmd):
    """Whether torch.cuda.is_available() is True in the binary cmd."""
    key = tuple(cmd or ())
    if key not in _has_cuda:
        try:
            p = subprocess.run(list(key) + ["-c", "import torch; print(torch.cuda.is_available())"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=60)
            _has_cuda[key] = p.stdout.strip() == b"True"
        except (OSError, subprocess.TimeoutExpired):
            _has_cuda[key] = False
    return _has_cuda[key]


def missing_cpu_flags(path, cmd=None):
    """The flags NAME.cpu asks for that this CPU lacks (all, if unknown);
    `no-cuda` when it asks for that and cmd has a GPU."""
    req = stem(path) + ".cpu"
    if not os.path.exists(req):
        return []
    with open(req, encoding="utf-8") as f:
        want = f.read().split()
    have = cpu_flags()
    return [w for w in want
            if (binary_has_cuda(cmd) if w == "no-cuda" else have is None or w not in have)]


def run_one(cmd, path, timeout, repl_args=("-i",)):
    """Run one case; returns (returncode or None on timeout, stdout bytes, stderr bytes, note).
    repl_args: what tsr is given for a .repl case (none for the oracle)."""
    folder = os.path.dirname(os.path.abspath(path))
    base = os.path.basename(path)
    if path.endswith(".repl"):
        argv = list(cmd) + list(repl_args)  # -i: as typed at the prompt, errors number each statement's lines
        with open(path, "rb") as f:
            stdin_data = f.read()
    elif path.endswith(".cli"):
        with open(path, encoding="utf-8") as f:
            argv = list(cmd) + shlex.split(f.read(), comments=True)
        stdin_data = None
    else:
        argv = list(cmd) + [base]
        stdin_data = None
    try:
        proc = subprocess.Popen(
            argv,
            cwd=folder,
            stdin=subprocess.PIPE if stdin_data is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as e:
        return None, b"", b"", "could not start: %s" % e
    try:
        out, err = proc.communicate(stdin_data, timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            proc.kill()
        out, err = proc.communicate()
        return None, out, err, "timeout after %g s" % timeout
    return proc.returncode, out, err, None


# An uncaught exception's last traceback line: "Class: message" at column 0.
EXCEPTION_LINE = re.compile(r"^((?:[A-Za-z_][\w.]*)?(?:Error|Exception|Interrupt|Exit))(?::|$)")


# CPython 3.11's NameError/AttributeError hint at the end of the last line
HINT = re.compile(r"\. Did you mean: '[^']*'\?$")


def exception_lines(data):
    """The "Class: message" lines of stderr, with PyTorch's module prefix of
    the class (torch.autograd.gradcheck.GradcheckError) kept as printed."""
    lines = []
    for ln in data.decode("utf-8", "replace").splitlines():
        m = EXCEPTION_LINE.match(ln)
        if not m:
            continue
        # PyTorch's multi-line "invalid combination of arguments" message
        # comes back joined on one more line: count it once
        if lines and "received an invalid combination" in lines[-1] and ln.startswith(lines[-1]):
            continue
        lines.append(m.group(1) if m.group(1).endswith("SyntaxError") else ln.rstrip())
    return lines


def last_line(data):
    text = data.decode("utf-8", "replace")
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return lines[-1] if lines else ""


def read_expected_error(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                return line.strip()
    return ""


def check_case(cmd, name, path, timeout):
    """Returns (name, ok, reason, expected_out, got_out, stderr)."""
    s = stem(path)
    out_path, err_path = s + ".out", s + ".err"
    missing = missing_cpu_flags(path, cmd)
    if missing:
        return name, True, "CPU lacks %s" % " ".join(missing), b"", b"", b""
    if not os.path.exists(out_path):
        return name, False, "missing %s" % os.path.basename(out_path), b"", b"", b""
    with open(out_path, "rb") as f:
        expected = f.read()
    expected_error = read_expected_error(err_path) if os.path.exists(err_path) else None
    is_repl = path.endswith(".repl")
    status_path = s + ".status"
    want_status = None
    if os.path.exists(status_path):
        with open(status_path, encoding="utf-8") as f:
            want_status = int(f.read().split()[0])
    rc, out, err, note = run_one(cmd, path, timeout)
    if rc is None:
        return name, False, note, expected, out, err
    reasons = []
    if out != expected:
        reasons.append("stdout differs")
    if want_status is not None:
        if rc != want_status:
            reasons.append("exit status %d, expected %d (stderr: %s)"
                           % (rc, want_status, last_line(err)[:160]))
    elif expected_error is None:
        if rc != 0:
            reasons.append("exit status %d, expected 0 (stderr: %s)" % (rc, last_line(err)[:160]))
    else:
        want_rc = 0 if is_repl else 1
        if rc != want_rc:
            reasons.append("exit status %d, expected %d" % (rc, want_rc))
    if expected_error is not None:
        tail = last_line(err)
        if not re.search(r"(?<!\w)" + re.escape(expected_error) + r"(?!\w)", tail):
            reasons.append(
                "expected %s in the last line of stderr, got: %s"
                % (expected_error, tail[:160] if tail else "(nothing)")
            )
    if os.path.exists(s + ".errors"):
        with open(s + ".errors", encoding="utf-8") as f:
            want = [ln.rstrip("\n") for ln in f if ln.strip()]
        got = exception_lines(err)
        for i in range(max(len(want), len(got))):
            w = want[i] if i < len(want) else "(none)"
            g = got[i] if i < len(got) else "(none)"
            # the oracle prints str(e) on its last line, without the "Did
            # you mean" hint CPython's own printer (and tsr) appends
            if w != g and HINT.sub("", g) != w:
                reasons.append("error %d differs: expected %s, got %s" % (i + 1, w[:200], g[:200]))
                break
    if os.path.exists(s + ".stderr"):
        with open(s + ".stderr", "rb") as f:
            want_err = f.read()
        # a sanitizer's notes (ASan's warning about the generators'
        # swapcontext) are not the program's output
        err = re.sub(rb"(?m)^==\d+==WARNING: ASan .*\n", b"", err)
        if err != want_err:
            w = want_err.decode("utf-8", "replace").splitlines()
            g = err.decode("utf-8", "replace").splitlines()
            for i in range(max(len(w), len(g))):
                wl = w[i] if i < len(w) else "(none)"
                gl = g[i] if i < len(g) else "(none)"
                if wl != gl:
                    reasons.append("stderr line %d differs: expected %r, got %r" % (i + 1, wl[:160], gl[:160]))
                    break
            else:
                reasons.append("stderr differs")
    return name, not reasons, "; ".join(reasons), expected, out, err


def show_diff(name, expected, got, err):
    exp = expected.decode("utf-8", "replace").splitlines(keepends=True)
    act = got.decode("utf-8", "replace").splitlines(keepends=True)
    sys.stdout.write("---- %s\n" % name)
    diff = list(
        difflib.unified_diff(exp, act, "expected", "got", n=2)
    )
    for line in diff[:200]:
        if not line.endswith("\n"):
            line += "\n\\ No newline at end of file\n"
        sys.stdout.write(line)
    if len(diff) > 200:
        sys.stdout.write("... (%d more diff lines)\n" % (len(diff) - 200))
    tail = err.decode("utf-8", "replace").splitlines()[-4:]
    for line in tail:
        sys.stdout.write("stderr| %s\n" % line)


def regen(cmd, cases, jobs, timeout):
    def work(item):
        name, path = item
        return name, path, run_one(cmd, path, timeout, repl_args=())

    hand_written = [c for c in cases if os.path.exists(stem(c[1]) + ".status")]
    for name, _ in hand_written:
        print("regen: %s: has a .status file, written by hand (skipped)" % name)
    cases = [c for c in cases if c not in hand_written]
    lacking = [c for c in cases if missing_cpu_flags(c[1])]
    for name, path in lacking:
        print("regen: %s: CPU lacks %s (skipped)" % (name, " ".join(missing_cpu_flags(path))))
    cases = [c for c in cases if c not in lacking]

    problems = 0
    with_err = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        results = sorted(pool.map(work, cases))
    for name, path, (rc, out, err, note) in results:
        s = stem(path)
        if rc is None:
            print("regen: %s: %s (not written)" % (name, note))
            problems += 1
            continue
        tail = last_line(err)
        m = ERROR_LINE.match(tail)
        error_class = None
        if path.endswith(".repl"):
            if rc != 0:
                print("regen: %s: oracle exited with %d (not written)" % (name, rc))
                problems += 1
                continue
            if m:
                error_class = m.group(1)
        else:
            if rc == 1:
                if not m:
                    print("regen: %s: exit 1 but no error class in: %s" % (name, tail))
                    problems += 1
                    continue
                error_class = m.group(1)
            elif rc != 0:
                print("regen: %s: oracle exited with %d (not written)" % (name, rc))
                problems += 1
                continue
        with open(s + ".out", "wb") as f:
            f.write(out)
        if error_class:
            with_err += 1
            with open(s + ".err", "w", encoding="utf-8") as f:
                f.write(error_class.rsplit(".", 1)[-1] + "\n")
        elif os.path.exists(s + ".err"):
            os.remove(s + ".err")
        if os.path.exists(s + ".stderr"):
            with open(s + ".stderr", "wb") as f:
                f.write(err)
        errors = exception_lines(err)
        if errors:
            with open(s + ".errors", "w", encoding="utf-8") as f:
                f.write("".join(ln + "\n" for ln in errors))
        elif os.path.exists(s + ".errors"):
            os.remove(s + ".errors")
        if err.strip() and not error_class:
            print("regen: note: %s wrote to stderr without an error: %s" % (name, tail[:160]))
    print(
        "regenerated %d cases (%d expect an error), %d problems"
        % (len(results) - problems, with_err, problems)
    )
    return 1 if problems else 0


def main():
    ap = argparse.ArgumentParser(
        prog="run_cases.py",
        description="Run tsr golden cases against a binary, or regenerate them.",
    )
    ap.add_argument("args", nargs="*", metavar="TSR_BINARY|DIR",
                    help="the binary to test, then case folders (default: tests/golden/)")
    ap.add_argument("--filter", metavar="SUBSTR", help="only cases whose name contains SUBSTR")
    ap.add_argument("--verbose", "-v", action="store_true",
                    help="show a unified diff of stdout for the first failing cases")
    ap.add_argument("--max-diffs", type=int, default=10, metavar="N",
                    help="how many failing cases --verbose shows (default 10)")
    ap.add_argument("--jobs", "-j", type=int, default=max(1, min(8, os.cpu_count() or 1)),
                    metavar="N", help="cases run in parallel")
    ap.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                    help="per-case time limit (default 20)")
    ap.add_argument("--baseline", metavar="FILE",
                    help="exit 0 when every case named in FILE passes (a ratchet)")
    ap.add_argument("--write-baseline", metavar="FILE",
                    help="after the run, write the names of the passing cases to FILE")
    ap.add_argument("--regen-with", metavar="ORACLE",
                    help="write .out/.err from ORACLE (oracle/torch-oracle) instead of testing")
    a = ap.parse_args()
    jobs = max(1, a.jobs)

    if a.regen_with:
        cmd = resolve_command(a.regen_with)
        dirs = a.args
        if not dirs:
            ap.error("--regen-with needs at least one case folder")
        cases = find_cases(dirs, a.filter)
        if not cases:
            print("regen: no cases found")
            return 1
        return regen(cmd, cases, jobs, a.timeout)

    if not a.args:
        ap.error("missing TSR_BINARY")
    cmd = resolve_command(a.args[0])
    dirs = a.args[1:] or [os.path.join(HERE, "golden")]
    cases = find_cases(dirs, a.filter)

    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(check_case, cmd, n, p, a.timeout) for n, p in cases]
        results = sorted((f.result() for f in futures), key=lambda r: r[0])

    passed = sum(1 for r in results if r[1])
    failed = len(results) - passed
    shown = 0
    for name, ok, reason, expected, got, err in results:
        if ok and reason:
            print("SKIP %s: %s" % (name, reason))
        if ok:
            continue
        print("FAIL %s: %s" % (name, reason))
        if a.verbose and shown < a.max_diffs:
            shown += 1
            show_diff(name, expected, got, err)
    if not results:
        sys.stderr.write("run_cases: no cases found\n")
    if a.write_baseline:
        with open(a.write_baseline, "w", encoding="utf-8") as f:
            for name, ok, *_ in results:
                if ok:
                    f.write(name + "\n")
    status = 0 if results and failed == 0 else 1
    if a.baseline:
        with open(a.baseline, encoding="utf-8") as f:
            listed = [ln.strip() for ln in f if ln.strip() and not ln.startswith("#")]
        outcome = {r[0]: r[1] for r in results}
        regressed = [n for n in listed if not outcome.get(n, False)]
        for n in regressed:
            print("REGRESSED %s%s" % (n, "" if n in outcome else " (not found)"))
        print("baseline: %d listed, %d regressed" % (len(listed), len(regressed)))
        status = 0 if results and not regressed else 1
    sys.stdout.write("%d passed, %d failed\n" % (passed, failed))
    sys.stdout.flush()
    return status


if __name__ == "__main__":
    sys.exit(main())
