/* teach.h: teaching mode's notes at the console (teach.c). Each does
 * nothing unless in->teach is set; none raises. */
#ifndef TSR_TEACH_H
#define TSR_TEACH_H

#include "ast.h"
#include "value.h"

struct Interp;

/* Before a console statement: remembers the session's tensors, their
 * storage versions and gradients. */
void teach_before(struct Interp *in);
/* After it ran without error: names the variables an in-place write
 * changed through shared storage, and a backward() into unzeroed grads. */
void teach_after(struct Interp *in, const Node *tree);
/* After the console echoed v, the value of expr: where its memory came from. */
void teach_echo(struct Interp *in, const Node *expr, Value *v);
/* After the console reported the error whose serial (tsr_err_serial())
 * was `serial`: explains a broadcasting or matmul shape error. */
void teach_error(struct Interp *in, unsigned long serial);
/* tsr.explain("expr"): evaluates one expression in the session's
 * globals and prints its result's shape, dtype and storage; for a binary
 * operator also each operand, the broadcast (or matmul) of the shapes
 * and the dtype promotion step. Returns None, or NULL with the error. */
Value *teach_explain(struct Interp *in, const char *text);
/* Frees what teach_before kept (interpreter exit). */
void teach_release(void);

#endif
