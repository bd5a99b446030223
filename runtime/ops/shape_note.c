/* shape_note.c: see shape_note.h. */
#include <string.h>

#include "error.h"
#include "shape_note.h"

ShapeNote shape_note;

void shape_note_set(ShapeNoteKind kind, int na, const int64_t *a, int nb, const int64_t *b) {
    if (na < 0 || nb < 0 || na > TSR_MAX_DIMS || nb > TSR_MAX_DIMS) return;
    shape_note.kind = kind;
    shape_note.serial = tsr_err_serial();
    shape_note.na = na;
    shape_note.nb = nb;
    memcpy(shape_note.a, a, sizeof(int64_t) * (size_t)na);
    memcpy(shape_note.b, b, sizeof(int64_t) * (size_t)nb);
}
