/* Page table invocations: Map into a page directory, Unmap. */
#include <object/vspace_objects.h>
#include <object/cnode.h>
#include <arch/arm/vspace_lookup.h>
#include <arch/arm/layout.h>
#include <api/invocation.h>
#include <sel4/invocation.h>

void zero_memory(void *p, word_t bytes);

void page_table_unmap_cap(cap_t c)
{
    word_t asid = cap_page_table_get_asid(c);
    pde_t *pd = vspace_find_pd(asid);
    pte_t *pt = (pte_t *)cap_get_pptr(c);
    if (pd != NULL) {
        pde_t *e = &pd[PD_INDEX(cap_page_table_get_mapped_vaddr(c))];
        if ((*e & PDE_TYPE_MASK) == PDE_COARSE && (*e & ~MASK(10)) == paddr_from_ptr((pptr_t)pt)) {
            *e = PDE_INVALID;
            clean_to_pou(e, sizeof(*e));
            vspace_flush_asid(asid);
        }
    }
    /* The table's old entries must not come back if it is mapped again. */
    zero_memory(pt, BIT(seL4_PageTableBits));
    clean_to_pou(pt, BIT(seL4_PageTableBits));
}

exception_t decode_page_table_invocation(invocation_t *inv)
{
    cap_t c = inv->cap;
    switch (inv->label) {
    case ARMPageTableMap: {
        /* seL4's order: message, this cap, the VSpace cap, vaddr, the ASID, the PDE. */
        if (inv->length < ARMPageTableMap_Length || inv->n_extra < ARMPageTableMap_ExtraCaps)
            return syscall_error(seL4_TruncatedMessage,
                                 ERRMSG("Map takes vaddr, attributes and a VSpace"));
        if (cap_page_table_get_asid(c) != 0)
            return err_invalid_capability(0, ERRMSG("the page table is mapped already"));
        vptr_t vaddr = inv_arg(inv, ARMPageTableMap_vaddr);
        cap_t pd_cap = inv_extra_cap(inv, ARMPageTableMap_pdCap);
        if (cap_get_type(pd_cap) != cap_page_directory_cap ||
            cap_page_directory_get_asid(pd_cap) == 0)
            return err_invalid_capability(1, ERRMSG("needs a page directory cap with an ASID"));
        if (vaddr >= KERNEL_BASE)
            return err_invalid_argument(0, ERRMSG("vaddr is in the kernel region"));
        pd_lookup_ret_t r = pd_from_cap(pd_cap, 1);
        if (r.status != EXCEPTION_NONE)
            return r.status;
        pde_t *e = &r.pd[PD_INDEX(vaddr)];
        if ((*e & PDE_TYPE_MASK) != PDE_INVALID)
            return syscall_error(seL4_DeleteFirst, ERRMSG("the 1 MiB region is mapped already"));
        *e = pde_make_coarse(paddr_from_ptr(cap_get_pptr(c)));
        clean_to_pou(e, sizeof(*e));
        inv->slot->cap = cap_page_table_cap_new(cap_get_pptr(c), r.asid, ROUND_DOWN(vaddr, 20));
        return EXCEPTION_NONE;
    }
    case ARMPageTableUnmap:
        if (!cap_is_final(inv->slot))
            return syscall_error(seL4_RevokeFirst, ERRMSG("other caps to the page table exist"));
        if (cap_page_table_get_asid(c) != 0) {
            page_table_unmap_cap(c);
            inv->slot->cap = cap_page_table_cap_new(cap_get_pptr(c), 0, 0);
        }
        return EXCEPTION_NONE;
    default:
        return syscall_error(seL4_IllegalOperation, ERRMSG("not a page table operation"));
    }
}
