/* numpy_python.c: the ndarray methods that are numpy functions written in
 * Python (runtime/builtins/numpy/NAME.py, which `import numpy` runs into
 * the module): a.NAME(args) calls np.NAME(a, args). */
#include <string.h>

#include "builtins_util.h"
#include "interp_internal.h"
#include "numpy.h"

static Value *call_with_self(const char *name, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *np = stdlib_import("numpy");
    if (!np) return NULL;
    Value *fn = dict_get(np->module.members, name);
    Value *r = NULL;
    if (fn) r = call_value(fn, a);
    else tsr_raise(ERR_AttributeError, "module 'numpy' has no attribute '%s'", name);
    val_release(np);
    return r;
}

/* X(name): the ndarray methods that are a Python function of numpy */
#define NUMPY_PYTHON_METHODS(X) \
    X(nonzero) X(swapaxes) X(ptp) X(repeat) X(take) X(trace) X(diagonal) X(cumprod) X(searchsorted)

#define X(name) \
    static Value *method_##name(Value *self, const CallArgs *a) { return call_with_self(#name, self, a); }
NUMPY_PYTHON_METHODS(X)
#undef X

const Builtin numpy_python_methods[] = {
#define X(name) {#name, method_##name},
    NUMPY_PYTHON_METHODS(X)
#undef X
    {NULL, NULL},
};
