/*
 * Frame (page) invocations: Map, Unmap, GetAddress and cache maintenance. A frame cap
 * records the one mapping it made (ASID and address); a copy of the cap maps the same
 * frame elsewhere. Mapping a cap again at the address it already maps (same VSpace)
 * changes the rights and attributes of that mapping.
 */
#include <object/vspace_objects.h>
#include <object/objecttype.h>
#include <object/cnode.h>
#include <kernel/thread.h>
#include <kernel/ipc.h>
#include <arch/arm/vspace_lookup.h>
#include <arch/arm/cache.h>
#include <arch/arm/layout.h>
#include <api/invocation.h>
#include <sel4/invocation.h>

extern word_t current_reply_length;

/* seL4's maskVMRights: the rights of the cap, limited by the caller's mask. A write-only
 * request cannot be expressed and gives a kernel-only mapping. */
static word_t rights_from_mask(word_t cap_vm, word_t rights)
{
    bool r = rights & CAP_RIGHT_READ, w = rights & CAP_RIGHT_WRITE;
    if (cap_vm == VM_READ_WRITE && r && w)
        return VM_READ_WRITE;
    if ((cap_vm == VM_READ_WRITE || cap_vm == VM_READ_ONLY) && r)
        return VM_READ_ONLY;
    return VM_KERNEL_ONLY;
}

/* The entries a mapping of `size` at `vaddr` uses: 1 or 16 PTEs, 1 or 16 PDEs. */
typedef struct {
    word_t *entry; /* NULL: a small or large page needs a page table that is not there */
    word_t count;
    bool in_pt;
} map_slots_t;

static map_slots_t slots_for(pde_t *pd, frame_size_t size, vptr_t vaddr)
{
    map_slots_t m = {NULL, size == frame_large || size == frame_super ? 16u : 1u, false};
    if (size == frame_small || size == frame_large) {
        m.entry = pt_slot_of(pd, vaddr);
        m.in_pt = true;
    } else {
        m.entry = &pd[PD_INDEX(vaddr)];
    }
    return m;
}

static word_t entry_for(frame_size_t size, paddr_t pa, word_t vm, word_t attr)
{
    switch (size) {
    case frame_small:
        return pte_make_small(pa, vm, attr);
    case frame_large:
        return pte_make_large(pa, vm, attr);
    case frame_section:
        return pde_make_section(pa, vm, attr, false);
    default:
        return pde_make_section(pa, vm, attr, true);
    }
}

/* Does descriptor `e` map frame `base` with the page size `size`? */
static bool entry_maps(word_t e, frame_size_t size, paddr_t base)
{
    switch (size) {
    case frame_small:
        return (e & PTE_SMALL) && (e & ~MASK(seL4_PageBits)) == base;
    case frame_large:
        return (e & 3u) == PTE_LARGE && (e & ~MASK(seL4_LargePageBits)) == base;
    case frame_section:
        return (e & PDE_TYPE_MASK) == PDE_SECTION && !(e & PDE_SUPERSECTION) &&
               (e & ~MASK(seL4_SectionBits)) == base;
    default:
        return (e & PDE_TYPE_MASK) == PDE_SECTION && (e & PDE_SUPERSECTION) &&
               (e & ~MASK(seL4_SuperSectionBits)) == base;
    }
}

/*
 * Map checks, in seL4's order: message, VSpace cap, an existing mapping of this cap (or
 * the kernel boundary), the ASID, alignment, and finally the page table entries. The
 * entries must be free, or (remapping) hold this very frame. seL4 on ARMv7 lets a page
 * silently replace one of the same size; Keel refuses with DeleteFirst, as seL4 does on
 * its other architectures, so a stale cap can never overwrite someone else's mapping.
 */
static exception_t decode_map(invocation_t *inv)
{
    if (inv->length < ARMPageMap_Length || inv->n_extra < ARMPageMap_ExtraCaps)
        return syscall_error(seL4_TruncatedMessage,
                             ERRMSG("Map takes vaddr, rights, attributes and a VSpace"));
    cap_t c = inv->cap;
    vptr_t vaddr = inv_arg(inv, ARMPageMap_vaddr);
    word_t rights = inv_arg(inv, ARMPageMap_rights);
    word_t attr = inv_arg(inv, ARMPageMap_attr);
    cap_t pd_cap = inv_extra_cap(inv, ARMPageMap_pdCap);
    if (cap_get_type(pd_cap) != cap_page_directory_cap || cap_page_directory_get_asid(pd_cap) == 0)
        return err_invalid_capability(1, ERRMSG("needs a page directory cap with an ASID"));
    frame_size_t size = cap_frame_get_size(c);
    word_t bits = frame_size_bits(size);
    bool remap = cap_frame_get_asid(c) != 0;
    if (remap) {
        if (cap_frame_get_asid(c) != cap_page_directory_get_asid(pd_cap))
            return err_invalid_capability(1, ERRMSG("the frame is mapped in another VSpace"));
        if (cap_frame_get_mapped_vaddr(c) != vaddr)
            return err_invalid_argument(0, ERRMSG("the frame is mapped at another address"));
    } else if (vaddr >= KERNEL_BASE || KERNEL_BASE - vaddr < BIT(bits)) {
        return err_invalid_argument(0, ERRMSG("the mapping would reach into the kernel region"));
    }
    pd_lookup_ret_t r = pd_from_cap(pd_cap, 1);
    if (r.status != EXCEPTION_NONE)
        return r.status;
    if (!IS_ALIGNED(vaddr, bits))
        return syscall_error(seL4_AlignmentError, ERRMSG("vaddr is not aligned to the frame size"));
    map_slots_t m = slots_for(r.pd, size, vaddr);
    if (m.entry == NULL) {
        current_lookup_fault =
            lookup_fault_missing_capability(seL4_PageBits + seL4_PageTableIndexBits);
        return err_failed_lookup(false, ERRMSG("no page table covers vaddr"));
    }
    bool was_mapped = false;
    for (word_t i = 0; i < m.count; i++) {
        word_t e = m.entry[i];
        if ((e & 3u) == 0)
            continue;
        if (!remap || !entry_maps(e, size, cap_frame_get_base(c)))
            return syscall_error(seL4_DeleteFirst, ERRMSG("something is mapped there already"));
        was_mapped = true;
    }

    word_t vm = rights_from_mask(cap_frame_get_vm_rights(c), rights);
    word_t e = entry_for(size, cap_frame_get_base(c), vm, attr);
    for (word_t i = 0; i < m.count; i++)
        m.entry[i] = e;
    clean_to_pou(m.entry, m.count * sizeof(word_t));
    if (was_mapped) {
        for (word_t off = 0; off < BIT(bits); off += BIT(seL4_PageBits))
            vspace_flush_page(r.asid, vaddr + off);
    }
    inv->slot->cap = cap_frame_set_mapping(c, r.asid, vaddr);
    return EXCEPTION_NONE;
}

void frame_unmap_cap(cap_t c)
{
    word_t asid = cap_frame_get_asid(c);
    vptr_t vaddr = cap_frame_get_mapped_vaddr(c);
    pde_t *pd = vspace_find_pd(asid);
    if (pd == NULL)
        return;
    frame_size_t size = cap_frame_get_size(c);
    map_slots_t m = slots_for(pd, size, vaddr);
    /* Clear only if the entries still map this frame: the page table may have been
     * unmapped, or the ASID given to another page directory, since the cap mapped it. */
    if (m.entry == NULL || !entry_maps(m.entry[0], size, cap_frame_get_base(c)))
        return;
    for (word_t i = 0; i < m.count; i++)
        m.entry[i] = 0;
    clean_to_pou(m.entry, m.count * sizeof(word_t));
    for (word_t off = 0; off < BIT(frame_size_bits(size)); off += BIT(seL4_PageBits))
        vspace_flush_page(asid, vaddr + off);
}

/* Clean/Invalidate/CleanInvalidate/Unify on [start, end) of the frame (offsets). */
static exception_t decode_cache_op(invocation_t *inv)
{
    cap_t c = inv->cap;
    if (inv->length < ARMCacheOp_Length)
        return syscall_error(seL4_TruncatedMessage, ERRMSG("cache operations take start and end"));
    if (cap_frame_get_asid(c) == 0)
        return syscall_error(seL4_IllegalOperation, ERRMSG("the frame is not mapped"));
    if (vspace_find_pd(cap_frame_get_asid(c)) == NULL) {
        current_lookup_fault = lookup_fault_invalid_root();
        return err_failed_lookup(false, ERRMSG("the frame's VSpace is gone"));
    }
    word_t start = inv_arg(inv, ARMCacheOp_start), end = inv_arg(inv, ARMCacheOp_end);
    word_t size = BIT(frame_size_bits(cap_frame_get_size(c)));
    if (end <= start)
        return err_invalid_argument(1, ERRMSG("end must be above start"));
    if (start >= size || end > size)
        return err_invalid_argument(0, ERRMSG("the range is not inside the frame"));
    cache_op_phys(inv->label - ARMPageClean_Data, cap_frame_get_base(c) + start, end - start);
    return EXCEPTION_NONE;
}

exception_t decode_frame_invocation(invocation_t *inv)
{
    cap_t c = inv->cap;
    switch (inv->label) {
    case ARMPageMap:
        return decode_map(inv);
    case ARMPageUnmap:
        if (cap_frame_get_asid(c) != 0)
            frame_unmap_cap(c);
        inv->slot->cap = cap_frame_set_mapping(c, 0, 0);
        return EXCEPTION_NONE;
    case ARMPageGetAddress: {
        word_t *buf = ipc_buffer_of(inv->thread, true);
        set_mr(inv->thread, buf, 0, cap_frame_get_base(c));
        current_reply_length = 1;
        return EXCEPTION_NONE;
    }
    case ARMPageClean_Data:
    case ARMPageInvalidate_Data:
    case ARMPageCleanInvalidate_Data:
    case ARMPageUnify_Instruction:
        return decode_cache_op(inv);
    default:
        return syscall_error(seL4_IllegalOperation, ERRMSG("not a frame operation"));
    }
}
