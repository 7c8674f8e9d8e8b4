/*
 * VSpace mechanics: descriptors, ASID bookkeeping and the switch between address spaces.
 * The invocations on page tables, pages, page directories and ASID pools are in
 * object/frame.c, object/pagetable.c and object/asid.c.
 */
#include <arch/arm/vspace.h>
#include <arch/arm/machine.h>
#include <arch/arm/layout.h>
#include <kernel/panic.h>
#include <sel4/types.h>

/* The boot page directory becomes the kernel's global one. head.S fills it first. */
pde_t kernel_pd[PD_ENTRIES] ALIGN(16384);

asid_pool_t *asid_table[ASID_POOLS];

/*
 * Hardware ASIDs are 8 bits, software ASIDs 15. A VSpace gets a hardware ASID when it is
 * first activated; when all 255 are taken, the oldest is taken back (round robin) and its
 * TLB entries flushed. Hardware ASID 0 is the kernel's (global mappings only).
 */
#define HW_ASIDS            256
#define ASID_ENTRY_HW_VALID BIT(8)
static word_t hw_asid_owner[HW_ASIDS]; /* software ASID, or 0 */
static word_t hw_asid_next = 1;

static word_t *asid_entry(word_t asid)
{
    asid_pool_t *pool = asid_table[asid >> ASID_LOW_BITS];
    if (asid == 0 || pool == NULL)
        return NULL;
    return &pool->entry[asid & MASK(ASID_LOW_BITS)];
}

pde_t *vspace_find_pd(word_t asid)
{
    word_t *e = asid_entry(asid);
    if (e == NULL || *e == 0)
        return NULL;
    return (pde_t *)(*e & ~MASK(14));
}

static word_t hw_asid_for(word_t asid, word_t *entry)
{
    if (*entry & ASID_ENTRY_HW_VALID)
        return *entry & 0xffu;
    word_t hw = hw_asid_next;
    hw_asid_next = hw_asid_next == HW_ASIDS - 1 ? 1 : hw_asid_next + 1;
    if (hw_asid_owner[hw] != 0) {
        word_t *old = asid_entry(hw_asid_owner[hw]);
        if (old) {
            *old &= ~(ASID_ENTRY_HW_VALID | 0xffu);
            ((pde_t *)(*old & ~MASK(14)))[PD_ASID_SLOT] = 0;
        }
        dsb();
        write_tlbiasid(hw);
        dsb();
        isb();
    }
    hw_asid_owner[hw] = asid;
    *entry = (*entry & ~0x1ffu) | ASID_ENTRY_HW_VALID | hw;
    ((pde_t *)(*entry & ~MASK(14)))[PD_ASID_SLOT] = PD_ASID_SLOT_VALID | hw;
    return hw;
}

/* The page directory in TTBR0. It always has a valid ASID registration (asid_release
 * moves the CPU off a directory before forgetting it), so a thread whose VSpace is this
 * directory needs no switch at all. */
pptr_t vspace_active_pd;

void vspace_activate_kernel(void)
{
    vspace_load((pptr_t)kernel_pd, 0);
}

void vspace_activate(tcb_t *t)
{
    cap_t c = t->slots[tcb_vspace_slot].cap;
    if (cap_get_type(c) == cap_page_directory_cap) {
        pde_t *pd = (pde_t *)cap_get_pptr(c);
        if ((pptr_t)pd == vspace_active_pd)
            return;
        /* A hardware ASID recorded in the directory means its registration holds. */
        if (pd[PD_ASID_SLOT] & PD_ASID_SLOT_VALID) {
            vspace_load((pptr_t)pd, pd[PD_ASID_SLOT] & 0xffu);
            return;
        }
        word_t asid = cap_page_directory_get_asid(c);
        word_t *e = asid_entry(asid);
        if (e && (*e & ~MASK(14)) == (pptr_t)pd) {
            vspace_load((pptr_t)pd, hw_asid_for(asid, e));
            return;
        }
    }
    vspace_activate_kernel();
}

void vspace_flush_asid(word_t asid)
{
    word_t *e = asid_entry(asid);
    if (e && (*e & ASID_ENTRY_HW_VALID)) {
        dsb();
        write_tlbiasid(*e & 0xffu);
        dsb();
        isb();
    }
}

void vspace_flush_page(word_t asid, vptr_t vaddr)
{
    word_t *e = asid_entry(asid);
    if (e && (*e & ASID_ENTRY_HW_VALID)) {
        dsb();
        write_tlbimva((vaddr & ~MASK(12)) | (*e & 0xffu));
        dsb();
        isb();
    }
}

void asid_assign(word_t asid, pde_t *pd)
{
    *asid_entry(asid) = (word_t)pd;
}

void asid_release(word_t asid)
{
    word_t *e = asid_entry(asid);
    if (!e)
        return;
    if (*e & ASID_ENTRY_HW_VALID)
        hw_asid_owner[*e & 0xffu] = 0;
    if (*e != 0)
        ((pde_t *)(*e & ~MASK(14)))[PD_ASID_SLOT] = 0;
    if ((*e & ~MASK(14)) == vspace_active_pd)
        vspace_activate_kernel();
    *e = 0;
}

void clean_to_pou(void *start, word_t bytes)
{
    word_t line = BIT(L1_CACHE_LINE_BITS);
    for (word_t a = ROUND_DOWN((word_t)start, L1_CACHE_LINE_BITS); a < (word_t)start + bytes;
         a += line)
        write_dccmvau(a);
    dsb();
}

void vspace_init_kernel(void)
{
    /* Drop the identity section head.S used to turn the MMU on. */
    kernel_pd[PHYS_RAM_BASE >> 20] = PDE_INVALID;
    clean_to_pou(&kernel_pd[PHYS_RAM_BASE >> 20], sizeof(pde_t));
    write_tlbiall(0);
    dsb();
    isb();
}

void vspace_init_pd(pde_t *pd)
{
    for (word_t i = KERNEL_PD_INDEX; i < PD_ENTRIES; i++)
        pd[i] = kernel_pd[i];
    clean_to_pou(pd, BIT(seL4_PageDirBits));
}

/* AP bits for seL4 VM rights: kernel-only = 01, read-only = 10, read-write = 11. */
static word_t ap_of(word_t vm_rights)
{
    return vm_rights == VM_READ_WRITE ? 3u : vm_rights == VM_READ_ONLY ? 2u : 1u;
}

pte_t pte_make_small(paddr_t frame, word_t vm_rights, word_t attr)
{
    pte_t p = (frame & ~MASK(12)) | PTE_SMALL | PTE_NG | PTE_S | PTE_AP(ap_of(vm_rights));
    if (attr & seL4_ARM_PageCacheable)
        p |= PTE_SMALL_TEX(1) | PTE_C | PTE_B; /* normal, write-back write-allocate */
    else
        p |= PTE_B; /* shareable device */
    if (attr & seL4_ARM_ExecuteNever)
        p |= PTE_SMALL_XN;
    return p;
}

pte_t pte_make_large(paddr_t frame, word_t vm_rights, word_t attr)
{
    pte_t p = (frame & ~MASK(16)) | PTE_LARGE | PTE_NG | PTE_S | PTE_AP(ap_of(vm_rights));
    if (attr & seL4_ARM_PageCacheable)
        p |= PTE_LARGE_TEX(1) | PTE_C | PTE_B;
    else
        p |= PTE_B;
    if (attr & seL4_ARM_ExecuteNever)
        p |= PTE_LARGE_XN;
    return p;
}

pde_t pde_make_section(paddr_t frame, word_t vm_rights, word_t attr, bool super)
{
    pde_t p = PDE_SECTION | PDE_NG | PDE_S | PDE_AP(ap_of(vm_rights));
    p |= super ? (frame & ~MASK(24)) | PDE_SUPERSECTION : (frame & ~MASK(20));
    if (attr & seL4_ARM_PageCacheable)
        p |= PDE_TEX(1) | PDE_C | PDE_B;
    else
        p |= PDE_B;
    if (attr & seL4_ARM_ExecuteNever)
        p |= PDE_XN;
    return p;
}

pde_t pde_make_coarse(paddr_t pt)
{
    return (pt & ~MASK(10)) | PDE_COARSE;
}

pte_t *vspace_boot_map_page(pde_t *pd, vptr_t vaddr, paddr_t frame, word_t vm_rights,
                            pte_t *(*alloc_pt)(void))
{
    pde_t *pde = &pd[PD_INDEX(vaddr)];
    pte_t *new_pt = NULL;
    if ((*pde & PDE_TYPE_MASK) != PDE_COARSE) {
        new_pt = alloc_pt();
        *pde = pde_make_coarse(paddr_from_ptr((pptr_t)new_pt));
        clean_to_pou(pde, sizeof(*pde));
    }
    pte_t *pt = (pte_t *)ptr_from_paddr(*pde & ~MASK(10));
    pt[PT_INDEX(vaddr)] = pte_make_small(frame, vm_rights, seL4_ARM_Default_VMAttributes);
    clean_to_pou(&pt[PT_INDEX(vaddr)], sizeof(pte_t));
    return new_pt;
}
