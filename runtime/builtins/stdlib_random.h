/* stdlib_random.h: what the files of Python's `random` module share
 * (stdlib_random.c: the generator, seeding, state and integers;
 * stdlib_random_seq.c: sequences; stdlib_random_dist.c: distributions).
 * The functions draw from the current generator: the module's hidden one,
 * as the module-level functions of CPython 3.11's random.py use (its
 * `_inst`), or a random.Random instance's while its method runs
 * (stdlib_random_class.c); the same numbers bit for bit. */
#ifndef TSR_STDLIB_RANDOM_H
#define TSR_STDLIB_RANDOM_H

#include <stdbool.h>
#include <stdint.h>

#include "random.h"
#include "value.h"

typedef struct {
    RngGen mt;
    bool has_gauss; /* gauss()'s cached second value (gauss_next) */
    double gauss_next;
} PyRandom;

PyRandom *pyrandom(void); /* the generator drawn from now */
/* Makes g the generator drawn from; returns the one it replaces. */
PyRandom *pyrandom_switch(PyRandom *g);
/* Seeds the current generator from the OS (random_seed_urandom). */
void pyrandom_seed_os(void);
/* random(): 53 random bits in [0, 1), CPython's random_random */
double pyrandom_double(void);
/* _randbelow_with_getrandbits(n): uniform in [0, n), n > 0 */
uint64_t pyrandom_below(uint64_t n);

/* args_parse for a method of CPython's Random called through the module:
 * its messages count self as Python's do ("Random.seed() takes from 1 to
 * 3 positional arguments but 4 were given"); spec without self, n the
 * slots of out. RANDOM_PARSE is PARSE for them. */
bool pyrandom_args(const CallArgs *a, const char *fname, const char *spec, int n, Value **out);
#define RANDOM_PARSE(name, spec) \
    if (!pyrandom_args(a, name, spec, (int)(sizeof v_ / sizeof *v_), v_)) return NULL

extern const Builtin random_core_functions[]; /* seed, getstate, random, randrange, ... */
extern const Builtin random_seq_functions[];  /* choice, choices, shuffle, sample */
extern const Builtin random_dist_functions[]; /* uniform, gauss, ... */

/* random.Random: the class whose instances own a generator each, with
 * every function above as a method (stdlib_random_class.c). */
bool random_class_install(Value *module);

#endif
