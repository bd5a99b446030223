/* stdlib_time.c: Python's `time` module: the clocks, sleep and strftime. */
#include <errno.h>
#include <time.h>

#include "builtins.h"
#include "builtins_util.h"
#include "error.h"

static double clock_seconds(clockid_t id) {
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int64_t clock_ns(clockid_t id) {
    struct timespec ts;
    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

#define CLOCK(name, id, ns)                                                   \
    static Value *t_##name(Value *self, const CallArgs *a) {                  \
        if (!args_none("time." #name, a)) return NULL;                         \
        return ns ? val_int(clock_ns(id)) : val_float(clock_seconds(id));      \
    }
CLOCK(time, CLOCK_REALTIME, 0)
CLOCK(time_ns, CLOCK_REALTIME, 1)
CLOCK(perf_counter, CLOCK_MONOTONIC, 0)
CLOCK(perf_counter_ns, CLOCK_MONOTONIC, 1)
CLOCK(monotonic, CLOCK_MONOTONIC, 0)
CLOCK(monotonic_ns, CLOCK_MONOTONIC, 1)
CLOCK(process_time, CLOCK_PROCESS_CPUTIME_ID, 0)
CLOCK(process_time_ns, CLOCK_PROCESS_CPUTIME_ID, 1)
#undef CLOCK

/* time.sleep(secs): in slices, so Ctrl-C stops it at once */
static Value *t_sleep(Value *self, const CallArgs *a) {
    if (a->nargs != 1 || a->nkw) {
        tsr_raise(ERR_TypeError, "time.sleep() takes exactly one argument (%d given)", a->nargs + a->nkw);
        return NULL;
    }
    double secs;
    if (a->args[0]->kind != VK_INT && a->args[0]->kind != VK_FLOAT && a->args[0]->kind != VK_BOOL) {
        tsr_raise(ERR_TypeError, "'%s' object cannot be interpreted as an integer", val_type_name(a->args[0]));
        return NULL;
    }
    if (!val_as_double(a->args[0], &secs)) return NULL;
    if (secs < 0) {
        tsr_raise(ERR_ValueError, "%s", "sleep length must be non-negative");
        return NULL;
    }
    double end = clock_seconds(CLOCK_MONOTONIC) + secs;
    for (;;) {
        if (tsr_check_interrupt()) return NULL;
        double left = end - clock_seconds(CLOCK_MONOTONIC);
        if (left <= 0) break;
        if (left > 0.05) left = 0.05;
        struct timespec ts = {(time_t)left, (long)((left - (double)(time_t)left) * 1e9)};
        nanosleep(&ts, NULL);
    }
    return val_none();
}

/* time.strftime(format): the local time now */
static Value *t_strftime(Value *self, const CallArgs *a) {
    if (a->nargs != 1 || a->nkw || a->args[0]->kind != VK_STR) {
        if (a->nargs >= 1 && a->args[0]->kind != VK_STR)
            tsr_raise(ERR_TypeError, "strftime() argument 1 must be str, not %s", val_type_name(a->args[0]));
        else
            tsr_raise(ERR_TypeError, "%s", "tsr's time.strftime() takes the format only (the local time now)");
        return NULL;
    }
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    char buf[1024];
    size_t n = strftime(buf, sizeof buf, a->args[0]->str.s, &tm);
    if (n == 0 && a->args[0]->str.len) {
        tsr_raise(ERR_ValueError, "%s", "strftime() result is too long");
        return NULL;
    }
    return val_str(buf, (int64_t)n);
}

static const Builtin time_functions[] = {
    {"time", t_time},
    {"time_ns", t_time_ns},
    {"perf_counter", t_perf_counter},
    {"perf_counter_ns", t_perf_counter_ns},
    {"monotonic", t_monotonic},
    {"monotonic_ns", t_monotonic_ns},
    {"process_time", t_process_time},
    {"process_time_ns", t_process_time_ns},
    {"sleep", t_sleep},
    {"strftime", t_strftime},
    {NULL, NULL},
};

bool stdlib_time_open(Value *module) { return module_install(module, time_functions); }
