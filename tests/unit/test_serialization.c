/* test_serialization.c: torch.load's reader over damaged and hostile
 * input: every truncation and every flipped byte of small checkpoints
 * written by PyTorch, and pickles built to abuse the memo, the stack and
 * nesting. Each load must give a value or an error (never both, never a
 * crash; ASan's build checks leaks and bounds), and the intact files load. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "error.h"
#include "interp.h"
#include "modules.h"
#include "serialization.h"
#include "value.h"

static Interp *in;

static int setup(void **state) {
    (void)state;
    in = interp_new(0, NULL);
    return in && builtins_open(in) ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    interp_free(in);
    return 0;
}

static uint8_t *slurp(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot open %s", path);
    uint8_t *buf = malloc(1 << 20);
    *n = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

/* a value or an error, never both, never neither */
static bool load_ok(const uint8_t *data, size_t n) {
    tsr_err_clear();
    Value *v = torch_load_bytes(data, n, NULL);
    if (v) {
        assert_false(tsr_err_occurred());
        val_release(v);
        return true;
    }
    assert_true(tsr_err_occurred());
    tsr_err_clear();
    return false;
}

static void damage(const char *path) {
    size_t n;
    uint8_t *data = slurp(path, &n);
    assert_true(load_ok(data, n));
    uint8_t *copy = malloc(n);
    int truncated_loads = 0, flipped_loads = 0;
    for (size_t cut = 0; cut < n; cut++) {
        memcpy(copy, data, cut); /* a fresh buffer of exactly cut bytes for ASan */
        uint8_t *exact = malloc(cut ? cut : 1);
        memcpy(exact, data, cut);
        truncated_loads += load_ok(exact, cut);
        free(exact);
    }
    for (size_t i = 0; i < n; i++) {
        memcpy(copy, data, n);
        copy[i] ^= 0xff;
        flipped_loads += load_ok(copy, n);
        copy[i] ^= 0x01 ^ 0xff; /* and a one-bit change */
        flipped_loads += load_ok(copy, n);
    }
    assert_int_equal(truncated_loads, 0); /* the central directory sits at the end */
    print_message("%s: %zu bytes, %d of %zu damaged copies still load\n", path, n, flipped_loads, 2 * n);
    free(copy);
    free(data);
}

static void test_damaged_views(void **state) {
    (void)state;
    damage("tests/golden/serialization/pytorch_views.pt");
}

static void test_damaged_module(void **state) {
    (void)state;
    damage("tests/golden/serialization/pytorch_sequential.pt");
}

/* raw pickles (the legacy path: unpickled, then "Invalid magic number") */
static void expect_error(const char *data, size_t n, ErrKind kind, const char *msg) {
    tsr_err_clear();
    Value *v = torch_load_bytes((const uint8_t *)data, n, NULL);
    assert_null(v);
    if (tsr_err_kind() != kind || (msg && strcmp(tsr_err_msg(), msg)))
        fail_msg("got %s: %s", tsr_err_name(tsr_err_kind()), tsr_err_msg());
    tsr_err_clear();
}

static void test_hostile_pickles(void **state) {
    (void)state;
    expect_error("", 0, ERR_EOFError, "Ran out of input");
    expect_error("\x80\x02", 2, ERR_EOFError, "Ran out of input");
    expect_error("\x80\x02X\xff\xff\xff\x7f", 8, ERR_UnpicklingError, "pickle data was truncated");
    expect_error("\x80\x02h\x05", 4, ERR_UnpicklingError, "Memo value not found at index 5");
    expect_error("\x80\x02]r\xff\xff\xff\xff.", 9, ERR_UnpicklingError, "negative LONG_BINPUT argument");
    expect_error("\x80\x02]r\xf0\xff\xff\x7fj\xf0\xff\xff\x7f.", 14, ERR_RuntimeError, "Invalid magic number; corrupt file?");
    expect_error("\x80\x02" "a", 3, ERR_UnpicklingError, "unpickling stack underflow");
    expect_error("\x80\x02" "e", 3, ERR_UnpicklingError, "could not find MARK");
    expect_error("\x80\x02(.", 4, ERR_UnpicklingError, "unexpected MARK found");
    expect_error("\x80\x02]q\x00h\x00" "a.", 8, ERR_UnpicklingError, "tsr refuses a pickle that stores an object inside itself");
    /* a cycle through two lists: a = []; b = [a]; a.append(b) */
    expect_error("\x80\x02]q\x00]q\x01h\x00" "ah\x00h\x01" "a.", 16, ERR_UnpicklingError, NULL);
    expect_error("\x80\x02" "cos\nsystem\n.", 15, ERR_UnpicklingError, NULL);
    expect_error("\x80\x02" "c__main__\nnothing_here\n.", 28, ERR_AttributeError, NULL);
    expect_error("\x80\x02Q", 3, ERR_UnpicklingError, NULL);
    /* nesting: 100000 lists on the stack, each appended to the one below it */
    size_t depth = 100000, n = 0;
    char *deep = malloc(depth * 24 + 16);
    n += (size_t)sprintf(deep + n, "\x80\x02");
    for (size_t i = 0; i < depth; i++) deep[n++] = ']';
    for (size_t i = 0; i + 1 < depth; i++) deep[n++] = 'a';
    deep[n++] = '.';
    expect_error(deep, n, ERR_RecursionError, NULL);
    /* and the same depth through the memo: lists made first, filled after */
    n = 2;
    for (size_t i = 0; i < depth; i++) {
        deep[n++] = ']';
        deep[n++] = 'r';
        memcpy(deep + n, &i, 4);
        n += 4;
    }
    for (size_t i = 0; i + 1 < depth; i++) {
        uint32_t a = (uint32_t)i, b = (uint32_t)(i + 1);
        deep[n++] = 'j';
        memcpy(deep + n, &a, 4);
        n += 4;
        deep[n++] = 'j';
        memcpy(deep + n, &b, 4);
        n += 4;
        deep[n++] = 'a';
        deep[n++] = '0';
    }
    deep[n++] = '.';
    expect_error(deep, n, ERR_UnpicklingError, NULL);
    free(deep);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_damaged_views),
        cmocka_unit_test(test_damaged_module),
        cmocka_unit_test(test_hostile_pickles),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
