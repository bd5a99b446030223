/* python_export.c: `tsr --python FILE.tsr` prints the program as a Python
 * file that runs unchanged under Python 3 + PyTorch: tsr's prelude (the
 * names every tsr program sees; the oracle's prelude.py, which defines
 * tsr's language) on top, then the program as it is. tsr programs are
 * Python programs, so nothing in them needs translating; only tsr's own
 * tools (`tsr.NAME`) have no PyTorch twin, and a stub stands in for them. */
#include <stdio.h>
#include <string.h>

#include "python_export.h"

static const char prelude[] =
    "import builtins as _builtins\n"
    "\n"
    "import torch\n"
    "import torch.nn as nn\n"
    "import torch.nn.functional as F\n"
    "from torch import *  # noqa: F401,F403  (every public torch function, bare)\n"
    "\n"
    "# `from torch import *` rebinds `range` to the deprecated torch.range; tsr's\n"
    "# `range` is Python's.\n"
    "range = _builtins.range\n"
    "\n"
    "# Public torch callables that torch.__all__ does not list but tutorials use bare.\n"
    "set_grad_enabled = torch.set_grad_enabled\n"
    "unique = torch.unique\n"
    "broadcast_shapes = torch.broadcast_shapes\n"
    "set_default_dtype = torch.set_default_dtype\n"
    "HalfTensor = torch.HalfTensor\n"
    "BFloat16Tensor = torch.BFloat16Tensor\n"
    "\n"
    "# Bare dtype names.  `float`, `int` and `bool` are deliberately NOT rebound.\n"
    "float32 = torch.float32\n"
    "float64 = torch.float64\n"
    "float16 = torch.float16\n"
    "bfloat16 = torch.bfloat16\n"
    "int8 = torch.int8\n"
    "uint8 = torch.uint8\n"
    "int16 = torch.int16\n"
    "int32 = torch.int32\n"
    "int64 = torch.int64\n"
    "double = torch.double\n"
    "long = torch.long\n"
    "half = torch.half\n"
    "short = torch.short\n"
    "complex64 = torch.complex64\n"
    "complex128 = torch.complex128\n"
    "cfloat = torch.cfloat\n"
    "cdouble = torch.cdouble\n"
    "\n"
    "\n"
    "def _has_tensor(args, kwargs):\n"
    "    for a in args:\n"
    "        if isinstance(a, torch.Tensor):\n"
    "            return True\n"
    "    for a in kwargs.values():\n"
    "        if isinstance(a, torch.Tensor):\n"
    "            return True\n"
    "    return False\n"
    "\n"
    "\n"
    "def _dispatch(name, torch_fn, builtin_fn):\n"
    "    def wrapper(*args, **kwargs):\n"
    "        if _has_tensor(args, kwargs):\n"
    "            return torch_fn(*args, **kwargs)\n"
    "        return builtin_fn(*args, **kwargs)\n"
    "\n"
    "    wrapper.__name__ = name\n"
    "    wrapper.__qualname__ = name\n"
    "    wrapper.__doc__ = (\n"
    "        \"torch.%s when an argument is a tensor, else the builtin %s()\" % (name, name)\n"
    "    )\n"
    "    return wrapper\n"
    "\n"
    "\n"
    "abs = _dispatch(\"abs\", torch.abs, _builtins.abs)\n"
    "max = _dispatch(\"max\", torch.max, _builtins.max)\n"
    "min = _dispatch(\"min\", torch.min, _builtins.min)\n"
    "sum = _dispatch(\"sum\", torch.sum, _builtins.sum)\n"
    "pow = _dispatch(\"pow\", torch.pow, _builtins.pow)\n"
    "round = _dispatch(\"round\", torch.round, _builtins.round)\n"
    "all = _dispatch(\"all\", torch.all, _builtins.all)\n"
    "any = _dispatch(\"any\", torch.any, _builtins.any)\n"
    "complex = _dispatch(\"complex\", torch.complex, _builtins.complex)\n"
    "\n"
    "del _builtins\n";

/* tsr.teach() does nothing under PyTorch; tsr's other tools say where they are */
static const char tsr_stub[] =
    "\n"
    "# tsr's own tools (tsr.teach, tsr.plot, ...) have no PyTorch twin.\n"
    "class _TsrTools:\n"
    "    def teach(self, on=True):\n"
    "        pass\n"
    "\n"
    "    def __getattr__(self, name):\n"
    "        raise AttributeError(\"tsr.%s is one of tsr's own tools; PyTorch has none\" % name)\n"
    "\n"
    "\n"
    "tsr = _TsrTools()\n";

static bool is_word_char(char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Whether the program names `tsr` as a word (not as an attribute). */
static bool mentions_tsr(const char *s, size_t len) {
    for (size_t i = 0; i + 3 <= len; i++) {
        if (memcmp(s + i, "tsr", 3)) continue;
        bool before = i && (is_word_char(s[i - 1]) || s[i - 1] == '.');
        bool after = i + 3 < len && is_word_char(s[i + 3]);
        if (!before && !after) return true;
    }
    return false;
}

void python_export(const char *src, size_t len, const char *path) {
    if (len >= 3 && !memcmp(src, "\xEF\xBB\xBF", 3)) {
        src += 3;
        len -= 3;
    }
    printf("# %s as a Python program for PyTorch, written by `tsr --python`.\n"
           "# First tsr's prelude: the names every tsr program sees.\n\n", path);
    fputs(prelude, stdout);
    if (mentions_tsr(src, len)) fputs(tsr_stub, stdout);
    printf("\n# ---- %s\n", path);
    fwrite(src, 1, len, stdout);
    if (len && src[len - 1] != '\n') fputc('\n', stdout);
}
