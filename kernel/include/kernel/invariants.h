/*
 * The invariant checker (debug kernels): walks the kernel's state and reports, one line
 * each, anything that breaks its rules. Test images call it after every test case.
 */
#pragma once

#include <types.h>

/* What release kernels answer: they carry no checker. */
#define INVARIANTS_NOT_CHECKED 0xffffffffu

/* Returns the number of violations found (0: all invariants hold). */
word_t invariants_check(void);
