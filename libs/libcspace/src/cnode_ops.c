/*
 * libcspace: the CNode invocation wrappers. Each resolves the destination (allocating it for
 * CSPACE_NEW_SLOT), makes one kernel call through the CSpace's ops with every CPtr at depth 32
 * relative to the CSpaces' root_cnode caps, and on failure frees the slot it allocated.
 */
#include "cspace_internal.h"

#define DEPTH seL4_WordBits

/* The destination: cptr itself, or a slot newly allocated in c. */
static cspace_ret_t dest_slot(cspace_t *c, seL4_CPtr cptr)
{
    if (cptr != CSPACE_NEW_SLOT)
        return cspace_ret(seL4_NoError, CSPACE_STEP_NONE, cptr);
    seL4_CPtr slot = cspace_alloc_slot(c);
    if (slot == seL4_CapNull)
        return cspace_ret(c->last.error, CSPACE_STEP_ALLOC_SLOT, seL4_CapNull);
    return cspace_ret(seL4_NoError, CSPACE_STEP_NONE, slot);
}

/* The result of a call on destination d; a slot we allocated is given back on failure. */
static cspace_ret_t finish(cspace_t *c, seL4_CPtr asked, cspace_ret_t d, seL4_Error err,
                           cspace_step_t step)
{
    if (err == seL4_NoError)
        return d;
    if (asked == CSPACE_NEW_SLOT)
        (void)cspace_free_slot(c, d.slot);
    return cspace_ret(err, step, seL4_CapNull);
}

static cspace_ret_t bad_args(void)
{
    return cspace_ret(seL4_InvalidArgument, CSPACE_STEP_ARGS, seL4_CapNull);
}

cspace_ret_t cspace_copy(cspace_t *dest, seL4_CPtr dest_cptr, cspace_t *src, seL4_CPtr src_cptr,
                         seL4_CapRights_t rights)
{
    if (dest == NULL || src == NULL)
        return bad_args();
    cspace_ret_t d = dest_slot(dest, dest_cptr);
    if (d.error != seL4_NoError)
        return d;
    seL4_Error err = dest->ops.cnode_copy(dest->ops.cookie, dest->root_cnode, d.slot, DEPTH,
                                          src->root_cnode, src_cptr, DEPTH, rights);
    return finish(dest, dest_cptr, d, err, CSPACE_STEP_COPY);
}

cspace_ret_t cspace_mint(cspace_t *dest, seL4_CPtr dest_cptr, cspace_t *src, seL4_CPtr src_cptr,
                         seL4_CapRights_t rights, seL4_Word badge)
{
    if (dest == NULL || src == NULL)
        return bad_args();
    cspace_ret_t d = dest_slot(dest, dest_cptr);
    if (d.error != seL4_NoError)
        return d;
    seL4_Error err = dest->ops.cnode_mint(dest->ops.cookie, dest->root_cnode, d.slot, DEPTH,
                                          src->root_cnode, src_cptr, DEPTH, rights, badge);
    return finish(dest, dest_cptr, d, err, CSPACE_STEP_MINT);
}

cspace_ret_t cspace_move(cspace_t *dest, seL4_CPtr dest_cptr, cspace_t *src, seL4_CPtr src_cptr)
{
    if (dest == NULL || src == NULL)
        return bad_args();
    cspace_ret_t d = dest_slot(dest, dest_cptr);
    if (d.error != seL4_NoError)
        return d;
    seL4_Error err = dest->ops.cnode_move(dest->ops.cookie, dest->root_cnode, d.slot, DEPTH,
                                          src->root_cnode, src_cptr, DEPTH);
    return finish(dest, dest_cptr, d, err, CSPACE_STEP_MOVE);
}

cspace_ret_t cspace_mutate(cspace_t *dest, seL4_CPtr dest_cptr, cspace_t *src, seL4_CPtr src_cptr,
                           seL4_Word badge)
{
    if (dest == NULL || src == NULL)
        return bad_args();
    cspace_ret_t d = dest_slot(dest, dest_cptr);
    if (d.error != seL4_NoError)
        return d;
    seL4_Error err = dest->ops.cnode_mutate(dest->ops.cookie, dest->root_cnode, d.slot, DEPTH,
                                            src->root_cnode, src_cptr, DEPTH, badge);
    return finish(dest, dest_cptr, d, err, CSPACE_STEP_MUTATE);
}

cspace_ret_t cspace_rotate(cspace_t *dest, seL4_CPtr dest_cptr, cspace_t *pivot,
                           seL4_CPtr pivot_cptr, seL4_Word pivot_badge, cspace_t *src,
                           seL4_CPtr src_cptr, seL4_Word src_badge)
{
    if (dest == NULL || pivot == NULL || src == NULL)
        return bad_args();
    cspace_ret_t d = dest_slot(dest, dest_cptr);
    if (d.error != seL4_NoError)
        return d;
    seL4_Error err = dest->ops.cnode_rotate(dest->ops.cookie, dest->root_cnode, d.slot, DEPTH,
                                            pivot->root_cnode, pivot_cptr, DEPTH, pivot_badge,
                                            src->root_cnode, src_cptr, DEPTH, src_badge);
    return finish(dest, dest_cptr, d, err, CSPACE_STEP_ROTATE);
}

cspace_ret_t cspace_delete(cspace_t *cspace, seL4_CPtr cptr)
{
    if (cspace == NULL)
        return bad_args();
    seL4_Error err = cspace->ops.cnode_delete(cspace->ops.cookie, cspace->root_cnode, cptr, DEPTH);
    if (err != seL4_NoError)
        return cspace_ret(err, CSPACE_STEP_DELETE, seL4_CapNull);
    return cspace_ret(seL4_NoError, CSPACE_STEP_NONE, cptr);
}

cspace_ret_t cspace_revoke(cspace_t *cspace, seL4_CPtr cptr)
{
    if (cspace == NULL)
        return bad_args();
    seL4_Error err = cspace->ops.cnode_revoke(cspace->ops.cookie, cspace->root_cnode, cptr, DEPTH);
    if (err != seL4_NoError)
        return cspace_ret(err, CSPACE_STEP_REVOKE, seL4_CapNull);
    return cspace_ret(seL4_NoError, CSPACE_STEP_NONE, cptr);
}

cspace_ret_t cspace_save_reply_cap(cspace_t *cspace, seL4_CPtr cptr)
{
    if (cspace == NULL)
        return bad_args();
    cspace_ret_t d = dest_slot(cspace, cptr);
    if (d.error != seL4_NoError)
        return d;
    seL4_Error err =
        cspace->ops.cnode_save_caller(cspace->ops.cookie, cspace->root_cnode, d.slot, DEPTH);
    return finish(cspace, cptr, d, err, CSPACE_STEP_SAVE_CALLER);
}

/*
 * The destination CNode and offset of a slot: a one-level CSpace's root CNode itself (node
 * depth 0); in a two-level one, the second-level CNode cptr >> node_bits, found at depth
 * 32 - node_bits (24 in a CSpace built here, 20 in the promoted root CSpace).
 */
cspace_ret_t cspace_untyped_retype(cspace_t *cspace, seL4_CPtr ut, seL4_CPtr target, seL4_Word type,
                                   size_t size_bits)
{
    if (cspace == NULL)
        return bad_args();
    cspace_ret_t d = dest_slot(cspace, target);
    if (d.error != seL4_NoError)
        return d;
    seL4_Word index = 0, depth = 0, offset = d.slot;
    if (cspace->two_level) {
        index = d.slot >> cspace->node_bits;
        depth = seL4_WordBits - cspace->node_bits;
        offset = d.slot & (((seL4_Word)1 << cspace->node_bits) - 1);
    }
    seL4_Error err = cspace->ops.untyped_retype(cspace->ops.cookie, ut, type, size_bits,
                                                cspace->root_cnode, index, depth, offset, 1);
    return finish(cspace, target, d, err, CSPACE_STEP_RETYPE);
}
