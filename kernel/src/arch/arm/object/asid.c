/* ASID control and ASID pools: 32 pools of 1024 VSpaces each. */
#include <object/vspace_objects.h>
#include <object/cnode.h>
#include <kernel/cspace.h>
#include <arch/arm/vspace.h>
#include <arch/arm/layout.h>
#include <api/invocation.h>
#include <sel4/invocation.h>

void zero_memory(void *p, word_t bytes);

exception_t decode_asid_control_invocation(invocation_t *inv)
{
    if (inv->label != ARMASIDControlMakePool)
        return syscall_error(seL4_IllegalOperation, ERRMSG("ASIDControl only does MakePool"));
    if (inv->length < ARMASIDControlMakePool_Length ||
        inv->n_extra < ARMASIDControlMakePool_ExtraCaps)
        return syscall_error(seL4_TruncatedMessage,
                             ERRMSG("MakePool takes index, depth and two caps"));
    word_t i;
    for (i = 0; i < ASID_POOLS && asid_table[i] != NULL; i++)
        ;
    if (i == ASID_POOLS)
        return syscall_error(seL4_DeleteFirst, ERRMSG("all ASID pools exist"));
    cte_t *ut_slot = inv->extra[ARMASIDControlMakePool_untypedCap];
    cap_t ut = ut_slot->cap;
    if (cap_get_type(ut) != cap_untyped_cap ||
        cap_untyped_get_block_size(ut) != seL4_ASIDPoolBits || cap_untyped_get_is_device(ut))
        return err_invalid_capability(1, ERRMSG("needs a 4 KiB RAM Untyped"));
    exception_t st = ensure_no_children(ut_slot);
    if (st != EXCEPTION_NONE)
        return st;
    lookup_slot_ret_t d = lookup_slot_for_cnode_op(
        false, inv_extra_cap(inv, ARMASIDControlMakePool_rootCap),
        inv_arg(inv, ARMASIDControlMakePool_index), inv_arg(inv, ARMASIDControlMakePool_depth));
    if (d.status != EXCEPTION_NONE)
        return d.status;
    st = ensure_empty_slot(d.slot);
    if (st != EXCEPTION_NONE)
        return st;

    /* The whole Untyped becomes the pool. */
    ut_slot->cap = cap_untyped_set_free_index(ut, BIT(seL4_ASIDPoolBits - UNTYPED_INDEX_BITS));
    asid_pool_t *pool = (asid_pool_t *)ptr_from_paddr(cap_untyped_get_paddr(ut));
    zero_memory(pool, sizeof(*pool));
    cte_insert(cap_asid_pool_cap_new((pptr_t)pool, i << ASID_LOW_BITS), ut_slot, d.slot);
    asid_table[i] = pool;
    return EXCEPTION_NONE;
}

exception_t decode_asid_pool_invocation(invocation_t *inv)
{
    if (inv->label != ARMASIDPoolAssign)
        return syscall_error(seL4_IllegalOperation, ERRMSG("ASIDPool only does Assign"));
    if (inv->n_extra < ARMASIDPoolAssign_ExtraCaps)
        return syscall_error(seL4_TruncatedMessage, ERRMSG("Assign takes a page directory cap"));
    cte_t *pd_slot = inv->extra[ARMASIDPoolAssign_pdCap];
    cap_t pd = pd_slot->cap;
    if (cap_get_type(pd) != cap_page_directory_cap || cap_page_directory_get_asid(pd) != 0)
        return err_invalid_capability(1, ERRMSG("needs a page directory cap without an ASID"));
    word_t base = cap_asid_pool_get_base(inv->cap);
    asid_pool_t *pool = asid_table[base >> ASID_LOW_BITS];
    if (pool == NULL) {
        current_lookup_fault = lookup_fault_invalid_root();
        return err_failed_lookup(false, ERRMSG("the ASID pool is gone"));
    }
    if (pool != (asid_pool_t *)cap_get_pptr(inv->cap))
        return err_invalid_capability(0, ERRMSG("the ASID range belongs to another pool"));
    word_t i = base == 0 ? 1 : 0; /* ASID 0 is never used */
    for (; i < BIT(ASID_LOW_BITS) && pool->entry[i] != 0; i++)
        ;
    if (i == BIT(ASID_LOW_BITS))
        return syscall_error(seL4_DeleteFirst, ERRMSG("the ASID pool is full"));
    asid_assign(base + i, (pde_t *)cap_get_pptr(pd));
    pd_slot->cap = cap_page_directory_cap_new(cap_get_pptr(pd), base + i);
    return EXCEPTION_NONE;
}

void asid_pool_delete(cap_t c)
{
    word_t base = cap_asid_pool_get_base(c);
    asid_pool_t *pool = asid_table[base >> ASID_LOW_BITS];
    if (pool != (asid_pool_t *)cap_get_pptr(c))
        return;
    /* asid_release also moves the CPU off a directory of the pool that is active: the
     * thread running in it faults on its next access. */
    for (word_t i = 0; i < BIT(ASID_LOW_BITS); i++) {
        if (pool->entry[i] != 0) {
            vspace_flush_asid(base + i);
            asid_release(base + i);
        }
    }
    asid_table[base >> ASID_LOW_BITS] = NULL;
}
