/* custom_function.c: the formulas of torch.autograd.Function's node (the
 * user's backward, run by the interpreter through ag_function_call) and of
 * @once_differentiable's Error node. */
#include "autograd.h"
#include "error.h"
#include "formula.h"

FORMULA(custom_function_backward) {
    if (!ag_function_call) {
        tsr_raise(ERR_RuntimeError, "%s", "tsr: no interpreter to run a custom Function's backward");
        return false;
    }
    return ag_function_call(node, grad_outputs, grad_inputs);
}

/* PyTorch's Error node: differentiating it raises its message. */
FORMULA(delayed_error_backward) {
    (void)grad_outputs;
    (void)grad_inputs;
    tsr_raise(ERR_RuntimeError, "%s", node->ctx ? (const char *)node->ctx : "");
    return false;
}
