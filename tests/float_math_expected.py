#!/usr/bin/python3
# Development-time only: regenerates tests/unit/float_math_expected.inc, the
# hashes of PyTorch 1.13's float math outputs that tests/unit/test_float_math.c
# compares tsr's kernels with, bit for bit (torch is not needed there).
#   /usr/bin/python3 tests/float_math_expected.py > tests/unit/float_math_expected.inc
# One torch process per CPU capability (ATEN_CPU_CAPABILITY), on one thread
# as the oracle runs (torch_oracle.py: torch.set_num_threads(1)).
import os, sys

UNARY = ["exp", "expm1", "log", "log2", "log10", "log1p", "sin", "cos", "tan", "asin", "acos",
         "atan", "tanh", "sqrt", "sinh", "cosh", "sigmoid", "rsqrt", "reciprocal",
         "erf", "erfc", "lgamma", "erfinv", "asinh", "acosh", "atanh"]
# activations (family 'a': forward f(x); 'g': the backward kernel with
# grad x.flip(0)), by index into ACTS of test_float_math.c, on both
# capabilities (tsr mirrors ATen's AVX2 and AVX-512 activation kernels,
# vec_act.h)
ACTS = ["gelu", "gelu_tanh", "silu", "elu", "selu", "leaky_relu", "softplus", "softplus_b2",
        "logsigmoid", "celu"]
ACTS_BACKWARD = 8  # the first 8 have a 'g' row
BINARY = ["atan2", "hypot", "pow"]            # op(x, x.flip(0)); pow(x.abs(), x.flip(0))
POW_EXPONENTS = [2.5, 0.5, -0.5, -1.0, 2.0, 3.0, -2.0, -1.5]  # x.abs() ** e
# the inputs: (kind, lo, hi, n): kind 0 lo + (hi - lo) * i / (n - 1), 1 the
# same over 2n taken with step 2 (a strided row), 2 special values
SIZES = [7, 16, 37, 1000, 4099, 40000, 300001]
INPUTS = [(0, -10.0, 10.0, n) for n in SIZES] + [
    (0, -1.5, 1.5, 4099), (0, -100.0, 100.0, 4099), (0, -1000.0, 1000.0, 1000),
    (1, -10.0, 10.0, 1000), (2, 0.0, 0.0, 12)]
SPECIAL = [0.0, -0.0, float("inf"), float("-inf"), float("nan"), 1.0, -1.0, 1e-30,
           -1e-30, 1e30, 88.5, -104.0]
# softmax / log_softmax over the last dim of 3 rows of n, and over the
# middle dim of (2, n, 11)
SOFTMAX_INPUTS = [(0, -10.0, 10.0, n) for n in (1, 5, 7, 8, 9, 13, 16, 37, 1000, 4099)] + [
    (0, -100.0, 100.0, 37)]


def child(cap):
    import torch
    import torch.nn.functional as F
    torch.set_num_threads(1)

    def act_fn(name):
        return {"gelu": F.gelu, "gelu_tanh": lambda t: F.gelu(t, approximate="tanh"),
                "silu": F.silu, "elu": F.elu, "selu": F.selu,
                "leaky_relu": lambda t: F.leaky_relu(t, 0.03), "softplus": F.softplus,
                "softplus_b2": lambda t: F.softplus(t, 2.0, 5.0), "logsigmoid": F.logsigmoid,
                "celu": lambda t: F.celu(t, 0.7)}[name]

    def make(dt, kind, lo, hi, n, rows=1):
        if kind == 2:
            return torch.tensor(SPECIAL, dtype=dt)
        m = (2 * n if kind == 1 else n) * rows
        x = torch.arange(m, dtype=torch.float64) * (hi - lo) / (m - 1) + lo if m > 1 else \
            torch.tensor([lo], dtype=torch.float64)
        x = x.to(dt)
        return x[::2] if kind == 1 else x

    def row(fam, op, param, dt, kind, lo, hi, n, y):
        iv = torch.int32 if dt == torch.float32 else torch.int64
        mask = 0xffffffff if dt == torch.float32 else 0xffffffffffffffff
        h = 0xcbf29ce484222325
        for w in y.contiguous().view(iv).flatten().tolist():
            h ^= w & mask
            h = (h * 0x100000001b3) & 0xffffffffffffffff
        dn = "DT_FLOAT32" if dt == torch.float32 else "DT_FLOAT64"
        print("    {CPU_CAP_%s, '%s', %s, %r, %s, %d, %r, %r, %d, 0x%016xull},"
              % (cap.upper(), fam, op, param, dn, kind, lo, hi, n, h))

    for dt in (torch.float32, torch.float64):
        for kind, lo, hi, n in INPUTS:
            x = make(dt, kind, lo, hi, n)
            for name in UNARY:
                row('u', "UN_" + name.upper(), 0.0, dt, kind, lo, hi, n, getattr(torch, name)(x))
            for name in BINARY:
                a = x.abs() if name == "pow" else x
                row('b', "BIN_" + name.upper(), 0.0, dt, kind, lo, hi, n,
                    getattr(torch, name)(a, x.flip(0)))
            for e in POW_EXPONENTS:
                row('p', "BIN_POW", e, dt, kind, lo, hi, n, x.abs() ** e)
            for k, name in enumerate(ACTS):
                fn = act_fn(name)
                row('a', str(k), 0.0, dt, kind, lo, hi, n, fn(x))
                if k < ACTS_BACKWARD:
                    xx = x.clone().requires_grad_()
                    fn(xx).backward(x.flip(0))
                    row('g', str(k), 0.0, dt, kind, lo, hi, n, xx.grad)
        for kind, lo, hi, n in SOFTMAX_INPUTS:
            x = make(dt, kind, lo, hi, n, 3).reshape(3, n)
            row('s', "0", 0.0, dt, kind, lo, hi, n, torch.softmax(x, -1))
            row('l', "0", 0.0, dt, kind, lo, hi, n, torch.log_softmax(x, -1))
            # over a middle dim: inner 11 (vectors and scalar columns)
            x = make(dt, kind, lo, hi, n, 22).reshape(2, n, 11)
            row('S', "0", 0.0, dt, kind, lo, hi, n, torch.softmax(x, 1))
            row('L', "0", 0.0, dt, kind, lo, hi, n, torch.log_softmax(x, 1))
    sys.stdout.flush()


if len(sys.argv) > 1:
    child(sys.argv[1])
    sys.exit(0)
print("/* generated by tests/float_math_expected.py from PyTorch 1.13: do not edit */")
print("static const double special_inputs[] = {%s};" % ", ".join(
    {"inf": "INFINITY", "-inf": "-INFINITY", "nan": "NAN"}.get(repr(v), repr(v)) for v in SPECIAL))
print("static const MathCase math_cases[] = {")
sys.stdout.flush()
import subprocess
for cap in ("avx2", "avx512"):
    env = dict(os.environ, ATEN_CPU_CAPABILITY=cap)
    subprocess.run([sys.executable, __file__, cap], env=env, check=True)
print("};")
