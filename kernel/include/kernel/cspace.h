/*
 * Capability address resolution (seL4 semantics). A CPtr is read from its most
 * significant end: at each CNode, the guard must match, then `radix` bits index a slot;
 * resolution continues into a CNode found there until `depth` bits are used up, or stops
 * at any other cap.
 */
#pragma once

#include <types.h>
#include <object/structures.h>
#include <object/tcb.h>
#include <api/errors.h>

typedef struct {
    exception_t status;
    cte_t *slot;
    word_t bits_remaining;
} resolve_ret_t;

typedef struct {
    exception_t status;
    cte_t *slot;
} lookup_slot_ret_t;

typedef struct {
    exception_t status;
    cap_t cap;
    cte_t *slot;
} lookup_cap_ret_t;

/* Resolves the top `n_bits` of `cptr` from `node`. Failures set current_lookup_fault. */
resolve_ret_t resolve_address_bits(cap_t node, cptr_t cptr, word_t n_bits);

/* The slot a CPtr names in thread `t`'s CSpace (depth 32, stopping at a non-CNode cap). */
lookup_slot_ret_t lookup_slot(tcb_t *t, cptr_t cptr);
lookup_cap_ret_t lookup_cap(tcb_t *t, cptr_t cptr);

/*
 * The slot for a CNode-invocation argument: `root` must be a CNode cap, `depth` 1..32,
 * and the path must use exactly `depth` bits. Errors are syscall errors (FailedLookup,
 * RangeError) with the lookup detail recorded.
 */
lookup_slot_ret_t lookup_slot_for_cnode_op(bool is_source, cap_t root, cptr_t cptr, word_t depth);

/* The root task's CNode as boot made it: where the invariant checker starts its walk. */
extern cte_t *root_cnode_slots;
extern word_t root_cnode_radix;

/* lookup_slot() for the hot paths (IPC, signals): the slot `cptr` names in `t`'s CSpace,
 * or NULL (with current_lookup_fault set). A one-level CSpace whose guard and radix use
 * all 32 bits, like the root task's, resolves inline; anything else takes the general
 * path. The result is the same as lookup_slot()'s. */
cte_t *lookup_slot_general(tcb_t *t, cptr_t cptr);

static FORCE_INLINE cte_t *lookup_slot_fast(tcb_t *t, cptr_t cptr)
{
    cap_t root = t->slots[tcb_cspace_slot].cap;
    word_t radix = cap_cnode_get_radix(root);
    if (likely(cap_get_type(root) == cap_cnode_cap &&
               radix + cap_cnode_get_guard_size(root) == seL4_WordBits &&
               (cptr >> radix) == cap_cnode_get_guard(root)))
        return (cte_t *)cap_get_pptr(root) + (cptr & MASK(radix));
    return lookup_slot_general(t, cptr);
}
