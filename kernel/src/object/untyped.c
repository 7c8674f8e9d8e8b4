/*
 * Untyped_Retype: carves kernel objects out of an Untyped region at its watermark.
 *
 * Objects are zeroed when they are created, and only they are: an Untyped whose children
 * are all gone is reset by moving its watermark back to zero, without touching memory. So
 * the first retype from a large boot Untyped costs in proportion to what it creates, not
 * to the Untyped's size (seL4 zeroes whole Untypeds on reset, 108 M instructions for
 * 128 MiB).
 */
#include <object/untyped.h>
#include <object/cnode.h>
#include <object/objecttype.h>
#include <kernel/cspace.h>
#include <kernel/panic.h>
#include <api/invocation.h>
#include <arch/arm/layout.h>
#include <sel4/invocation.h>

/* Retype creates at most this many objects per call (seL4's fan-out limit). */
#define RETYPE_FAN_OUT_LIMIT 256

void zero_memory(void *p, word_t bytes);

static bool is_frame_type(word_t t)
{
    return t == seL4_ARM_SmallPageObject || t == seL4_ARM_LargePageObject ||
           t == seL4_ARM_SectionObject || t == seL4_ARM_SuperSectionObject;
}

static void invoke_retype(cte_t *ut_slot, bool reset, paddr_t first, seL4_ObjectType type,
                          word_t user_size, word_t obj_bits, cte_t *dest, word_t count)
{
    cap_t ut = ut_slot->cap;
    paddr_t base = cap_untyped_get_paddr(ut);
    bool device = cap_untyped_get_is_device(ut);
    (void)reset;
    word_t end = first + (count << obj_bits) - base;
    ut_slot->cap = cap_untyped_set_free_index(ut, end >> UNTYPED_INDEX_BITS);

    for (word_t i = 0; i < count; i++) {
        paddr_t p = first + (i << obj_bits);
        if (!device && type != seL4_UntypedObject)
            zero_memory((void *)ptr_from_paddr(p), BIT(obj_bits));
        cap_t c = object_create(type, p, user_size, device);
        cte_insert_new(c, ut_slot, &dest[i]);
    }
}

exception_t decode_untyped_invocation(invocation_t *inv)
{
    if (inv->label != UntypedRetype)
        return syscall_error(seL4_IllegalOperation, ERRMSG("Untyped caps only do Retype"));
    if (inv->length < UntypedRetype_Length || inv->n_extra < UntypedRetype_ExtraCaps)
        return syscall_error(seL4_TruncatedMessage, ERRMSG("Retype takes 6 arguments and a cap"));

    word_t type = inv_arg(inv, UntypedRetype_type);
    word_t user_size = inv_arg(inv, UntypedRetype_size_bits);
    word_t node_index = inv_arg(inv, UntypedRetype_node_index);
    word_t node_depth = inv_arg(inv, UntypedRetype_node_depth);
    word_t node_offset = inv_arg(inv, UntypedRetype_node_offset);
    word_t node_window = inv_arg(inv, UntypedRetype_num_objects);
    cap_t root = inv_extra_cap(inv, UntypedRetype_rootCap);

    /* Object type and size. */
    if (type >= seL4_ObjectTypeCount)
        return err_invalid_argument(0, ERRMSG("unknown object type"));
    word_t obj_bits = object_size_bits(type, user_size);
    if (user_size >= seL4_WordBits || obj_bits > seL4_MaxUntypedBits)
        return err_range(0, seL4_MaxUntypedBits, ERRMSG("object size out of range"));
    if (type == seL4_CapTableObject && user_size == 0)
        return err_invalid_argument(1, ERRMSG("a CNode needs at least 2 slots (size_bits >= 1)"));
    if (type == seL4_UntypedObject && user_size < seL4_MinUntypedBits)
        return err_invalid_argument(1, ERRMSG("an Untyped is at least 2^4 bytes"));

    /* Destination CNode and slot range. */
    cap_t dest_cnode = root;
    if (node_depth != 0) {
        lookup_slot_ret_t s = lookup_slot_for_cnode_op(false, root, node_index, node_depth);
        if (s.status != EXCEPTION_NONE)
            return s.status;
        dest_cnode = s.slot->cap;
    }
    if (cap_get_type(dest_cnode) != cap_cnode_cap) {
        current_lookup_fault = lookup_fault_missing_capability(node_depth);
        return err_failed_lookup(false, ERRMSG("the destination is not a CNode"));
    }
    word_t node_size = BIT(cap_cnode_get_radix(dest_cnode));
    if (node_offset > node_size - 1)
        return err_range(0, node_size - 1, ERRMSG("node_offset is past the end of the CNode"));
    if (node_window < 1 || node_window > RETYPE_FAN_OUT_LIMIT)
        return err_range(1, RETYPE_FAN_OUT_LIMIT, ERRMSG("num_objects must be 1..256"));
    if (node_window > node_size - node_offset)
        return err_range(1, node_size - node_offset,
                         ERRMSG("num_objects does not fit after node_offset"));
    cte_t *dest = (cte_t *)cap_get_pptr(dest_cnode) + node_offset;
    for (word_t i = 0; i < node_window; i++) {
        if (!cap_is_null(dest[i].cap))
            return syscall_error(seL4_DeleteFirst, ERRMSG("a destination slot is not empty"));
    }

    /* Room in the Untyped, from its watermark (or from its start if it has no children). */
    cap_t ut = inv->cap;
    bool reset = !slot_has_children(inv->slot);
    word_t free_index = reset ? 0 : cap_untyped_get_free_index(ut);
    paddr_t base = cap_untyped_get_paddr(ut);
    word_t block = cap_untyped_get_block_size(ut);
    word_t free_bytes = (block >= 32 ? 0 : BIT(block)) - (free_index << UNTYPED_INDEX_BITS);
    if ((free_bytes >> obj_bits) < node_window)
        return err_not_enough_memory(free_bytes, ERRMSG("not enough room in the Untyped"));
    if (cap_untyped_get_is_device(ut) && !is_frame_type(type) && type != seL4_UntypedObject)
        return err_invalid_argument(1, ERRMSG("device memory only becomes frames or Untypeds"));
    paddr_t first = ROUND_UP(base + (free_index << UNTYPED_INDEX_BITS), obj_bits);

    invoke_retype(inv->slot, reset, first, (seL4_ObjectType)type, user_size, obj_bits, dest,
                  node_window);
    return EXCEPTION_NONE;
}
