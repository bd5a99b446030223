/* PtrMap: a table keyed by object address, with a fixed-size payload per
 * key kept in insertion order (so a key's index is the order it was first
 * seen: the pickler's memo index, a graph node's id). Open addressing over
 * the indices; a zeroed PtrMap is empty and ready once item_size is set.
 * Payload pointers stay valid until the next insertion. */
#ifndef TSR_PTRMAP_H
#define TSR_PTRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    size_t item_size;  /* payload bytes per key; set before the first insert */
    int64_t n;         /* keys held */
    int64_t cap;       /* slots, a power of two (0 before the first insert) */
    int64_t *slots;    /* index + 1 of the key in that slot, 0 = empty */
    const void **keys; /* n keys in insertion order */
    char *items;       /* n payloads in insertion order */
    int64_t items_cap;
} PtrMap;

/* PtrMap with payloads of type T */
#define PTRMAP_OF(T) ((PtrMap){.item_size = sizeof(T)})

/* index of key, or -1 when absent */
int64_t ptrmap_index(const PtrMap *m, const void *key);
/* payload of key, or NULL when absent */
void *ptrmap_find(const PtrMap *m, const void *key);
/* payload of key, added zeroed as index n when absent (*added true then;
 * added may be NULL); NULL after tsr_raise'ing MemoryError */
void *ptrmap_insert(PtrMap *m, const void *key, bool *added);
void *ptrmap_item(const PtrMap *m, int64_t index);
const void *ptrmap_key(const PtrMap *m, int64_t index);
void ptrmap_free(PtrMap *m);

#endif
