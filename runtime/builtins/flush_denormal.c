/* flush_denormal.c: torch.set_flush_denormal: the SSE control register's
 * flush-to-zero and denormals-are-zero bits, as PyTorch sets them (so
 * every later float operation of the process, Python's included, treats
 * subnormals as zero). Returns whether the CPU supports it. */
#include <stdbool.h>
#if defined(__SSE__)
#include <xmmintrin.h>
#endif

#include "builtins_util.h"
#include "error.h"

static Value *bi_set_flush_denormal(Value *self, const CallArgs *a)
{
    Value *v[1];
    if (!args_parse(a, 0, "set_flush_denormal", "mode", v))
        return NULL;
    if (v[0]->kind != VK_BOOL) {
        tsr_raise(ERR_RuntimeError, "flush_denormal expects a bool, but got %s", val_type_name(v[0]));
        return NULL;
    }
#if defined(__SSE__)
    unsigned csr = _mm_getcsr();
    const unsigned bits = 0x8040; /* FTZ | DAZ */
    _mm_setcsr(v[0]->b ? (csr | bits) : (csr & ~bits));
    return val_bool(true);
#else
    return val_bool(false);
#endif
}

const Builtin flush_denormal_functions[] = {
    {"set_flush_denormal", bi_set_flush_denormal},
    {NULL, NULL},
};

const Builtin flush_denormal_methods[] = {
    {NULL, NULL},
};
