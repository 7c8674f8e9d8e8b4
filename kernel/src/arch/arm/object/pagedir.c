/* Page directory invocations (cache maintenance) and ASID deletion. */
#include <object/vspace_objects.h>
#include <object/objecttype.h>
#include <arch/arm/vspace_lookup.h>
#include <arch/arm/cache.h>
#include <arch/arm/layout.h>
#include <api/invocation.h>
#include <sel4/invocation.h>

pd_lookup_ret_t pd_from_cap(cap_t c, word_t capno)
{
    pd_lookup_ret_t r = {EXCEPTION_NONE, NULL, 0};
    if (cap_get_type(c) != cap_page_directory_cap || cap_page_directory_get_asid(c) == 0) {
        r.status = err_invalid_capability(capno, ERRMSG("needs a page directory cap with an ASID"));
        return r;
    }
    r.asid = cap_page_directory_get_asid(c);
    r.pd = vspace_find_pd(r.asid);
    if (r.pd == NULL) {
        current_lookup_fault = lookup_fault_invalid_root();
        r.status = err_failed_lookup(false, ERRMSG("the ASID no longer names a page directory"));
        return r;
    }
    if ((pptr_t)r.pd != cap_get_pptr(c)) {
        r.status = err_invalid_capability(capno, ERRMSG("the ASID names another page directory"));
    }
    return r;
}

pte_t *pt_slot_of(pde_t *pd, vptr_t vaddr)
{
    pde_t e = pd[PD_INDEX(vaddr)];
    if ((e & PDE_TYPE_MASK) != PDE_COARSE)
        return NULL;
    return (pte_t *)ptr_from_paddr(e & ~MASK(10)) + PT_INDEX(vaddr);
}

/* The physical address and size mapped at `vaddr`, if any. */
static bool resolve(pde_t *pd, vptr_t vaddr, paddr_t *pa, word_t *size_bits)
{
    pde_t e = pd[PD_INDEX(vaddr)];
    switch (e & PDE_TYPE_MASK) {
    case PDE_SECTION:
        *size_bits = (e & PDE_SUPERSECTION) ? seL4_SuperSectionBits : seL4_SectionBits;
        *pa = e & ~MASK(*size_bits);
        return true;
    case PDE_COARSE: {
        pte_t p = *pt_slot_of(pd, vaddr);
        if ((p & 3u) == PTE_INVALID)
            return false;
        *size_bits = (p & PTE_SMALL) ? seL4_PageBits : seL4_LargePageBits;
        *pa = p & ~MASK(*size_bits);
        return true;
    }
    default:
        return false;
    }
}

/*
 * Cache maintenance on [start, end) of the VSpace, as seL4 does it: the range must lie in
 * one mapped frame. An unmapped start does nothing (there can be no stale data for it);
 * a range leaving the frame that holds start is a RangeError naming the allowed range.
 */
exception_t decode_page_directory_invocation(invocation_t *inv)
{
    if (inv->label < ARMPDClean_Data || inv->label > ARMPDUnify_Instruction)
        return syscall_error(seL4_IllegalOperation, ERRMSG("not a page directory operation"));
    if (inv->length < ARMCacheOp_Length)
        return syscall_error(seL4_TruncatedMessage, ERRMSG("cache operations take start and end"));
    vptr_t start = inv_arg(inv, ARMCacheOp_start), end = inv_arg(inv, ARMCacheOp_end);
    if (end <= start)
        return err_invalid_argument(1, ERRMSG("end must be above start"));
    if (start >= KERNEL_BASE || end > KERNEL_BASE)
        return syscall_error(seL4_IllegalOperation,
                             ERRMSG("the range reaches into the kernel region"));
    pd_lookup_ret_t r = pd_from_cap(inv->cap, 0);
    if (r.status != EXCEPTION_NONE)
        return r.status;
    paddr_t pa;
    word_t bits;
    if (!resolve(r.pd, start, &pa, &bits))
        return EXCEPTION_NONE;
    vptr_t page = ROUND_DOWN(start, bits);
    if (ROUND_DOWN(end - 1, bits) != page)
        return err_range(start, page + MASK(bits),
                         ERRMSG("the range leaves the frame that holds start"));
    cache_op_phys(inv->label - ARMPDClean_Data, pa + (start - page), end - start);
    return EXCEPTION_NONE;
}

void page_directory_delete_asid(cap_t c)
{
    word_t asid = cap_page_directory_get_asid(c);
    if (vspace_find_pd(asid) != (pde_t *)cap_get_pptr(c))
        return;
    /* A thread may be deleting the VSpace it runs in: asid_release leaves it on the
     * kernel's, so it faults on its next access. */
    vspace_flush_asid(asid);
    asid_release(asid);
}
