/* tsr_teach.c: tsr.teach(on=True), teaching mode's switch from a program
 * (the notes themselves are the console's: runtime/lang/teach.c), and
 * tsr.explain("expr"). Only reachable as tsr.NAME. */
#include "builtins.h"
#include "error.h"
#include "interp_internal.h"
#include "teach.h"

static Value *tsr_teach(Value *self, const CallArgs *a) {
    Value *v[1] = {0};
    if (!args_parse(a, 0, "teach", "on=", v)) return NULL;
    int on = v[0] ? val_truthy(v[0]) : 1;
    if (on < 0) return NULL;
    tsr_interp->teach = on;
    return val_none();
}

/* tsr.explain("expr") */
static Value *tsr_explain(Value *self, const CallArgs *a) {
    Value *v[1] = {0};
    if (!args_parse(a, 0, "explain", "expr", v)) return NULL;
    if (v[0]->kind != VK_STR) {
        tsr_raise(ERR_TypeError, "explain(): argument 'expr' must be str, not %s", val_type_name(v[0]));
        return NULL;
    }
    return teach_explain(tsr_interp, v[0]->str.s);
}

const Builtin tsr_teach_functions[] = {
    {"teach", tsr_teach},
    {"explain", tsr_explain},
    {NULL, NULL},
};
