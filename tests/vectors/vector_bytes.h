/* Hex test vectors decoded to owned byte strings, shared by the vector
 * tests.  V() decodes one (kept until free_vectors() at exit); a malformed
 * vector stops the program, so a typo cannot turn into a passing check. */
#ifndef MT_VECTOR_BYTES_H
#define MT_VECTOR_BYTES_H

#include "testlib.h"

typedef struct {
    uint8_t *p;
    size_t n;
} bytes;

static bytes *allocs;
static size_t n_allocs, cap_allocs;

static bytes V(const char *hex)
{
    size_t want = strlen(hex) / 2;
    bytes b = {malloc(want + 1), 0};
    if (n_allocs == cap_allocs) {
        cap_allocs = cap_allocs ? 2 * cap_allocs : 64;
        allocs = realloc(allocs, cap_allocs * sizeof(*allocs));
    }
    if (b.p == NULL || allocs == NULL)
        abort();
    b.n = hex_decode(hex, b.p, want + 1);
    if (b.n != want || strlen(hex) % 2 != 0) {
        fprintf(stderr, "malformed test vector %.40s...\n", hex);
        exit(2);
    }
    allocs[n_allocs++] = b;
    return b;
}

static void free_vectors(void)
{
    for (size_t i = 0; i < n_allocs; i++)
        free(allocs[i].p);
    free(allocs);
    allocs = NULL;
    n_allocs = cap_allocs = 0;
}

#endif
