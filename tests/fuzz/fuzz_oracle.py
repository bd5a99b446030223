#!/usr/bin/env python3
"""Randomized differential tester: tsr against the PyTorch oracle.

    tests/fuzz/fuzz_oracle.py [--tsr build/tsr] [--family F[,F...]] [--n N]
                              [--seconds S] [--seed SEED] [--jobs J]
                              [--out /tmp/fuzz] [--slow-oracle] [--no-reduce]
    tests/fuzz/fuzz_oracle.py --show FAMILY SEED     (print one program)

Generates small random programs (one family at a time: arith, matmul, index,
shape, reduce, creation, dtype), runs each in REPL mode (`tsr < prog` and
`torch-oracle --repl < prog`, so every expression is echoed with repr and an
error does not end the run), and compares standard output byte for byte and
the sequence of error classes on standard error (with --messages, the
exception messages themselves).  Every mismatch is written to
OUT/<family>_<seed>/ (prog.repl, tsr.out, oracle.out, tsr.err, oracle.err) and,
unless --no-reduce, reduced line by line to a minimal program (min.repl).

Programs are deterministic: small integers and dyadic fractions, seeded
rand/randn (tsr's generator is bit-exact with PyTorch's).  Program SEED of
family F is always the same text, so `--show F SEED` reproduces a finding.

By default the oracle runs through tests/fuzz/oracle_server.py, a fork server
that imports torch once (about 50 ms a program instead of about 1 s); pass
--slow-oracle to run /work/shared/oracle/torch-oracle for each program.
Python 3 standard library only (the server needs the oracle's Python).
"""

import argparse
import json
import os
import random
import re
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ORACLE = "/work/shared/oracle/torch-oracle"
ORACLE_PY = os.environ.get("TORCH_ORACLE_PYTHON", "/usr/bin/python3")
ERROR_LINE = re.compile(
    r"^(?:[\w./<>-]+:\d+(?::\d+)?:\s*)?"
    r"([A-Za-z_][\w.]*(?:Error|Exception|Interrupt|Exit|Iteration|Warning))(?::|$)"
)

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64",
          "float16", "bfloat16", "float32", "float64"]
INTS = ["uint8", "int8", "int16", "int32", "int64"]
FLOATS = ["float16", "bfloat16", "float32", "float64"]


# ---------------------------------------------------------------- helpers

class Gen:
    """Random program pieces; all values small and exactly representable."""

    def __init__(self, seed):
        self.r = random.Random(seed)
        self.lines = []
        self.nvar = 0

    def pick(self, xs):
        return self.r.choice(xs)

    def chance(self, p):
        return self.r.random() < p

    def emit(self, line):
        self.lines.append(line)

    def var(self):
        self.nvar += 1
        return "v%d" % self.nvar

    def dtype(self, pool=None):
        return "torch." + self.pick(pool or DTYPES)

    def size(self):
        return self.pick([0, 1, 1, 2, 2, 3, 3, 4, 5])

    def shape(self, ndim=None, allow_zero=True):
        if ndim is None:
            ndim = self.pick([0, 1, 1, 2, 2, 2, 3, 3, 4])
        s = []
        for _ in range(ndim):
            n = self.size()
            if n == 0 and (not allow_zero or self.chance(0.6)):
                n = 2
            s.append(n)
        return s

    def value(self, dt):
        d = dt.replace("torch.", "")
        if d == "bool":
            return self.pick(["True", "False"])
        if d == "uint8":
            return str(self.r.randint(0, 12))
        if d in INTS:
            return str(self.r.randint(-9, 9))
        v = self.r.randint(-16, 16) / self.pick([1, 1, 2, 4, 8])
        return repr(float(v))

    def literal(self, shape, dt):
        """A nested list literal of the given shape."""
        if not shape:
            return self.value(dt)
        return "[" + ", ".join(self.literal(shape[1:], dt) for _ in range(shape[0])) + "]"

    def scalar(self, kind=None):
        kind = kind or self.pick(["int", "float", "bool", "int", "float"])
        if kind == "int":
            return str(self.r.randint(-5, 5))
        if kind == "bool":
            return self.pick(["True", "False"])
        return repr(self.r.randint(-12, 12) / self.pick([1, 2, 4]))

    def tensor(self, shape, dt, layout=None):
        """An expression for a tensor of `shape`/`dt`, maybe a non-contiguous view."""
        layout = layout or self.pick(["contig", "contig", "literal", "t", "step", "expand"])
        nd = len(shape)
        if layout == "t" and nd >= 2:
            i, j = self.r.sample(range(nd), 2)
            base = list(shape)
            base[i], base[j] = base[j], base[i]
            return "%s.transpose(%d, %d)" % (self.tensor(base, dt, "contig"), i, j)
        if layout == "step" and nd >= 1:
            k = self.r.randrange(nd)
            base = list(shape)
            step = self.pick([2, 3])
            base[k] = shape[k] * step + self.r.randint(0, step - 1) if shape[k] else self.r.randint(0, 2)
            idx = [":"] * nd
            start = self.r.randint(0, max(0, base[k] - max(1, (shape[k] - 1) * step + 1))) if shape[k] else 0
            # start so that exactly shape[k] elements come out
            while shape[k] and (base[k] - start + step - 1) // step != shape[k]:
                start += 1 if (base[k] - start + step - 1) // step > shape[k] else -1
            if not shape[k]:
                start = base[k]
            idx[k] = "%s::%d" % (start if start else "", step)
            return "%s[%s]" % (self.tensor(base, dt, "contig"), ", ".join(idx))
        if layout == "expand" and nd >= 1 and any(s != 1 for s in shape):
            base = [1 if (s != 1 and self.chance(0.5)) else s for s in shape]
            if base == shape:
                base = [1] + shape[1:]
            return "%s.expand(%s)" % (self.tensor(base, dt, "contig"), ", ".join(map(str, shape)) or "()")
        if layout == "literal" or nd == 0:
            return "torch.tensor(%s, dtype=%s)" % (self.literal(shape, dt), dt)
        n = 1
        for s in shape:
            n *= s
        flat = [self.value(dt) for _ in range(n)]
        return "torch.tensor([%s], dtype=%s).reshape(%s)" % (
            ", ".join(flat), dt, ", ".join(map(str, shape)) + ("," if len(shape) == 1 else ""))

    def seeded(self, shape, kind=None):
        kind = kind or self.pick(["rand", "randn", "randint"])
        sh = ", ".join(map(str, shape))
        if kind == "randint":
            return "torch.randint(-4, 5, (%s))" % (sh + ("," if len(shape) == 1 else ""))
        return "torch.%s(%s)" % (kind, sh)

    def dim(self, nd, allow_neg=True):
        if nd == 0:
            return self.pick([0, -1])
        d = self.r.randrange(nd)
        if allow_neg and self.chance(0.4):
            d -= nd
        return d

    def bshape(self, shape):
        """A shape that broadcasts with `shape` (sometimes one that does not)."""
        if self.chance(0.08):
            return self.shape()
        out = [s if self.chance(0.6) else 1 for s in shape]
        drop = self.r.randint(0, len(out))
        out = out[drop:]
        if self.chance(0.2):
            out = [self.pick([1, 2])] + out
        return out


def shp(shape):
    return "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"


# ---------------------------------------------------------------- families

BINOPS = ["+", "-", "*", "/", "//", "%", "**", "&", "|", "^", "<<", ">>",
          "<", "<=", ">", ">=", "==", "!="]
BINFNS = ["torch.add", "torch.sub", "torch.mul", "torch.div", "torch.maximum",
          "torch.minimum", "torch.eq", "torch.lt", "torch.remainder", "torch.fmod",
          "torch.floor_divide", "torch.logical_and", "torch.logical_or",
          "torch.logical_xor", "torch.bitwise_and", "torch.pow", "torch.atan2",
          "torch.true_divide", "torch.mul", "torch.sub"]
UNARY = ["neg", "abs", "sign", "floor", "ceil", "round", "trunc", "frac", "sqrt",
         "exp", "log", "sin", "cos", "tanh", "sigmoid", "relu", "reciprocal",
         "square", "logical_not", "bitwise_not", "exp2", "log2", "rsqrt", "expm1",
         "log1p", "isnan", "isinf", "isfinite", "signbit", "positive"]
INPLACE = ["add_", "sub_", "mul_", "div_", "clamp_", "neg_", "abs_", "fill_",
           "zero_", "pow_", "floor_", "remainder_", "copy_"]


def gen_arith(g):
    s1 = g.shape()
    s2 = g.bshape(s1)
    d1, d2 = g.dtype(), g.dtype()
    g.emit("a = " + g.tensor(s1, d1))
    g.emit("b = " + g.tensor(s2, d2))
    for _ in range(g.r.randint(4, 7)):
        k = g.r.randrange(9)
        if k == 0:
            g.emit("a %s b" % g.pick(BINOPS))
        elif k == 1:
            g.emit("%s(a, b)" % g.pick(BINFNS))
        elif k == 2:
            op = g.pick(BINOPS)
            if g.chance(0.5):
                g.emit("a %s %s" % (op, g.scalar()))
            else:
                g.emit("%s %s b" % (g.scalar(), op))
        elif k == 3:
            g.emit("torch.%s(%s)" % (g.pick(UNARY), g.pick(["a", "b"])))
        elif k == 4:
            v = g.pick(["a", "b"])
            fn = g.pick(INPLACE)
            arg = {"clamp_": "min=%s" % g.scalar("int"), "neg_": "", "abs_": "", "zero_": "",
                   "floor_": "", "fill_": g.scalar(), "copy_": g.pick(["a", "b"])}.get(
                fn, g.pick(["a", "b", g.scalar()]))
            g.emit("c = %s.clone()" % v)
            g.emit("c.%s(%s)" % (fn, arg))
            g.emit("c")
        elif k == 5:
            op = g.pick(["+=", "-=", "*=", "/=", "//=", "%=", "&=", "|="])
            g.emit("c = %s.clone()" % g.pick(["a", "b"]))
            g.emit("c %s %s" % (op, g.pick(["a", "b", g.scalar()])))
            g.emit("c")
        elif k == 6:
            g.emit("torch.where(%s, a, b)" % g.pick(["a > 0", "b < 1", "a == b"]))
        elif k == 7:
            g.emit("torch.clamp(a, %s, %s)" % (g.scalar("int"), g.scalar(g.pick(["int", "float"]))))
        else:
            g.emit("(a %s b).dtype, torch.result_type(a, %s)" % (g.pick(BINOPS[:6]), g.pick(["b", g.scalar()])))


def gen_matmul(g):
    dt = g.dtype(g.pick([FLOATS[2:], FLOATS[2:], INTS[3:], DTYPES]))
    k = g.pick([0, 1, 2, 3])
    m, n = g.pick([1, 2, 3]), g.pick([1, 2, 3])
    batch = g.shape(g.pick([0, 0, 1, 2]), allow_zero=False)
    shapes = [
        ([k], [k]), ([m, k], [k]), ([k], [k, n]), ([m, k], [k, n]),
        (batch + [m, k], [k, n]), ([m, k], batch + [k, n]),
        (batch + [m, k], g.bshape(batch) + [k, n]), (batch + [m, k], [k]),
        ([k], batch + [k, n]),
    ]
    sa, sb = g.pick(shapes)
    if g.chance(0.1):
        sb = list(sb)
        if sb:
            sb[-2 if len(sb) > 1 else 0] += 1
    dt2 = dt if g.chance(0.8) else g.dtype()
    g.emit("a = " + g.tensor(sa, dt))
    g.emit("b = " + g.tensor(sb, dt2))
    g.emit("a @ b")
    g.emit("torch.matmul(a, b).shape")
    for _ in range(g.r.randint(2, 4)):
        c = g.r.randrange(7)
        if c == 0:
            g.emit("torch.mm(%s, %s)" % (g.tensor([m, k], dt), g.tensor([k, n], dt)))
        elif c == 1:
            g.emit("torch.mv(%s, %s)" % (g.tensor([m, k], dt), g.tensor([k], dt)))
        elif c == 2:
            g.emit("torch.dot(%s, %s)" % (g.tensor([k], dt), g.tensor([k], dt2)))
        elif c == 3:
            bb = g.pick([1, 2])
            g.emit("torch.bmm(%s, %s)" % (g.tensor([bb, m, k], dt), g.tensor([bb, k, n], dt)))
        elif c == 4:
            eq, shs = g.pick([
                ("ij,jk->ik", ([m, k], [k, n])), ("ij->ji", ([m, k],)), ("ii->i", ([m, m],)),
                ("ii", ([n, n],)), ("i,j->ij", ([m], [n])), ("bij,bjk->bik", ([2, m, k], [2, k, n])),
                ("ij,ij->i", ([m, k], [m, k])), ("...j,j", ([m, k], [k])), ("ij->", ([m, k],)),
                ("i,i", ([k], [k])), ("ijk->kji", ([m, k, n],)), ("ij,kj->ik", ([m, k], [n, k])),
            ])
            g.emit("torch.einsum(%r, %s)" % (eq, ", ".join(g.tensor(s, dt) for s in shs)))
        elif c == 5:
            g.emit("torch.outer(%s, %s)" % (g.tensor([m], dt), g.tensor([n], dt)))
        else:
            g.emit("a.matmul(b).dtype")


def gen_index_expr(g, shape):
    parts = []
    nd = len(shape)
    i = 0
    used_ellipsis = False
    while i < nd and len(parts) < 4:
        k = g.r.randrange(7)
        n = shape[i]
        if k == 0 and n > 0:
            v = g.r.randrange(-n, n)
            parts.append(str(v))
            i += 1
        elif k == 1:
            a = g.pick(["", str(g.r.randint(-3, 3))])
            b = g.pick(["", str(g.r.randint(-3, 5))])
            st = g.pick(["", "", "2", "3"])
            parts.append("%s:%s%s" % (a, b, (":" + st) if st else ""))
            i += 1
        elif k == 2:
            parts.append("None")
        elif k == 3 and not used_ellipsis:
            parts.append("...")
            used_ellipsis = True
            i = nd - g.r.randint(0, nd - i)
        elif k == 4 and n > 0:
            idx = [str(g.r.randrange(-n, n)) for _ in range(g.r.randint(1, 3))]
            parts.append(g.pick(["[%s]" % ", ".join(idx), "torch.tensor([%s])" % ", ".join(idx)]))
            i += 1
        elif k == 5:
            m = [g.pick(["True", "False"]) for _ in range(n)]
            parts.append("torch.tensor([%s])" % ", ".join(m) if m else "torch.tensor([], dtype=torch.bool)")
            i += 1
        else:
            parts.append(":")
            i += 1
    if g.chance(0.05) and nd:
        parts.append(str(shape[-1] + 1))  # too many / out of range
    if not parts:
        parts = [g.pick(["...", "None", ":"])]
    return ", ".join(parts)


def gen_index(g):
    s = g.shape(g.pick([1, 2, 2, 3, 3]))
    dt = g.dtype()
    g.emit("x = " + g.tensor(s, dt))
    for _ in range(g.r.randint(3, 6)):
        c = g.r.randrange(9)
        if c <= 2:
            g.emit("x[%s]" % gen_index_expr(g, s))
        elif c == 3:
            g.emit("y = x.clone()")
            g.emit("y[%s] = %s" % (gen_index_expr(g, s), g.value(dt) if g.chance(0.7) else g.scalar()))
            g.emit("y")
        elif c == 4 and s[0] > 0:
            d = g.dim(len(s))
            n = s[d]
            if n:
                idx = ", ".join(str(g.r.randrange(n)) for _ in range(g.r.randint(0, 3)))
                g.emit("torch.index_select(x, %d, torch.tensor([%s], dtype=torch.long))" % (d, idx))
        elif c == 5:
            g.emit("x[x %s %s]" % (g.pick([">", "<", "=="]), g.value(dt)))
            g.emit("x.masked_fill(x %s %s, %s)" % (g.pick([">", "<"]), g.value(dt), g.value(dt)))
        elif c == 6:
            d = g.dim(len(s))
            ish = list(s)
            ish[d] = g.pick([1, 2])
            if s[d]:
                g.emit("torch.gather(x, %d, %s)" % (d, g.tensor(ish, "torch.int64", "contig").replace(
                    "torch.tensor([", "torch.tensor([", 1) + ".abs() %% %d" % s[d]))
        elif c == 7:
            g.emit("torch.nonzero(x)" if g.chance(0.5) else "x.nonzero().shape")
        else:
            g.emit("y = x.clone()")
            g.emit("y[%s] = %s" % (gen_index_expr(g, s), g.tensor(g.shape(g.pick([0, 1])), dt)))
            g.emit("y")


def gen_shape(g):
    s = g.shape(g.pick([1, 2, 3, 3, 4]))
    dt = g.dtype()
    nd = len(s)
    g.emit("x = " + g.tensor(s, dt))
    for _ in range(g.r.randint(4, 7)):
        c = g.r.randrange(16)
        if c == 0:
            g.emit("x.reshape(-1).shape, x.reshape(%s)" % g.pick(["-1", "1, -1", "-1, 1"]))
        elif c == 1 and nd:
            perm = list(range(nd))
            g.r.shuffle(perm)
            g.emit("x.permute(%s)" % ", ".join(str(p - nd if g.chance(0.3) else p) for p in perm))
        elif c == 2:
            g.emit("x.transpose(%d, %d).is_contiguous(), x.transpose(%d, %d).stride()" % (
                g.dim(nd), g.dim(nd), g.dim(nd), g.dim(nd)))
        elif c == 3:
            g.emit("x.unsqueeze(%d).shape, x.squeeze().shape, x.squeeze(%d)" % (
                g.r.randint(-nd - 1, nd), g.dim(nd)))
        elif c == 4:
            a = g.dim(nd)
            g.emit("torch.flatten(x, %d)" % a)
        elif c == 5:
            d = g.r.randint(-nd, max(0, nd - 1)) if nd else 0
            g.emit("torch.cat([x, x%s], %d)" % (g.pick(["", ".clone()", "[:1]", " * 2"]), d))
        elif c == 6:
            g.emit("torch.stack([x, x], %d)" % g.r.randint(-nd - 1, nd))
        elif c == 7 and nd:
            d = g.dim(nd)
            g.emit("torch.split(x, %d, %d)" % (g.pick([1, 2, 3]), d))
        elif c == 8 and nd:
            g.emit("torch.chunk(x, %d, %d)" % (g.pick([1, 2, 3]), g.dim(nd)))
        elif c == 9:
            g.emit("x.flip(%d)" % g.dim(nd) if nd else "x.flip(0)")
        elif c == 10:
            g.emit("x.repeat(%s)" % ", ".join(str(g.pick([1, 2])) for _ in range(nd + g.pick([0, 0, 1]))))
        elif c == 11 and nd:
            d = g.dim(nd)
            g.emit("x.narrow(%d, %d, %d)" % (d, 0, min(1, s[d])))
        elif c == 12 and nd >= 1:
            g.emit("torch.movedim(x, %d, %d)" % (g.dim(nd), g.dim(nd)))
        elif c == 13:
            g.emit("x.unbind(%d)" % g.dim(nd) if nd else "x.view(1)")
        elif c == 14:
            g.emit("x.contiguous().view(%s)" % g.pick(["-1", "%d, -1" % (s[0] if nd else 1), "2, -1"]))
        else:
            g.emit("x.expand(%s)" % ", ".join(["2"] + ["-1"] * nd) if g.chance(0.7) else "x.t()")


REDUCE_DIM = ["sum", "mean", "prod", "amax", "amin", "all", "any", "std", "var",
              "logsumexp", "norm", "count_nonzero"]
REDUCE_ONE = ["max", "min", "argmax", "argmin", "cumsum", "cumprod", "median", "mode",
              "softmax", "log_softmax"]


def gen_reduce(g):
    s = g.shape(g.pick([0, 1, 2, 2, 3, 3]))
    dt = g.dtype()
    nd = len(s)
    if g.chance(0.3):
        g.emit("g = torch.manual_seed(%d)" % g.r.randint(0, 99))
        g.emit("x = %s.to(%s)" % (g.seeded(s or [3]), dt))
        s = s or [3]
        nd = len(s)
    else:
        g.emit("x = " + g.tensor(s, dt))
    for _ in range(g.r.randint(4, 7)):
        c = g.r.randrange(6)
        if c == 0:
            g.emit("torch.%s(x)" % g.pick(REDUCE_DIM + ["max", "min", "argmax", "median"]))
        elif c == 1:
            fn = g.pick(REDUCE_DIM)
            if nd and g.chance(0.4):
                dims = g.r.sample(range(nd), g.r.randint(1, nd))
                dims = "(%s)" % ", ".join(str(d - nd if g.chance(0.3) else d) for d in dims) + ("" if len(dims) > 1 else "")
                if dims.count(",") == 0:
                    dims = dims[:-1] + ",)"
            else:
                dims = str(g.dim(nd))
            kw = ", keepdim=True" if g.chance(0.4) else ""
            if fn in ("sum", "prod") and g.chance(0.3):
                kw += ", dtype=%s" % g.dtype()
            if fn == "prod":
                dims = str(g.dim(nd))
            g.emit("torch.%s(x, %s%s)" % (fn, dims, kw))
        elif c == 2:
            fn = g.pick(REDUCE_ONE)
            kw = ", keepdim=True" if fn in ("max", "min", "argmax", "argmin", "median", "mode") and g.chance(0.4) else ""
            g.emit("x.%s(%d%s)" % (fn, g.dim(nd), kw))
        elif c == 3:
            g.emit("x.float().mean(%d), x.sum()" % g.dim(nd))
        elif c == 4:
            g.emit("torch.sort(x, %d, descending=%s)" % (g.dim(nd), g.pick(["True", "False"])))
        else:
            g.emit("x.%s(%s)" % (g.pick(["sum", "mean", "amax", "any"]), g.pick(["", "dim=%d" % g.dim(nd), "dim=()", "dim=[]"])))


def gen_creation(g):
    for _ in range(g.r.randint(5, 8)):
        c = g.r.randrange(14)
        dt = g.dtype()
        sh = g.shape(g.pick([0, 1, 2, 2, 3]))
        dkw = (", dtype=%s" % dt) if g.chance(0.5) else ""
        if c == 0:
            g.emit("torch.%s(%s%s)" % (g.pick(["zeros", "ones"]),
                                       g.pick([shp(sh), ", ".join(map(str, sh))]) or "()", dkw))
        elif c == 1:
            g.emit("torch.full(%s, %s%s)" % (shp(sh), g.scalar(), dkw))
        elif c == 2:
            a = g.r.randint(-5, 5)
            b = a + g.r.randint(-3, 8)
            st = g.pick(["1", "2", "-1", "0.5", "0.25", "3", "-2"])
            g.emit("torch.arange(%s, %s, %s%s)" % (a if g.chance(0.7) else float(a), b, st, dkw))
        elif c == 3:
            g.emit("torch.arange(%s%s)" % (g.pick(["5", "0", "4.", "2.5", "-1"]), dkw))
        elif c == 4:
            g.emit("torch.linspace(%s, %s, %d%s)" % (g.r.randint(-4, 4), g.r.randint(-4, 8),
                                                    g.pick([0, 1, 2, 5, 9]), g.pick(["", ", dtype=torch.float64"])))
        elif c == 5:
            g.emit("torch.eye(%d%s%s)" % (g.pick([0, 1, 3]), g.pick(["", ", 2", ", 4"]), dkw))
        elif c == 6:
            g.emit("torch.tensor(%s%s)" % (g.literal(sh, g.dtype(["bool", "int64", "float32"])), dkw))
        elif c == 7:
            g.emit("torch.tensor(%s)" % g.pick(["[1, 2.5]", "[True, 2]", "[[1], [2]]", "[]", "3",
                                                 "2.5", "True", "[[1, 2], [3]]", "[1, True, 0.5]",
                                                 "[[]]", "[[], []]", "(1, 2)", "[-0.0, 1e-5, 1e10]"]))
        elif c == 8:
            g.emit("torch.%s_like(%s%s)" % (g.pick(["zeros", "ones"]), g.tensor(sh, dt), dkw))
            g.emit("torch.full_like(%s, %s)" % (g.tensor(sh, dt), g.scalar()))
        elif c == 9:
            g.emit("g = torch.manual_seed(%d)" % g.r.randint(0, 1000))
            k = g.pick(["rand", "randn", "randint", "randperm", "rand_like", "normal"])
            if k == "randint":
                g.emit("torch.randint(%d, %d, %s%s)" % (-3, g.r.randint(1, 9), shp(sh), g.pick(["", ", dtype=torch.int32"])))
            elif k == "randperm":
                g.emit("torch.randperm(%d)" % g.pick([0, 1, 5, 10]))
            elif k == "rand_like":
                g.emit("torch.rand_like(torch.zeros(%s))" % shp(sh))
            elif k == "normal":
                g.emit("torch.normal(%s, 1.0, %s)" % (g.scalar("float"), shp(sh)))
            else:
                g.emit("torch.%s(%s%s)" % (k, shp(sh), g.pick(["", ", dtype=torch.float64"])))
        elif c == 10:
            n = g.pick([1, 2, 3, 4])
            g.emit("torch.%s(%s, %d)" % (g.pick(["tril", "triu"]), g.tensor([n, g.pick([n, 2, 3])], dt),
                                         g.r.randint(-2, 2)))
        elif c == 11:
            g.emit("torch.diag(%s%s)" % (g.tensor(g.pick([[3], [2, 3], [3, 3]]), dt), g.pick(["", ", 1", ", -1"])))
        elif c == 12:
            g.emit("torch.zeros(%s).new_%s" % (shp(sh), g.pick(["zeros(2, 1)", "ones(3)", "full((2,), 7)",
                                                                  "tensor([1, 2])", "empty(0).shape"])))
        else:
            g.emit("torch.%s(%s)" % (g.pick(["ones", "zeros", "full"]),
                                     g.pick(["-1", "(2, -3)", "2, 3, dtype=torch.int8",
                                             "(2,), 1.5, dtype=torch.int64" if g.chance(0.5) else "(2,), 1.5"])))


def gen_dtype(g):
    s = g.shape(g.pick([0, 1, 1, 2]))
    d1 = g.dtype()
    g.emit("x = " + g.tensor(s, d1))
    for _ in range(g.r.randint(4, 7)):
        c = g.r.randrange(11)
        d = g.dtype()
        if c == 0:
            g.emit("x.to(%s)" % d)
        elif c == 1:
            g.emit("x.%s()" % g.pick(["float", "double", "half", "bfloat16", "int", "long", "short",
                                      "bool", "byte", "char"]))
        elif c == 2:
            g.emit("x.type(%s), x.type()" % d)
        elif c == 3:
            g.emit("torch.promote_types(%s, %s)" % (d, g.dtype()))
        elif c == 4:
            g.emit("torch.result_type(x, %s), torch.result_type(%s, %s)" % (
                g.scalar(), g.tensor(g.shape(g.pick([0, 1])), d), g.scalar()))
        elif c == 5:
            big = g.pick(["300", "-129", "70000", "2.75", "-2.5", "1e4", "65519.", "3.1e38", "0.1", "1/3"])
            g.emit("torch.tensor([%s, 1]).to(%s)" % (big, d))
        elif c == 6:
            g.emit("x.tolist(), x.dtype, x.is_floating_point()")
        elif c == 7:
            g.emit("(x * 1.5).dtype, (x + True).dtype, (x / 2).dtype, (x // 1).dtype")
        elif c == 8:
            g.emit("x.sum().item() if x.numel() else None, x.to(%s).sum().dtype" % d)
        elif c == 9:
            g.emit("torch.can_cast(%s, %s), torch.is_floating_point(x), x.element_size()" % (d, g.dtype()))
        else:
            g.emit("torch.tensor(%s, dtype=%s) + x" % (g.literal(g.shape(g.pick([0, 1])), d), d))


FAMILIES = {
    "arith": gen_arith, "matmul": gen_matmul, "index": gen_index, "shape": gen_shape,
    "reduce": gen_reduce, "creation": gen_creation, "dtype": gen_dtype,
}


def make_program(family, seed):
    g = Gen("%s-%d" % (family, seed))
    FAMILIES[family](g)
    return "\n".join(g.lines) + "\n"


# ---------------------------------------------------------------- running

class Oracle:
    def __init__(self, slow):
        self.slow = slow
        self.lock = threading.Lock()
        self.proc = None
        if not slow:
            self.proc = subprocess.Popen(
                [ORACLE_PY, os.path.join(HERE, "oracle_server.py"), os.path.dirname(ORACLE)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8")

    def run(self, src):
        if self.slow:
            p = subprocess.run([ORACLE, "--repl"], input=src.encode(), capture_output=True, timeout=60)
            return p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
        with self.lock:
            self.proc.stdin.write(json.dumps({"src": src}) + "\n")
            self.proc.stdin.flush()
            rep = json.loads(self.proc.stdout.readline())
        return rep["out"], rep["err"]


def run_tsr(tsr, src):
    try:
        p = subprocess.run([tsr], input=src.encode(), capture_output=True, timeout=20)
    except subprocess.TimeoutExpired:
        return "", "TIMEOUT\n", "timeout"
    out, err = p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    note = ""
    if p.returncode != 0:
        note = "tsr exit status %d" % p.returncode
    return out, err, note


def error_classes(err):
    """Error classes in order; the oracle repeats a multi-line message's class on
    its joined last line, so consecutive repeats count once."""
    out = []
    for line in err.splitlines():
        m = ERROR_LINE.match(line)
        if m and (not out or out[-1] != m.group(1)):
            out.append(m.group(1))
    return out


# "Class: message" lines; SyntaxError and "invalid combination of arguments"
# texts (PyTorch's overload listings) compare by class only.
EXCEPTION_LINE = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Interrupt|Exit))(?::|$)")
COMPARE_MESSAGES = False


def error_messages(err):
    """The oracle repeats a multi-line message on its joined last line: a
    line of the same class right after an "invalid combination" one counts once."""
    out = []
    for line in err.splitlines():
        m = EXCEPTION_LINE.match(line)
        if not m or (out and out[-1] == line.rstrip()):
            continue
        if out and "received an invalid combination" in out[-1] and line.startswith(out[-1]):
            continue
        out.append(line.rstrip())
    return out


def same_message(t, o):
    tc, oc = t.split(":", 1)[0], o.split(":", 1)[0]
    if "received an invalid combination" in t + o or tc.endswith("SyntaxError"):
        return tc == oc
    return t == o


def errors_agree(te, oe):
    if COMPARE_MESSAGES:
        t, o = error_messages(te), error_messages(oe)
        return len(t) == len(o) and all(same_message(x, y) for x, y in zip(t, o))
    return error_classes(te) == error_classes(oe)


def mismatch(tsr, oracle, src):
    """None when tsr and the oracle agree, else (tsr_out, tsr_err, or_out, or_err, note)."""
    to, te, note = run_tsr(tsr, src)
    oo, oe = oracle.run(src)
    if to == oo and errors_agree(te, oe) and not note:
        return None
    return to, te, oo, oe, note or ("stdout differs" if to != oo else "errors differ")


def reduce_program(tsr, oracle, src):
    """Drop lines while the programs still disagree (assignments kept only if needed)."""
    lines = src.splitlines()
    i = len(lines) - 1
    while i >= 0:
        if "manual_seed" in lines[i]:  # unseeded random values would differ
            i -= 1
            continue
        trial = lines[:i] + lines[i + 1:]
        res = trial and mismatch(tsr, oracle, "\n".join(trial) + "\n")
        # a dropped assignment must not turn the finding into a NameError
        if res and "NameError" not in res[3]:
            lines = trial
        i -= 1
    return "\n".join(lines) + "\n"


def record(outdir, name, src, res, small):
    d = os.path.join(outdir, name)
    os.makedirs(d, exist_ok=True)
    to, te, oo, oe, note = res
    for fn, text in (("prog.repl", src), ("tsr.out", to), ("tsr.err", te), ("oracle.out", oo),
                     ("oracle.err", oe), ("note", note + "\n")):
        with open(os.path.join(d, fn), "w", encoding="utf-8") as f:
            f.write(text)
    if small is not None:
        with open(os.path.join(d, "min.repl"), "w", encoding="utf-8") as f:
            f.write(small)


STATEMENT = re.compile(r"^[\w.]+(\[.*\])?\s*(//|<<|>>|\*\*|[-+*/%&|^@])?=(?!=)")


def to_script(src):
    """The REPL program as a script: each expression statement printed."""
    out = []
    for line in src.splitlines():
        out.append(line if STATEMENT.match(line) else "print(%s)" % line)
    return "\n".join(out) + "\n"


def emit_golden(a, oracle):
    """Writes DIR/fuzz_<family>_<n>.tsr for programs tsr already gets right
    (script mode; an error, if any, only on the last line); .out files are
    then made with conformance/run --regen-with."""
    os.makedirs(a.emit_golden, exist_ok=True)
    for fam in a.family.split(","):
        kept, seed = 0, a.seed
        while kept < a.count and seed < a.seed + 5000:
            src = to_script(make_program(fam, seed))
            seed += 1
            p = subprocess.run([a.tsr, "-c", src], capture_output=True, timeout=20)
            with oracle.lock:
                oracle.proc.stdin.write(json.dumps({"src": src, "mode": "script"}) + "\n")
                oracle.proc.stdin.flush()
                rep = json.loads(oracle.proc.stdout.readline())
            to = p.stdout.decode("utf-8", "replace")
            if to != rep["out"] or error_classes(p.stderr.decode()) != error_classes(rep["err"]):
                continue
            if (rep["rc"] != 0) != (p.returncode != 0) or to.count("\n") > 40 or len(src) > 1500:
                continue
            if rep["rc"] != 0 and "NameError" in rep["err"]:
                continue
            nlines = len(src.splitlines())
            if rep["rc"] != 0 and to.count("\n") < nlines - 3:
                continue  # the error must come at the end, not cut the program short
            kept += 1
            name = os.path.join(a.emit_golden, "fuzz_%s_%d.tsr" % (fam, kept))
            with open(name, "w", encoding="utf-8") as f:
                f.write("# tests/fuzz/fuzz_oracle.py --show %s %d (as a script)\n" % (fam, seed - 1) + src)
        print("%s: %d cases" % (fam, kept))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tsr", default=os.path.join(ROOT, "build", "tsr"))
    ap.add_argument("--family", default=",".join(FAMILIES))
    ap.add_argument("--n", type=int, default=200, help="programs per family")
    ap.add_argument("--seconds", type=float, default=0, help="stop after this long")
    ap.add_argument("--seed", type=int, default=0, help="first program seed")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", default="/tmp/fuzz")
    ap.add_argument("--slow-oracle", action="store_true")
    ap.add_argument("--no-reduce", action="store_true")
    ap.add_argument("--messages", action="store_true",
                    help="compare exception messages, not only their classes")
    ap.add_argument("--show", nargs=2, metavar=("FAMILY", "SEED"))
    ap.add_argument("--emit-golden", metavar="DIR", help="write passing programs as golden cases")
    ap.add_argument("--count", type=int, default=8, help="cases per family for --emit-golden")
    ap.add_argument("--check", metavar="FILE", help="run one REPL program under both and diff")
    a = ap.parse_args()
    global COMPARE_MESSAGES
    COMPARE_MESSAGES = a.messages
    if a.check:
        src = open(a.check, encoding="utf-8").read()
        to, te, _ = run_tsr(a.tsr, src)
        oo, oe = Oracle(a.slow_oracle).run(src)
        import difflib
        sys.stdout.writelines(difflib.unified_diff(oo.splitlines(True), to.splitlines(True), "oracle", "tsr"))
        ec, tc = error_classes(oe), error_classes(te)
        if ec != tc:
            print("error classes: oracle %s, tsr %s" % (ec, tc))
        same = oo == to and ec == tc
        print("SAME" if same else "DIFFERENT")
        return 0 if same else 1
    if a.emit_golden:
        emit_golden(a, Oracle(False))
        return 0
    if a.show:
        sys.stdout.write(make_program(a.show[0], int(a.show[1])))
        return 0
    fams = a.family.split(",")
    for f in fams:
        if f not in FAMILIES:
            sys.exit("unknown family %s (have %s)" % (f, ", ".join(FAMILIES)))
    work = [(f, s) for s in range(a.seed, a.seed + a.n) for f in fams]
    lock = threading.Lock()
    stats = {"run": 0, "bad": 0}
    t0 = time.time()

    def worker(k):
        oracle = Oracle(a.slow_oracle)
        while True:
            with lock:
                if not work or (a.seconds and time.time() - t0 > a.seconds):
                    break
                fam, seed = work.pop(0)
            try:
                src = make_program(fam, seed)
            except Exception as e:  # a generator bug must not stop the run
                print("GENERATOR ERROR %s_%d: %r" % (fam, seed, e), flush=True)
                continue
            res = mismatch(a.tsr, oracle, src)
            with lock:
                stats["run"] += 1
            if res:
                small = None if a.no_reduce else reduce_program(a.tsr, oracle, src)
                record(a.out, "%s_%d" % (fam, seed), src, res, small)
                with lock:
                    stats["bad"] += 1
                    print("MISMATCH %s_%d: %s" % (fam, seed, res[4]), flush=True)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(a.jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("%d programs, %d mismatches (%.0f s), recorded under %s" % (
        stats["run"], stats["bad"], time.time() - t0, a.out))
    return 1 if stats["bad"] else 0


if __name__ == "__main__":
    sys.exit(main())
