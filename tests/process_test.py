#!/usr/bin/env python3
"""How tsr behaves as a process: output errors and Ctrl-C.

  tests/process_test.py build/tsr

- stdout that cannot be written (/dev/full) is CPython's "Exception
  ignored" report at exit, status 120; a statement that flushes sees
  OSError; a closed pipe raises BrokenPipeError in the statement that
  writes (status 1), as CPython without PYTHONUNBUFFERED does.
- `tsr < FILE` reports the file's line numbers (the traceback python3 <
  FILE prints); `tsr -i < FILE` numbers each statement's lines from 1, as
  at the prompt.
- `tsr -i`: sys.exit() in the script is reported and the prompt follows.
- SIGINT stops each long operation (integer matmul, sort, printing,
  tolist) with KeyboardInterrupt, caught by the program, within LIMIT
  seconds of the signal (measured here; 100 ms on a quiet machine).
"""
import os, signal, subprocess, sys, tempfile, time

LIMIT = 3.0  # seconds: generous for loaded machines (quiet: under 50 ms)
tsr = sys.argv[1]
failures = 0


def check(name, ok, detail=""):
    global failures
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + detail))
    failures += not ok


def script(text):
    f = tempfile.NamedTemporaryFile("w", suffix=".tsr", delete=False)
    f.write(text)
    f.close()
    return f.name


# ---- output errors
p = script("print(1)\n")
with open("/dev/full", "w") as full:
    r = subprocess.run([tsr, p], stdout=full, stderr=subprocess.PIPE, text=True)
check("stdout full: status 120", r.returncode == 120, str(r.returncode))
check("stdout full: report", r.stderr == "Exception ignored in: <_io.TextIOWrapper name='<stdout>' mode='w' "
      "encoding='utf-8'>\nOSError: [Errno 28] No space left on device\n", repr(r.stderr))
p = script("try:\n    print(1, flush=True)\nexcept OSError as e:\n    import sys\n"
           "    sys.stderr.write(repr(e) + '\\n')\n")
with open("/dev/full", "w") as full:
    r = subprocess.run([tsr, p], stdout=full, stderr=subprocess.PIPE, text=True)
check("flush raises OSError", r.stderr == "OSError(28, 'No space left on device')\n" and r.returncode == 0,
      repr(r.stderr))
p = script("for i in range(1000000):\n    print(i)\n")
proc = subprocess.Popen([tsr, p], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
proc.stdout.readline()
proc.stdout.close()
err = proc.stderr.read()
proc.wait()
check("closed pipe: BrokenPipeError, status 1",
      proc.returncode == 1 and err.rstrip().endswith("BrokenPipeError: [Errno 32] Broken pipe"),
      "%d %r" % (proc.returncode, err[-200:]))

# ---- console line numbers: `tsr < FILE` numbers the file's lines,
# `tsr -i < FILE` each statement's, as the prompt does
prog = b"x = 1\n\ndef f():\n    return 1/0\n\nf()\ny = (1,\n  2 3)\nimport warnings\nwarnings.warn('w')\n"
r = subprocess.run([tsr], input=prog, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
err = r.stderr.decode()
check("tsr < FILE: a frame's line in the file", '  File "<stdin>", line 6, in <module>\n' in err, err)
check("tsr < FILE: a function's line in the file", '  File "<stdin>", line 4, in f\n' in err, err)
check("tsr < FILE: a syntax error's line in the file", '  File "<stdin>", line 8\n' in err, err)
check("tsr < FILE: a warning's line in the file", "<stdin>:10: UserWarning: w" in err, err)
# where the console and `python3 < FILE` agree (no echo, one error, the
# last statement), the whole report is CPython's (no source lines: <stdin>)
prog2 = b"import math\n\ndef g(v):\n    return math.sqrt(v)\n\n\ndef f(v):\n    return g(v - 5)\n\nf(2)\n"
r = subprocess.run([tsr], input=prog2, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
want = ('Traceback (most recent call last):\n  File "<stdin>", line 10, in <module>\n'
        '  File "<stdin>", line 8, in f\n  File "<stdin>", line 4, in g\nValueError: math domain error\n')
if os.path.exists("/usr/bin/python3"):
    py = subprocess.run(["/usr/bin/python3"], input=prog2, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    want = py.stderr.decode()
check("tsr < FILE: the traceback python3 < FILE prints", r.stderr.decode() == want, repr(r.stderr.decode()))
r = subprocess.run([tsr, "-i"], input=prog, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
err = r.stderr.decode()
check("tsr -i < FILE: lines as at the prompt", '  File "<stdin>", line 1, in <module>\n' in err and
      '  File "<stdin>", line 2, in f\n' in err and "<stdin>:1: UserWarning: w" in err, err)

# ---- -i after sys.exit(): reported, then the prompt (python3 -i does this)
r = subprocess.run([tsr, "-i", "-c", "import sys\nv = 5\nsys.exit(3)"], input=b"print(v)\n",
                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
check("tsr -i: sys.exit() in the script is reported and the session goes on",
      r.returncode == 0 and r.stdout == b"5\n" and r.stderr.decode() ==
      'Traceback (most recent call last):\n  File "<string>", line 3, in <module>\nSystemExit: 3\n',
      "%d %r %r" % (r.returncode, r.stdout, r.stderr))
r = subprocess.run([tsr, "-c", "import sys\nsys.exit(3)"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
check("without -i, sys.exit(3) ends with status 3 and no report", r.returncode == 3 and r.stderr == b"",
      "%d %r" % (r.returncode, r.stderr))

# ---- Ctrl-C inside long operations
cases = {
    "integer matmul": "a = torch.randint(0, 10, (3000, 3000))\nSTART\nc = a @ a",
    "sort": "a = torch.rand(30000000)\nSTART\na.sort()",
    "stable sort": "a = torch.rand(30000000)\nSTART\na.sort(stable=True)",
    "printing": "torch.set_printoptions(threshold=10**9)\na = torch.rand(4000, 4000)\nSTART\ns = str(a)",
    "tolist": "a = torch.rand(30000000)\nSTART\nl = a.tolist()",
    "randperm": "START\np = torch.randperm(50000000)",
    "randint": "START\nx = torch.randint(0, 2, (4, 50000000), dtype=torch.bool)",
    "rand": "START\nx = torch.rand(100000000)",
    "exponential_": "START\nx = torch.empty(100000000).exponential_()",
    "cauchy_": "START\nx = torch.empty(60000000).cauchy_()",
    "bernoulli_": "START\nx = torch.empty(100000000).bernoulli_(0.3)",
    "random_": "START\nx = torch.empty(60000000, dtype=torch.int64).random_()",
}
for name, body in cases.items():
    body = body.replace("START", 'print("go", flush=True)')
    src = "try:\n" + "".join("    " + l + "\n" for l in body.split("\n")) + \
          '    print("finished", flush=True)\nexcept KeyboardInterrupt:\n    print("interrupted", flush=True)\n'
    proc = subprocess.Popen([tsr, script(src)], stdout=subprocess.PIPE, text=True)
    proc.stdout.readline()
    time.sleep(0.2)
    t = time.monotonic()
    proc.send_signal(signal.SIGINT)
    line = proc.stdout.readline()
    dt = time.monotonic() - t
    proc.wait()
    print("     %s: answered in %.3f s" % (name, dt))
    check("Ctrl-C stops " + name, line == "interrupted\n" and dt < LIMIT, "%r after %.3f s" % (line, dt))

print("%d failed" % failures)
sys.exit(1 if failures else 0)
