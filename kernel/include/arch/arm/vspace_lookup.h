/* Shared checks of the VSpace invocations: the page directory a cap names. */
#pragma once

#include <types.h>
#include <object/structures.h>
#include <api/errors.h>
#include <arch/arm/vspace.h>

typedef struct {
    exception_t status;
    pde_t *pd;
    word_t asid;
} pd_lookup_ret_t;

/* `c` (extra cap number `capno`) must be a page directory cap with an ASID that still
 * names that page directory. */
pd_lookup_ret_t pd_from_cap(cap_t c, word_t capno);

/* The page-table entry for `vaddr` in `pd`, or NULL when no page table covers it. */
pte_t *pt_slot_of(pde_t *pd, vptr_t vaddr);
