/* stdlib_random_class.c: random.Random, the class whose instances own a
 * Mersenne Twister each (CPython 3.11's random.Random over
 * _random.Random). Its methods are the module's functions, run with the
 * instance's generator made the current one (pyrandom_switch); the
 * module's functions run with the module's own, so a method that calls
 * back into Python (a sequence's __getitem__, say) leaves both streams
 * as CPython's. */
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "builtins_util.h"
#include "class.h"
#include "error.h"
#include "interp_internal.h"
#include "stdlib_random.h"

/* Every function of the module, one slot each: a slot's two entry points
 * know their function by index. */
#define RANDOM_SLOTS(X)                                                                     \
    X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15) \
    X(16) X(17) X(18) X(19) X(20) X(21) X(22) X(23) X(24) X(25) X(26) X(27) X(28) X(29)
enum { N_SLOTS = 30 };

static const Builtin *impls[N_SLOTS];
static Builtin module_fns[N_SLOTS + 1], methods[N_SLOTS + 2]; /* methods: + __init__ */
static int n_impls;
static Value *random_class; /* borrowed: the module holds it */
static PyRandom *module_gen;

/* The generator of self, a Random instance (seeded from the OS the first
 * time when a subclass's __init__ did not call Random's); NULL with
 * TypeError raised for anything else. */
static PyRandom *instance_gen(Value *self, const char *method) {
    if (!self || self->kind != VK_INSTANCE || !random_class || !class_is_subclass(self->inst.cls, random_class)) {
        tsr_raise(ERR_TypeError, "descriptor '%s' for '_random.Random' objects doesn't apply to a '%s' object",
                  method, self ? val_type_name(self) : "NoneType");
        return NULL;
    }
    if (!self->inst.native) {
        PyRandom *g = tsr_calloc(1, sizeof *g);
        if (!g) return NULL;
        PyRandom *prev = pyrandom_switch(g);
        pyrandom_seed_os();
        pyrandom_switch(prev);
        self->inst.native = g;
    }
    return self->inst.native;
}

static Value *run_with(PyRandom *g, int i, const CallArgs *a) {
    PyRandom *prev = pyrandom_switch(g);
    Value *r = impls[i]->fn(NULL, a);
    pyrandom_switch(prev);
    return r;
}

static Value *on_module(int i, const CallArgs *a) { return run_with(module_gen, i, a); }

/* r.method(...), or Random.method(r, ...) */
static Value *on_instance(Value *self, int i, const CallArgs *a) {
    CallArgs rest;
    if (!self) {
        if (a->nargs < 1) {
            tsr_raise(ERR_TypeError, "unbound method Random.%s() needs an argument", impls[i]->name);
            return NULL;
        }
        self = a->args[0];
        rest = (CallArgs){a->args + 1, a->nargs - 1, a->kwnames, a->kwvals, a->nkw};
        a = &rest;
    }
    PyRandom *g = instance_gen(self, impls[i]->name);
    return g ? run_with(g, i, a) : NULL;
}

#define X(i)                                                                                       \
    static Value *module_##i(Value *self, const CallArgs *a) { return on_module(i, a); }          \
    static Value *method_##i(Value *self, const CallArgs *a) { return on_instance(self, i, a); }
RANDOM_SLOTS(X)
#undef X

static const BuiltinFn module_entries[N_SLOTS] = {
#define X(i) module_##i,
    RANDOM_SLOTS(X)
#undef X
};
static const BuiltinFn method_entries[N_SLOTS] = {
#define X(i) method_##i,
    RANDOM_SLOTS(X)
#undef X
};

/* Random(x=None): __init__ calls self.seed(x), a subclass's seed too */
static Value *random_init(Value *self, const CallArgs *a) {
    ARGS(1);
    RANDOM_PARSE("Random.__init__", "x=");
    if (!instance_gen(self, "__init__")) return NULL;
    Value *seed = get_attr(self, "seed");
    if (!seed) return NULL;
    Value *x = v_[0] ? val_retain(v_[0]) : val_none();
    Value *args[1] = {x};
    CallArgs ca = {args, 1, NULL, NULL, 0};
    Value *r = call_value(seed, &ca);
    val_release(x);
    val_release(seed);
    val_release(r);
    return r ? val_none() : NULL;
}
static const Builtin random_init_builtin = {"__init__", random_init};

static bool add_table(const Builtin *t) {
    for (; t->name; t++) {
        if (n_impls == N_SLOTS) {
            tsr_raise(ERR_SystemError, "%s", "random: more functions than slots");
            return false;
        }
        impls[n_impls] = t;
        module_fns[n_impls] = (Builtin){t->name, module_entries[n_impls]};
        methods[n_impls] = (Builtin){t->name, method_entries[n_impls]};
        n_impls++;
    }
    return true;
}

bool random_class_install(Value *module) {
    module_gen = pyrandom();
    n_impls = 0;
    if (!add_table(random_core_functions) || !add_table(random_seq_functions) || !add_table(random_dist_functions))
        return false;
    module_fns[n_impls] = methods[n_impls + 1] = (Builtin){NULL, NULL};
    methods[n_impls] = random_init_builtin;
    Value *cls = class_new_builtin("Random", "random", class_object, methods);
    bool ok = cls && module_install(module, module_fns) && dict_set(module->module.members, "Random", cls);
    random_class = cls;
    val_release(cls);
    return ok;
}
