/* iter.h: a strided N-d iterator for elementwise kernels.
 *
 * The op layer describes up to ITER_MAX_OPS operands (operand 0 is the
 * output) over one row-major shape, each with byte strides (0 where it
 * broadcasts). iter_init drops size-1 dims and merges dims that are
 * contiguous with each other in every operand, so a contiguous or fully
 * broadcast operand set becomes one long inner loop. A kernel supplies one
 * IterLoopFn, called once per inner row with a pointer and a byte stride
 * per operand: the per-element work is a tight loop inside it. */
#ifndef TSR_KERNEL_ITER_H
#define TSR_KERNEL_ITER_H

#include <stdint.h>

#define ITER_MAX_OPS 4
#define ITER_MAX_DIMS 25

/* Elements below which iter_run never uses a second thread. */
#define ITER_PARALLEL_MIN 262144

typedef void (*IterLoopFn)(char **data, const int64_t *strides, int64_t n, void *ctx);

typedef struct {
    int nops;
    int ndim;                                    /* after coalescing; dim 0 is innermost */
    int64_t numel;
    int64_t shape[ITER_MAX_DIMS];
    int64_t strides[ITER_MAX_DIMS][ITER_MAX_OPS]; /* bytes */
    char *data[ITER_MAX_OPS];
} TsrIter;

/* shape: ndim sizes, row-major (last dim varies fastest).
 * strides[k][d]: operand k's byte stride along dim d. */
void iter_init(TsrIter *it, int nops, int ndim, const int64_t *shape, char *const *data,
               const int64_t strides[][ITER_MAX_DIMS]);
/* Runs fn over elements [begin, end) in row-major order. */
void iter_run_range(const TsrIter *it, int64_t begin, int64_t end, IterLoopFn fn, void *ctx);
/* Runs fn over every element; large iterations are split across two
 * threads (fn must then tolerate running concurrently on disjoint ranges). */
void iter_run(const TsrIter *it, IterLoopFn fn, void *ctx);

/* ---- added for the performance work: a two-way fork/join ----
 * par_run2 runs fn(arg, 0) on the calling thread and fn(arg, 1) on the
 * pool's worker (both on the caller when there is no second core) and
 * returns when both are done. Not reentrant: call it from the main thread
 * only, never from inside fn. */
#include <stdbool.h>
bool par_available(void);
void par_run2(void (*fn)(void *arg, int part), void *arg);

#endif
