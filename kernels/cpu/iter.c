/* iter.c: coalescing, row-wise traversal and a one-worker thread pool. */
#include "iter.h"

#include <fenv.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

void iter_init(TsrIter *it, int nops, int ndim, const int64_t *shape, char *const *data,
               const int64_t strides[][ITER_MAX_DIMS]) {
    /* no memset of the whole (1 KiB) struct: only dims < ndim and operands
     * < nops are ever read */
    it->nops = nops;
    for (int k = 0; k < nops; k++) it->data[k] = data[k];
    it->numel = 1;
    for (int d = 0; d < ndim; d++) it->numel *= shape[d];
    int n = 0;
    /* walk from the innermost dim outwards, merging where possible */
    for (int d = ndim - 1; d >= 0; d--) {
        if (shape[d] == 1) continue;
        if (n > 0) {
            bool merge = true;
            for (int k = 0; k < nops; k++)
                if (strides[k][d] != it->shape[n - 1] * it->strides[n - 1][k]) merge = false;
            if (merge) {
                it->shape[n - 1] *= shape[d];
                continue;
            }
        }
        it->shape[n] = shape[d];
        for (int k = 0; k < nops; k++) it->strides[n][k] = strides[k][d];
        n++;
    }
    if (n == 0) { /* a single element */
        it->shape[0] = 1;
        for (int k = 0; k < nops; k++) it->strides[0][k] = 0;
        n = 1;
    }
    it->ndim = n;
}

void iter_run_range(const TsrIter *it, int64_t begin, int64_t end, IterLoopFn fn, void *ctx) {
    if (begin >= end) return;
    int64_t idx[ITER_MAX_DIMS];
    char *ptr[ITER_MAX_OPS];
    int64_t r = begin;
    for (int d = 0; d < it->ndim; d++) {
        idx[d] = r % it->shape[d];
        r /= it->shape[d];
    }
    for (int k = 0; k < it->nops; k++) {
        ptr[k] = it->data[k];
        for (int d = 0; d < it->ndim; d++) ptr[k] += idx[d] * it->strides[d][k];
    }
    int64_t pos = begin;
    while (pos < end) {
        int64_t n = it->shape[0] - idx[0];
        if (n > end - pos) n = end - pos;
        fn(ptr, it->strides[0], n, ctx);
        pos += n;
        if (pos >= end) break;
        /* advance the counter by n along dim 0, carrying outwards */
        for (int k = 0; k < it->nops; k++) ptr[k] += n * it->strides[0][k];
        idx[0] += n;
        for (int d = 0; d < it->ndim - 1 && idx[d] == it->shape[d]; d++) {
            idx[d] = 0;
            idx[d + 1]++;
            for (int k = 0; k < it->nops; k++)
                ptr[k] += it->strides[d + 1][k] - it->shape[d] * it->strides[d][k];
        }
    }
}

/* ---- a single lazily started worker thread ---- */

typedef struct {
    void (*fn)(void *arg, int part);
    void *arg;
} Job;

static pthread_mutex_t pool_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pool_work = PTHREAD_COND_INITIALIZER;
static pthread_cond_t pool_done = PTHREAD_COND_INITIALIZER;
static Job pool_job;
static uint64_t pool_gen, pool_done_gen;
static int pool_fe_flags; /* the IEEE status flags the worker's part raised */
#define FE_ERRORS (FE_DIVBYZERO | FE_OVERFLOW | FE_UNDERFLOW | FE_INVALID)
static int pool_state; /* 0 not started, 1 running, -1 unavailable */

static void *worker_main(void *arg) {
    (void)arg;
    uint64_t seen = 0;
    pthread_mutex_lock(&pool_mu);
    for (;;) {
        while (pool_gen == seen) pthread_cond_wait(&pool_work, &pool_mu);
        seen = pool_gen;
        Job job = pool_job;
        pthread_mutex_unlock(&pool_mu);
        if (fetestexcept(FE_ERRORS)) feclearexcept(FE_ERRORS);
        job.fn(job.arg, 1);
        int flags = fetestexcept(FE_ERRORS);
        pthread_mutex_lock(&pool_mu);
        pool_fe_flags = flags;
        pool_done_gen = seen;
        pthread_cond_signal(&pool_done);
    }
    return NULL;
}

static bool pool_start(void) {
    if (pool_state == 0) {
        pool_state = -1;
        if (sysconf(_SC_NPROCESSORS_ONLN) >= 2) {
            pthread_t th;
            pthread_attr_t attr;
            pthread_attr_init(&attr);
            pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
            if (pthread_create(&th, &attr, worker_main, NULL) == 0) pool_state = 1;
            pthread_attr_destroy(&attr);
        }
    }
    return pool_state == 1;
}

bool par_available(void) {
    return pool_start();
}

void par_run2(void (*fn)(void *arg, int part), void *arg) {
    if (!pool_start()) {
        fn(arg, 0);
        fn(arg, 1);
        return;
    }
    pthread_mutex_lock(&pool_mu);
    pool_job = (Job){fn, arg};
    pool_gen++;
    pthread_cond_signal(&pool_work);
    pthread_mutex_unlock(&pool_mu);
    fn(arg, 0);
    pthread_mutex_lock(&pool_mu);
    while (pool_done_gen != pool_gen) pthread_cond_wait(&pool_done, &pool_mu);
    int flags = pool_fe_flags;
    pthread_mutex_unlock(&pool_mu);
    /* the worker's floating-point exceptions reach the caller's status
     * flags, as if it had computed both parts (numpy's error checks) */
    if (flags) feraiseexcept(flags);
}

typedef struct {
    const TsrIter *it;
    int64_t mid;
    IterLoopFn fn;
    void *ctx;
} IterHalves;

static void iter_half(void *arg, int part) {
    const IterHalves *h = arg;
    if (part == 0) iter_run_range(h->it, 0, h->mid, h->fn, h->ctx);
    else iter_run_range(h->it, h->mid, h->it->numel, h->fn, h->ctx);
}

void iter_run(const TsrIter *it, IterLoopFn fn, void *ctx) {
    int64_t n = it->numel;
    if (n < ITER_PARALLEL_MIN || !pool_start()) {
        iter_run_range(it, 0, n, fn, ctx);
        return;
    }
    /* split on a row boundary when there are several rows */
    int64_t mid = n / 2;
    if (it->shape[0] < n) mid = mid / it->shape[0] * it->shape[0];
    mid &= ~(int64_t)63; /* keep both halves' starts aligned for the fast paths */
    if (mid <= 0) mid = n / 2;
    IterHalves h = {it, mid, fn, ctx};
    par_run2(iter_half, &h);
}
