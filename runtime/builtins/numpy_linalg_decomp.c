/* numpy_linalg_decomp.c: np.linalg's decompositions (numpy/linalg/linalg.py
 * of numpy 1.24 over umath_linalg): eig and eigvals (geev), eigh and
 * eigvalsh (syevd), svd (gesdd), cholesky (potrf 'L'), qr (geqrf, orgqr).
 * numpy computes in float64 and casts the results to float32 when the
 * input was float32 (numpy_linalg.c's np_la_* steps). */
#include <math.h>
#include <string.h>

#include "builtins_util.h"
#include "numpy.h"
#include "numpy_linalg.h"
#include "ops.h"

/* a tuple of the arrays ts (stolen, NULLs released) or NULL */
static Value *array_tuple(int n, Tensor **ts)
{
    Value *tu = val_tuple_new(n);
    bool ok = tu != NULL;
    for (int i = 0; i < n; i++) {
        if (!ts[i]) ok = false;
        Value *v = ok ? ndarray_from_tensor_steal(ts[i]) : NULL;
        if (!ok) tensor_release(ts[i]);
        else if (!(tu->seq.items[i] = v)) ok = false;
    }
    if (!ok) {
        val_release(tu);
        return NULL;
    }
    return tu;
}

/* _assert_stacked_2d */
static bool stacked_2d(const Tensor *t)
{
    if (t->ndim >= 2) return true;
    tsr_raise(ERR_LinAlgError, "%d-dimensional array given. Array must be at least two-dimensional", t->ndim);
    return false;
}

/* _assert_finite */
static bool all_finite(Tensor *t)
{
    Tensor *f = op_unary(UN_ISFINITE, t), *all = f ? op_all(f, 0, NULL, false) : NULL;
    bool ok = all && tensor_get_i64(all, 0);
    tensor_release(f);
    tensor_release(all);
    if (all && !ok) tsr_raise(ERR_LinAlgError, "%s", "Array must not contain infs or NaNs");
    return ok;
}

/* ------------------------------------------------------------ eig */

/* the real parts (every eigenvalue real) as float64 / float32, else the
 * complex values as complex128 / complex64 */
static Tensor *eig_result(Tensor *c, bool real, bool single)
{
    if (!c) return NULL;
    Tensor *r = real ? op_real(c) : tensor_retain(c);
    Tensor *out = r ? tensor_clone(r, real ? (single ? DT_FLOAT32 : DT_FLOAT64)
                                           : (single ? DT_COMPLEX64 : DT_COMPLEX128))
                    : NULL;
    tensor_release(r);
    tensor_release(c);
    return out;
}

static Value *eig_common(const CallArgs *a, const char *fn, bool vectors)
{
    ARGS(1);
    PARSE(fn, "a");
    Tensor *t = np_la_array(v_[0]);
    if (!t) return NULL;
    Tensor *W = NULL, *V = NULL;
    bool real = true;
    bool ok = np_la_square(t) && all_finite(t) && op_np_eig(t, vectors, &W, vectors ? &V : NULL, &real);
    tensor_release(t);
    if (!ok) return NULL;
    bool single = np_la_single(v_[0]);
    W = eig_result(W, real, single);
    if (!vectors) return W ? ndarray_from_tensor_steal(W) : NULL;
    Tensor *ts[2] = {W, eig_result(V, real, single)};
    return array_tuple(2, ts);
}

static Value *la_eig(Value *self, const CallArgs *a) { return eig_common(a, "eig", true); }
static Value *la_eigvals(Value *self, const CallArgs *a) { return eig_common(a, "eigvals", false); }

/* ------------------------------------------------------------ eigh */

static Value *eigh_common(const CallArgs *a, const char *fn, bool vectors)
{
    ARGS(2);
    PARSE(fn, "a, UPLO=");
    char uplo[2] = "L";
    if (v_[1]) {
        const char *u = v_[1]->kind == VK_STR ? v_[1]->str.s : "";
        if (strlen(u) != 1 || !strchr("LlUu", u[0])) {
            tsr_raise(ERR_ValueError, "%s", "UPLO argument must be 'L' or 'U'");
            return NULL;
        }
        uplo[0] = (char)(u[0] == 'l' || u[0] == 'L' ? 'L' : 'U');
    }
    Tensor *t = np_la_array(v_[0]);
    if (!t) return NULL;
    Tensor *L = NULL, *V = NULL;
    bool ok = np_la_square(t) && op_linalg_eigh(t, uplo, vectors, &L, &V);
    tensor_release(t);
    if (!ok) return NULL;
    bool single = np_la_single(v_[0]);
    L = np_la_result(L, single);
    if (!vectors) {
        tensor_release(V);
        return L ? ndarray_from_tensor_steal(L) : NULL;
    }
    Tensor *ts[2] = {L, np_la_result(V, single)};
    return array_tuple(2, ts);
}

static Value *la_eigh(Value *self, const CallArgs *a) { return eigh_common(a, "eigh", true); }
static Value *la_eigvalsh(Value *self, const CallArgs *a) { return eigh_common(a, "eigvalsh", false); }

/* ------------------------------------------------------------ svd */

static Value *la_svd(Value *self, const CallArgs *a)
{
    ARGS(4);
    PARSE("svd", "a, full_matrices=, compute_uv=, hermitian=");
    bool full = v_[1] ? val_truthy(v_[1]) != 0 : true, uv = v_[2] ? val_truthy(v_[2]) != 0 : true;
    if (v_[3] && val_truthy(v_[3])) { /* numpy/linalg.py takes hermitian=True through eigh */
        tsr_raise(ERR_NotImplementedError, "%s", "np.linalg.svd: hermitian=True goes through eigh");
        return NULL;
    }
    Tensor *t = np_la_array(v_[0]);
    if (!t) return NULL;
    Tensor *U = NULL, *S = NULL, *Vh = NULL;
    bool ok = stacked_2d(t) && op_linalg_svd(t, full, uv, false, &U, &S, &Vh);
    tensor_release(t);
    if (!ok) return NULL;
    bool single = np_la_single(v_[0]);
    if (!uv) {
        tensor_release(U);
        tensor_release(Vh);
        S = np_la_result(S, single);
        return S ? ndarray_from_tensor_steal(S) : NULL;
    }
    Tensor *ts[3] = {np_la_result(U, single), np_la_result(S, single), np_la_result(Vh, single)};
    return array_tuple(3, ts);
}

/* ------------------------------------------------------------ cholesky */

static Value *la_cholesky(Value *self, const CallArgs *a)
{
    ARGS(1);
    PARSE("cholesky", "a");
    Tensor *t = np_la_array(v_[0]);
    if (!t) return NULL;
    Tensor *L = NULL, *info = NULL;
    bool ok = np_la_square(t) && op_linalg_cholesky_ex(t, false, false, "numpy.linalg", &L, &info);
    tensor_release(t);
    if (ok) {
        Tensor *c = tensor_contiguous(info);
        const int32_t *in = c ? (const int32_t *)tensor_data(c) : NULL;
        for (int64_t i = 0; in && i < tensor_numel(c); i++)
            if (in[i] != 0) {
                tsr_raise(ERR_LinAlgError, "%s", "Matrix is not positive definite");
                ok = false;
                break;
            }
        if (!c) ok = false;
        tensor_release(c);
    }
    tensor_release(info);
    if (!ok) {
        tensor_release(L);
        return NULL;
    }
    L = np_la_result(L, np_la_single(v_[0]));
    return L ? ndarray_from_tensor_steal(L) : NULL;
}

/* ------------------------------------------------------------ qr */

static Value *la_qr(Value *self, const CallArgs *a)
{
    ARGS(2);
    PARSE("qr", "a, mode=");
    const char *mode = "reduced";
    if (v_[1]) {
        Value *r = v_[1]->kind == VK_STR ? NULL : val_str_of(v_[1]);
        if (v_[1]->kind != VK_STR) {
            tsr_raise(ERR_ValueError, "Unrecognized mode '%s'", r ? r->str.s : "?");
            val_release(r);
            return NULL;
        }
        mode = v_[1]->str.s;
    }
    int m = !strcmp(mode, "reduced") ? 0 : !strcmp(mode, "complete") ? 1 : !strcmp(mode, "r") ? 2 : -1;
    if (m < 0) {
        if (!strcmp(mode, "raw") || !strcmp(mode, "full") || !strcmp(mode, "f") || !strcmp(mode, "economic") ||
            !strcmp(mode, "e"))
            tsr_raise(ERR_NotImplementedError, "tsr's np.linalg.qr has no mode '%s' yet", mode);
        else tsr_raise(ERR_ValueError, "Unrecognized mode '%s'", mode);
        return NULL;
    }
    Tensor *t = np_la_array(v_[0]);
    if (!t) return NULL;
    Tensor *Q = NULL, *R = NULL;
    bool ok = stacked_2d(t) && op_linalg_qr(t, m, &Q, &R);
    tensor_release(t);
    if (!ok) return NULL;
    bool single = np_la_single(v_[0]);
    if (m == 2) {
        tensor_release(Q);
        R = np_la_result(R, single);
        return R ? ndarray_from_tensor_steal(R) : NULL;
    }
    Tensor *ts[2] = {np_la_result(Q, single), np_la_result(R, single)};
    return array_tuple(2, ts);
}

const Builtin numpy_linalg_decomp_functions[] = {
    {"eig", la_eig},   {"eigvals", la_eigvals},   {"eigh", la_eigh}, {"eigvalsh", la_eigvalsh},
    {"svd", la_svd},   {"cholesky", la_cholesky}, {"qr", la_qr},
    {NULL, NULL},
};
