/* Cache maintenance on physical ranges (through the kernel window). */
#pragma once

#include <types.h>

/* Operation kinds, in the order of the invocation labels. */
enum { cache_clean = 0, cache_invalidate, cache_clean_invalidate, cache_unify };

/* Applies `kind` to [pa, pa + len). Memory outside the kernel window is device memory,
 * mapped uncached, and needs nothing. */
void cache_op_phys(word_t kind, paddr_t pa, word_t len);
