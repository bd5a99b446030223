/* table.c: the CPU's table of compute kernels (table.h). */
#include "table.h"

const Kernels cpu_kernels = {
#define KERNEL_TABLE_ENTRY(name) &kernel_##name,
    KERNEL_TABLE(KERNEL_TABLE_ENTRY)
#undef KERNEL_TABLE_ENTRY
};
