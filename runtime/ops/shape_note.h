/* shape_note.h: the shapes behind the last broadcasting or matrix-product
 * shape error, kept for teaching mode's hint (runtime/lang/teach.c). The op
 * that raises records them; the note is current while tsr_err_serial()
 * equals its serial (the error it explains is still the one raised). */
#ifndef TSR_SHAPE_NOTE_H
#define TSR_SHAPE_NOTE_H

#include <stdint.h>

#include "tensor.h"

typedef enum { SHAPE_NOTE_NONE, SHAPE_NOTE_BROADCAST, SHAPE_NOTE_MATMUL } ShapeNoteKind;

typedef struct {
    ShapeNoteKind kind;
    unsigned long serial; /* tsr_err_serial() of the error it explains */
    int na, nb;
    int64_t a[TSR_MAX_DIMS], b[TSR_MAX_DIMS];
} ShapeNote;

extern ShapeNote shape_note;

/* Called right after raising the error about shapes a and b. */
void shape_note_set(ShapeNoteKind kind, int na, const int64_t *a, int nb, const int64_t *b);

#endif
