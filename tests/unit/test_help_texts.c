/* test_help_texts.c: every example of help_texts.h is run by the golden
 * case tests/golden/help/examples.repl, whose expected output the oracle
 * made. This checks that the case holds exactly the table's examples, in
 * its order; TSR_WRITE_HELP_EXAMPLES=1 rewrites it from the table (then
 * regenerate its .out with the oracle: scripts/help_examples). And every
 * row is reached by help() of its object: tests/golden/tsr/help_rows.tsr
 * prints the row tsr._help_entry finds for each name (written here too,
 * with its expected output: the names). */
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
#define ROWS_CASE "tests/golden/tsr/help_rows"

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

/* checks (or, with TSR_WRITE_HELP_EXAMPLES, writes) the file path holds want */
static void check_file(const char *path, const char *want) {
    if (getenv("TSR_WRITE_HELP_EXAMPLES")) {
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(want, f);
        fclose(f);
    }
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    static char got[1 << 17];
    size_t n = fread(got, 1, sizeof got - 1, f);
    got[n] = 0;
    fclose(f);
    assert_string_equal(got, want);
}

static void test_examples_case_is_current(void **state) {
    (void)state;
    char *want = expected();
    check_file(CASE, want);
    free(want);
}

static void test_rows_reachable_case_is_current(void **state) {
    (void)state;
    static char prog[1 << 16], out[1 << 16];
    size_t np = (size_t)snprintf(prog, sizeof prog, "%s",
                                 "# every row of help_texts.h is what help() of its object finds;\n"
                                 "# written by tests/unit/test_help_texts.c\n"
                                 "import numpy\n");
    size_t no = 0;
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        const char *name = rows[i][0];
        const char *prefix = !strncmp(name, "Tensor.", 7) ? "torch." : "";
        np += (size_t)snprintf(prog + np, sizeof prog - np, "print(tsr._help_entry(%s%s)[0])\n", prefix, name);
        no += (size_t)snprintf(out + no, sizeof out - no, "%s\n", name);
        assert_true(np < sizeof prog && no < sizeof out);
    }
    check_file(ROWS_CASE ".tsr", prog);
    check_file(ROWS_CASE ".out", out);
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
        cmocka_unit_test(test_rows_reachable_case_is_current),
        cmocka_unit_test(test_names_unique),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
