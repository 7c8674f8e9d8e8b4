#include <kernel/cspace.h>
#include <object/cnode.h>

cte_t *root_cnode_slots;
word_t root_cnode_radix;

resolve_ret_t resolve_address_bits(cap_t node, cptr_t cptr, word_t n_bits)
{
    resolve_ret_t ret = {EXCEPTION_NONE, NULL, n_bits};

    if (cap_get_type(node) != cap_cnode_cap) {
        current_lookup_fault = lookup_fault_invalid_root();
        ret.status = EXCEPTION_LOOKUP_FAULT;
        return ret;
    }
    for (;;) {
        word_t radix = cap_cnode_get_radix(node);
        word_t guard_bits = cap_cnode_get_guard_size(node);
        word_t level = radix + guard_bits;
        word_t guard = cap_cnode_get_guard(node);

        /* Guard: the next guard_bits of the address (taken as zero past its end). */
        word_t found = 0;
        if (guard_bits != 0 && guard_bits <= n_bits)
            found = (cptr >> (n_bits - guard_bits)) & MASK(guard_bits);
        if (guard_bits > n_bits || found != guard) {
            /* As seL4: the detail names the CNode's guard (the one expected), not the
             * bits of the address. */
            current_lookup_fault = lookup_fault_guard_mismatch(n_bits, guard, guard_bits);
            ret.status = EXCEPTION_LOOKUP_FAULT;
            return ret;
        }
        if (level > n_bits || level == 0) {
            current_lookup_fault = lookup_fault_depth_mismatch(n_bits, level);
            ret.status = EXCEPTION_LOOKUP_FAULT;
            return ret;
        }
        word_t index = (cptr >> (n_bits - level)) & MASK(radix);
        cte_t *slot = (cte_t *)cap_get_pptr(node) + index;
        n_bits -= level;
        if (n_bits == 0 || cap_get_type(slot->cap) != cap_cnode_cap) {
            ret.slot = slot;
            ret.bits_remaining = n_bits;
            return ret;
        }
        node = slot->cap;
    }
}

lookup_slot_ret_t lookup_slot(tcb_t *t, cptr_t cptr)
{
    resolve_ret_t r = resolve_address_bits(t->slots[tcb_cspace_slot].cap, cptr, seL4_WordBits);
    lookup_slot_ret_t ret = {r.status, r.slot};
    return ret;
}

lookup_cap_ret_t lookup_cap(tcb_t *t, cptr_t cptr)
{
    lookup_slot_ret_t s = lookup_slot(t, cptr);
    lookup_cap_ret_t ret = {s.status, cap_null_cap_new(), s.slot};
    if (s.status == EXCEPTION_NONE)
        ret.cap = s.slot->cap;
    return ret;
}

lookup_slot_ret_t lookup_slot_for_cnode_op(bool is_source, cap_t root, cptr_t cptr, word_t depth)
{
    lookup_slot_ret_t ret = {EXCEPTION_NONE, NULL};
    if (cap_get_type(root) != cap_cnode_cap) {
        current_lookup_fault = lookup_fault_invalid_root();
        ret.status = err_failed_lookup(is_source, ERRMSG("the CNode root is not a CNode cap"));
        return ret;
    }
    if (depth < 1 || depth > seL4_WordBits) {
        ret.status = err_range(1, seL4_WordBits, ERRMSG("depth must be 1..32"));
        return ret;
    }
    resolve_ret_t r = resolve_address_bits(root, cptr, depth);
    if (r.status != EXCEPTION_NONE) {
        ret.status = err_failed_lookup(is_source, ERRMSG("the path does not resolve"));
        return ret;
    }
    if (r.bits_remaining != 0) {
        current_lookup_fault = lookup_fault_depth_mismatch(r.bits_remaining, 0);
        ret.status = err_failed_lookup(is_source, ERRMSG("the path ends before depth bits"));
        return ret;
    }
    ret.slot = r.slot;
    return ret;
}

cte_t *lookup_slot_general(tcb_t *t, cptr_t cptr)
{
    lookup_slot_ret_t r = lookup_slot(t, cptr);
    return r.status == EXCEPTION_NONE ? r.slot : NULL;
}
