/* fuzz_parser.c: libFuzzer harness for the parser alone: any bytes give
 * a tree or a SyntaxError (with a position inside the input), never a
 * crash, and the tree frees cleanly. */
#include <stdint.h>
#include <stdlib.h>

#include "error.h"
#include "parser.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    Node *tree = NULL;
    ParseStatus st = parse_program((const char *)data, (int64_t)size, &tree);
    if (st == PARSE_OK) ast_free(tree);
    tsr_err_clear();
    return 0;
}
