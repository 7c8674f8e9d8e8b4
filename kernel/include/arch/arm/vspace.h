/*
 * ARMv7 short-descriptor VSpaces: a 16 KiB page directory of 4096 entries (1 MiB each),
 * 1 KiB page tables of 256 entries (4 KiB each). User mappings are non-global and tagged
 * with a hardware ASID; the kernel's are global and copied into every page directory.
 */
#pragma once

#include <types.h>
#include <object/tcb.h>
#include <object/structures.h>
#include <arch/arm/machine.h>
#include <arch/arm/layout.h>

typedef word_t pde_t;
typedef word_t pte_t;

#define PD_ENTRIES      4096
#define PT_ENTRIES      256
#define PD_INDEX(v)     ((v) >> 20)
#define PT_INDEX(v)     (((v) >> 12) & 0xffu)
#define KERNEL_PD_INDEX (KERNEL_BASE >> 20)

/* First-level descriptors. */
#define PDE_TYPE_MASK    3u
#define PDE_INVALID      0u
#define PDE_COARSE       1u
#define PDE_SECTION      2u
#define PDE_SUPERSECTION BIT(18)
#define PDE_NG           BIT(17)
#define PDE_S            BIT(16)
#define PDE_APX          BIT(15)
#define PDE_TEX(x)       ((word_t)(x) << 12)
#define PDE_AP(x)        ((word_t)(x) << 10)
#define PDE_XN           BIT(4)
#define PDE_C            BIT(3)
#define PDE_B            BIT(2)

/* Second-level descriptors. */
#define PTE_INVALID      0u
#define PTE_LARGE        1u
#define PTE_SMALL        2u
#define PTE_SMALL_XN     BIT(0)
#define PTE_LARGE_XN     BIT(15)
#define PTE_NG           BIT(11)
#define PTE_S            BIT(10)
#define PTE_APX          BIT(9)
#define PTE_SMALL_TEX(x) ((word_t)(x) << 6)
#define PTE_LARGE_TEX(x) ((word_t)(x) << 12)
#define PTE_AP(x)        ((word_t)(x) << 4)
#define PTE_C            BIT(3)
#define PTE_B            BIT(2)

extern pde_t kernel_pd[PD_ENTRIES];
extern asid_pool_t *asid_table[ASID_POOLS];

/*
 * One entry of every page directory's kernel part that maps nothing (0xFF000000) holds
 * the directory's hardware ASID while it has one. Its descriptor type bits stay 00 (a
 * fault entry), so the MMU ignores it; the kernel reads it to switch to the directory
 * without any ASID-table lookup (as seL4 does on ARMv7).
 */
#define PD_ASID_SLOT       (0xFF000000u >> 20)
#define PD_ASID_SLOT_VALID BIT(31)

/* The page directory in TTBR0 (see vspace.c). */
extern pptr_t vspace_active_pd;

/* Loads page directory `pd` with hardware ASID `hw_asid`. No barrier is needed before:
 * every descriptor write is already followed by a DSB (clean_to_pou). */
static inline void vspace_load(pptr_t pd, word_t hw_asid)
{
    write_ttbr0(paddr_from_ptr(pd) | 0x4a);
    isb();
    write_contextidr(hw_asid);
    isb();
    vspace_active_pd = pd;
}

void vspace_init_kernel(void);
/* Loads the VSpace of `t` (or the kernel-only one when it has none that is valid). */
void vspace_activate(tcb_t *t);
void vspace_activate_kernel(void);
/* Prepares a zeroed page directory: copies in the kernel's global mappings. */
void vspace_init_pd(pde_t *pd);

/* The page directory registered for `asid`, or NULL. */
pde_t *vspace_find_pd(word_t asid);
/* Makes the TLB forget one page of `asid` (after an unmap or remap). */
void vspace_flush_page(word_t asid, vptr_t vaddr);
void vspace_flush_asid(word_t asid);
/* Registers `pd` under `asid` / forgets the ASID (and its hardware ASID). */
void asid_assign(word_t asid, pde_t *pd);
void asid_release(word_t asid);

/* Descriptor contents for a user mapping with seL4 VM rights and attributes. */
pte_t pte_make_small(paddr_t frame, word_t vm_rights, word_t attr);
pte_t pte_make_large(paddr_t frame, word_t vm_rights, word_t attr);
pde_t pde_make_section(paddr_t frame, word_t vm_rights, word_t attr, bool super);
pde_t pde_make_coarse(paddr_t pt);

/* Makes a descriptor update visible to the table walker. */
void clean_to_pou(void *start, word_t bytes);

/* Boot only: map a 4 KiB frame, taking page tables from `alloc_pt` when needed. Returns the
 * page table that was allocated (or NULL if the existing one was used). */
pte_t *vspace_boot_map_page(pde_t *pd, vptr_t vaddr, paddr_t frame, word_t vm_rights,
                            pte_t *(*alloc_pt)(void));
