/*
 * Frame (page) invocations: Map, Unmap, GetAddress and cache maintenance. A frame cap
 * records the one mapping it made (ASID and address); a copy of the cap maps the same
 * frame elsewhere.
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
    word_t *entry;
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

static exception_t decode_map(invocation_t *inv)
{
    if (inv->length < ARMPageMap_Length || inv->n_extra < ARMPageMap_ExtraCaps)
        return syscall_error(seL4_TruncatedMessage,
                             ERRMSG("Map takes vaddr, rights, attributes and a VSpace"));
    cap_t c = inv->cap;
    vptr_t vaddr = inv_arg(inv, ARMPageMap_vaddr);
    word_t rights = inv_arg(inv, ARMPageMap_rights);
    word_t attr = inv_arg(inv, ARMPageMap_attr);
    pd_lookup_ret_t r = pd_from_cap(inv_extra_cap(inv, ARMPageMap_pdCap), 1);
    if (r.status != EXCEPTION_NONE)
        return r.status;
    frame_size_t size = cap_frame_get_size(c);
    word_t bits = frame_size_bits(size);
    bool remap = cap_frame_get_asid(c) != 0;
    if (remap) {
        if (cap_frame_get_asid(c) != r.asid)
            return err_invalid_capability(1, ERRMSG("the frame is mapped in another VSpace"));
        if (cap_frame_get_mapped_vaddr(c) != vaddr)
            return err_invalid_argument(0, ERRMSG("the frame is mapped at another address"));
    }
    if (vaddr >= KERNEL_BASE || KERNEL_BASE - vaddr < BIT(bits))
        return err_invalid_argument(0, ERRMSG("the mapping would reach into the kernel region"));
    if (!IS_ALIGNED(vaddr, bits))
        return syscall_error(seL4_AlignmentError, ERRMSG("vaddr is not aligned to the frame size"));
    map_slots_t m = slots_for(r.pd, size, vaddr);
    if (m.entry == NULL) {
        current_lookup_fault =
            lookup_fault_missing_capability(seL4_PageBits + seL4_PageTableIndexBits);
        return err_failed_lookup(false, ERRMSG("no page table covers vaddr"));
    }
    if (!remap) {
        for (word_t i = 0; i < m.count; i++) {
            if ((m.entry[i] & 3u) != 0)
                return syscall_error(seL4_DeleteFirst, ERRMSG("something is mapped there already"));
        }
    }
    word_t vm = rights_from_mask(cap_frame_get_vm_rights(c), rights);
    word_t e = entry_for(size, cap_frame_get_base(c), vm, attr);
    for (word_t i = 0; i < m.count; i++)
        m.entry[i] = e;
    clean_to_pou(m.entry, m.count * sizeof(word_t));
    if (remap) {
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
    if (m.entry == NULL)
        return;
    /* Clear only if the entries still map this frame (the page table may have gone). */
    word_t bits = frame_size_bits(size);
    word_t e = m.entry[0];
    bool valid = (e & 3u) != 0 && (!m.in_pt || ((size == frame_small) == ((e & PTE_SMALL) != 0)));
    if (!valid || (e & ~MASK(bits)) != cap_frame_get_base(c))
        return;
    if (!m.in_pt && ((e & PDE_TYPE_MASK) != PDE_SECTION ||
                     ((e & PDE_SUPERSECTION) != 0) != (size == frame_super)))
        return;
    for (word_t i = 0; i < m.count; i++)
        m.entry[i] = 0;
    clean_to_pou(m.entry, m.count * sizeof(word_t));
    for (word_t off = 0; off < BIT(bits); off += BIT(seL4_PageBits))
        vspace_flush_page(asid, vaddr + off);
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
    case ARMPageUnify_Instruction: {
        if (inv->length < ARMCacheOp_Length)
            return syscall_error(seL4_TruncatedMessage,
                                 ERRMSG("cache operations take start and end"));
        if (cap_frame_get_asid(c) == 0)
            return syscall_error(seL4_IllegalOperation, ERRMSG("the frame is not mapped"));
        word_t start = inv_arg(inv, ARMCacheOp_start), end = inv_arg(inv, ARMCacheOp_end);
        word_t size = BIT(frame_size_bits(cap_frame_get_size(c)));
        if (end <= start)
            return err_invalid_argument(1, ERRMSG("end must be above start"));
        if (end > size)
            return err_invalid_argument(1, ERRMSG("end is past the end of the frame"));
        cache_op_phys(inv->label - ARMPageClean_Data, cap_frame_get_base(c) + start, end - start);
        return EXCEPTION_NONE;
    }
    default:
        return syscall_error(seL4_IllegalOperation, ERRMSG("not a frame operation"));
    }
}
