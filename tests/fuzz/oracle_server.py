"""Fork server for the torch oracle (development tool for fuzz_oracle.py).

Run with a Python that has torch (the oracle's /usr/bin/python3).  It imports
torch and the oracle (/work/shared/oracle/torch_oracle.py, or the folder given
as argv[1]) once, then for each request line on stdin -- JSON
{"mode": "repl"|"script", "src": TEXT} -- forks a child that runs the program
exactly as `torch-oracle --repl` / `torch-oracle FILE` would, and answers one
JSON line {"out": STDOUT, "err": STDERR, "rc": STATUS}.  A fresh child per
program keeps every run independent (seed, print options, default dtype).
"""
import json
import os
import sys
import tempfile

oracle_dir = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/oracle"
sys.path.insert(0, oracle_dir)
import torch_oracle  # noqa: E402
import torch  # noqa: E402

torch.set_num_threads(1)
torch_oracle.make_namespace()  # warm the prelude's imports

tmp = tempfile.mkdtemp(prefix="oracle_server_")
req_in = sys.stdin
reply = os.fdopen(os.dup(1), "w")
devnull = os.open(os.devnull, os.O_RDONLY)

for line in req_in:
    req = json.loads(line)
    outp = os.path.join(tmp, "out")
    errp = os.path.join(tmp, "err")
    srcp = os.path.join(tmp, "prog.tsr")
    with open(srcp, "w", encoding="utf-8") as f:
        f.write(req["src"])
    pid = os.fork()
    if pid == 0:
        fo = os.open(outp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        fe = os.open(errp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(devnull, 0)
        os.dup2(fo, 1)
        os.dup2(fe, 2)
        sys.stdout = open(1, "w", encoding="utf-8", errors="backslashreplace", closefd=False)
        sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)
        os.chdir(tmp)
        rc = 1
        try:
            if req.get("mode") == "script":
                rc = torch_oracle.run_script(req["src"], "prog.tsr", ["prog.tsr"])
            else:
                rc = torch_oracle.run_repl(req["src"])
        except SystemExit as e:
            rc = e.code if isinstance(e.code, int) else 1
        except BaseException as e:  # noqa
            sys.stderr.write("oracle_server: %r\n" % (e,))
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(rc)
    import signal
    import time
    deadline = time.time() + float(req.get("timeout", 20))
    status = None
    while True:
        p, st = os.waitpid(pid, os.WNOHANG)
        if p:
            status = os.waitstatus_to_exitcode(st)
            break
        if time.time() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            status = 124
            break
        time.sleep(0.002)
    with open(outp, encoding="utf-8", errors="replace") as f:
        out = f.read()
    with open(errp, encoding="utf-8", errors="replace") as f:
        err = f.read()
    reply.write(json.dumps({"out": out, "err": err, "rc": status}) + "\n")
    reply.flush()
