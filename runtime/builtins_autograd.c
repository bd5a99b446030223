/* builtins_autograd.c: x.backward(), torch.autograd.*, and the teaching
 * extensions under the `tsr` namespace (tsr.graph ...). */
#include "builtins.h"

const Builtin autograd_functions[] = {{NULL, NULL}};       /* torch.NAME and bare NAME */
const Builtin autograd_methods[] = {{NULL, NULL}};         /* tensor methods */
const Builtin autograd_module_functions[] = {{NULL, NULL}}; /* torch.autograd.NAME */
const Builtin tsr_module_functions[] = {{NULL, NULL}};     /* tsr.NAME */
