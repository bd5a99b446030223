/* python_complex.c: the complex type's constructor, methods and
 * attributes (CPython 3.11's complex_new, conjugate, real, imag). */
#include <math.h>
#include <string.h>

#include "builtins_util.h"
#include "class.h"
#include "complex.h"

Value *instance_complex(Value *x, bool *found) {
    Value *r = special_call(x, "__complex__", NULL, 0, found);
    if (r && r->kind != VK_COMPLEX) {
        tsr_raise(ERR_TypeError, "__complex__ returned non-complex (type %s)", val_type_name(r));
        val_release(r);
        return NULL;
    }
    return r;
}

/* real or imag: a number's part as complex, *is_complex when it was one;
 * instances go through __complex__, then __float__/__index__ */
static Value *complex_arg(Value *x, bool first) {
    if (x->kind == VK_INSTANCE && first) {
        bool found;
        Value *r = instance_complex(x, &found);
        if (found) return r;
    }
    Cpx c;
    if (complex_operand(x, &c)) return x->kind == VK_COMPLEX ? val_retain(x) : val_float(c.re);
    if (x->kind == VK_TENSOR || x->kind == VK_INSTANCE) return number_to_float(x);
    if (first)
        tsr_raise(ERR_TypeError, "complex() first argument must be a string or a number, not '%s'",
                  val_type_name(x));
    else
        tsr_raise(ERR_TypeError, "complex() second argument must be a number, not '%s'", val_type_name(x));
    return NULL;
}

Value *complex_new(const CallArgs *a) {
    Value *r = NULL, *i = NULL;
    if (a->nargs > 2) {
        tsr_raise(ERR_TypeError, "complex() takes at most 2 arguments (%d given)", a->nargs + a->nkw);
        return NULL;
    }
    if (a->nargs > 0) r = a->args[0];
    if (a->nargs > 1) i = a->args[1];
    for (int k = 0; k < a->nkw; k++) {
        Value **slot = !strcmp(a->kwnames[k], "real") ? &r : !strcmp(a->kwnames[k], "imag") ? &i : NULL;
        if (!slot) {
            tsr_raise(ERR_TypeError, "'%s' is an invalid keyword argument for complex()", a->kwnames[k]);
            return NULL;
        }
        if (*slot) {
            tsr_raise(ERR_TypeError, "argument for complex() given by name ('%s') and position (%d)",
                      a->kwnames[k], slot == &r ? 1 : 2);
            return NULL;
        }
        *slot = a->kwvals[k];
    }
    Value zero = {.kind = VK_INT, .rc = 1, .i = 0};
    if (!r && !i) return val_complex(0.0, 0.0);
    if (!r) r = &zero; /* complex(imag=x) */
    if (r->kind == VK_STR) {
        if (i) {
            tsr_raise(ERR_TypeError, "%s", "complex() can't take second arg if first is a string");
            return NULL;
        }
        Cpx c;
        return complex_parse(r, &c) ? val_complex(c.re, c.im) : NULL;
    }
    if (i && i->kind == VK_STR) {
        tsr_raise(ERR_TypeError, "%s", "complex() second arg can't be a string");
        return NULL;
    }
    if (r->kind == VK_COMPLEX && !i) return val_retain(r);
    Value *rv = complex_arg(r, true), *iv = rv && i ? complex_arg(i, false) : NULL;
    if (!rv || (i && !iv)) {
        val_release(rv);
        return NULL;
    }
    Cpx cr, ci = {0, 0};
    complex_operand(rv, &cr);
    if (iv) complex_operand(iv, &ci);
    else ci.re = cr.im;
    /* complex(a, b) is a + b*1j, whatever parts a and b have */
    if (iv && iv->kind == VK_COMPLEX) cr.re -= ci.im;
    if (rv->kind == VK_COMPLEX && iv) ci.re += cr.im;
    val_release(rv);
    val_release(iv);
    return val_complex(cr.re, ci.re);
}

static Value *complex_conjugate(Value *self, const CallArgs *a) {
    if (!args_none("complex.conjugate", a)) return NULL;
    return val_complex(self->c.re, -self->c.im);
}

static Value *complex_dunder_complex(Value *self, const CallArgs *a) {
    if (!args_none("complex.__complex__", a)) return NULL;
    return val_complex(self->c.re, self->c.im);
}

const Builtin complex_methods[] = {{"conjugate", complex_conjugate},
                                   {"__complex__", complex_dunder_complex},
                                   {NULL, NULL}};

Value *complex_getattr(Value *self, const char *name) {
    if (!strcmp(name, "real")) return val_float(self->c.re);
    if (!strcmp(name, "imag")) return val_float(self->c.im);
    return NULL;
}

/* abs(z): CPython's _Py_c_abs: an infinite part wins over a NaN, and a
 * finite z whose modulus overflows is an OverflowError */
Value *complex_abs(const Value *z) {
    double re = z->c.re, im = z->c.im, r;
    if (!isfinite(re) || !isfinite(im)) {
        if (isinf(re)) r = fabs(re);
        else if (isinf(im)) r = fabs(im);
        else r = NAN;
        return val_float(r);
    }
    r = hypot(re, im);
    if (!isfinite(r)) {
        tsr_raise(ERR_OverflowError, "%s", "absolute value too large");
        return NULL;
    }
    return val_float(r);
}
