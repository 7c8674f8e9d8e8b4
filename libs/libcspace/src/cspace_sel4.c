/* libcspace's kernel calls through libsel4 (cross build only: the stubs are ARM assembly). */
#include <sel4/sel4.h>
#include <cspace/cspace.h>

static seL4_Error retype(void *cookie, seL4_Untyped service, seL4_Word type, seL4_Word size_bits,
                         seL4_CNode root, seL4_Word node_index, seL4_Word node_depth,
                         seL4_Word node_offset, seL4_Word num_objects)
{
    (void)cookie;
    return seL4_Untyped_Retype(service, type, size_bits, root, node_index, node_depth, node_offset,
                               num_objects);
}

static seL4_Error copy(void *cookie, seL4_CNode service, seL4_Word dest_index,
                       seL4_Uint8 dest_depth, seL4_CNode src_root, seL4_Word src_index,
                       seL4_Uint8 src_depth, seL4_CapRights_t rights)
{
    (void)cookie;
    return seL4_CNode_Copy(service, dest_index, dest_depth, src_root, src_index, src_depth, rights);
}

static seL4_Error mint(void *cookie, seL4_CNode service, seL4_Word dest_index,
                       seL4_Uint8 dest_depth, seL4_CNode src_root, seL4_Word src_index,
                       seL4_Uint8 src_depth, seL4_CapRights_t rights, seL4_Word badge)
{
    (void)cookie;
    return seL4_CNode_Mint(service, dest_index, dest_depth, src_root, src_index, src_depth, rights,
                           badge);
}

static seL4_Error move(void *cookie, seL4_CNode service, seL4_Word dest_index,
                       seL4_Uint8 dest_depth, seL4_CNode src_root, seL4_Word src_index,
                       seL4_Uint8 src_depth)
{
    (void)cookie;
    return seL4_CNode_Move(service, dest_index, dest_depth, src_root, src_index, src_depth);
}

static seL4_Error mutate(void *cookie, seL4_CNode service, seL4_Word dest_index,
                         seL4_Uint8 dest_depth, seL4_CNode src_root, seL4_Word src_index,
                         seL4_Uint8 src_depth, seL4_Word badge)
{
    (void)cookie;
    return seL4_CNode_Mutate(service, dest_index, dest_depth, src_root, src_index, src_depth,
                             badge);
}

static seL4_Error rotate(void *cookie, seL4_CNode service, seL4_Word dest_index,
                         seL4_Uint8 dest_depth, seL4_CNode pivot_root, seL4_Word pivot_index,
                         seL4_Uint8 pivot_depth, seL4_Word pivot_badge, seL4_CNode src_root,
                         seL4_Word src_index, seL4_Uint8 src_depth, seL4_Word src_badge)
{
    (void)cookie;
    return seL4_CNode_Rotate(service, dest_index, dest_depth, pivot_root, pivot_index, pivot_depth,
                             pivot_badge, src_root, src_index, src_depth, src_badge);
}

static seL4_Error delete (void *cookie, seL4_CNode service, seL4_Word index, seL4_Uint8 depth)
{
    (void)cookie;
    return seL4_CNode_Delete(service, index, depth);
}

static seL4_Error revoke(void *cookie, seL4_CNode service, seL4_Word index, seL4_Uint8 depth)
{
    (void)cookie;
    return seL4_CNode_Revoke(service, index, depth);
}

static seL4_Error save_caller(void *cookie, seL4_CNode service, seL4_Word index, seL4_Uint8 depth)
{
    (void)cookie;
    return seL4_CNode_SaveCaller(service, index, depth);
}

const cspace_ops_t cspace_sel4_ops = {
    .cookie = NULL,
    .untyped_retype = retype,
    .cnode_copy = copy,
    .cnode_mint = mint,
    .cnode_move = move,
    .cnode_mutate = mutate,
    .cnode_rotate = rotate,
    .cnode_delete = delete,
    .cnode_revoke = revoke,
    .cnode_save_caller = save_caller,
};

seL4_Error cspace_sel4_tcb_set_space(void *cookie, seL4_CPtr tcb, seL4_Word fault_ep,
                                     seL4_CPtr cspace_root, seL4_Word cspace_root_data,
                                     seL4_CPtr vspace_root, seL4_Word vspace_root_data)
{
    (void)cookie;
    return seL4_TCB_SetSpace(tcb, fault_ep, cspace_root, cspace_root_data, vspace_root,
                             vspace_root_data);
}
