/* test_device.c: the device layer (runtime/device.c): the caching
 * allocator's statistics, the same-device rule, transfers and their
 * gradients. Runs on the emulated device of the test build (or a GPU);
 * without a device it checks the errors and skips the rest. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "device.h"
#include "error.h"
#include "backward.h"
#include "ops.h"
#include "tsr_cuda.h"

static const Device CUDA0 = {DEV_CUDA, 0};

static bool have_device(void) {
    if (device_cuda_state() == CUDA_READY) return true;
    print_message("skipped: no CUDA device (%s)\n", device_banner());
    return false;
}

static void test_no_device_errors(void **state) {
    (void)state;
    if (device_cuda_state() == CUDA_READY) return;
    int64_t n = 2;
    assert_null(tensor_zeros(DT_FLOAT32, 1, &n, CUDA0));
    assert_int_equal(tsr_err_kind(), device_cuda_build() == 'n' ? ERR_AssertionError : ERR_RuntimeError);
    tsr_err_clear();
}

/* PyTorch rounds every block to 512 bytes; a freed block is reused */
static void test_allocator_stats(void **state) {
    (void)state;
    if (!have_device()) return;
    device_empty_cache();
    int64_t base = device_memory_allocated();
    int64_t n = 3;
    Tensor *a = tensor_zeros(DT_FLOAT32, 1, &n, CUDA0); /* 12 bytes -> 512 */
    assert_non_null(a);
    assert_int_equal(device_memory_allocated() - base, 512);
    int64_t m = 200; /* 800 bytes -> 1024 */
    Tensor *b = tensor_zeros(DT_FLOAT32, 1, &m, CUDA0);
    assert_int_equal(device_memory_allocated() - base, 512 + 1024);
    assert_true(device_max_memory_allocated() >= base + 1536);
    int64_t reserved = device_memory_reserved();
    void *pb = b->storage->data;
    tensor_release(b);
    assert_int_equal(device_memory_allocated() - base, 512);
    Tensor *c = tensor_zeros(DT_INT32, 1, &m, CUDA0); /* same size class: the cached block */
    assert_ptr_equal(c->storage->data, pb);
    assert_int_equal(device_memory_reserved(), reserved);
    tensor_release(c);
    tensor_release(a);
    device_empty_cache();
    assert_int_equal(device_memory_allocated(), base);
    assert_true(device_memory_reserved() < reserved);
}

static void test_out_of_memory(void **state) {
    (void)state;
    if (!have_device()) return;
    int64_t shape[2] = {1 << 20, 1 << 20}; /* 4 TiB of float32 */
    assert_null(tensor_empty(DT_FLOAT32, 2, shape, CUDA0));
    assert_int_equal(tsr_err_kind(), ERR_RuntimeError);
    assert_true(strncmp(tsr_err_msg(), "CUDA out of memory. Tried to allocate 4096.00 GiB (GPU 0; ", 58) == 0);
    tsr_err_clear();
}

static void test_same_device_rule(void **state) {
    (void)state;
    if (!have_device()) return;
    int64_t n = 2;
    Tensor *g = tensor_full_f64(DT_FLOAT32, 1, &n, 1.0, CUDA0);
    Tensor *c = tensor_full_f64(DT_FLOAT32, 1, &n, 2.0, device_cpu());
    Tensor *s = tensor_scalar_f64(DT_FLOAT32, 3.0); /* CPU zero-dim: allowed */
    Tensor *pair[2] = {g, c};
    assert_false(device_check_same(pair, 2));
    assert_string_equal(tsr_err_msg(), "Expected all tensors to be on the same device, but found at "
                                       "least two devices, cuda:0 and cpu!");
    tsr_err_clear();
    Tensor *pair2[2] = {c, g};
    assert_false(device_check_same(pair2, 2));
    assert_string_equal(tsr_err_msg(), "Expected all tensors to be on the same device, but found at "
                                       "least two devices, cpu and cuda:0!");
    tsr_err_clear();
    Tensor *ok[2] = {s, g};
    assert_true(device_check_same(ok, 2));
    Tensor *r = op_binary(BIN_MUL, s, g);
    assert_non_null(r);
    assert_int_equal(r->storage->device.type, DEV_CUDA);
    assert_true(tensor_get_f64(r, 1) == 3.0);
    assert_null(op_binary(BIN_ADD, g, c));
    tsr_err_clear();
    tensor_release(r);
    tensor_release(s);
    tensor_release(c);
    tensor_release(g);
}

/* x (cpu) -> .to(cuda) -> * 3 -> sum -> backward: x.grad comes back on the CPU */
static void test_transfer_gradient(void **state) {
    (void)state;
    if (!have_device()) return;
    int64_t n = 4;
    Tensor *x = tensor_full_f64(DT_FLOAT32, 1, &n, 1.0, device_cpu());
    x->requires_grad = true;
    Tensor *y = op_to(x, DT_FLOAT64, CUDA0, false);
    assert_string_equal(ag_node_name(y->grad_fn), "ToCopyBackward0");
    Tensor *three = tensor_wrapped_float(3.0);
    Tensor *z = op_binary(BIN_MUL, y, three);
    Tensor *s = op_sum(z, 0, NULL, false, DT_UNDEFINED);
    assert_true(ag_backward(s, NULL, false, false));
    assert_non_null(x->grad);
    assert_int_equal(x->grad->storage->device.type, DEV_CPU);
    assert_int_equal(x->grad->dtype, DT_FLOAT32);
    for (int i = 0; i < 4; i++) assert_true(tensor_get_f64(x->grad, i) == 3.0);
    tensor_release(s);
    tensor_release(z);
    tensor_release(three);
    tensor_release(y);
    tensor_release(x);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_device_errors), cmocka_unit_test(test_allocator_stats),
        cmocka_unit_test(test_out_of_memory),    cmocka_unit_test(test_same_device_rule),
        cmocka_unit_test(test_transfer_gradient),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
