/*
 * Helpers of the VSpace conformance tests: fresh VSpaces, mappings that make their own
 * page tables, and a "prober" thread that performs one memory access (or call) at a time
 * in a chosen VSpace and reports either the result or the fault it took.
 */
#pragma once

#include "../lib/ktest.h"

/* Short-descriptor fault status values (DFSR/IFSR, domain 0). */
#define FSR_SECTION_TRANSLATION 0x005u
#define FSR_PAGE_TRANSLATION    0x007u
#define FSR_SECTION_PERMISSION  0x00du
#define FSR_PAGE_PERMISSION     0x00fu
#define FSR_WRITE               0x800u /* WnR */

#define KERNEL_BASE_VADDR 0xE0000000u
#define IMAGE_BASE        0x00010000u /* where the root task (this image) is linked */

/* Addresses the VSpace tests use (ktest_frame() uses 0x40000000 upwards). */
#define VS_AREA       0x50000000u /* small and large pages */
#define VS_SECTIONS   0x60000000u /* sections and supersections (16 MiB aligned) */
#define VS_IPC_BUFFER 0x7ff00000u /* IPC buffers of probers in other VSpaces */

/* A page directory with an ASID from the root task's ASID pool. */
seL4_CPtr vs_new_pd(void);

/* Maps `frame` at `vaddr` in `pd`, first making a page table when none covers vaddr
 * (small and large pages only). Returns the error of the final Map. */
seL4_Error vs_map(seL4_CPtr pd, seL4_CPtr frame, seL4_Word vaddr, seL4_CapRights_t rights,
                  seL4_Word attr);
/* A page table mapped in `pd` covering `vaddr`; the case fails if it cannot be made. */
seL4_CPtr vs_map_pt(seL4_CPtr pd, seL4_Word vaddr);

/* A copy of `cap` in a fresh slot (seL4_CNode_Copy with all rights). */
seL4_CPtr vs_copy(seL4_CPtr cap);
/* A copy of `cap` with its rights masked (seL4_CNode_Mint, badge 0). */
seL4_CPtr vs_mint(seL4_CPtr cap, seL4_CapRights_t rights);

/* Maps copies of the root task's image frames into `pd` at their own addresses, so
 * code and globals of this image are shared with threads of that VSpace. */
void vs_map_image(seL4_CPtr pd);

/* The physical address of a frame (seL4_ARM_Page_GetAddress). */
seL4_Word vs_paddr(seL4_CPtr frame);

/* ---- probers ---- */

enum { PROBE_READ, PROBE_WRITE, PROBE_CALL };
#define PROBE_DONE_LABEL 0x7d0u

typedef struct {
    seL4_CPtr tcb, ep;
    seL4_Word ipc_vaddr;
    void *stack_top;
} prober_t;

typedef struct {
    bool faulted;
    seL4_Word label; /* fault label when faulted */
    seL4_Word ip, addr, prefetch, fsr;
    seL4_Word value; /* the word read, or the call's return value */
} probe_t;

/* A prober thread running in `pd` (0: the root VSpace), at priority 200. A prober in
 * another VSpace needs the image mapped there (vs_map_image). */
void prober_init(prober_t *p, seL4_CPtr pd);
/* One access by the prober: read or write the word at `addr`, or call the function at
 * `addr` with `value` as its argument. */
probe_t probe(prober_t *p, int kind, seL4_Word addr, seL4_Word value);

/* Shortcuts: the outcome of one access from the root VSpace, by a fresh prober. */
probe_t probe_root(int kind, seL4_Word addr, seL4_Word value);

/* The code address at which probe reads and writes happen (their fault IP). */
extern char probe_ldr[], probe_str[];

/* Checks that `r` is a VMFault at `addr` with status `fsr` (data access). */
#define KCHECK_VMFAULT(r, a, f)                                                                    \
    do {                                                                                           \
        KCHECK((r).faulted);                                                                       \
        KCHECK_EQ((r).label, seL4_Fault_VMFault);                                                  \
        KCHECK_EQ((r).addr, (a));                                                                  \
        KCHECK_EQ((r).fsr, (f));                                                                   \
    } while (0)

/* Checks that `r` completed (no fault). */
#define KCHECK_NOFAULT(r)                                                                          \
    do {                                                                                           \
        if ((r).faulted)                                                                           \
            ktest_fail(__FILE__, __LINE__, "unexpected fault %u at %p (fsr 0x%x, ip %p)",          \
                       (r).label, (void *)(r).addr, (r).fsr, (void *)(r).ip);                      \
    } while (0)
