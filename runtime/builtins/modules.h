/* modules.h: what a host (repl/) calls to make a new interpreter ready. */
#ifndef TSR_MODULES_H
#define TSR_MODULES_H

#include <stdbool.h>

#include "interp.h"

/* Opens the builtins in a new interpreter (modules.c): the torch, tsr and
 * Python namespaces. The host calls it right after interp_new, as Lua's
 * host calls luaL_openlibs; false with an error raised. */
bool builtins_open(Interp *in);

#endif
