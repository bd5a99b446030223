#include "ptrmap.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"

static uint64_t hash_ptr(const void *p) {
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    return x ^ (x >> 33);
}

static int64_t slot_of(const PtrMap *m, const void *key) {
    uint64_t mask = (uint64_t)m->cap - 1;
    for (uint64_t i = hash_ptr(key) & mask;; i = (i + 1) & mask)
        if (!m->slots[i] || m->keys[m->slots[i] - 1] == key) return (int64_t)i;
}

int64_t ptrmap_index(const PtrMap *m, const void *key) {
    if (!m->cap) return -1;
    return m->slots[slot_of(m, key)] - 1;
}

void *ptrmap_item(const PtrMap *m, int64_t index) { return m->items + (size_t)index * m->item_size; }

const void *ptrmap_key(const PtrMap *m, int64_t index) { return m->keys[index]; }

void *ptrmap_find(const PtrMap *m, const void *key) {
    int64_t i = ptrmap_index(m, key);
    return i < 0 ? NULL : ptrmap_item(m, i);
}

static bool grow_slots(PtrMap *m) {
    int64_t cap = m->cap ? m->cap * 2 : 64;
    int64_t *slots = tsr_calloc((unsigned long long)cap, sizeof *slots);
    if (!slots) return false;
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
    for (int64_t i = 0; i < m->n; i++) m->slots[slot_of(m, m->keys[i])] = i + 1;
    return true;
}

static bool grow_items(PtrMap *m) {
    int64_t cap = m->items_cap ? m->items_cap * 2 : 32;
    const void **keys = tsr_realloc(m->keys, sizeof *keys * (size_t)cap);
    if (!keys) return false;
    m->keys = keys;
    char *items = tsr_realloc(m->items, m->item_size * (size_t)cap);
    if (!items) return false;
    m->items = items;
    m->items_cap = cap;
    return true;
}

void *ptrmap_insert(PtrMap *m, const void *key, bool *added) {
    if (added) *added = false;
    if ((m->n + 1) * 2 > m->cap && !grow_slots(m)) return NULL;
    int64_t s = slot_of(m, key);
    if (m->slots[s]) return ptrmap_item(m, m->slots[s] - 1);
    if (m->n == m->items_cap && !grow_items(m)) return NULL;
    int64_t i = m->n++;
    m->keys[i] = key;
    m->slots[s] = i + 1;
    void *item = ptrmap_item(m, i);
    memset(item, 0, m->item_size);
    if (added) *added = true;
    return item;
}

void ptrmap_free(PtrMap *m) {
    free(m->slots);
    free(m->keys);
    free(m->items);
    size_t item_size = m->item_size;
    *m = (PtrMap){.item_size = item_size};
}
