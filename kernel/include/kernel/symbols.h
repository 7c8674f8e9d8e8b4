/* Kernel function names, for panic reports (see kernel/symbols.c). */
#pragma once

#include <types.h>

/* The function containing `pc` and the offset into it, or NULL if unknown. */
const char *ksym_lookup(word_t pc, word_t *offset);
