#!/usr/bin/env python3
"""doc_examples: runs PyTorch's own documentation examples (the `>>>`
lines of each public function's and class's docstring) through tsr and
through the oracle, and lists the ones whose output differs. A
development tool (it needs /usr/bin/python3 with torch), not a test:

    tests/doc_examples.py [build/tsr] [--filter SUBSTR] [--out DIR] [--jobs N]

Each example runs as REPL input in a fresh process after
`torch.manual_seed(0)` (PyTorch seeds its default generator at random), in tsr (`tsr -i`) and
in the oracle (through tests/fuzz/oracle_server.py, which imports torch
once). Standard output must match byte for byte, and the error classes on
standard error must be the same. A summary line per namespace, then one
line per example that differs; DIR/NAME/ holds the input and both outputs.
"""
import argparse
import concurrent.futures
import doctest
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ORACLE_DIR = "/work/shared/oracle"

if sys.executable != "/usr/bin/python3":
    os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

SPACES = [("torch", torch), ("torch.Tensor", torch.Tensor), ("torch.nn.functional", F),
          ("torch.linalg", torch.linalg), ("torch.special", torch.special), ("torch.nn", torch.nn),
          ("torch.fft", torch.fft)]
ERROR_LINE = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Interrupt|Exit|Iteration))(?::|$)")


def examples():
    """(name, program) for each documented callable with >>> examples."""
    parser = doctest.DocTestParser()
    for prefix, space in SPACES:
        for name in sorted(dir(space)):
            if name.startswith("_"):
                continue
            obj = getattr(space, name, None)
            doc = getattr(obj, "__doc__", None)
            if not callable(obj) or not isinstance(doc, str) or ">>>" not in doc:
                continue
            try:
                exs = parser.get_examples(doc)
            except ValueError:
                continue
            src = "".join(e.source for e in exs)
            if src.strip():  # seeded: PyTorch's default generator starts from a random seed
                yield prefix + "." + name, "_ = torch.manual_seed(0)\n" + src


def error_classes(err):
    return [m.group(1).rsplit(".", 1)[-1] for m in map(ERROR_LINE.match, err.splitlines()) if m]


class Oracle:
    def __init__(self):
        self.proc = subprocess.Popen(["/usr/bin/python3", os.path.join(HERE, "fuzz", "oracle_server.py"), ORACLE_DIR],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def run(self, src):
        self.proc.stdin.write(json.dumps({"mode": "repl", "src": src}) + "\n")
        self.proc.stdin.flush()
        r = json.loads(self.proc.stdout.readline())
        return r["out"], r["err"]


def run_tsr(tsr, src):
    try:
        p = subprocess.run([tsr, "-i"], input=src.encode(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=60)
        return p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return "", "TimeoutError: tsr took over 60 s\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tsr", nargs="?", default=os.path.join(ROOT, "build", "tsr"))
    ap.add_argument("--filter", default="")
    ap.add_argument("--out", default="/tmp/doc_examples")
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()
    a.tsr, a.out = os.path.abspath(a.tsr), os.path.abspath(a.out)
    os.chdir(tempfile.mkdtemp(prefix="doc_examples."))  # examples write files (torch.save)
    todo = [(n, s) for n, s in examples() if a.filter in n]
    oracle = Oracle()
    expected = {n: oracle.run(s) for n, s in todo}
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        got = dict(zip([n for n, _ in todo], pool.map(lambda t: run_tsr(a.tsr, t[1]), todo)))
    per_space, bad = {}, []
    for name, src in todo:
        (eo, ee), (to, te) = expected[name], got[name]
        ok = eo == to and error_classes(ee) == error_classes(te)
        space = name.rsplit(".", 1)[0]
        s = per_space.setdefault(space, [0, 0])
        s[0 if ok else 1] += 1
        if not ok:
            why = "output" if eo != to else "errors"
            terr = [l for l in te.splitlines() if ERROR_LINE.match(l)]
            bad.append((name, why, terr[0][:110] if terr else ""))
            d = os.path.join(a.out, name)
            os.makedirs(d, exist_ok=True)
            for fn, text in (("prog.repl", src), ("oracle.out", eo), ("oracle.err", ee), ("tsr.out", to),
                             ("tsr.err", te)):
                with open(os.path.join(d, fn), "w") as f:
                    f.write(text)
    for space, (ok, no) in sorted(per_space.items()):
        print("%-22s %4d same, %4d differ" % (space, ok, no))
    for name, why, err in bad:
        print("DIFF %-45s %-7s %s" % (name, why, err))
    total = sum(v[0] for v in per_space.values()), sum(v[1] for v in per_space.values())
    print("%d same, %d differ" % total)


main()
