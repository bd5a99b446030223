/* complex_tensors.c: the builtins of complex tensors: torch.complex,
 * polar, view_as_real, view_as_complex, real, imag, conj and the conj/neg
 * bits (always resolved here), and x.real / x.imag. */
#include "builtins_util.h"
#include "error.h"
#include "ops.h"

/* f(input) with one tensor argument */
static Value *unary(const char *fn, Tensor *(*op)(Tensor *), Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[1];
    if (!args_parse(a, 0, fn, "input", v)) return NULL;
    Tensor *t = arg_tensor(v[0], fn, "input");
    if (!t) return NULL;
    Tensor *r = op(t);
    tensor_release(t);
    return wrap_tensor(r);
}

/* f(a, b, *, out=None) of two tensors */
static Value *binary(const char *fn, const char *spec, const char *n1, const char *n2,
                     Tensor *(*op)(Tensor *, Tensor *), const CallArgs *a) {
    Value *v[2];
    if (!args_parse(a, 0, fn, spec, v)) return NULL;
    Tensor *x = arg_tensor(v[0], fn, n1), *y = x ? arg_tensor(v[1], fn, n2) : NULL;
    Tensor *r = y ? op(x, y) : NULL;
    tensor_release(x);
    tensor_release(y);
    return wrap_tensor(r);
}

static Value *bi_complex(Value *self, const CallArgs *a) { return binary("complex", "real, imag", "real", "imag", op_complex, a); }
static Value *bi_polar(Value *self, const CallArgs *a) { return binary("polar", "abs, angle", "abs", "angle", op_polar, a); }
static Value *bi_view_as_real(Value *self, const CallArgs *a) { return unary("view_as_real", op_view_as_real, self, a); }
static Value *bi_view_as_complex(Value *self, const CallArgs *a) { return unary("view_as_complex", op_view_as_complex, self, a); }
static Value *bi_real(Value *self, const CallArgs *a) { return unary("real", op_real, self, a); }
static Value *bi_imag(Value *self, const CallArgs *a) { return unary("imag", op_imag, self, a); }
static Value *bi_conj(Value *self, const CallArgs *a) { return unary("conj", op_conj, self, a); }
static Value *bi_conj_physical(Value *self, const CallArgs *a) { return unary("conj_physical", op_conj_physical, self, a); }
static Value *bi_conj_physical_(Value *self, const CallArgs *a) { return unary("conj_physical_", op_conj_physical_, self, a); }
static Value *bi_resolve_conj(Value *self, const CallArgs *a) { return unary("resolve_conj", tensor_retain, self, a); }
static Value *bi_resolve_neg(Value *self, const CallArgs *a) { return unary("resolve_neg", tensor_retain, self, a); }

/* tsr resolves conjugation and negation at once: the bits are never set */
static Value *bit_query(const char *fn, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[1];
    if (!args_parse(a, 0, fn, "input", v)) return NULL;
    Tensor *t = arg_tensor(v[0], fn, "input");
    if (!t) return NULL;
    tensor_release(t);
    return val_bool(false);
}
static Value *bi_is_conj(Value *self, const CallArgs *a) { return bit_query("is_conj", self, a); }
static Value *bi_is_neg(Value *self, const CallArgs *a) { return bit_query("is_neg", self, a); }

/* torch.NAME and x.NAME alike */
#define BOTH(X) X(conj) X(conj_physical) X(conj_physical_) X(resolve_conj) X(resolve_neg) X(is_conj) X(is_neg)
#define ENTRY(name) {#name, bi_##name},

const Builtin complex_tensors_functions[] = {
    ENTRY(complex) ENTRY(polar) ENTRY(view_as_real) ENTRY(view_as_complex) ENTRY(real) ENTRY(imag)
    BOTH(ENTRY) {NULL, NULL},
};

const Builtin complex_tensors_methods[] = {BOTH(ENTRY) {NULL, NULL}};
