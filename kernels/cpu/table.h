/* table.h: the compute kernels as one table per device (ggml-backend's
 * shape). Each entry has one signature for both devices, the CPU
 * prototype's (kernel_NAME, in the family headers); the CPU table,
 * cpu_kernels, is always linked; the CUDA backend fills the same table
 * with its twins (kernels/cuda/table.cu). The op layer picks one with
 * device_kernels (runtime/tensor/device.h). A device's entry may return
 * KERNEL_UNSUPPORTED for what it does not handle: the op then runs the
 * CPU's on the same memory (DEVICE_RUN, device.h). */
#ifndef TSR_KERNEL_TABLE_H
#define TSR_KERNEL_TABLE_H

#include "index.h"
#include "kernels.h"
#include "reduce.h"
#include "sort.h"
#include "values.h"

/* X(name): the entry kernel_<name> (CPU) / cuda_<name> (CUDA) */
#define KERNEL_TABLE(X)                                                                    \
    /* elementwise (kernels.h) */                                                          \
    X(binary) X(unary) X(cast) X(where) X(fma) X(softmax)                                  \
    /* index */                                                                            \
    X(gather) X(scatter) X(take) X(wrap_negative) X(select_positions) X(mod_gather)       \
    /* reduce */                                                                           \
    X(reduce_scratch) X(sum) X(prod) X(minmax) X(allany) X(var)                            \
    /* sort and scans */                                                                   \
    X(sort_scratch) X(sort_select) X(cumsum) X(cumprod) X(cummaxmin) X(nonzero_scratch)    \
    X(nonzero_count) X(nonzero_write)                                                      \
    /* values */                                                                           \
    X(arange) X(linspace) X(fill_strided) X(tril) X(nan_to_num)

/* The type of an entry; a twin on another device is declared with it
 * (KERNEL_ENTRY_TYPE(kernel_gather) cuda_gather;), so a signature is
 * written once. */
#ifdef __cplusplus
#define KERNEL_ENTRY_TYPE(e) decltype(e)
#else
#define KERNEL_ENTRY_TYPE(e) __typeof__(e)
#endif

typedef struct {
#define KERNEL_TABLE_FIELD(name) KERNEL_ENTRY_TYPE(kernel_##name) *name;
    KERNEL_TABLE(KERNEL_TABLE_FIELD)
#undef KERNEL_TABLE_FIELD
} Kernels;

#ifdef __cplusplus
extern "C" {
#endif
extern const Kernels cpu_kernels; /* table.c */
#ifdef __cplusplus
}
#endif

#endif
