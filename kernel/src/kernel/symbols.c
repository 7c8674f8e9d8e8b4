/*
 * Kernel function names for panic reports. The table is generated from a first link of
 * the image (tools/ksyms.py) and linked into the second; until then (and in any image
 * built without it) the weak references are null and lookups find nothing.
 */
#include <kernel/symbols.h>

typedef struct {
    word_t addr;
    word_t name;
} ksym_t;

extern const word_t ksym_count __attribute__((weak));
extern const ksym_t ksym_table[] __attribute__((weak));
extern const char ksym_names[] __attribute__((weak));

const char *ksym_lookup(word_t pc, word_t *offset)
{
    if (&ksym_count == NULL || ksym_count == 0 || pc < ksym_table[0].addr)
        return NULL;
    word_t lo = 0, hi = ksym_count;
    while (hi - lo > 1) { /* the last symbol at or below pc */
        word_t mid = lo + (hi - lo) / 2;
        if (ksym_table[mid].addr <= pc)
            lo = mid;
        else
            hi = mid;
    }
    *offset = pc - ksym_table[lo].addr;
    return &ksym_names[ksym_table[lo].name];
}
