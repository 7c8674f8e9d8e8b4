/*
 * libut's kernel calls through libsel4 (cross build only: the libsel4 stubs are ARM assembly).
 * Slots are named by their depth-32 CPtr; a retype needs the CNode holding the slot and the
 * offset in it, which depend on the CSpace's shape (see ut_sel4_cspace_t).
 */
#include <sel4/sel4.h>
#include <ut/ut.h>

static seL4_Error sel4_retype(void *cookie, seL4_CPtr untyped, seL4_Word type, seL4_Word size_bits,
                              seL4_CPtr dest)
{
    const ut_sel4_cspace_t *cs = cookie;
    if (cs->leaf_bits == 0) {
        /* One level: node_depth 0 names the root CNode itself. */
        return seL4_Untyped_Retype(untyped, type, size_bits, cs->root, 0, 0, dest, 1);
    }
    seL4_Word mask = ((seL4_Word)1 << cs->leaf_bits) - 1;
    return seL4_Untyped_Retype(untyped, type, size_bits, cs->root, dest >> cs->leaf_bits,
                               seL4_WordBits - cs->leaf_bits, dest & mask, 1);
}

static seL4_Error sel4_revoke(void *cookie, seL4_CPtr cap)
{
    const ut_sel4_cspace_t *cs = cookie;
    return seL4_CNode_Revoke(cs->root, cap, seL4_WordBits);
}

static seL4_Error sel4_delete(void *cookie, seL4_CPtr cap)
{
    const ut_sel4_cspace_t *cs = cookie;
    return seL4_CNode_Delete(cs->root, cap, seL4_WordBits);
}

ut_kernel_ops_t ut_sel4_kernel_ops(ut_sel4_cspace_t *cspace)
{
    ut_kernel_ops_t ops = {
        .cookie = cspace,
        .retype = sel4_retype,
        .revoke = sel4_revoke,
        .delete = sel4_delete,
    };
    return ops;
}
