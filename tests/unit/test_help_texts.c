/* test_help_texts.c: every example of help_texts.h is run by the golden
 * case tests/golden/help/examples.repl, whose expected output the oracle
 * made. This checks that the case holds exactly the table's examples, in
 * its order; TSR_WRITE_HELP_EXAMPLES=1 rewrites it from the table (then
 * regenerate its .out with the oracle: scripts/help_examples). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "help_texts.h"

#define CASE "tests/golden/help/examples.repl"

static const char *const rows[][2] = {
#define X(name, sig, desc, example) {name, example},
    HELP_TEXTS(X)
#undef X
};

/* the case's text: each row's name printed, then its example's lines */
static char *expected(void) {
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    len += (size_t)snprintf(out, cap, "%s", "import numpy as np\n");
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        size_t need = strlen(rows[i][0]) + strlen(rows[i][1]) + 64;
        if (len + need >= cap) {
            cap = 2 * (len + need);
            out = realloc(out, cap);
            assert_non_null(out);
        }
        len += (size_t)snprintf(out + len, cap - len, "print('--- %s')\n%s\n", rows[i][0], rows[i][1]);
    }
    return out;
}

static void test_examples_case_is_current(void **state) {
    (void)state;
    char *want = expected();
    if (getenv("TSR_WRITE_HELP_EXAMPLES")) {
        FILE *f = fopen(CASE, "w");
        assert_non_null(f);
        fputs(want, f);
        fclose(f);
    }
    FILE *f = fopen(CASE, "r");
    assert_non_null(f);
    static char got[1 << 17];
    size_t n = fread(got, 1, sizeof got - 1, f);
    got[n] = 0;
    fclose(f);
    assert_string_equal(got, want);
    free(want);
}

static void test_names_unique(void **state) {
    (void)state;
    size_t n = sizeof rows / sizeof *rows;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (!strcmp(rows[i][0], rows[j][0])) fail_msg("help text for %s twice", rows[i][0]);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_examples_case_is_current),
        cmocka_unit_test(test_names_unique),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
