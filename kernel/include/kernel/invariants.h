/*
 * The invariant checker (debug kernels): walks the kernel's state and reports, one line
 * each, anything that breaks its rules. Test images call it after every test case.
 */
#pragma once

#include <types.h>

/* Returns the number of violations found (0: all invariants hold). */
word_t invariants_check(void);
