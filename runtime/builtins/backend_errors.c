/* backend_errors.c: the NotImplementedError PyTorch 1.13's dispatcher raises
 * when an operator has no kernel for a tensor's backend ("Could not run
 * 'aten::_pin_memory' with arguments from the 'CUDA' backend..."), with the
 * list of dispatch keys the operator does have, as a CPU build of 1.13
 * prints it. */
#include <stdlib.h>

#include "builtins_util.h"
#include "error.h"

/* The dispatch keys every operator has, in the dispatcher's order: a
 * fallback's registration, or for kind 1 (autograd) and 2 (tracer) the
 * generated file of the operator's own kernel. */
static const struct {
    const char *key, *where;
    int kind;
} keys[] = {
    {"BackendSelect", "registered at ./build/aten/src/ATen/RegisterBackendSelect.cpp:726 [kernel]", 0},
    {"Python", "registered at ./aten/src/ATen/core/PythonFallbackKernel.cpp:140 [backend fallback]", 0},
    {"FuncTorchDynamicLayerBackMode", "registered at ./aten/src/ATen/functorch/DynamicLayer.cpp:488 [backend fallback]", 0},
    {"Functionalize", "registered at ./aten/src/ATen/FunctionalizeFallbackKernel.cpp:291 [backend fallback]", 0},
    {"Named", "registered at ./aten/src/ATen/core/NamedRegistrations.cpp:7 [backend fallback]", 0},
    {"Conjugate", "registered at ./aten/src/ATen/ConjugateFallback.cpp:18 [backend fallback]", 0},
    {"Negative", "registered at ./aten/src/ATen/native/NegateFallback.cpp:18 [backend fallback]", 0},
    {"ZeroTensor", "registered at ./aten/src/ATen/ZeroTensorFallback.cpp:86 [backend fallback]", 0},
    {"ADInplaceOrView", "fallthrough registered at ./aten/src/ATen/core/VariableFallbackKernel.cpp:64 [backend fallback]", 0},
    {"AutogradOther", NULL, 1},
    {"AutogradCPU", NULL, 1},
    {"AutogradCUDA", NULL, 1},
    {"AutogradHIP", NULL, 1},
    {"AutogradXLA", NULL, 1},
    {"AutogradMPS", NULL, 1},
    {"AutogradIPU", NULL, 1},
    {"AutogradXPU", NULL, 1},
    {"AutogradHPU", NULL, 1},
    {"AutogradVE", NULL, 1},
    {"AutogradLazy", NULL, 1},
    {"AutogradMeta", NULL, 1},
    {"AutogradPrivateUse1", NULL, 1},
    {"AutogradPrivateUse2", NULL, 1},
    {"AutogradPrivateUse3", NULL, 1},
    {"AutogradNestedTensor", NULL, 1},
    {"Tracer", NULL, 2},
    {"AutocastCPU", "fallthrough registered at ./aten/src/ATen/autocast_mode.cpp:482 [backend fallback]", 0},
    {"AutocastCUDA", "fallthrough registered at ./aten/src/ATen/autocast_mode.cpp:324 [backend fallback]", 0},
    {"FuncTorchBatched", "registered at ./aten/src/ATen/functorch/LegacyBatchingRegistrations.cpp:743 [backend fallback]", 0},
    {"FuncTorchVmapMode", "fallthrough registered at ./aten/src/ATen/functorch/VmapModeRegistrations.cpp:28 [backend fallback]", 0},
    {"Batched", "registered at ./aten/src/ATen/BatchingRegistrations.cpp:1064 [backend fallback]", 0},
    {"VmapMode", "fallthrough registered at ./aten/src/ATen/VmapModeRegistrations.cpp:33 [backend fallback]", 0},
    {"FuncTorchGradWrapper", "registered at ./aten/src/ATen/functorch/TensorWrapper.cpp:189 [backend fallback]", 0},
    {"PythonTLSSnapshot", "registered at ./aten/src/ATen/core/PythonFallbackKernel.cpp:148 [backend fallback]", 0},
    {"FuncTorchDynamicLayerFrontMode", "registered at ./aten/src/ATen/functorch/DynamicLayer.cpp:484 [backend fallback]", 0},
    {"PythonDispatcher", "registered at ./aten/src/ATen/core/PythonFallbackKernel.cpp:144 [backend fallback]", 0},
};

bool raise_no_backend_kernel(const char *op, const char *backend, const NoKernelSite *site) {
    StrBuf b = {0};
    bool ok = sb_printf(&b,
                        "Could not run 'aten::%s' with arguments from the '%s' backend. This could be because the "
                        "operator doesn't exist for this backend, or was omitted during the selective/custom build "
                        "process (if using custom build). If you are a Facebook employee using PyTorch on mobile, "
                        "please visit https://fburl.com/ptmfixes for possible resolutions. 'aten::%s' is only "
                        "available for these backends: [",
                        op, backend, op) &&
              (!site->cpu || sb_appends(&b, "CPU, "));
    for (size_t i = 0; ok && i < sizeof keys / sizeof *keys; i++)
        ok = sb_printf(&b, "%s%s", i ? ", " : "", keys[i].key);
    ok = ok && sb_appends(&b, "].\n\n");
    if (ok && site->cpu)
        ok = sb_printf(&b, "CPU: registered at ./build/aten/src/ATen/RegisterCPU.cpp:%d [kernel]\n", site->cpu);
    for (size_t i = 0; ok && i < sizeof keys / sizeof *keys; i++) {
        if (keys[i].kind == 1)
            ok = sb_printf(&b, "%s: registered at ./torch/csrc/autograd/generated/VariableType_%s [autograd kernel]\n",
                           keys[i].key, site->variable_type);
        else if (keys[i].kind == 2)
            ok = sb_printf(&b, "%s: registered at ./torch/csrc/autograd/generated/TraceType_%s [kernel]\n", keys[i].key,
                           site->trace_type);
        else
            ok = sb_printf(&b, "%s: %s\n", keys[i].key, keys[i].where);
    }
    if (ok) tsr_raise(ERR_NotImplementedError, "%s", b.data);
    free(b.data);
    return false;
}
