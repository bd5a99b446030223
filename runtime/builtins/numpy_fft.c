/* numpy_fft.c: np.fft: the module and its C core, _pocketfft_internal's
 * execute (ops/numpy_fft.c). The functions around it, numpy's
 * _pocketfft.py and helper.py, are Python (numpy/fft.py). */
#include "builtins.h"
#include "builtins_util.h"
#include "numpy.h"
#include "numpy_fft.h"

/* execute(a, is_real, is_forward, fct, line): PyArray_FromAny's cast
 * (complex to float64 drops the imaginary part with numpy's ComplexWarning,
 * from _pocketfft.py's line that called execute) and the transform along
 * the last axis */
static Value *np_fft_execute(Value *self, const CallArgs *a)
{
    ARGS(5);
    PARSE("execute", "a, is_real, is_forward, fct, line");
    int64_t line;
    bool is_real, is_forward;
    double fct;
    if (!arg_bool(v_[1], "execute", "is_real", false, &is_real) ||
        !arg_bool(v_[2], "execute", "is_forward", false, &is_forward) ||
        !arg_double(v_[3], "execute", "fct", 1, &fct) || !arg_int(v_[4], "execute", "line", 70, &line))
        return NULL;
    Tensor *t = np_tensor_of(v_[0]);
    if (!t) return NULL;
    if (is_real && is_forward && dtype_is_complex(t->dtype) &&
        !tsr_warn_explicit(ERR_ComplexWarning, "Casting complex values to real discards the imaginary part",
                           "/usr/lib/python3/dist-packages/numpy/fft/_pocketfft.py", (int)line,
                           "numpy.fft._pocketfft", "r = pfi.execute(a, is_real, is_forward, fct)")) {
        tensor_release(t);
        return NULL;
    }
    Tensor *r = op_np_fft_execute(t, is_real, is_forward, fct);
    tensor_release(t);
    return r ? ndarray_from_tensor_steal(r) : NULL;
}

static const Builtin numpy_fft_functions[] = {
    {"_execute", np_fft_execute},
    {NULL, NULL},
};

bool stdlib_numpy_fft_open(Value *module)
{
    return module_install(module, numpy_fft_functions);
}
