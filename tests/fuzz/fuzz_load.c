/* fuzz_load.c: libFuzzer harness for torch.load's reader: any bytes (a
 * damaged zip archive, a hostile pickle) give a value or PyTorch's error,
 * never a crash, a leak or a half-built value. One interpreter serves
 * every input (the reader resolves torch.nn's classes through it); the
 * corpus is the checkpoints of tests/golden/serialization/.
 *
 *   make fuzz                    builds build-fuzz/fuzz_load too
 *   make fuzz-run FUZZ=load FUZZ_SECONDS=3600 */
#include <stdint.h>
#include <stdlib.h>

#include "error.h"
#include "interp.h"
#include "modules.h"
#include "serialization.h"

static Interp *in;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    in = interp_new(0, NULL);
    if (!in || !builtins_open(in)) abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    Value *v = torch_load_bytes(data, size, NULL);
    if (v && tsr_err_occurred()) abort(); /* a value and an error: never both */
    if (!v && !tsr_err_occurred()) abort();
    val_release(v);
    tsr_err_clear();
    return 0;
}
