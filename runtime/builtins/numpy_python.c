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

/* X(method, function): the ndarray methods that are a Python function of
 * numpy taking the array first */
#define NUMPY_PYTHON_METHODS(X)                                                                               \
    X(nonzero, nonzero) X(swapaxes, swapaxes) X(ptp, ptp) X(repeat, repeat) X(take, take) X(trace, trace)   \
    X(diagonal, diagonal) X(cumprod, cumprod) X(searchsorted, searchsorted) X(compress, _compress_method)   \
    X(view, _view_method)

#define X(name, fn) \
    static Value *method_##name(Value *self, const CallArgs *a) { return call_with_self(#fn, self, a); }
NUMPY_PYTHON_METHODS(X)
#undef X

const Builtin numpy_python_methods[] = {
#define X(name, fn) {#name, method_##name},
    NUMPY_PYTHON_METHODS(X)
#undef X
    {NULL, NULL},
};
