/* test_completion.c: Tab completion's candidates (runtime/lang/completion.c)
 * for whole lines, as the line editor asks: names, dotted names, keyword
 * arguments inside calls, and string contexts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "interp.h"
#include "modules.h"

static Interp *in;

static int setup(void **state) {
    (void)state;
    in = interp_new(0, NULL);
    if (!in || !builtins_open(in)) return -1;
    const char *prog = "cx = torch.ones(2)\n"
                       "def f(alpha, beta=2, /, gamma=3, *, delta=4):\n    pass\n"
                       "class Box:\n    def __init__(self, width, height=1):\n        pass\n"
                       "    def grow(self, by):\n        pass\n"
                       "box = Box(1)\n"
                       "dim_count = 3\n";
    return interp_run_script(in, prog, strlen(prog), "<test>") == 0 ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    interp_free(in);
    return 0;
}

/* The candidates for the word ending line (the word starts after the last
 * space, '(' or ','), joined by spaces. */
static char *complete(const char *line) {
    int end = (int)strlen(line), start = end;
    while (start > 0 && !strchr(" (,[=", line[start - 1])) start--;
    char **c = interp_complete(in, line, start, end);
    static char buf[1 << 16];
    buf[0] = 0;
    for (int i = 0; c && c[i]; i++) {
        if (i) strcat(buf, " ");
        if (strlen(buf) + strlen(c[i]) + 2 < sizeof buf) strcat(buf, c[i]);
        free(c[i]);
    }
    free(c);
    return buf;
}

static void test_names(void **state) {
    (void)state;
    assert_string_equal(complete("dim_c"), "dim_count");
    assert_string_equal(complete("torch.zeros_l"), "torch.zeros_like");
    assert_string_equal(complete("cx.__an"), "cx.__and__"); /* no in-place form of a dunder */
    assert_string_equal(complete("cx..cum"), "");          /* an empty name resolves nothing */
    assert_string_equal(complete(".cum"), "");
    /* only what PyTorch has: no Tensor.maximum_, no torch.sign_ */
    assert_string_equal(complete("cx.maximu"), "cx.maximum");
    assert_string_equal(complete("torch.sign"), "torch.sign torch.signbit");
    assert_string_equal(complete("torch.digamm"), "torch.digamma");
    /* a module's own names, not what its Python code imported */
    assert_string_equal(complete("nn.ma"), "");
    assert_string_equal(complete("nn.cop"), "");
    assert_string_equal(complete("nn.Ordered"), "");
    assert_string_equal(complete("nn.fun"), "nn.functional");
    assert_string_equal(complete("nn.Lin"), "nn.Linear");
    assert_string_equal(complete("torch.nn"), "torch.nn");
    assert_string_equal(complete("box.gr"), "box.grow");
    assert_string_equal(complete("Box.gr"), "Box.grow");
}

static void test_keywords(void **state) {
    (void)state;
    /* the parameters first; beside them the program's names and the modules */
    assert_string_equal(complete("torch.cat([cx], d"), "dim= dim_count");
    assert_string_equal(complete("torch.sum(cx, dim=0, d"), "dtype= dim_count");
    assert_string_equal(complete("cx.view(dt"), "dtype=");
    assert_string_equal(complete("torch.ones(2, req"), "requires_grad=");
    /* a function of the program: positional-only ones cannot be named */
    assert_string_equal(complete("f(1, "), "gamma= delta= Box F box cx dim_count f nn torch tsr");
    assert_string_equal(complete("f(1, al"), "all allclose"); /* no alpha= */
    /* a class: its __init__ without self; a bound method without self */
    assert_string_equal(complete("Box(1, h"), "height=");
    assert_string_equal(complete("box.grow(b"), "by= box");
    assert_string_equal(complete("nn.Linear(3, 2, b"), "bias= box");
    /* not at an argument's start: the usual names */
    assert_string_equal(complete("torch.cat([cx], dim=dim_c"), "dim_count");
    assert_string_equal(complete("(1, dim_c"), "dim_count");
    assert_string_equal(complete("torch.cat([dim_"), "dim_count"); /* inside [ ]: no dim= */
}

static void test_strings(void **state) {
    (void)state;
    assert_true(interp_completing_string("open(\"data/tr", 13));
    assert_true(interp_completing_string("x = 'a' + '", 11));
    assert_false(interp_completing_string("x = 'a' + ", 10));
    assert_false(interp_completing_string("x = \"it's\" + y", 14));
    assert_true(interp_completing_string("s = '''a\\''' + '", 16));
    assert_false(interp_completing_string("x = 1  # 'comment", 17));
    /* no keyword arguments inside a string */
    assert_string_equal(complete("print(\"a, d"), "");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_keywords),
        cmocka_unit_test(test_strings),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
