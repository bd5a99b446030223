/* nn.c: torch.nn.functional's ops: activations (gelu, silu, elu/selu/
 * celu, leaky_relu, softplus, hardtanh/relu6, logsigmoid, softmax/
 * log_softmax), losses (mse, l1, smooth_l1, huber, nll, cross_entropy,
 * binary_cross_entropy(_with_logits)), linear, dropout, one_hot, normalize,
 * constant pad, cosine_similarity.
 *
 * Ops PyTorch runs as one kernel are one host loop here (in the input's
 * dtype: float for float32, as PyTorch's CPU kernels compute) recording
 * PyTorch's node; their backward is again a recorded op (GeluBackward-
 * Backward0, ...), so create_graph=True graphs have PyTorch's names. Ops
 * PyTorch writes as a composite (linear, normalize, cross_entropy,
 * cosine_similarity, l1_loss, dropout) run the ops its implementation
 * runs. CUDA tensors go through the host loops (managed memory) and come
 * back to the device; softmax runs the softmax kernels (the GPU's on a
 * CUDA tensor).
 *
 * What the nodes keep (their formulas in runtime/backward/ read it):
 *   activation nodes (GeluBackward0, SiluBackward0, EluBackward0/1, CeluBackward0/1,
 *     LeakyReluBackward0/1, SoftplusBackward0, HardtanhBackward0,
 *     LogSigmoidBackward0): ctx NnActCtx; saved {self} or, for the
 *     in-place forms (…Backward1), {result}; LogSigmoid also {buffer}.
 *   their backward nodes (…BackwardBackward0): inputs {grad_output, self};
 *     ctx NnActCtx; saved {grad_output, self}.
 *   MseLossBackward0, SmoothL1LossBackward0, HuberLossBackward0: inputs
 *     {self, target}; ctx NnLossCtx; saved {self, target}. Their backward
 *     nodes: inputs {grad_output, self, target}; saved the same three.
 *   NllLossBackward0 / NllLoss2DBackward0: input {self}; ctx NnLossCtx;
 *     saved {self, target, total_weight, weight (may be NULL)}. Backward nodes:
 *     inputs {grad_output, self}; saved {target, weight}.
 *   BinaryCrossEntropyBackward0 / BinaryCrossEntropyWithLogitsBackward0:
 *     inputs {self, target}; ctx NnLossCtx; saved {self, target, weight,
 *     pos_weight}. BinaryCrossEntropyBackwardBackward0: inputs
 *     {grad_output, self, target}; saved {grad_output, self, target, weight}.
 *   ConstantPadNdBackward0: ctx OpCtx args {pad...}.
 *   SoftmaxBackward0 / LogSoftmaxBackward0: ctx OpCtx args {dim}; saved
 *     {result}. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device.h"
#include "elementwise_iter.h"
#include "error.h"
#include "op_errors.h"
#include "ops.h"
#include "random.h"
#include "vec_act.h"
#include "vec_math.h"

/* "Long" for int64 (PyTorch's ScalarType name) */
static const char *scalar_name(DType t, int *len) {
    const char *s = tsr_dtype_info[t].tensor_type;
    *len = (int)strlen(s) - 6;
    return s;
}

/* A contiguous host copy of t in dtype dt (t itself, retained, when it
 * already is one). */
static Tensor *host_as(Tensor *t, DType dt) {
    Tensor *r = NULL;
    NO_GRAD(r = tensor_is_cuda(t) ? op_to(t, dt, device_cpu(), true) : op_to_dtype(t, dt));
    if (!r) return NULL;
    Tensor *c = tensor_contiguous(r);
    tensor_release(r);
    return c;
}

/* t (stolen) expanded to shape, as a contiguous host tensor of dtype dt */
static Tensor *host_expanded(Tensor *t, DType dt, int nd, const int64_t *shape) {
    Tensor *e = NULL;
    NO_GRAD(e = op_expand(t, nd, shape));
    tensor_release(t);
    Tensor *h = e ? host_as(e, dt) : NULL;
    tensor_release(e);
    return h;
}

/* 0 none, 1 mean, 2 sum (at::Reduction) */
static Tensor *reduce_loss(Tensor *loss, int reduction) {
    if (!loss || reduction == NN_RED_NONE) return loss;
    Tensor *r = reduction == NN_RED_MEAN ? op_mean(loss, 0, NULL, false, DT_UNDEFINED)
                                         : op_sum(loss, 0, NULL, false, DT_UNDEFINED);
    tensor_release(loss);
    return r;
}

/* ---------------------------------------------------- activation math */

/* The scalar functions in the compute type T (float for float32/half/
 * bfloat16, double for float64), written as PyTorch's CPU kernels are. */
#define KBETA_GELU 0.3989422804014327       /* M_2_SQRTPI * M_SQRT1_2 * 0.5 */
#define KBETA_TANH 0.7978845608028654       /* M_SQRT2 * M_2_SQRTPI * 0.5 */
#define KKAPPA 0.044715
/* std::min, std::max: the first operand unless the second is smaller /
 * larger (a NaN first operand stays) */
#define STD_MIN(a, b) ((b) < (a) ? (b) : (a))
#define STD_MAX(a, b) ((a) < (b) ? (b) : (a))

#define DEF_ACT(SUF, T, EXP, LOG1P, ERF, TANH, FABS, LOG)                                          \
    static T act_fwd_##SUF(const NnActCtx *c, T x) {                                                \
        switch (c->kind) {                                                                         \
        case NN_GELU: return x * (T)0.5 * ((T)1 + ERF(x * (T)M_SQRT1_2));                          \
        case NN_GELU_TANH: {                                                                       \
            T xcube = x * x * x, inner = (T)KBETA_TANH * (x + (T)KKAPPA * xcube);                  \
            return (T)0.5 * x * ((T)1 + TANH(inner));                                              \
        }                                                                                          \
        case NN_SILU: return x / ((T)1 + EXP(-x));                                                 \
        case NN_ELU:                                                                               \
            return x <= (T)0 ? (EXP(x * (T)c->p[2]) - (T)1) * ((T)c->p[0] * (T)c->p[1]) : x * (T)c->p[1]; \
        case NN_LEAKY: return x > (T)0 ? x : x * (T)c->p[0];                                       \
        case NN_SOFTPLUS:                                                                          \
            return x * (T)c->p[0] > (T)c->p[1] ? x : LOG1P(EXP(x * (T)c->p[0])) / (T)c->p[0];      \
        case NN_HARDTANH: return x <= (T)c->p[0] ? (T)c->p[0] : x >= (T)c->p[1] ? (T)c->p[1] : x;   \
        case NN_LOGSIGMOID: {                                                                      \
            T mn = x < (T)0 ? x : (T)0, z = EXP(-FABS(x));                                         \
            return mn - LOG1P(z);                                                                  \
        }                                                                                          \
        case NN_MISH: return x * TANH(LOG1P(EXP(x)));                                              \
        case NN_HARDSWISH: return x * STD_MIN(STD_MAX(x + (T)3, (T)0), (T)6) / (T)6;               \
        case NN_HARDSIGMOID: return STD_MIN(STD_MAX(x + (T)3, (T)0), (T)6) / (T)6;                 \
        }                                                                                          \
        return x;                                                                                  \
    }                                                                                              \
    /* g * f'(x) (x: the result for is_result nodes; b: logsigmoid's buffer) */                   \
    static T act_bwd_##SUF(const NnActCtx *c, T g, T x, T b) {                                     \
        switch (c->kind) {                                                                         \
        case NN_GELU: {                                                                            \
            T cdf = (T)0.5 * ((T)1 + ERF(x * (T)M_SQRT1_2));                                       \
            T pdf = EXP((T)-0.5 * x * x) * (T)KBETA_GELU;                                          \
            return g * (cdf + x * pdf);                                                            \
        }                                                                                          \
        case NN_GELU_TANH: {                                                                       \
            T xsq = x * x, xcube = xsq * x;                                                        \
            T inner = (T)KBETA_TANH * (x + (T)KKAPPA * xcube), th = TANH(inner);                   \
            T left = (T)0.5 * x, right = (T)1 + th;                                                \
            T left_d = (T)0.5 * right;                                                             \
            T inner_d = (T)KBETA_TANH * ((T)1 + (T)3 * (T)KKAPPA * xsq);                           \
            T right_d = left * ((T)1 - th * th) * inner_d;                                         \
            return g * (left_d + right_d);                                                         \
        }                                                                                          \
        case NN_SILU: {                                                                            \
            T s = (T)1 / ((T)1 + EXP(-x));                                                         \
            return g * s * ((T)1 + x * ((T)1 - s));                                                \
        }                                                                                          \
        case NN_ELU: {                                                                             \
            T negcoef = (T)c->p[0] * (T)c->p[1], poscoef = (T)c->p[1], negiptcoef = (T)c->p[2];     \
            if (c->is_result) return x <= (T)0 ? g * negiptcoef * (x + negcoef) : g * poscoef;    \
            return x <= (T)0 ? g * negiptcoef * negcoef * EXP(x * negiptcoef) : g * poscoef;      \
        }                                                                                          \
        case NN_LEAKY: return x > (T)0 ? g : g * (T)c->p[0];                                       \
        case NN_SOFTPLUS: {                                                                        \
            T z = EXP(x * (T)c->p[0]);                                                             \
            return x * (T)c->p[0] > (T)c->p[1] ? g : g * z / (z + (T)1);                           \
        }                                                                                          \
        case NN_HARDTANH: return x <= (T)c->p[0] || x >= (T)c->p[1] ? (T)0 : g;                    \
        case NN_LOGSIGMOID: {                                                                      \
            bool neg = x < (T)0;                                                                   \
            T max_deriv = neg ? (T)1 : (T)0, sign = neg ? (T)1 : (T)-1;                           \
            return g * (max_deriv - sign * (b / ((T)1 + b)));                                     \
        }                                                                                          \
        case NN_MISH: {                                                                            \
            T sg = (T)1 / ((T)1 + EXP(-x)), ts = TANH(LOG1P(EXP(x)));                              \
            return g * (ts + x * sg * ((T)1 - ts * ts));                                           \
        }                                                                                          \
        case NN_HARDSWISH: return x < (T)-3 ? (T)0 : x <= (T)3 ? g * ((x / (T)3) + (T)0.5) : g;    \
        case NN_HARDSIGMOID: return (x > (T)-3 && x < (T)3) ? g * (T)(1.0f / 6.0f) : (T)0;         \
        }                                                                                          \
        return g;                                                                                  \
    }                                                                                              \
    /* f''(x) (for the is_result nodes: d f'(result) / d result) */                              \
    static T act_d2_##SUF(const NnActCtx *c, T x) {                                                \
        switch (c->kind) {                                                                         \
        case NN_GELU: {                                                                            \
            T pdf = (T)KBETA_GELU * EXP((T)-0.5 * x * x);                                          \
            return (T)2 * pdf - x * x * pdf;                                                       \
        }                                                                                          \
        case NN_GELU_TANH: {                                                                       \
            T u = (T)KBETA_TANH * (x + (T)KKAPPA * x * x * x), th = TANH(u);                       \
            T u1 = (T)KBETA_TANH * ((T)1 + (T)3 * (T)KKAPPA * x * x);                              \
            T u2 = (T)KBETA_TANH * (T)6 * (T)KKAPPA * x;                                           \
            return ((T)1 - th * th) * (u1 + (T)0.5 * x * (u2 - (T)2 * th * u1 * u1));              \
        }                                                                                          \
        case NN_SILU: {                                                                            \
            T s = (T)1 / ((T)1 + EXP(-x));                                                         \
            return s * ((T)1 - s) * ((T)2 + x * ((T)1 - (T)2 * s));                                \
        }                                                                                          \
        case NN_ELU: {                                                                             \
            T negcoef = (T)c->p[0] * (T)c->p[1], negiptcoef = (T)c->p[2];                           \
            if (c->is_result) return x <= (T)0 ? negiptcoef : (T)0;                                \
            return x <= (T)0 ? negiptcoef * negiptcoef * negcoef * EXP(x * negiptcoef) : (T)0;    \
        }                                                                                          \
        case NN_SOFTPLUS: {                                                                        \
            T z = EXP(x * (T)c->p[0]);                                                             \
            return x * (T)c->p[0] > (T)c->p[1] ? (T)0 : (T)c->p[0] * z / ((z + (T)1) * (z + (T)1)); \
        }                                                                                          \
        case NN_LOGSIGMOID: {                                                                      \
            T s = (T)1 / ((T)1 + EXP(-x));                                                         \
            return -s * ((T)1 - s);                                                                \
        }                                                                                          \
        default: return (T)0;                                                                      \
        }                                                                                          \
        (void)LOG;                                                                                 \
    }

DEF_ACT(f, float, expf, log1pf, erff, tanhf, fabsf, logf)
DEF_ACT(d, double, exp, log1p, erf, tanh, fabs, log)

/* Which pass of the activation math a loop runs. */
enum { PASS_FWD, PASS_BWD, PASS_D2, PASS_BUF };

/* How ATen's TensorIterator loops over an activation's operands: rows of
 * len elements (the tensor's coalesced inner dims), vectorised when every
 * operand is contiguous along the row (or a single broadcast value), else
 * scalar throughout; onednn: float32 gelu goes to oneDNN (a contiguous
 * input of more than one element). */
typedef struct {
    int64_t len;
    bool vec, onednn;
} ActRows;

static ActRows act_rows(const Tensor *x, const Tensor *g) {
    int nd = x->ndim;
    ActRows r = {tensor_numel(x), true, tensor_is_contiguous(x) && tensor_numel(x) > 1};
    /* g's strides broadcast to x's shape (0 along its broadcast dims) */
    int64_t gs[TSR_MAX_DIMS];
    bool g_plain = !g || tensor_numel(g) == 1 || (tensor_is_contiguous(g) && g->ndim == nd &&
                                                  memcmp(g->shape, x->shape, (size_t)nd * sizeof(int64_t)) == 0);
    if (g_plain && tensor_is_contiguous(x)) return r;
    for (int d = 0; d < nd; d++) {
        int gd = d - (nd - (g ? g->ndim : 0));
        gs[d] = g && !g_plain && gd >= 0 && g->shape[gd] != 1 ? g->stride[gd] : 0;
    }
    /* the output is contiguous, so rows follow x's logical order; the last
     * dims coalesce while x (and g) stay contiguous across them */
    if (nd == 0) return r;
    bool x_ok = x->stride[nd - 1] == 1 || x->shape[nd - 1] == 1;
    bool g_ok = g_plain || gs[nd - 1] == 0 || gs[nd - 1] == 1 || x->shape[nd - 1] == 1;
    if (!x_ok || !g_ok) {
        r.vec = false;
        return r;
    }
    r.len = x->shape[nd - 1];
    for (int d = nd - 2; d >= 0; d--) {
        if (x->stride[d] != x->shape[d + 1] * x->stride[d + 1]) break;
        if (!g_plain && gs[d] != x->shape[d + 1] * gs[d + 1]) break;
        r.len *= x->shape[d];
    }
    return r;
}

/* ATen's vectorised kernel of an activation (vec_act.h), -1 for none */
static const int act_vec[] = {
    [NN_GELU] = VACT_GELU, [NN_GELU_TANH] = VACT_GELU_TANH, [NN_SILU] = VACT_SILU,
    [NN_ELU] = VACT_ELU,   [NN_LEAKY] = VACT_LEAKY,         [NN_SOFTPLUS] = VACT_SOFTPLUS,
    [NN_HARDTANH] = -1,    [NN_LOGSIGMOID] = VACT_LOGSIGMOID, [NN_MISH] = VACT_MISH,
    [NN_HARDSWISH] = VACT_HARDSWISH, [NN_HARDSIGMOID] = VACT_HARDSIGMOID,
};

/* The forward or backward pass through ATen's vector kernel, as PyTorch's
 * AVX2 build computes it; false when there is none (the caller's scalar
 * loop runs: float16/bfloat16, other capabilities, f''). */
static bool act_vec_loop(const NnActCtx *c, int pass, DType dt, int64_t n, const char *x,
                         const char *g, const char *b, char *out, const ActRows *rows) {
    if (act_vec[c->kind] < 0 || pass == PASS_D2) return false;
    VecActArgs a = {(VecAct)act_vec[c->kind], pass == PASS_BWD, c->is_result, rows->onednn,
                    !rows->vec, {c->p[0], c->p[1], c->p[2]}};
    if (pass != PASS_BUF && (pass == PASS_BWD || c->kind != NN_LOGSIGMOID)) {
        /* row by row: each has its own scalar tail */
        size_t es = dtype_size(dt);
        int64_t len = rows->len > 0 && rows->len < n ? rows->len : n;
        for (int64_t i = 0; i < n; i += len) {
            int64_t m = n - i < len ? n - i : len;
            size_t o = (size_t)i * es;
            if (!vec_act(&a, dt, m, x + o, g ? g + o : NULL, b ? (char *)b + o : NULL, out + o))
                return false;
        }
        return true;
    }
    /* log_sigmoid's forward writes the result and the buffer at once */
    char *other = malloc((size_t)(n ? n : 1) * dtype_size(dt));
    if (!other) return false;
    bool ok = pass == PASS_BUF ? vec_act(&a, dt, n, x, NULL, out, other)
                               : vec_act(&a, dt, n, x, NULL, other, out);
    free(other);
    return ok;
}

/* silu on bfloat16: ATen 1.13's silu kernels have no float path for it, so
 * each operation of the formula on Vectorized<BFloat16> (and on
 * c10::BFloat16 in the scalar tail) converts to float, computes and rounds
 * back to bfloat16 (docs/float-math.md). */
static inline float bf16_round(float v) { return bf16_to_float(float_to_bf16(v)); }

static float silu_bf16(float x) { return bf16_round(x / bf16_round(1.f + bf16_round(expf(-x)))); }

/* gelu (approximate='none') on bfloat16 when oneDNN does not take it (a
 * strided input): GeluKernelImpl's generic formula, each operation rounded
 * (its constants are bfloat16 too) */
static float gelu_bf16(float x) {
    float alpha = bf16_round((float)M_SQRT1_2);
    return bf16_round(bf16_round(x * 0.5f) * bf16_round(1.f + bf16_round(erff(bf16_round(x * alpha)))));
}

/* gelu(approximate='tanh') on bfloat16, forward and backward:
 * GeluKernelImpl's and GeluBackwardKernelImpl's tanh formulas, each
 * operation rounded, with bfloat16 constants */
static float gelu_tanh_bf16(float x) {
    const float beta = bf16_round((float)KBETA_TANH), kappa = bf16_round((float)KKAPPA);
    float cube = bf16_round(bf16_round(x * x) * x);
    float inner = bf16_round(beta * bf16_round(x + bf16_round(kappa * cube)));
    return bf16_round(bf16_round(0.5f * x) * bf16_round(1.f + bf16_round(tanhf(inner))));
}

static float gelu_tanh_bwd_bf16(float dy, float x) {
    const float beta = bf16_round((float)KBETA_TANH), kappa = bf16_round((float)KKAPPA);
    float sq = bf16_round(x * x), cube = bf16_round(sq * x);
    float th = bf16_round(tanhf(bf16_round(beta * bf16_round(x + bf16_round(kappa * cube)))));
    float left = bf16_round(0.5f * x), right = bf16_round(1.f + th);
    float left_d = bf16_round(0.5f * right);
    float tanh_d = bf16_round(1.f - bf16_round(th * th));
    float inner_d = bf16_round(beta * bf16_round(1.f + bf16_round(bf16_round(3.f * kappa) * sq)));
    float right_d = bf16_round(bf16_round(left * tanh_d) * inner_d);
    return bf16_round(dy * bf16_round(left_d + right_d));
}

static float silu_bwd_bf16(float dy, float x) {
    float sig = bf16_round(1.f / bf16_round(1.f + bf16_round(expf(-x))));
    return bf16_round(bf16_round(dy * sig) * bf16_round(1.f + bf16_round(x * bf16_round(1.f - sig))));
}

/* out[i] = pass(x[i]) (PASS_BWD: g[i] * f'(x[i]), b the buffer). All host,
 * contiguous, dtype dt (float for everything but float64). */
static void act_loop(const NnActCtx *c, int pass, DType dt, int64_t n, const char *x, const char *g,
                     const char *b, char *out, const ActRows *rows) {
    if (act_vec_loop(c, pass, dt, n, x, g, b, out, rows)) return;
    size_t es = dtype_size(dt);
    bool gelu_fwd = c->kind == NN_GELU && pass == PASS_FWD;
    bool fwd_bwd = pass == PASS_FWD || pass == PASS_BWD;
    if (dt == DT_BFLOAT16 && (((c->kind == NN_SILU || c->kind == NN_GELU_TANH) && fwd_bwd) || gelu_fwd)) {
        const tsr_bfloat16 *xs = (const tsr_bfloat16 *)x, *gs = (const tsr_bfloat16 *)g;
        tsr_bfloat16 *os = (tsr_bfloat16 *)out;
        for (int64_t i = 0; i < n; i++) {
            float xv = bf16_to_float(xs[i]), r;
            if (gelu_fwd) r = gelu_bf16(xv);
            else if (c->kind == NN_GELU_TANH)
                r = pass == PASS_FWD ? gelu_tanh_bf16(xv) : gelu_tanh_bwd_bf16(bf16_to_float(gs[i]), xv);
            else r = pass == PASS_FWD ? silu_bf16(xv) : silu_bwd_bf16(bf16_to_float(gs[i]), xv);
            os[i] = float_to_bf16(r);
        }
        return;
    }
    /* bfloat16 hardswish_backward: ATen's vector blocks (two
     * Vectorized<BFloat16> a step) pass the gradient through at x == 3,
     * the scalar tail of each row computes g * (x / 3 + 0.5) there */
    int64_t hs_block = cpu_capability() == CPU_CAP_AVX512 ? 64 : 32;
    int64_t hs_len = rows->vec && rows->len > 0 && rows->len < n ? rows->len : n;
    bool hs_vec = dt == DT_BFLOAT16 && c->kind == NN_HARDSWISH && pass == PASS_BWD && rows->vec;
    for (int64_t i = 0; i < n; i++) {
        size_t o = (size_t)i * es;
        if (hs_vec && i % hs_len < hs_len - hs_len % hs_block && dtype_load_f64(dt, x + o) == 3.0) {
            dtype_store_f64(dt, out + o, dtype_load_f64(dt, g + o));
            continue;
        }
        if (dt == DT_FLOAT64) {
            double xv = *(const double *)(x + o), r;
            if (pass == PASS_FWD) r = act_fwd_d(c, xv);
            else if (pass == PASS_BUF) r = exp(-fabs(xv));
            else if (pass == PASS_D2) r = act_d2_d(c, xv);
            else r = act_bwd_d(c, *(const double *)(g + o), xv, b ? *(const double *)(b + o) : 0);
            *(double *)(out + o) = r;
        } else {
            float xv = (float)dtype_load_f64(dt, x + o), r;
            if (pass == PASS_FWD) r = act_fwd_f(c, xv);
            else if (pass == PASS_BUF) r = expf(-fabsf(xv));
            else if (pass == PASS_D2) r = act_d2_f(c, xv);
            else r = act_bwd_f(c, (float)dtype_load_f64(dt, g + o), xv, b ? (float)dtype_load_f64(dt, b + o) : 0.f);
            if (dt == DT_FLOAT32) *(float *)(out + o) = r;
            else dtype_store_f64(dt, out + o, r);
        }
    }
}

static const char *const act_kernel[] = {
    [NN_GELU] = "GeluKernelImpl", [NN_GELU_TANH] = "GeluKernelImpl", [NN_SILU] = "silu_cpu",
    [NN_ELU] = "elu_cpu",         [NN_LEAKY] = "leaky_relu_cpu",     [NN_SOFTPLUS] = "softplus_cpu",
    [NN_HARDTANH] = "hardtanh_cpu", [NN_LOGSIGMOID] = "log_sigmoid_cpu", [NN_MISH] = "mish_cpu",
    [NN_HARDSWISH] = "hardswish_cpu", [NN_HARDSIGMOID] = "hardsigmoid_cpu",
};

/* the row of reduced_float.h's table for each activation's forward */
static const ReducedFloatOp act_refusal[] = {
    [NN_GELU] = RF_GELU,         [NN_GELU_TANH] = RF_GELU,         [NN_SILU] = RF_SILU,
    [NN_ELU] = RF_ELU,           [NN_LEAKY] = RF_LEAKY_RELU,       [NN_SOFTPLUS] = RF_SOFTPLUS,
    [NN_HARDTANH] = RF_HARDTANH, [NN_LOGSIGMOID] = RF_LOG_SIGMOID,   [NN_MISH] = RF_MISH,
    [NN_HARDSWISH] = RF_HARDSWISH, [NN_HARDSIGMOID] = RF_HARDSIGMOID,
};

static const GradNodeKind act_bb_name[] = {
    [NN_GELU] = NODE_GeluBackwardBackward0,         [NN_GELU_TANH] = NODE_GeluBackwardBackward0,
    [NN_SILU] = NODE_SiluBackwardBackward0,         [NN_ELU] = NODE_EluBackwardBackward0,
    [NN_LEAKY] = NODE_LeakyReluBackwardBackward0,   [NN_SOFTPLUS] = NODE_SoftplusBackwardBackward0,
    [NN_HARDTANH] = NODE_HardtanhBackwardBackward0, [NN_LOGSIGMOID] = NODE_LogSigmoidBackwardBackward0,
    [NN_MISH] = NODE_NotImplemented, /* MishBackward0 differentiates its own formula */
    [NN_HARDSWISH] = NODE_HardswishBackwardBackward0,
    [NN_HARDSIGMOID] = NODE_NotImplemented, /* derivatives.yaml has none */
};

/* Whether x is a permutation of a contiguous tensor (dense, no overlap)
 * without being contiguous; perm: its dims by decreasing stride. ATen runs
 * such an x as one row in memory order, its result laid out like x. */
static bool act_dense_permuted(const Tensor *x, int64_t *perm) {
    int nd = x->ndim;
    if (tensor_is_contiguous(x) || nd < 2) return false;
    for (int i = 0; i < nd; i++) perm[i] = i;
    for (int i = 1; i < nd; i++) /* insertion sort, stable */
        for (int j = i; j > 0 && x->stride[perm[j - 1]] < x->stride[perm[j]]; j--) {
            int64_t t = perm[j];
            perm[j] = perm[j - 1];
            perm[j - 1] = t;
        }
    int64_t expect = 1;
    for (int i = nd - 1; i >= 0; i--) {
        int64_t d = perm[i];
        if (x->shape[d] != 1 && x->stride[d] != expect) return false;
        expect *= x->shape[d];
    }
    return true;
}

static Tensor *act_map_rows(const NnActCtx *c, int pass, Tensor *x, Tensor *g, Tensor *b,
                            bool permuted);

/* One pass over x (and g, b), shaped like x, on x's device. */
static Tensor *act_map(const NnActCtx *c, int pass, Tensor *x, Tensor *g, Tensor *b) {
    if (!dtype_is_float(x->dtype)) {
        op_raise_not_implemented(act_kernel[c->kind], x->dtype);
        return NULL;
    }
    int64_t perm[TSR_MAX_DIMS], inv[TSR_MAX_DIMS];
    if (!act_dense_permuted(x, perm)) return act_map_rows(c, pass, x, g, b, false);
    /* in memory order, then the result viewed back in x's order */
    for (int i = 0; i < x->ndim; i++) inv[perm[i]] = i;
    Tensor *ge = NULL, *xp = NULL, *gp = NULL, *bp = NULL, *r = NULL, *out = NULL;
    NO_GRAD(xp = op_permute(x, x->ndim, perm));
    if (g) NO_GRAD(ge = op_expand(g, x->ndim, x->shape));
    if (ge) NO_GRAD(gp = op_permute(ge, x->ndim, perm));
    if (b) NO_GRAD(bp = op_permute(b, x->ndim, perm));
    if (xp && (!g || gp) && (!b || bp)) r = act_map_rows(c, pass, xp, gp, bp, true);
    if (r) NO_GRAD(out = op_permute(r, x->ndim, inv));
    tensor_release(ge);
    tensor_release(xp);
    tensor_release(gp);
    tensor_release(bp);
    tensor_release(r);
    return out;
}

/* act_map over x's rows in its logical order (permuted: x is the memory
 * order view of a non-contiguous input, which oneDNN does not take) */
static Tensor *act_map_rows(const NnActCtx *c, int pass, Tensor *x, Tensor *g, Tensor *b,
                            bool permuted) {
    ActRows rows = act_rows(x, g);
    rows.onednn = rows.onednn && !permuted;
    /* bfloat16 gelu that PyTorch hands to oneDNN (use_mkldnn): computed in
     * float32 as for a float32 input, rounded once */
    bool via_float = x->dtype == DT_BFLOAT16 && c->kind == NN_GELU && rows.onednn &&
                     (pass == PASS_FWD || pass == PASS_BWD);
    DType dt = via_float ? DT_FLOAT32 : x->dtype;
    Tensor *hx = host_as(x, dt), *hg = NULL, *hb = NULL, *out = NULL;
    if (!hx) return NULL;
    if (g && !(hg = host_expanded(tensor_retain(g), dt, x->ndim, x->shape))) goto done;
    if (b && !(hb = host_as(b, dt))) goto done;
    out = tensor_empty(dt, x->ndim, x->shape, device_cpu());
    if (out)
        act_loop(c, pass, dt, tensor_numel(out), tensor_data(hx), hg ? tensor_data(hg) : NULL,
                 hb ? tensor_data(hb) : NULL, tensor_data(out), &rows);
done:
    tensor_release(hx);
    tensor_release(hg);
    tensor_release(hb);
    if (out && via_float) {
        Tensor *r = NULL;
        NO_GRAD(r = op_to_dtype(out, DT_BFLOAT16));
        tensor_release(out);
        out = r;
    }
    return op_host_result_to_steal(out, x->storage->device);
}

Tensor *op_nn_act(const NnActCtx *c, GradNodeKind kind, Tensor *x) {
    NnActCtx cc = *c;
    cc.is_result = false;
    if (c->kind == NN_HARDTANH && !dtype_is_float(x->dtype)) { /* hardtanh is clamp: ints work */
        Tensor *lo = tensor_wrapped_float(c->p[0]), *hi = lo ? tensor_wrapped_float(c->p[1]) : NULL, *r = NULL;
        if (dtype_is_integral(x->dtype, false) && lo && hi) {
            tensor_release(lo);
            tensor_release(hi);
            lo = tensor_wrapped_int((int64_t)c->p[0]);
            hi = lo ? tensor_wrapped_int((int64_t)c->p[1]) : NULL;
        }
        if (hi) NO_GRAD(r = op_clamp(x, lo, hi));
        tensor_release(lo);
        tensor_release(hi);
        return r;
    }
    if (!op_reduced_float_ok(act_refusal[c->kind], x)) return NULL;
    Tensor *r = act_map(&cc, PASS_FWD, x, NULL, NULL);
    if (!r || !ag_any_requires_grad(&x, 1)) return r;
    if (c->kind == NN_LOGSIGMOID) {
        Tensor *buf = act_map(&cc, PASS_BUF, x, NULL, NULL);
        Tensor *saves[2] = {x, buf};
        r = buf ? ag_record_steal(r, kind, &x, 1, saves, 2, &cc, sizeof cc) : (tensor_release(r), NULL);
        tensor_release(buf);
        return r;
    }
    return ag_record_steal(r, kind, &x, 1, &x, 1, &cc, sizeof cc);
}

Tensor *op_nn_act_(const NnActCtx *c, GradNodeKind kind, Tensor *x) {
    bool rg = ag_requires_grad(x);
    if (!ag_check_inplace(x, rg)) return NULL;
    if (!dtype_is_float(x->dtype) && c->kind != NN_HARDTANH) {
        op_raise_not_implemented(act_kernel[c->kind], x->dtype);
        return NULL;
    }
    bool grad = ag_any_requires_grad(&x, 1);
    Tensor *s = op_inplace_standin(x, grad);
    if (!s) return NULL;
    Tensor *r = NULL;
    NO_GRAD(r = op_nn_act(c, kind, s));
    if (r && grad) {
        /* …Backward1 nodes save the result; the others (SiluBackward0,
         * HardtanhBackward0) save self before the write, as PyTorch does */
        NnActCtx cc = *c;
        cc.is_result = strstr(ag_node_names[kind], "Backward1") != NULL;
        r = ag_record_steal(r, kind, &s, 1, cc.is_result ? &r : &s, 1, &cc, sizeof cc);
    }
    tensor_release(s);
    return r ? op_inplace_commit(x, r) : NULL;
}

Tensor *op_nn_act_backward(const NnActCtx *c, Tensor *grad, Tensor *x, Tensor *buffer) {
    if (c->kind == NN_HARDTANH && !op_reduced_float_ok(RF_HARDTANH_BACKWARD, x)) return NULL;
    Tensor *r = act_map(c, PASS_BWD, x, grad, buffer);
    Tensor *ins[2] = {grad, x};
    if (r && c->kind == NN_HARDSIGMOID && ag_any_requires_grad(ins, 2)) {
        GradNode *n = ag_record(r, NODE_NotImplemented, ins, 2);
        if (!n || !(n->ctx = tsr_strndup("hardsigmoid_backward", 20))) {
            tensor_release(r);
            return NULL;
        }
        return r;
    }
    return ag_record_steal(r, act_bb_name[c->kind], ins, 2, ins, 2, c, sizeof *c);
}

Tensor *op_tanh_backward_vec(Tensor *grad, Tensor *r) {
    DType dt = r->dtype;
    if ((dt != DT_FLOAT32 && dt != DT_FLOAT64) || grad->dtype != dt || tensor_is_cuda(r) ||
        tensor_is_cuda(grad) || grad->ndim != r->ndim ||
        memcmp(grad->shape, r->shape, (size_t)r->ndim * sizeof(int64_t)) != 0)
        return NULL;
    Tensor *hr = host_as(r, dt), *hg = hr ? host_as(grad, dt) : NULL, *out = NULL;
    if (hg) out = tensor_empty(dt, r->ndim, r->shape, device_cpu());
    VecActArgs a = {VACT_TANH, true, false, false, false, {0, 0, 0}};
    if (out && !vec_act(&a, dt, tensor_numel(out), tensor_data(hr), tensor_data(hg), NULL,
                        tensor_data(out))) {
        tensor_release(out);
        out = NULL;
    }
    tensor_release(hr);
    tensor_release(hg);
    return out;
}

Tensor *op_softmax_backward_vec(Tensor *grad, Tensor *r, int64_t dim, bool log) {
    DType dt = r->dtype;
    if ((dt != DT_FLOAT32 && dt != DT_FLOAT64 && dt != DT_BFLOAT16) || grad->dtype != dt || tensor_is_cuda(r) ||
        tensor_is_cuda(grad) || grad->ndim != r->ndim || dim < 0 || (r->ndim > 0 && dim >= r->ndim) ||
        memcmp(grad->shape, r->shape, (size_t)r->ndim * sizeof(int64_t)) != 0)
        return NULL;
    int64_t outer = 1, n = r->ndim ? r->shape[dim] : 1, inner = 1;
    for (int i = 0; i < dim; i++) outer *= r->shape[i];
    for (int i = (int)dim + 1; i < r->ndim; i++) inner *= r->shape[i];
    Tensor *hr = host_as(r, dt), *hg = hr ? host_as(grad, dt) : NULL, *out = NULL;
    if (hg) out = tensor_empty(dt, r->ndim, r->shape, device_cpu());
    bool last = r->ndim == 0 || dim == r->ndim - 1;
    if (out && kernel_softmax_backward(dt, tensor_data(hg), tensor_data(hr), tensor_data(out), outer, n, inner,
                                       last, log) != KERNEL_OK) {
        tensor_release(out);
        out = NULL;
    }
    tensor_release(hr);
    tensor_release(hg);
    return out;
}

/* f''(x): a constant of the backward-of-backward graph. A third derivative
 * through it is not implemented (NotImplemented node). */
Tensor *op_nn_act_d2(const NnActCtx *c, Tensor *x) {
    Tensor *r = act_map(c, PASS_D2, x, NULL, NULL);
    if (!r || !ag_any_requires_grad(&x, 1)) return r;
    GradNode *n = ag_record(r, NODE_NotImplemented, &x, 1);
    if (!n || !(n->ctx = tsr_strndup("nn activation third derivative", 30))) {
        tensor_release(r);
        return NULL;
    }
    return r;
}

/* ---------------------------------------------- softmax, log_softmax */

/* Records (Log)SoftmaxBackward0 on out (stolen): saves the result, ctx the dim. */
static Tensor *softmax_record(Tensor *out, Tensor *a, int d, bool log) {
    if (!dtype_is_float(out->dtype)) return out;
    int64_t dim_arg = d;
    OpCtx ctx = op_ctx(a, 1, &dim_arg);
    return ag_record_steal(out, log ? NODE_LogSoftmaxBackward0 : NODE_SoftmaxBackward0, &a, 1, &out, 1, &ctx, sizeof ctx);
}

/* softmax computed in float32 and rounded once to a's dtype: float16 on
 * the GPU (PyTorch's CUDA build has it, its CPU build not), as its kernel
 * accumulates (bfloat16 on the CPU has its own kernels: vec_math.h) */
static Tensor *softmax_via_float(Tensor *a, int d, bool log) {
    Tensor *f = ew_to_dtype(a, DT_FLOAT32);
    if (!f) return NULL;
    Tensor *r;
    NO_GRAD(r = op_softmax(f, d, log));
    tensor_release(f);
    Tensor *out = r ? ew_to_dtype(r, a->dtype) : NULL;
    tensor_release(r);
    if (!out) return NULL;
    return softmax_record(out, a, d, log);
}

Tensor *op_softmax(Tensor *a, int64_t dim, bool log) {
    int d = wrap_dim(dim, a->ndim);
    if (d < 0) return NULL;
    bool last = a->ndim == 0 || d == a->ndim - 1;
    if (a->dtype == DT_FLOAT16 && tensor_is_cuda(a)) return softmax_via_float(a, d, log);
    bool float_ok = a->dtype == DT_FLOAT32 || a->dtype == DT_FLOAT64 || a->dtype == DT_BFLOAT16;
    if (!float_ok && tensor_numel(a) == 0) /* no kernel runs on an empty input */
        return tensor_empty(a->dtype, a->ndim, a->shape, a->storage->device);
    if (!float_ok) {
        char kn[64];
        snprintf(kn, sizeof kn, "%ssoftmax_%skernel_impl", log && last ? "log_" : "", last ? "lastdim_" : "");
        op_raise_not_implemented(kn, a->dtype);
        return NULL;
    }
    Tensor *in = tensor_contiguous(a);
    if (!in) return NULL;
    Tensor *out = tensor_empty(a->dtype, a->ndim, a->shape, a->storage->device);
    if (out && tensor_numel(a) > 0) {
        int64_t outer = 1, n = a->ndim ? a->shape[d] : 1, inner = 1;
        for (int i = 0; i < d; i++) outer *= a->shape[i];
        for (int i = d + 1; i < a->ndim; i++) inner *= a->shape[i];
        KernelStatus st;
        DEVICE_RUN(st, out->storage->device, softmax, a->dtype, tensor_ptr(in), tensor_ptr(out), outer, n, inner, last, log);
        (void)st; /* the CPU has a loop for every dtype the op lets through */
    }
    tensor_release(in);
    if (!out) return NULL;
    return softmax_record(out, a, d, log);
}

/* ------------------------------------------------- pointwise losses */

static const char *const loss_kernel[] = {[NN_MSE] = "mse_cpu", [NN_SMOOTH_L1] = "smooth_l1_cpu",
                                          [NN_HUBER] = "huber_cpu"};
static const GradNodeKind loss_node[] = {[NN_MSE] = NODE_MseLossBackward0,
                                        [NN_SMOOTH_L1] = NODE_SmoothL1LossBackward0,
                                        [NN_HUBER] = NODE_HuberLossBackward0};
static const GradNodeKind loss_bb_node[] = {[NN_MSE] = NODE_MseLossBackwardBackward0,
                                           [NN_SMOOTH_L1] = NODE_SmoothL1LossBackwardBackward0,
                                           [NN_HUBER] = NODE_HuberLossBackwardBackward0};

#define DEF_LOSS(SUF, T, FABS)                                                                    \
    static T loss_fwd_##SUF(int kind, T p, T a, T b) {                                            \
        if (kind == NN_MSE) {                                                                     \
            T d = a - b;                                                                          \
            return d * d;                                                                         \
        }                                                                                         \
        T z = FABS(a - b);                                                                        \
        if (kind == NN_SMOOTH_L1) return z < p ? (T)0.5 * z * z / p : z - (T)0.5 * p;            \
        return z < p ? (T)0.5 * z * z : p * (z - (T)0.5 * p);                                    \
    }                                                                                             \
    static T loss_bwd_##SUF(int kind, T p, T norm, T a, T b, T g) {                               \
        if (kind == NN_MSE) return norm * (a - b) * g;                                            \
        T x = a - b;                                                                              \
        if (kind == NN_SMOOTH_L1) {                                                               \
            if (x <= -p) return -norm * g;                                                        \
            if (x >= p) return norm * g;                                                          \
            return norm * x * g / p;                                                              \
        }                                                                                         \
        if (x <= -p) return -norm * g * p;                                                        \
        if (x >= p) return norm * g * p;                                                          \
        return norm * x * g;                                                                      \
    }

DEF_LOSS(f, float, fabsf)
DEF_LOSS(d, double, fabs)

/* Common dtype and shape of a pointwise loss's inputs; false with PyTorch's
 * error. */
static bool loss_plan(int kind, Tensor *a, Tensor *b, DType *dt, int *nd, int64_t *shape) {
    *dt = dtype_promote(a->dtype, b->dtype);
    if ((*nd = broadcast_shapes(a->ndim, a->shape, b->ndim, b->shape, shape)) < 0) return false;
    if (!dtype_is_float(*dt)) {
        op_raise_not_implemented(loss_kernel[kind], *dt);
        return false;
    }
    return true;
}

/* out = loss(a, b) (fwd) or norm * dloss/da * g (g non-NULL) */
static Tensor *loss_map(int kind, double p, double norm, Tensor *a, Tensor *b, Tensor *g) {
    DType dt;
    int nd;
    int64_t sh[TSR_MAX_DIMS];
    if (!loss_plan(kind, a, b, &dt, &nd, sh)) return NULL;
    Tensor *ha = host_expanded(tensor_retain(a), dt, nd, sh);
    Tensor *hb = ha ? host_expanded(tensor_retain(b), dt, nd, sh) : NULL;
    Tensor *hg = hb && g ? host_expanded(tensor_retain(g), dt, nd, sh) : NULL;
    Tensor *out = hb && (hg || !g) ? tensor_empty(dt, nd, sh, device_cpu()) : NULL;
    if (out) {
        int64_t n = tensor_numel(out);
        size_t es = dtype_size(dt);
        const char *pa = tensor_data(ha), *pb = tensor_data(hb), *pg = hg ? tensor_data(hg) : NULL;
        char *po = tensor_data(out);
        for (int64_t i = 0; i < n; i++) {
            size_t o = (size_t)i * es;
            if (dt == DT_FLOAT64) {
                double x = *(const double *)(pa + o), y = *(const double *)(pb + o);
                *(double *)(po + o) = g ? loss_bwd_d(kind, p, norm, x, y, *(const double *)(pg + o))
                                        : loss_fwd_d(kind, p, x, y);
            } else {
                float x = (float)dtype_load_f64(dt, pa + o), y = (float)dtype_load_f64(dt, pb + o);
                float r = g ? loss_bwd_f(kind, (float)p, (float)norm, x, y, (float)dtype_load_f64(dt, pg + o))
                            : loss_fwd_f(kind, (float)p, x, y);
                dtype_store_f64(dt, po + o, r);
            }
        }
    }
    tensor_release(ha);
    tensor_release(hb);
    tensor_release(hg);
    return op_host_result_to_steal(out, a->storage->device);
}

Tensor *op_nn_pointwise_loss(int kind, Tensor *self, Tensor *target, int reduction, double p) {
    if (kind == NN_SMOOTH_L1 && p < 0) {
        tsr_raise(ERR_RuntimeError, "%s", "smooth_l1_loss does not support negative values for beta.");
        return NULL;
    }
    if (kind == NN_HUBER && p <= 0) {
        tsr_raise(ERR_RuntimeError, "huber_loss does not support non-positive values for delta.");
        return NULL;
    }
    if (kind == NN_MSE && !op_reduced_float_ok_dtype(RF_MSE_LOSS, dtype_promote(self->dtype, target->dtype),
                                                     tensor_is_cuda(self)))
        return NULL;
    Tensor *r = NULL;
    NO_GRAD(r = reduce_loss(loss_map(kind, p, 0, self, target, NULL), reduction));
    NnLossCtx c = {reduction, p, 0, false};
    Tensor *ins[2] = {self, target};
    return ag_record_steal(r, loss_node[kind], ins, 2, ins, 2, &c, sizeof c);
}

Tensor *op_nn_pointwise_loss_backward(int kind, Tensor *grad, Tensor *self, Tensor *target, int reduction,
                                      double p) {
    if ((kind == NN_MSE || kind == NN_SMOOTH_L1) &&
        !op_reduced_float_ok_dtype(kind == NN_MSE ? RF_MSE_LOSS_BACKWARD : RF_SMOOTH_L1_LOSS_BACKWARD,
                                   dtype_promote(self->dtype, target->dtype), tensor_is_cuda(self)))
        return NULL;
    double norm = kind == NN_MSE ? 2.0 : 1.0;
    if (reduction == NN_RED_MEAN) norm /= (double)tensor_numel(self);
    Tensor *r = loss_map(kind, p, norm, self, target, grad);
    NnLossCtx c = {reduction, p, kind, false};
    Tensor *ins[3] = {grad, self, target};
    return ag_record_steal(r, loss_bb_node[kind], ins, 3, ins, 3, &c, sizeof c);
}

/* l1_loss: (input - target).abs(), then the reduction (a composite) */
Tensor *op_nn_l1_loss(Tensor *self, Tensor *target, int reduction) {
    Tensor *d = op_binary(BIN_SUB, self, target);
    Tensor *a = d ? op_unary(UN_ABS, d) : NULL;
    tensor_release(d);
    return reduce_loss(a, reduction);
}

/* ------------------------------------------------------- nll_loss */

static bool shape_eq(int na, const int64_t *a, int nb, const int64_t *b) {
    return na == nb && !memcmp(a, b, sizeof(int64_t) * (size_t)na);
}

static int64_t ceil_log2(uint64_t x) {
    if (x <= 2) return x == 2 ? 1 : 0;
    int64_t r = 0;
    x -= 1;
    while (x) {
        r++;
        x >>= 1;
    }
    return r;
}

/* Checks nll_loss's (1D/2D) or nll_loss2d's (4D) inputs. */
static bool nll_check(Tensor *self, Tensor *target, Tensor *weight, bool is2d) {
    if (is2d) {
        if (target->ndim != 3) {
            tsr_raise(ERR_RuntimeError, "only batches of spatial targets supported (3D tensors) but got targets of dimension: %d",
                      target->ndim);
            return false;
        }
        if (self->shape[0] != target->shape[0] || self->shape[2] != target->shape[1] ||
            self->shape[3] != target->shape[2]) {
            char a[128], b[128];
            op_shape_text(a, sizeof a, self->ndim, self->shape);
            op_shape_text(b, sizeof b, target->ndim, target->shape);
            tsr_raise(ERR_RuntimeError, "input and target batch or spatial sizes don't match: target %s, input %s", b, a);
            return false;
        }
    } else {
        if (self->ndim < 1 || self->ndim > 2) {
            tsr_raise(ERR_RuntimeError, "%s", "input tensor should be 1D or 2D");
            return false;
        }
        if (target->ndim > 1) {
            tsr_raise(ERR_RuntimeError, "%s", "0D or 1D target tensor expected, multi-target not supported");
            return false;
        }
        bool no_batch = self->ndim == 1 && target->ndim == 0;
        if (!no_batch && self->shape[0] != (target->ndim ? target->shape[0] : 1)) {
            tsr_raise(ERR_RuntimeError, "size mismatch (got input: %lld, target: %lld)", (long long)self->shape[0],
                      (long long)(target->ndim ? target->shape[0] : 1));
            return false;
        }
    }
    int64_t nc = self->ndim == 1 ? self->shape[0] : self->shape[1];
    if (weight && (weight->ndim != 1 || weight->shape[0] != nc)) {
        char b[128];
        op_shape_text(b, sizeof b, weight->ndim, weight->shape);
        tsr_raise(ERR_RuntimeError,
                  "weight tensor should be defined either for all %lld classes or no classes but got weight tensor of shape: %s",
                  (long long)nc, b);
        return false;
    }
    if (target->dtype != DT_INT64) {
        int l;
        const char *s = scalar_name(target->dtype, &l);
        tsr_raise(ERR_RuntimeError, "expected scalar type Long but found %.*s", l, s);
        return false;
    }
    if (!dtype_is_float(self->dtype)) {
        op_raise_not_implemented(is2d ? "nll_loss2d_forward_out_frame" : "nll_loss_out_frame", self->dtype);
        return false;
    }
    return op_reduced_float_ok(is2d ? RF_NLL_LOSS2D : RF_NLL_LOSS, self);
}

/* The loop of nll_loss_out_frame / nll_loss2d_forward_out_frame: input
 * [N, C, M] (N = 1 for 1D), target [N, M]. */
static bool nll_forward_loop(Tensor *self, Tensor *target, Tensor *weight, int reduction, int64_t ignore_index,
                             bool is2d, Tensor **out, Tensor **total) {
    *out = *total = NULL;
    DType dt = self->dtype;
    int64_t nb = self->ndim == 1 ? 1 : self->shape[0], nc = self->ndim == 1 ? self->shape[0] : self->shape[1];
    int64_t m = 1;
    for (int i = 2; i < self->ndim; i++) m *= self->shape[i];
    Tensor *hx = host_as(self, dt), *ht = hx ? host_as(target, DT_INT64) : NULL;
    Tensor *hw = ht && weight ? host_as(weight, dt) : NULL;
    if (!ht || (weight && !hw)) goto fail;
    const int64_t *tg = (const int64_t *)tensor_data(ht);
    const char *px = tensor_data(hx), *pw = hw ? tensor_data(hw) : NULL;
    size_t es = dtype_size(dt);
    bool f64 = dt == DT_FLOAT64;
#define LD(p, i) (f64 ? ((const double *)(p))[i] : (double)(float)dtype_load_f64(dt, (p) + (size_t)(i) * es))
    if (reduction == NN_RED_NONE && (self->ndim > 1 || is2d)) {
        int64_t osh[3] = {nb, 0, 0};
        int ond = 1;
        if (is2d) {
            osh[1] = self->shape[2];
            osh[2] = self->shape[3];
            ond = 3;
        }
        *out = tensor_empty(dt, ond, osh, device_cpu());
        if (!*out) goto fail;
        char *po = tensor_data(*out);
        for (int64_t b = 0; b < nb; b++)
            for (int64_t e = 0; e < m; e++) {
                int64_t t = tg[b * m + e];
                double v = 0;
                if (t != ignore_index) {
                    if (t < 0 || t >= nc) {
                        tsr_raise(ERR_IndexError, "Target %lld is out of bounds.", (long long)t);
                        goto fail;
                    }
                    double w = pw ? LD(pw, t) : 1.0;
                    if (f64) v = -LD(px, (b * nc + t) * m + e) * w;
                    else v = (double)(-(float)LD(px, (b * nc + t) * m + e) * (float)w);
                }
                dtype_store_f64(dt, po + (size_t)(b * m + e) * es, v);
            }
        *total = tensor_zeros(dt, 0, NULL, device_cpu());
        if (!*total) goto fail;
        goto done;
    }
    /* cascade sums, in the compute type */
    enum { LEVELS = 8 };
    double lsum_d[LEVELS] = {0}, wsum_d[LEVELS] = {0};
    float lsum_f[LEVELS] = {0}, wsum_f[LEVELS] = {0};
    int64_t numiter = nb * m, num_ignored = 0;
    int64_t level_power = ceil_log2((uint64_t)numiter) / LEVELS;
    if (level_power < 4) level_power = 4;
    int64_t level_mask = ((int64_t)1 << level_power) - 1;
    for (int64_t i = 0; i < numiter; i++) {
        int64_t b = i / m, e = i % m, t = tg[i];
        if (t == ignore_index) {
            num_ignored++;
            continue;
        }
        if (t < 0 || t >= nc) {
            tsr_raise(ERR_IndexError, "Target %lld is out of bounds.", (long long)t);
            goto fail;
        }
        double x = LD(px, (b * nc + t) * m + e);
        if (pw) {
            double w = LD(pw, t);
            if (f64) {
                lsum_d[0] -= x * w;
                wsum_d[0] += w;
            } else {
                lsum_f[0] -= (float)x * (float)w;
                wsum_f[0] += (float)w;
            }
        } else if (f64) {
            lsum_d[0] -= x;
        } else {
            lsum_f[0] -= (float)x;
        }
        for (int j = 0; j + 1 < LEVELS; j++) {
            int64_t mask = level_mask << (j * level_power);
            if ((i & mask) != 0) break;
            wsum_d[j + 1] += wsum_d[j];
            lsum_d[j + 1] += lsum_d[j];
            wsum_f[j + 1] += wsum_f[j];
            lsum_f[j + 1] += lsum_f[j];
            wsum_d[j] = lsum_d[j] = 0;
            wsum_f[j] = lsum_f[j] = 0;
        }
    }
    double tw, ov;
    if (f64) {
        double w = 0, l = 0;
        for (int j = 0; j < LEVELS; j++) {
            w += wsum_d[j];
            l += lsum_d[j];
        }
        tw = pw ? w : (double)(numiter - num_ignored);
        ov = reduction == NN_RED_MEAN ? l / tw : l;
    } else {
        float w = 0, l = 0;
        for (int j = 0; j < LEVELS; j++) {
            w += wsum_f[j];
            l += lsum_f[j];
        }
        float twf = pw ? w : (float)(numiter - num_ignored);
        tw = twf;
        ov = reduction == NN_RED_MEAN ? (double)(l / twf) : (double)l;
    }
#undef LD
    *out = tensor_full_f64(dt, 0, NULL, ov, device_cpu());
    *total = *out ? tensor_full_f64(dt, 0, NULL, tw, device_cpu()) : NULL;
    if (!*total) goto fail;
done:
    tensor_release(hx);
    tensor_release(ht);
    tensor_release(hw);
    *out = op_host_result_to_steal(*out, self->storage->device);
    *total = *out ? op_host_result_to_steal(*total, self->storage->device) : (tensor_release(*total), NULL);
    return *out && *total;
fail:
    tensor_release(hx);
    tensor_release(ht);
    tensor_release(hw);
    tensor_release(*out);
    tensor_release(*total);
    *out = *total = NULL;
    return false;
}

/* nll_loss (1D/2D input) or nll_loss2d (4D input) */
static Tensor *nll_base(Tensor *self, Tensor *target, Tensor *weight, int reduction, int64_t ignore_index) {
    bool is2d = self->ndim == 4;
    if (!nll_check(self, target, weight, is2d)) return NULL;
    Tensor *out, *total;
    if (!nll_forward_loop(self, target, weight, reduction, ignore_index, is2d, &out, &total)) return NULL;
    NnLossCtx c = {reduction, 0, ignore_index, weight != NULL};
    Tensor *saves[4] = {self, target, total, weight};
    out = ag_record_steal(out, is2d ? NODE_NllLoss2DBackward0 : NODE_NllLossBackward0, &self, 1, saves, 4, &c, sizeof c);
    tensor_release(total);
    return out;
}

Tensor *op_nn_nll_loss(Tensor *self, Tensor *target, Tensor *weight, int reduction, int64_t ignore_index) {
    if (self->ndim < 1) {
        tsr_raise(ERR_ValueError, "Expected 1 or more dimensions (got %d)", self->ndim);
        return NULL;
    }
    if (self->ndim != 1 && (target->ndim < 1 || self->shape[0] != target->shape[0])) {
        tsr_raise(ERR_ValueError, "Expected input batch_size (%lld) to match target batch_size (%lld).",
                  (long long)self->shape[0], (long long)(target->ndim ? target->shape[0] : 1));
        return NULL;
    }
    if (self->ndim <= 2 || self->ndim == 4) return nll_base(self, target, weight, reduction, ignore_index);
    /* 3D or > 4D: viewed as [N, C, 1, -1] for nll_loss2d */
    int64_t n = self->shape[0], c = self->shape[1], out_size[TSR_MAX_DIMS];
    out_size[0] = n;
    for (int i = 2; i < self->ndim; i++) out_size[i - 1] = self->shape[i];
    if (!shape_eq(target->ndim - 1, target->shape + 1, self->ndim - 2, self->shape + 2)) {
        char a[256], b[256];
        op_shape_text(a, sizeof a, self->ndim - 1, out_size);
        op_shape_text(b, sizeof b, target->ndim, target->shape);
        tsr_raise(ERR_RuntimeError, "Expected target size %s, got %s", a, b);
        return NULL;
    }
    bool empty_in = tensor_numel(self) == 0, empty_t = tensor_numel(target) == 0;
    int64_t is[4] = {n, c, empty_in ? 0 : 1, empty_in ? 0 : -1}, ts[3] = {n, empty_t ? 0 : 1, empty_t ? 0 : -1};
    Tensor *ic = op_contiguous(self), *tc = ic ? op_contiguous(target) : NULL;
    Tensor *iv = tc ? op_view(ic, 4, is) : NULL, *tv = iv ? op_view(tc, 3, ts) : NULL;
    Tensor *r = tv ? nll_base(iv, tv, weight, reduction, ignore_index) : NULL;
    if (r && reduction == NN_RED_NONE) {
        Tensor *v = op_view(r, self->ndim - 1, out_size);
        tensor_release(r);
        r = v;
    }
    tensor_release(ic);
    tensor_release(tc);
    tensor_release(iv);
    tensor_release(tv);
    return r;
}

/* nll_loss_backward / nll_loss2d_backward: zeros with -w[t] * g at the
 * targets (g / total_weight for mean). */
Tensor *op_nn_nll_loss_backward(Tensor *grad, Tensor *self, Tensor *target, Tensor *weight, int reduction,
                                int64_t ignore_index, Tensor *total_weight) {
    bool is2d = self->ndim == 4;
    DType dt = self->dtype;
    int64_t nb = self->ndim == 1 ? 1 : self->shape[0], nc = self->ndim == 1 ? self->shape[0] : self->shape[1];
    int64_t m = 1;
    for (int i = 2; i < self->ndim; i++) m *= self->shape[i];
    Tensor *hg = host_as(grad, dt), *ht = hg ? host_as(target, DT_INT64) : NULL;
    Tensor *hw = ht && weight ? host_as(weight, dt) : NULL;
    Tensor *out = ht && (hw || !weight) ? tensor_zeros(dt, self->ndim, self->shape, device_cpu()) : NULL;
    if (out) {
        bool f64 = dt == DT_FLOAT64;
        size_t es = dtype_size(dt);
        const int64_t *tg = (const int64_t *)tensor_data(ht);
        const char *pg = tensor_data(hg), *pw = hw ? tensor_data(hw) : NULL;
        char *po = tensor_data(out);
        bool none = reduction == NN_RED_NONE && (self->ndim > 1 || is2d);
        double g0 = none ? 0 : dtype_load_f64(dt, pg);
        double tw = total_weight ? tensor_get_f64(total_weight, 0) : 1.0;
        if (!none && reduction == NN_RED_MEAN) g0 = f64 ? g0 / tw : (double)((float)g0 / (float)tw);
        for (int64_t i = 0; i < nb * m; i++) {
            int64_t b = i / m, e = i % m, t = tg[i];
            if (t == ignore_index || t < 0 || t >= nc) continue;
            double g = none ? dtype_load_f64(dt, pg + (size_t)i * es) : g0;
            double w = pw ? dtype_load_f64(dt, pw + (size_t)t * es) : 1.0;
            double v = f64 ? -g * w : (double)(-(float)g * (float)w);
            if (!pw) v = -g;
            dtype_store_f64(dt, po + (size_t)((b * nc + t) * m + e) * es, v);
        }
    }
    tensor_release(hg);
    tensor_release(ht);
    tensor_release(hw);
    out = op_host_result_to_steal(out, self->storage->device);
    NnLossCtx c = {reduction, 0, ignore_index, weight != NULL};
    Tensor *ins[2] = {grad, self}, *saves[2] = {target, weight};
    return ag_record_steal(out, is2d ? NODE_NllLoss2DBackwardBackward0 : NODE_NllLossBackwardBackward0, ins, 2, saves, 2,
                           &c, sizeof c);
}

/* --------------------------------------------------- cross_entropy */

static Tensor *mul_scalar(Tensor *t, double v) { return t ? op_scalar_binary(BIN_MUL, t, v, false) : NULL; }

/* weight viewed [1, C, 1, ...] to broadcast against input */
static Tensor *weight_view(Tensor *weight, int ndim, int class_dim) {
    int64_t sh[TSR_MAX_DIMS];
    for (int i = 0; i < ndim; i++) sh[i] = 1;
    sh[class_dim] = weight->shape[0];
    return op_view(weight, ndim, sh);
}

static Tensor *ce_prob_target(Tensor *self, Tensor *target, Tensor *weight, int reduction, double ls) {
    int cd = self->ndim == 1 ? 0 : 1;
    int64_t nc = self->shape[cd];
    if (weight && (weight->ndim != 1 || tensor_numel(weight) != nc)) {
        char b[128];
        op_shape_text(b, sizeof b, weight->ndim, weight->shape);
        tsr_raise(ERR_RuntimeError,
                  "cross_entropy: weight tensor should be defined either for all %lld classes or no classes but got "
                  "weight tensor of shape: %s",
                  (long long)nc, b);
        return NULL;
    }
    Tensor *input = op_softmax(self, cd, true), *tg = NULL, *w = NULL, *prod = NULL, *s = NULL, *r = NULL;
    if (!input) return NULL;
    if (ls > 0) {
        Tensor *a = op_scalar_binary(BIN_MUL, target, 1 - ls, false);
        tg = a ? op_scalar_binary(BIN_ADD, a, ls / (double)nc, false) : NULL;
        tensor_release(a);
    } else {
        tg = tensor_retain(target);
    }
    if (!tg) goto done;
    prod = op_binary(BIN_MUL, input, tg);
    if (prod && weight) {
        w = self->ndim > 1 ? weight_view(weight, self->ndim, cd) : tensor_retain(weight);
        Tensor *p2 = w ? op_binary(BIN_MUL, prod, w) : NULL;
        tensor_release(prod);
        prod = p2;
    }
    if (!prod) goto done;
    if (reduction == NN_RED_NONE) {
        int64_t d = cd;
        s = op_sum(prod, 1, &d, false, DT_UNDEFINED);
        r = s ? op_unary(UN_NEG, s) : NULL;
    } else {
        s = op_sum(prod, 0, NULL, false, DT_UNDEFINED);
        r = s ? op_unary(UN_NEG, s) : NULL;
        if (r && reduction == NN_RED_MEAN) {
            Tensor *q;
            if (tensor_numel(input) == 0) {
                Tensor *nan = tensor_wrapped_float(NAN);
                q = nan ? op_fill_(r, nan) : NULL;
                tensor_release(nan);
            } else {
                q = op_scalar_binary(BIN_DIV, r, (double)(tensor_numel(input) / nc), false);
            }
            tensor_release(r);
            r = q;
        }
    }
done:
    tensor_release(input);
    tensor_release(tg);
    tensor_release(w);
    tensor_release(prod);
    tensor_release(s);
    return r;
}

static Tensor *ce_label_smoothing(Tensor *self, Tensor *target, Tensor *weight, int reduction,
                                  int64_t ignore_index, double ls) {
    int cd = self->ndim == 1 ? 0 : 1;
    int64_t nc = self->shape[cd], d = cd;
    Tensor *input = op_softmax(self, cd, true);
    Tensor *nll = input ? op_nn_nll_loss(input, target, weight, reduction, ignore_index) : NULL;
    Tensor *ii = NULL, *mask = NULL, *smooth = NULL, *ret = NULL, *t[6] = {0}, *r = NULL;
    if (!nll) goto done;
    NO_GRAD(ii = tensor_wrapped_int(ignore_index); mask = ii ? op_binary(BIN_EQ, target, ii) : NULL);
    if (!mask) goto done;
    if (weight) {
        t[0] = weight_view(weight, self->ndim, cd);
        t[1] = t[0] ? op_binary(BIN_MUL, input, t[0]) : NULL;
        t[2] = t[1] ? op_sum(t[1], 1, &d, false, DT_UNDEFINED) : NULL;
    } else {
        t[2] = op_sum(input, 1, &d, false, DT_UNDEFINED);
    }
    smooth = t[2] ? op_unary(UN_NEG, t[2]) : NULL;
    if (!smooth) goto done;
    {
        TensorIndex ix = {.kind = IDX_TENSOR, .tensor = mask};
        Tensor *zero = tensor_wrapped_float(0.0);
        bool ok = zero && op_index_put_(smooth, &ix, 1, zero);
        tensor_release(zero);
        if (!ok) goto done;
    }
    if (reduction == NN_RED_NONE) {
        ret = tensor_retain(smooth);
    } else if (reduction == NN_RED_SUM) {
        ret = op_sum(smooth, 0, NULL, false, DT_UNDEFINED);
    } else if (weight) {
        Tensor *ok = NULL, *sel = NULL, *flat = NULL, *g = NULL, *gs = NULL, *ss = NULL;
        NO_GRAD(ok = op_unary(UN_LOGICAL_NOT, mask); sel = ok ? op_masked_select(target, ok) : NULL;
                flat = sel ? op_flatten(sel, 0, -1) : NULL);
        g = flat ? op_gather(weight, 0, flat) : NULL;
        gs = g ? op_sum(g, 0, NULL, false, DT_UNDEFINED) : NULL;
        ss = gs ? op_sum(smooth, 0, NULL, false, DT_UNDEFINED) : NULL;
        ret = ss ? op_binary(BIN_DIV, ss, gs) : NULL;
        tensor_release(ok);
        tensor_release(sel);
        tensor_release(flat);
        tensor_release(g);
        tensor_release(gs);
        tensor_release(ss);
    } else {
        Tensor *ok = NULL, *sel = NULL;
        NO_GRAD(ok = op_unary(UN_LOGICAL_NOT, mask));
        sel = ok ? op_masked_select(smooth, ok) : NULL;
        ret = sel ? op_mean(sel, 0, NULL, false, DT_UNDEFINED) : NULL;
        tensor_release(ok);
        tensor_release(sel);
    }
    if (!ret) goto done;
    t[3] = mul_scalar(nll, 1 - ls);
    t[4] = t[3] ? mul_scalar(ret, ls / (double)nc) : NULL;
    r = t[4] ? op_binary(BIN_ADD, t[3], t[4]) : NULL;
done:
    tensor_release(input);
    tensor_release(nll);
    tensor_release(ii);
    tensor_release(mask);
    tensor_release(smooth);
    tensor_release(ret);
    for (int i = 0; i < 6; i++) tensor_release(t[i]);
    return r;
}

Tensor *op_nn_cross_entropy(Tensor *self, Tensor *target, Tensor *weight, int reduction, int64_t ignore_index,
                            double label_smoothing) {
    if (shape_eq(self->ndim, self->shape, target->ndim, target->shape)) {
        if (!dtype_is_float(target->dtype)) {
            int l;
            const char *s = scalar_name(target->dtype, &l);
            tsr_raise(ERR_RuntimeError, "Expected floating point type for target with class probabilities, got %.*s",
                      l, s);
            return NULL;
        }
        if (ignore_index >= 0) {
            tsr_raise(ERR_RuntimeError, "%s", "ignore_index is not supported for floating point target");
            return NULL;
        }
    }
    if (label_smoothing < 0 || label_smoothing > 1) {
        tsr_raise(ERR_RuntimeError, "label_smoothing must be between 0.0 and 1.0. Got: %g", label_smoothing);
        return NULL;
    }
    if (self->ndim < 1) {
        tsr_raise(ERR_ValueError, "Expected 1 or more dimensions (got %d)", self->ndim);
        return NULL;
    }
    if (shape_eq(self->ndim, self->shape, target->ndim, target->shape))
        return ce_prob_target(self, target, weight, reduction, label_smoothing);
    if (label_smoothing > 0) return ce_label_smoothing(self, target, weight, reduction, ignore_index, label_smoothing);
    Tensor *ls = op_softmax(self, self->ndim == 1 ? 0 : 1, true);
    Tensor *r = ls ? op_nn_nll_loss(ls, target, weight, reduction, ignore_index) : NULL;
    tensor_release(ls);
    return r;
}

/* ------------------------------------------ binary_cross_entropy */

Tensor *op_nn_bce(Tensor *self, Tensor *target, Tensor *weight, int reduction) {
    if (target->dtype != self->dtype) {
        int l1, l2;
        const char *a = scalar_name(target->dtype, &l1), *b = scalar_name(self->dtype, &l2);
        tsr_raise(ERR_RuntimeError, "Found dtype %.*s but expected %.*s", l1, a, l2, b);
        return NULL;
    }
    if (!dtype_is_float(self->dtype)) {
        op_raise_not_implemented("binary_cross_entropy", self->dtype);
        return NULL;
    }
    DType dt = self->dtype;
    Tensor *hx = host_as(self, dt), *ht = hx ? host_as(target, dt) : NULL, *loss = NULL, *r = NULL;
    if (!ht) goto done;
    loss = tensor_empty(dt, self->ndim, self->shape, device_cpu());
    if (!loss) goto done;
    int64_t n = tensor_numel(loss);
    size_t es = dtype_size(dt);
    const char *px = tensor_data(hx), *pt = tensor_data(ht);
    char *po = tensor_data(loss);
    for (int64_t i = 0; i < n; i++) {
        size_t o = (size_t)i * es;
        double v;
        if (dt == DT_FLOAT64) {
            double x = *(const double *)(px + o), t = *(const double *)(pt + o);
            if (!(x >= 0 && x <= 1)) goto range;
            v = (t - 1) * fmax(log1p(-x), -100.0) - t * fmax(log(x), -100.0);
        } else {
            float x = (float)dtype_load_f64(dt, px + o), t = (float)dtype_load_f64(dt, pt + o);
            if (!(x >= 0 && x <= 1)) goto range;
            v = (t - 1.f) * fmaxf(log1pf(-x), -100.f) - t * fmaxf(logf(x), -100.f);
        }
        dtype_store_f64(dt, po + o, v);
    }
    loss = op_host_result_to_steal(loss, self->storage->device);
    if (loss && weight) {
        Tensor *m = NULL;
        NO_GRAD(m = op_binary(BIN_MUL, loss, weight));
        tensor_release(loss);
        loss = m;
    }
    NO_GRAD(r = reduce_loss(loss, reduction));
    loss = NULL;
    {
        NnLossCtx c = {reduction, 0, 0, weight != NULL};
        Tensor *ins[2] = {self, target}, *saves[3] = {self, target, weight};
        r = ag_record_steal(r, NODE_BinaryCrossEntropyBackward0, ins, 2, saves, 3, &c, sizeof c);
    }
    goto done;
range:
    tsr_raise(ERR_RuntimeError, "%s", "all elements of input should be between 0 and 1");
done:
    tensor_release(hx);
    tensor_release(ht);
    tensor_release(loss);
    return r;
}

/* binary_cross_entropy_backward: grad * (x - t) / max((1 - x) * x, 1e-12)
 * [* weight] [/ numel] */
Tensor *op_nn_bce_backward(Tensor *grad, Tensor *self, Tensor *target, Tensor *weight, int reduction) {
    DType dt = self->dtype;
    Tensor *hx = host_as(self, dt), *ht = hx ? host_as(target, dt) : NULL;
    Tensor *hg = ht ? host_expanded(tensor_retain(grad), dt, self->ndim, self->shape) : NULL;
    Tensor *out = hg ? tensor_empty(dt, self->ndim, self->shape, device_cpu()) : NULL;
    if (out) {
        int64_t n = tensor_numel(out);
        size_t es = dtype_size(dt);
        const char *px = tensor_data(hx), *pt = tensor_data(ht), *pg = tensor_data(hg);
        char *po = tensor_data(out);
        for (int64_t i = 0; i < n; i++) {
            size_t o = (size_t)i * es;
            if (dt == DT_FLOAT64) {
                double x = *(const double *)(px + o), t = *(const double *)(pt + o), g = *(const double *)(pg + o);
                *(double *)(po + o) = g * (x - t) / fmax((1 - x) * x, 1e-12);
            } else {
                float x = (float)dtype_load_f64(dt, px + o), t = (float)dtype_load_f64(dt, pt + o);
                float g = (float)dtype_load_f64(dt, pg + o);
                dtype_store_f64(dt, po + o, g * (x - t) / fmaxf((1.f - x) * x, 1e-12f));
            }
        }
    }
    tensor_release(hx);
    tensor_release(ht);
    tensor_release(hg);
    out = op_host_result_to_steal(out, self->storage->device);
    if (out && weight) {
        Tensor *m = NULL;
        NO_GRAD(m = op_binary(BIN_MUL, out, weight));
        tensor_release(out);
        out = m;
    }
    if (out && reduction == NN_RED_MEAN) {
        Tensor *m = NULL, *n = tensor_wrapped_int(tensor_numel(self));
        NO_GRAD(m = n ? op_binary(BIN_DIV, out, n) : NULL);
        tensor_release(n);
        tensor_release(out);
        out = m;
    }
    NnLossCtx c = {reduction, 0, 0, weight != NULL};
    Tensor *ins[3] = {grad, self, target}, *saves[4] = {grad, self, target, weight};
    return ag_record_steal(out, NODE_BinaryCrossEntropyBackwardBackward0, ins, 3, saves, 4, &c, sizeof c);
}

/* 1.13's binary_cross_entropy_with_logits, op for op (without a graph),
 * then one BinaryCrossEntropyWithLogitsBackward0 node. */
Tensor *op_nn_bce_logits(Tensor *self, Tensor *target, Tensor *weight, Tensor *pos_weight, int reduction) {
    if (dtype_is_integral(target->dtype, true) && dtype_is_float(dtype_promote(self->dtype, target->dtype))) {
        int l1, l2;
        DType rt = dtype_promote(self->dtype, target->dtype);
        const char *a = scalar_name(rt, &l1), *b = scalar_name(target->dtype, &l2);
        tsr_raise(ERR_RuntimeError, "result type %.*s can't be cast to the desired output type %.*s", l1, a, l2, b);
        return NULL;
    }
    Tensor *t[16] = {0}, *r = NULL;
    bool ok = true;
    NO_GRAD({
        Tensor *one = tensor_wrapped_int(1), *zero = tensor_wrapped_int(0);
        ok = one && zero;
        /* max_val = (-input).clamp_min_(0) */
        t[0] = ok ? op_unary(UN_NEG, self) : NULL;
        t[1] = t[0] ? op_clamp_bound(t[0], zero, false) : NULL;
        t[2] = t[1] ? op_binary(BIN_SUB, one, target) : NULL; /* 1 - target */
        t[3] = t[2] ? op_binary(BIN_MUL, t[2], self) : NULL;  /* .mul_(input) */
        t[4] = t[3] ? op_unary(UN_NEG, t[1]) : NULL;           /* -max_val */
        t[5] = t[4] ? op_unary(UN_EXP, t[4]) : NULL;            /* (-max_val).exp_() */
        t[6] = t[5] ? op_binary(BIN_SUB, t[0], t[1]) : NULL;   /* -input - max_val */
        t[7] = t[6] ? op_unary(UN_EXP, t[6]) : NULL;
        t[8] = t[7] ? op_binary(BIN_ADD, t[5], t[7]) : NULL;
        t[9] = t[8] ? op_unary(UN_LOG, t[8]) : NULL;
        if (t[9] && pos_weight) {
            /* log_weight = (pos_weight - 1).mul(target).add_(1) */
            t[10] = op_binary(BIN_SUB, pos_weight, one);
            t[11] = t[10] ? op_binary(BIN_MUL, t[10], target) : NULL;
            t[12] = t[11] ? op_binary(BIN_ADD, t[11], one) : NULL;
            t[13] = t[12] ? op_binary(BIN_ADD, t[9], t[1]) : NULL;
            t[14] = t[13] ? op_binary(BIN_MUL, t[12], t[13]) : NULL;
            t[15] = t[14] ? op_binary(BIN_ADD, t[3], t[14]) : NULL;
        } else if (t[9]) {
            t[10] = op_binary(BIN_ADD, t[3], t[1]);
            t[15] = t[10] ? op_binary(BIN_ADD, t[10], t[9]) : NULL;
        }
        Tensor *loss = t[15] ? tensor_retain(t[15]) : NULL;
        if (loss && weight) {
            Tensor *m = op_binary(BIN_MUL, loss, weight);
            tensor_release(loss);
            loss = m;
        }
        r = reduce_loss(loss, reduction);
        tensor_release(one);
        tensor_release(zero);
    });
    for (int i = 0; i < 16; i++) tensor_release(t[i]);
    NnLossCtx c = {reduction, 0, 0, weight != NULL};
    Tensor *ins[2] = {self, target}, *saves[4] = {self, target, weight, pos_weight};
    return ag_record_steal(r, NODE_BinaryCrossEntropyWithLogitsBackward0, ins, 2, saves, 4, &c, sizeof c);
}

/* ------------------------------------------------------------ linear */

Tensor *op_nn_linear(Tensor *x, Tensor *w, Tensor *bias) {
    Tensor *wt = op_t(w);
    if (!wt) return NULL;
    Tensor *r = NULL;
    if (x->ndim == 2 && bias) {
        if (wt->ndim == 2 && x->shape[1] == wt->shape[0]) { /* addmm's expand of self, and its error */
            int64_t sh[2] = {x->shape[0], wt->shape[1]};
            Tensor *e = NULL;
            NO_GRAD(e = op_expand(bias, 2, sh));
            if (!e) {
                tensor_release(wt);
                return NULL;
            }
            tensor_release(e);
        }
        r = op_addmm(bias, x, wt, 1, 1);
    } else if (x->ndim == 3 && bias && tensor_is_contiguous(x)) {
        int64_t s2[2] = {x->shape[0] * x->shape[1], x->shape[2]};
        Tensor *v = op_view(x, 2, s2);
        Tensor *m = v ? op_addmm(bias, v, wt, 1, 1) : NULL;
        if (m) {
            int64_t s3[3] = {x->shape[0], x->shape[1], m->shape[1]};
            r = op_view(m, 3, s3);
        }
        tensor_release(v);
        tensor_release(m);
    } else {
        Tensor *m = op_matmul(x, wt);
        if (m && bias) {
            r = op_add_alpha(m, bias, 1, false);
            tensor_release(m);
        } else {
            r = m;
        }
    }
    tensor_release(wt);
    return r;
}

/* ----------------------------------------------------------- dropout */

Tensor *op_nn_dropout(Tensor *x, double p, bool train, bool inplace) {
    if (p < 0 || p > 1) {
        tsr_raise(ERR_RuntimeError, "dropout probability has to be between 0 and 1, but got %g", p);
        return NULL;
    }
    if (p == 0 || !train || tensor_numel(x) == 0) return tensor_retain(x);
    Tensor *noise = NULL;
    if (p == 1) {
        noise = tensor_zeros(x->dtype, 0, NULL, x->storage->device);
    } else {
        noise = tensor_empty(x->dtype, x->ndim, x->shape, x->storage->device);
        if (noise && !rng_dev_bernoulli_scalar_(noise, 1 - p, rng_default())) {
            tensor_release(noise);
            noise = NULL;
        }
        if (noise) {
            Tensor *q = tensor_wrapped_float(1 - p), *d = NULL;
            NO_GRAD(d = q ? op_binary_(BIN_DIV, noise, q) : NULL);
            tensor_release(q);
            tensor_release(d);
            if (!d) {
                tensor_release(noise);
                noise = NULL;
            }
        }
    }
    if (!noise) return NULL;
    Tensor *r = inplace ? op_binary_(BIN_MUL, x, noise) : op_binary(BIN_MUL, x, noise);
    tensor_release(noise);
    return r;
}

/* ----------------------------------------------------------- one_hot */

Tensor *op_nn_one_hot(Tensor *t, int64_t num_classes) {
    if (t->dtype != DT_INT64) {
        tsr_raise(ERR_RuntimeError, "%s", "one_hot is only applicable to index tensor.");
        return NULL;
    }
    int64_t sh[TSR_MAX_DIMS + 1];
    if (t->ndim + 1 > TSR_MAX_DIMS) {
        tsr_raise(ERR_RuntimeError, "tsr supports at most %d dimensions, got %d", TSR_MAX_DIMS, t->ndim + 1);
        return NULL;
    }
    memcpy(sh, t->shape, sizeof(int64_t) * (size_t)t->ndim);
    int64_t n = tensor_numel(t);
    if (n == 0) {
        if (num_classes <= 0) {
            tsr_raise(ERR_RuntimeError, "%s", "Can not infer total number of classes from empty tensor.");
            return NULL;
        }
        sh[t->ndim] = num_classes;
        return tensor_empty(DT_INT64, t->ndim + 1, sh, t->storage->device);
    }
    Tensor *h = host_as(t, DT_INT64);
    if (!h) return NULL;
    const int64_t *v = (const int64_t *)tensor_data(h);
    int64_t mn = v[0], mx = v[0];
    for (int64_t i = 1; i < n; i++) {
        if (v[i] < mn) mn = v[i];
        if (v[i] > mx) mx = v[i];
    }
    if (mn < 0) {
        tensor_release(h);
        tsr_raise(ERR_RuntimeError, "%s", "Class values must be non-negative.");
        return NULL;
    }
    if (num_classes == -1) {
        num_classes = mx + 1;
    } else if (num_classes <= mx) {
        tensor_release(h);
        tsr_raise(ERR_RuntimeError, "%s", "Class values must be smaller than num_classes.");
        return NULL;
    }
    sh[t->ndim] = num_classes;
    Tensor *r = tensor_zeros(DT_INT64, t->ndim + 1, sh, device_cpu());
    if (r) {
        int64_t *o = (int64_t *)tensor_data(r);
        for (int64_t i = 0; i < n; i++) o[i * num_classes + v[i]] = 1;
    }
    tensor_release(h);
    return op_host_result_to_steal(r, t->storage->device);
}

/* --------------------------------------------------------- normalize */

Tensor *op_nn_normalize(Tensor *x, double p, int64_t dim, double eps) {
    if (!dtype_is_float(x->dtype)) {
        int l;
        const char *s = scalar_name(x->dtype, &l);
        tsr_raise(ERR_RuntimeError, "norm(): input dtype should be either floating point or complex. Got %.*s instead.",
                  l, s);
        return NULL;
    }
    Tensor *n = op_norm(x, p, false, 1, &dim, true);
    Tensor *e = n ? tensor_wrapped_float(eps) : NULL;
    Tensor *c = e ? op_clamp_bound(n, e, false) : NULL;
    Tensor *d = c ? op_expand(c, x->ndim, x->shape) : NULL;
    Tensor *r = d ? op_binary(BIN_DIV, x, d) : NULL;
    tensor_release(n);
    tensor_release(e);
    tensor_release(c);
    tensor_release(d);
    return r;
}

/* ------------------------------------------------ cosine_similarity */

Tensor *op_nn_cosine_similarity(Tensor *x1, Tensor *x2, int64_t dim, double eps) {
    DType ct = dtype_promote(x1->dtype, x2->dtype);
    if (!dtype_is_float(ct)) {
        int l;
        const char *s = scalar_name(ct, &l);
        tsr_raise(ERR_RuntimeError, "expected common dtype to be floating point, yet common dtype is %.*s", l, s);
        return NULL;
    }
    int64_t sh[TSR_MAX_DIMS];
    int nd = broadcast_shapes(x1->ndim, x1->shape, x2->ndim, x2->shape, sh);
    if (nd < 0) return NULL;
    Tensor *t[14] = {0}, *r = NULL;
    t[0] = op_to_dtype(x1, ct);
    t[1] = t[0] ? op_to_dtype(x2, ct) : NULL;
    t[2] = t[1] ? op_expand(t[0], nd, sh) : NULL;
    t[3] = t[2] ? op_expand(t[1], nd, sh) : NULL;
    t[4] = t[3] ? op_scalar_binary(BIN_POW, t[2], 2, false) : NULL;
    t[5] = t[4] ? op_scalar_binary(BIN_POW, t[3], 2, false) : NULL;
    t[6] = t[5] ? op_sum(t[4], 1, &dim, true, DT_UNDEFINED) : NULL;
    t[7] = t[6] ? op_sum(t[5], 1, &dim, true, DT_UNDEFINED) : NULL;
    if (t[7]) {
        Tensor *e = tensor_wrapped_float(eps * eps), *a = NULL, *b = NULL;
        NO_GRAD(a = e ? op_clamp_bound_(t[6], e, false) : NULL; b = a ? op_clamp_bound_(t[7], e, false) : NULL);
        bool ok = a && b;
        tensor_release(e);
        tensor_release(a);
        tensor_release(b);
        if (!ok) goto done;
    }
    t[8] = t[7] ? op_unary(UN_SQRT, t[6]) : NULL;
    t[9] = t[8] ? op_unary(UN_SQRT, t[7]) : NULL;
    t[10] = t[9] ? op_binary(BIN_DIV, t[2], t[8]) : NULL;
    t[11] = t[10] ? op_binary(BIN_DIV, t[3], t[9]) : NULL;
    t[12] = t[11] ? op_binary(BIN_MUL, t[10], t[11]) : NULL;
    r = t[12] ? op_sum(t[12], 1, &dim, false, DT_UNDEFINED) : NULL;
done:
    for (int i = 0; i < 14; i++) tensor_release(t[i]);
    return r;
}
