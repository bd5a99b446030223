/* scope.h: the names local to a function (scope.c). */
#ifndef TSR_SCOPE_H
#define TSR_SCOPE_H

#include <stdbool.h>

#include "interp_internal.h"

/* name (key k) is local to the function frame f runs but not bound yet:
 * true with UnboundLocalError raised. False for names of other scopes,
 * and in frames without such rules (module level, class bodies,
 * comprehensions, lambdas). */
bool scope_unbound_local(struct Interp *in, const Frame *f, const char *name, const StrKey *k);
/* releases the cache of local names (interp_free) */
void scope_free(struct Interp *in);

#endif
