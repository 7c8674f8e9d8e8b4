/*
 * CNodes, the capability derivation tree, and deletion.
 *
 * Deletion is iterative. When the last cap to a CNode or TCB is deleted, its slot turns
 * into a Zombie cap that still owns the object's slots; the Zombie's slots are then
 * emptied from the end. A slot in there may hold the last cap to another CNode, which
 * becomes a Zombie in turn: the chain of Zombies is the work stack, so kernel stack use
 * stays constant however deeply CNodes nest.
 */
#include <object/cnode.h>
#include <object/objecttype.h>
#include <object/untyped.h>
#include <object/endpoint.h>
#include <arch/arm/layout.h>
#include <kernel/cspace.h>
#include <kernel/thread.h>
#include <kernel/panic.h>
#include <api/invocation.h>
#include <sel4/invocation.h>

/* ------------------------------------------------------------ cap comparisons --------- */

bool cap_has_region(cap_t c)
{
    switch (cap_get_type(c)) {
    case cap_untyped_cap:
    case cap_endpoint_cap:
    case cap_notification_cap:
    case cap_cnode_cap:
    case cap_thread_cap:
    case cap_frame_cap:
    case cap_page_table_cap:
    case cap_page_directory_cap:
    case cap_asid_pool_cap:
        return true;
    default:
        return false;
    }
}

cap_region_t cap_get_region(cap_t c)
{
    cap_region_t r = {0, 0};
    switch (cap_get_type(c)) {
    case cap_untyped_cap:
        r.base = cap_untyped_get_paddr(c);
        r.size_bits = cap_untyped_get_block_size(c);
        break;
    case cap_frame_cap:
        r.base = cap_frame_get_base(c);
        r.size_bits = frame_size_bits(cap_frame_get_size(c));
        break;
    case cap_cnode_cap:
        r.base = paddr_from_ptr(cap_get_pptr(c));
        r.size_bits = cap_cnode_get_radix(c) + seL4_SlotBits;
        break;
    case cap_endpoint_cap:
        r.base = paddr_from_ptr(cap_get_pptr(c));
        r.size_bits = seL4_EndpointBits;
        break;
    case cap_notification_cap:
        r.base = paddr_from_ptr(cap_get_pptr(c));
        r.size_bits = seL4_NotificationBits;
        break;
    case cap_thread_cap:
        r.base = paddr_from_ptr(cap_get_pptr(c));
        r.size_bits = seL4_TCBBits;
        break;
    case cap_page_table_cap:
        r.base = paddr_from_ptr(cap_get_pptr(c));
        r.size_bits = seL4_PageTableBits;
        break;
    case cap_page_directory_cap:
        r.base = paddr_from_ptr(cap_get_pptr(c));
        r.size_bits = seL4_PageDirBits;
        break;
    case cap_asid_pool_cap:
        r.base = paddr_from_ptr(cap_get_pptr(c));
        r.size_bits = seL4_ASIDPoolBits;
        break;
    default:
        break;
    }
    return r;
}

static bool region_inside(cap_region_t outer, cap_region_t inner)
{
    uint64_t o_end = (uint64_t)outer.base + BIT(outer.size_bits) - 1;
    uint64_t i_end = (uint64_t)inner.base + BIT(inner.size_bits) - 1;
    if (outer.size_bits >= 32)
        o_end = (uint64_t)outer.base + ((uint64_t)1 << outer.size_bits) - 1;
    return inner.base >= outer.base && i_end <= o_end;
}

bool cap_same_region_as(cap_t a, cap_t b)
{
    cap_tag_t ta = cap_get_type(a), tb = cap_get_type(b);
    switch (ta) {
    case cap_untyped_cap:
        return cap_has_region(b) && region_inside(cap_get_region(a), cap_get_region(b));
    case cap_frame_cap:
        return tb == cap_frame_cap && region_inside(cap_get_region(a), cap_get_region(b));
    case cap_endpoint_cap:
    case cap_notification_cap:
    case cap_thread_cap:
    case cap_page_table_cap:
    case cap_page_directory_cap:
    case cap_asid_pool_cap:
        return ta == tb && cap_get_pptr(a) == cap_get_pptr(b);
    case cap_cnode_cap:
        return tb == cap_cnode_cap && cap_get_pptr(a) == cap_get_pptr(b) &&
               cap_cnode_get_radix(a) == cap_cnode_get_radix(b);
    case cap_reply_cap:
        return tb == cap_reply_cap && cap_reply_get_tcb(a) == cap_reply_get_tcb(b);
    case cap_irq_control_cap:
        return tb == cap_irq_control_cap || tb == cap_irq_handler_cap;
    case cap_irq_handler_cap:
        return tb == cap_irq_handler_cap &&
               cap_irq_handler_get_irq(a) == cap_irq_handler_get_irq(b);
    case cap_asid_control_cap:
        return tb == cap_asid_control_cap;
    default:
        return false;
    }
}

bool cap_same_object_as(cap_t a, cap_t b)
{
    cap_tag_t ta = cap_get_type(a), tb = cap_get_type(b);
    if (ta == cap_untyped_cap)
        return false;
    if (ta == cap_irq_control_cap && tb == cap_irq_handler_cap)
        return false;
    if (ta == cap_frame_cap && tb == cap_frame_cap)
        return cap_frame_get_base(a) == cap_frame_get_base(b) &&
               cap_frame_get_size(a) == cap_frame_get_size(b) &&
               cap_frame_get_is_device(a) == cap_frame_get_is_device(b);
    return cap_same_region_as(a, b);
}

bool cap_is_parent_of(const cte_t *a, const cte_t *b)
{
    if (!mdb_get_revocable(a->mdb))
        return false;
    if (!cap_same_region_as(a->cap, b->cap))
        return false;
    switch (cap_get_type(a->cap)) {
    case cap_endpoint_cap:
    case cap_notification_cap: {
        word_t badge = cap_ep_get_badge(a->cap);
        if (badge == 0)
            return true;
        return badge == cap_ep_get_badge(b->cap) && !mdb_get_first_badged(b->mdb);
    }
    default:
        return true;
    }
}

bool cap_is_final(const cte_t *slot)
{
    cte_t *prev = mdb_get_prev(slot->mdb), *next = mdb_get_next(slot->mdb);
    if (prev && cap_same_object_as(prev->cap, slot->cap))
        return false;
    if (next && cap_same_object_as(next->cap, slot->cap))
        return false;
    return true;
}

bool slot_has_children(const cte_t *slot)
{
    cte_t *next = mdb_get_next(slot->mdb);
    return next != NULL && cap_is_parent_of(slot, next);
}

exception_t ensure_no_children(cte_t *slot)
{
    if (slot_has_children(slot))
        return syscall_error(seL4_RevokeFirst, ERRMSG("the cap has children: revoke first"));
    return EXCEPTION_NONE;
}

exception_t ensure_empty_slot(cte_t *slot)
{
    if (!cap_is_null(slot->cap))
        return syscall_error(seL4_DeleteFirst, ERRMSG("the destination slot is not empty"));
    return EXCEPTION_NONE;
}

/* ------------------------------------------------------------- CDT operations --------- */

static bool cap_is_revocable(cap_t derived, cap_t src)
{
    switch (cap_get_type(derived)) {
    case cap_endpoint_cap:
    case cap_notification_cap:
        return cap_ep_get_badge(derived) != cap_ep_get_badge(src);
    case cap_irq_handler_cap:
        return cap_get_type(src) == cap_irq_control_cap;
    case cap_untyped_cap:
        return true;
    default:
        return false;
    }
}

/* A full-size copy of an Untyped makes the original unusable for Retype while the copy
 * lives: otherwise both would carve objects from the same memory. (Deleting the copy
 * leaves the original without children, and its next Retype starts afresh.) */
static void untyped_mark_full_if_copied(cte_t *src, cap_t copy)
{
    cap_t s = src->cap;
    if (cap_get_type(s) != cap_untyped_cap || cap_get_type(copy) != cap_untyped_cap)
        return;
    if (cap_untyped_get_paddr(s) != cap_untyped_get_paddr(copy) ||
        cap_untyped_get_block_size(s) != cap_untyped_get_block_size(copy))
        return;
    word_t bits = cap_untyped_get_block_size(s);
    src->cap = cap_untyped_set_free_index(s, BIT(bits - UNTYPED_INDEX_BITS));
}

void cte_insert(cap_t cap, cte_t *src, cte_t *dest)
{
    assert(cap_is_null(dest->cap));
    bool revocable = cap_is_revocable(cap, src->cap);
    untyped_mark_full_if_copied(src, cap);
    cte_t *next = mdb_get_next(src->mdb);
    dest->cap = cap;
    dest->mdb.w[0] = dest->mdb.w[1] = 0;
    mdb_set_prev(dest, src);
    mdb_set_next(dest, next);
    mdb_set_revocable(dest, revocable);
    mdb_set_first_badged(dest, revocable);
    mdb_set_next(src, dest);
    if (next)
        mdb_set_prev(next, dest);
}

void cte_insert_new(cap_t cap, cte_t *untyped, cte_t *dest)
{
    assert(cap_is_null(dest->cap));
    cte_t *next = mdb_get_next(untyped->mdb);
    dest->cap = cap;
    dest->mdb.w[0] = dest->mdb.w[1] = 0;
    mdb_set_prev(dest, untyped);
    mdb_set_next(dest, next);
    mdb_set_revocable(dest, true);
    mdb_set_first_badged(dest, true);
    mdb_set_next(untyped, dest);
    if (next)
        mdb_set_prev(next, dest);
}

void cte_insert_root(cap_t cap, cte_t *dest, bool revocable)
{
    dest->cap = cap;
    dest->mdb.w[0] = dest->mdb.w[1] = 0;
    mdb_set_revocable(dest, revocable);
    mdb_set_first_badged(dest, revocable);
}

void cte_move(cap_t cap, cte_t *src, cte_t *dest)
{
    assert(cap_is_null(dest->cap));
    dest->cap = cap;
    dest->mdb = src->mdb;
    src->cap = cap_null_cap_new();
    src->mdb.w[0] = src->mdb.w[1] = 0;
    cte_t *prev = mdb_get_prev(dest->mdb), *next = mdb_get_next(dest->mdb);
    if (prev)
        mdb_set_next(prev, dest);
    if (next)
        mdb_set_prev(next, dest);
}

void cte_swap(cap_t cap1, cte_t *slot1, cap_t cap2, cte_t *slot2)
{
    mdb_node_t m1 = slot1->mdb, m2 = slot2->mdb;
    slot1->cap = cap2;
    slot2->cap = cap1;
    slot1->mdb = m2;
    slot2->mdb = m1;
    /* Re-point the neighbours; handles the case where the two slots are adjacent. */
    cte_t *p, *n;
    if ((p = mdb_get_prev(slot2->mdb)) != NULL)
        mdb_set_next(p == slot2 ? slot1 : p, slot2);
    if ((n = mdb_get_next(slot2->mdb)) != NULL)
        mdb_set_prev(n == slot2 ? slot1 : n, slot2);
    if ((p = mdb_get_prev(slot1->mdb)) != NULL)
        mdb_set_next(p == slot1 ? slot2 : p, slot1);
    if ((n = mdb_get_next(slot1->mdb)) != NULL)
        mdb_set_prev(n == slot1 ? slot2 : n, slot1);
    /* Adjacent slots: a slot must not point at itself after the exchange. */
    if (mdb_get_next(slot1->mdb) == slot1)
        mdb_set_next(slot1, slot2);
    if (mdb_get_prev(slot1->mdb) == slot1)
        mdb_set_prev(slot1, slot2);
    if (mdb_get_next(slot2->mdb) == slot2)
        mdb_set_next(slot2, slot1);
    if (mdb_get_prev(slot2->mdb) == slot2)
        mdb_set_prev(slot2, slot1);
}

void cte_clear(cte_t *slot)
{
    cte_t *prev = mdb_get_prev(slot->mdb), *next = mdb_get_next(slot->mdb);
    if (prev)
        mdb_set_next(prev, next);
    if (next) {
        mdb_set_prev(next, prev);
        /* A badged child keeps its "first badged" mark only under its own parent. */
        mdb_set_first_badged(next,
                             mdb_get_first_badged(next->mdb) || mdb_get_first_badged(slot->mdb));
    }
    slot->cap = cap_null_cap_new();
    slot->mdb.w[0] = slot->mdb.w[1] = 0;
}

/* ------------------------------------------------------------------- deletion --------- */

/* The slots a Zombie still owns. */
static cte_t *zombie_slot(cap_t z, word_t i)
{
    if (cap_zombie_get_is_tcb(z))
        return &((tcb_t *)cap_get_pptr(z))->slots[i];
    return (cte_t *)cap_get_pptr(z) + i;
}

static bool needs_zombie(cap_t c)
{
    return cap_get_type(c) == cap_cnode_cap || cap_get_type(c) == cap_thread_cap;
}

/*
 * One step of deleting `root`: finds the innermost Zombie reachable from it and either
 * clears one slot or turns one final CNode/TCB cap into a Zombie. Returns true when
 * `root` is empty.
 */
static bool delete_step(cte_t *root)
{
    cte_t *s = root;
    for (;;) {
        cap_t c = s->cap;
        if (cap_is_null(c))
            return s == root;
        if (cap_get_type(c) == cap_zombie_cap) {
            word_t left = cap_zombie_get_remaining(c);
            if (left == 0) {
                cte_clear(s);
                return s == root;
            }
            cte_t *inner = zombie_slot(c, left - 1);
            if (inner == root || cap_is_null(inner->cap)) {
                /* Empty, or the slot the deletion started from (a CNode that holds the last
                 * cap to itself): nothing more to do with this slot. */
                s->cap = cap_zombie_cap_new(cap_get_pptr(c), left - 1, cap_zombie_get_is_tcb(c),
                                            cap_zombie_get_radix(c));
                return false;
            }
            s = inner;
            continue;
        }
        bool final = cap_is_final(s);
        if (final && needs_zombie(c)) {
            word_t n;
            bool is_tcb = cap_get_type(c) == cap_thread_cap;
            if (is_tcb) {
                tcb_t *t = (tcb_t *)cap_get_pptr(c);
                tcb_destroy_prepare(t);
                n = tcb_cnode_entries;
            } else {
                n = BIT(cap_cnode_get_radix(c));
            }
            s->cap =
                cap_zombie_cap_new(cap_get_pptr(c), n, is_tcb, is_tcb ? 0 : cap_cnode_get_radix(c));
            return false;
        }
        cap_finalise(c, final);
        cte_clear(s);
        return s == root;
    }
}

exception_t cte_delete(cte_t *slot)
{
    while (!delete_step(slot))
        ;
    return EXCEPTION_NONE;
}

exception_t cte_revoke(cte_t *slot)
{
    cte_t *next;
    while ((next = mdb_get_next(slot->mdb)) != NULL && cap_is_parent_of(slot, next))
        cte_delete(next);
    return EXCEPTION_NONE;
}

/* ------------------------------------------------------------ derive and mint --------- */

derive_ret_t derive_cap(cte_t *slot, cap_t cap)
{
    derive_ret_t r = {EXCEPTION_NONE, cap};
    switch (cap_get_type(cap)) {
    case cap_zombie_cap:
    case cap_irq_control_cap:
    case cap_reply_cap:
        r.cap = cap_null_cap_new();
        break;
    case cap_untyped_cap:
        r.status = ensure_no_children(slot);
        if (r.status != EXCEPTION_NONE)
            r.cap = cap_null_cap_new();
        break;
    case cap_page_table_cap:
        if (cap_page_table_get_asid(cap) == 0) {
            r.status = syscall_error(seL4_IllegalOperation,
                                     ERRMSG("an unmapped page table cap cannot be copied"));
            r.cap = cap_null_cap_new();
        }
        break;
    case cap_page_directory_cap:
        if (cap_page_directory_get_asid(cap) == 0) {
            r.status =
                syscall_error(seL4_IllegalOperation,
                              ERRMSG("a page directory cap without an ASID cannot be copied"));
            r.cap = cap_null_cap_new();
        }
        break;
    case cap_frame_cap:
        /* Each frame cap maps once: a copy starts unmapped. */
        r.cap = cap_frame_set_mapping(cap, 0, 0);
        break;
    default:
        break;
    }
    return r;
}

cap_t update_cap_data(bool preserve, word_t data, cap_t cap)
{
    switch (cap_get_type(cap)) {
    case cap_endpoint_cap:
    case cap_notification_cap:
        if (!preserve && cap_ep_get_badge(cap) == 0)
            return cap_ep_set_badge(cap, data & MASK(seL4_BadgeBits));
        return preserve ? cap : cap_null_cap_new();
    case cap_cnode_cap: {
        word_t guard_size = (data >> 3) & 0x1fu;
        word_t guard = (data >> 8) & 0x3ffffu;
        word_t radix = cap_cnode_get_radix(cap);
        if (guard_size + radix > seL4_WordBits)
            return cap_null_cap_new();
        if (guard_size < seL4_GuardBits && (guard >> guard_size) != 0)
            guard &= MASK(guard_size);
        return cap_cnode_cap_new(cap_get_pptr(cap), radix, guard_size, guard);
    }
    default:
        return cap;
    }
}

cap_t mask_cap_rights(word_t rights, cap_t cap)
{
    switch (cap_get_type(cap)) {
    case cap_endpoint_cap:
        return cap_ep_set_rights(cap, cap_ep_get_rights(cap) & rights);
    case cap_notification_cap:
        return cap_ep_set_rights(cap, cap_ep_get_rights(cap) & rights &
                                          (CAP_RIGHT_READ | CAP_RIGHT_WRITE));
    case cap_reply_cap:
        if (!(rights & CAP_RIGHT_GRANT))
            return cap_reply_cap_new(cap_reply_get_tcb(cap), cap_reply_get_master(cap), false);
        return cap;
    case cap_frame_cap: {
        word_t vm = cap_frame_get_vm_rights(cap);
        bool r = rights & CAP_RIGHT_READ, w = rights & CAP_RIGHT_WRITE;
        word_t out = VM_KERNEL_ONLY;
        if (vm == VM_READ_WRITE && r && w)
            out = VM_READ_WRITE;
        else if ((vm == VM_READ_WRITE || vm == VM_READ_ONLY) && r)
            out = VM_READ_ONLY;
        return cap_frame_set_vm_rights(cap, out);
    }
    default:
        return cap;
    }
}

/* -------------------------------------------------------------- invocations --------- */

/*
 * The checks run in seL4's order, so that an invocation with several faults reports the
 * same one: label, length, the destination (the path from the invoked CNode), then what
 * each operation needs.
 */

/* Source slot of Copy/Mint/Move/Mutate: must resolve and hold a cap. */
static lookup_slot_ret_t src_slot(cap_t root, word_t index, word_t depth)
{
    lookup_slot_ret_t r = lookup_slot_for_cnode_op(true, root, index, depth);
    if (r.status == EXCEPTION_NONE && cap_is_null(r.slot->cap)) {
        current_lookup_fault = lookup_fault_missing_capability(depth);
        r.status = err_failed_lookup(true, ERRMSG("the source slot is empty"));
    }
    return r;
}

static exception_t decode_copy_like(invocation_t *inv, cte_t *dest)
{
    word_t label = inv->label;
    if (inv->length < CNodeCopy_rights || inv->n_extra < CNodeCopy_ExtraCaps)
        return syscall_error(seL4_TruncatedMessage, ERRMSG("too few arguments or caps"));
    exception_t st = ensure_empty_slot(dest);
    if (st != EXCEPTION_NONE)
        return st;
    lookup_slot_ret_t s =
        src_slot(inv_extra_cap(inv, CNodeCopy_src_rootCap), inv_arg(inv, CNodeCopy_src_index),
                 inv_arg(inv, CNodeCopy_src_depth));
    if (s.status != EXCEPTION_NONE)
        return s.status;
    cap_t src = s.slot->cap;

    /* Phase: the new cap, per operation. */
    cap_t nc;
    bool is_move;
    switch (label) {
    case CNodeCopy:
    case CNodeMint: {
        word_t need = label == CNodeCopy ? CNodeCopy_Length : CNodeMint_Length;
        if (inv->length < need)
            return syscall_error(seL4_TruncatedMessage, ERRMSG("too few arguments"));
        nc = mask_cap_rights(inv_arg(inv, CNodeCopy_rights), src);
        if (label == CNodeMint)
            nc = update_cap_data(false, inv_arg(inv, CNodeMint_badge), nc);
        derive_ret_t dr = derive_cap(s.slot, nc);
        if (dr.status != EXCEPTION_NONE)
            return dr.status;
        nc = dr.cap;
        is_move = false;
        break;
    }
    case CNodeMove:
        nc = src;
        is_move = true;
        break;
    default: /* CNodeMutate */
        if (inv->length < CNodeMutate_Length)
            return syscall_error(seL4_TruncatedMessage, ERRMSG("too few arguments"));
        nc = update_cap_data(true, inv_arg(inv, CNodeMutate_badge), src);
        is_move = true;
        break;
    }
    if (cap_is_null(nc))
        return syscall_error(seL4_IllegalOperation,
                             ERRMSG("the new cap would be invalid (not copyable, badged "
                                    "already, or a guard too big for the radix)"));

    /* Phase: invoke. */
    if (is_move)
        cte_move(nc, s.slot, dest);
    else
        cte_insert(nc, s.slot, dest);
    return EXCEPTION_NONE;
}

static exception_t decode_rotate(invocation_t *inv, cte_t *dest)
{
    if (inv->length < CNodeRotate_Length || inv->n_extra < CNodeRotate_ExtraCaps)
        return syscall_error(seL4_TruncatedMessage, ERRMSG("too few arguments or caps"));
    word_t src_depth = inv_arg(inv, CNodeRotate_src_depth);
    word_t pivot_depth = inv_arg(inv, CNodeRotate_pivot_depth);
    lookup_slot_ret_t s =
        lookup_slot_for_cnode_op(true, inv_extra_cap(inv, CNodeRotate_src_rootCap),
                                 inv_arg(inv, CNodeRotate_src_index), src_depth);
    if (s.status != EXCEPTION_NONE)
        return s.status;
    lookup_slot_ret_t p =
        lookup_slot_for_cnode_op(true, inv_extra_cap(inv, CNodeRotate_pivot_rootCap),
                                 inv_arg(inv, CNodeRotate_pivot_index), pivot_depth);
    if (p.status != EXCEPTION_NONE)
        return p.status;
    if (p.slot == s.slot || p.slot == dest)
        return syscall_error(seL4_IllegalOperation, ERRMSG("the pivot must differ from both ends"));
    if (s.slot != dest) {
        exception_t st = ensure_empty_slot(dest);
        if (st != EXCEPTION_NONE)
            return st;
    }
    if (cap_is_null(s.slot->cap)) {
        current_lookup_fault = lookup_fault_missing_capability(src_depth);
        return err_failed_lookup(true, ERRMSG("the source slot is empty"));
    }
    if (cap_is_null(p.slot->cap)) {
        current_lookup_fault = lookup_fault_missing_capability(pivot_depth);
        return err_failed_lookup(false, ERRMSG("the pivot slot is empty"));
    }
    cap_t new_src = update_cap_data(true, inv_arg(inv, CNodeRotate_src_badge), s.slot->cap);
    cap_t new_pivot = update_cap_data(true, inv_arg(inv, CNodeRotate_pivot_badge), p.slot->cap);
    if (cap_is_null(new_src))
        return syscall_error(seL4_IllegalOperation, ERRMSG("bad source cap data"));
    if (cap_is_null(new_pivot))
        return syscall_error(seL4_IllegalOperation, ERRMSG("bad pivot cap data"));

    if (s.slot == dest) {
        cte_swap(new_src, s.slot, new_pivot, p.slot);
    } else {
        cte_move(new_pivot, p.slot, dest);
        cte_move(new_src, s.slot, p.slot);
    }
    return EXCEPTION_NONE;
}

static exception_t save_caller(invocation_t *inv, cte_t *dest)
{
    exception_t st = ensure_empty_slot(dest);
    if (st != EXCEPTION_NONE)
        return st;
    /* Without a caller there is nothing to save, and that is not an error (seL4). */
    cte_t *caller = &inv->thread->slots[tcb_caller_slot];
    if (cap_get_type(caller->cap) == cap_reply_cap && !cap_reply_get_master(caller->cap))
        cte_move(caller->cap, caller, dest);
    return EXCEPTION_NONE;
}

static exception_t cancel_badged_sends(cte_t *slot)
{
    cap_t c = slot->cap;
    if (cap_get_type(c) != cap_endpoint_cap || cap_ep_get_rights(c) != CAP_RIGHTS_ALL)
        return syscall_error(seL4_IllegalOperation,
                             ERRMSG("needs an endpoint cap with all rights"));
    if (cap_ep_get_badge(c) != 0)
        endpoint_cancel_badged_sends((endpoint_t *)cap_get_pptr(c), cap_ep_get_badge(c));
    return EXCEPTION_NONE;
}

exception_t decode_cnode_invocation(invocation_t *inv)
{
    if (inv->label < CNodeRevoke || inv->label > CNodeSaveCaller)
        return syscall_error(seL4_IllegalOperation, ERRMSG("not a CNode operation"));
    if (inv->length < 2)
        return syscall_error(seL4_TruncatedMessage, ERRMSG("index and depth are required"));
    lookup_slot_ret_t d =
        lookup_slot_for_cnode_op(false, inv->cap, inv_arg(inv, 0), inv_arg(inv, 1));
    if (d.status != EXCEPTION_NONE)
        return d.status;

    switch (inv->label) {
    case CNodeCopy:
    case CNodeMint:
    case CNodeMove:
    case CNodeMutate:
        return decode_copy_like(inv, d.slot);
    case CNodeRotate:
        return decode_rotate(inv, d.slot);
    case CNodeDelete:
        return cte_delete(d.slot);
    case CNodeRevoke:
        return cte_revoke(d.slot);
    case CNodeSaveCaller:
        return save_caller(inv, d.slot);
    default: /* CNodeCancelBadgedSends */
        return cancel_badged_sends(d.slot);
    }
}
