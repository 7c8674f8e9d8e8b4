/*
 * Whole VSpaces: a second address space built from scratch runs a thread; isolation and
 * sharing between address spaces; what deleting a VSpace (or its pool) does to a thread
 * in it; and more live VSpaces than there are hardware ASIDs.
 */
#include "vs.h"

#define RW      seL4_AllRights
#define DEFAULT seL4_ARM_Default_VMAttributes
#define ROOT    seL4_CapInitThreadVSpace

extern char _start[];
static volatile seL4_Word shared_global;

/* Runs in the other VSpace: proves it executes there, writing to the shared image. */
static seL4_Word triangle(seL4_Word n)
{
    seL4_Word s = 0;
    for (seL4_Word i = 1; i <= n; i++)
        s += i;
    shared_global = s;
    return s;
}

/* A new VSpace with this image mapped into it. */
static seL4_CPtr new_space(void)
{
    seL4_CPtr pd = vs_new_pd();
    vs_map_image(pd);
    return pd;
}

KTEST(space_second_vspace, "VSPACE0070",
      "a VSpace built from scratch (page directory, ASID, page tables, frames) runs a thread")
{
    KREQUIRE_EQ((seL4_Word)_start, IMAGE_BASE);
    seL4_CPtr pd = new_space();
    prober_t p;
    prober_init(&p, pd);
    shared_global = 0;
    probe_t r = probe(&p, PROBE_CALL, (seL4_Word)triangle, 100);
    KCHECK_NOFAULT(r);
    KCHECK_EQ(r.value, 5050);
    KCHECK_EQ(shared_global, 5050);
    /* The thread really is elsewhere: its IPC buffer address is not mapped here. */
    probe_t mine = probe_root(PROBE_READ, p.ipc_vaddr, 0);
    KCHECK_VMFAULT(mine, p.ipc_vaddr, FSR_SECTION_TRANSLATION);
}

KTEST(space_isolation, "VSPACE0071",
      "an address mapped in one VSpace faults in the other, both ways")
{
    seL4_CPtr pd = new_space();
    prober_t other;
    prober_init(&other, pd);
    /* Mapped only in the root VSpace. */
    seL4_CPtr f1 = ktest_object(seL4_ARM_SmallPageObject, 0);
    KREQUIRE_EQ(vs_map(ROOT, f1, VS_AREA, RW, DEFAULT), seL4_NoError);
    *(volatile seL4_Word *)VS_AREA = 0x1111;
    probe_t r = probe(&other, PROBE_READ, VS_AREA, 0);
    KCHECK_VMFAULT(r, VS_AREA, FSR_SECTION_TRANSLATION);
    KCHECK_EQ(r.ip, (seL4_Word)probe_ldr);
    r = probe(&other, PROBE_WRITE, VS_AREA, 0);
    KCHECK_VMFAULT(r, VS_AREA, FSR_SECTION_TRANSLATION | FSR_WRITE);
    /* Mapped only in the other one (a page table there, none here). */
    seL4_CPtr f2 = ktest_object(seL4_ARM_SmallPageObject, 0);
    KREQUIRE_EQ(vs_map(pd, f2, VS_AREA + 0x200000, RW, DEFAULT), seL4_NoError);
    r = probe(&other, PROBE_WRITE, VS_AREA + 0x200000, 0x2222);
    KCHECK_NOFAULT(r);
    r = probe_root(PROBE_READ, VS_AREA + 0x200000, 0);
    KCHECK_VMFAULT(r, VS_AREA + 0x200000, FSR_SECTION_TRANSLATION);
    KCHECK_EQ(*(volatile seL4_Word *)VS_AREA, 0x1111);
}

KTEST(space_shared_memory, "VSPACE0072",
      "copies of a frame cap mapped in two VSpaces (at different addresses) share memory")
{
    seL4_CPtr pd = new_space();
    prober_t other;
    prober_init(&other, pd);
    seL4_CPtr f = ktest_object(seL4_ARM_SmallPageObject, 0);
    KREQUIRE_EQ(vs_map(ROOT, f, VS_AREA, RW, DEFAULT), seL4_NoError);
    KREQUIRE_EQ(vs_map(pd, vs_copy(f), VS_AREA + 0x345000, RW, DEFAULT), seL4_NoError);
    volatile seL4_Word *mine = (volatile seL4_Word *)VS_AREA;
    for (seL4_Word i = 0; i < 8; i++) {
        mine[i] = 0x100 + i;
        probe_t r = probe(&other, PROBE_READ, VS_AREA + 0x345000 + i * 4, 0);
        KCHECK_NOFAULT(r);
        KCHECK_EQ(r.value, 0x100 + i);
        r = probe(&other, PROBE_WRITE, VS_AREA + 0x345000 + 512 + i * 4, 0x200 + i);
        KCHECK_NOFAULT(r);
        KCHECK_EQ(mine[128 + i], 0x200 + i);
    }
    /* A read-only copy shares too, but cannot write. */
    KREQUIRE_EQ(vs_map(pd, vs_copy(f), VS_AREA + 0x346000, seL4_CanRead, DEFAULT), seL4_NoError);
    probe_t r = probe(&other, PROBE_READ, VS_AREA + 0x346000, 0);
    KCHECK_EQ(r.value, 0x100);
    r = probe(&other, PROBE_WRITE, VS_AREA + 0x346000, 0);
    KCHECK_VMFAULT(r, VS_AREA + 0x346000, FSR_PAGE_PERMISSION | FSR_WRITE);
}

KTEST(space_same_address, "VSPACE0073",
      "the same address maps different frames in different VSpaces; switching back and "
      "forth never shows the other's frame")
{
    seL4_CPtr pds[3] = {ROOT, new_space(), new_space()};
    prober_t p[3];
    for (int i = 0; i < 3; i++) {
        prober_init(&p[i], i == 0 ? 0 : pds[i]);
        seL4_CPtr f = ktest_object(seL4_ARM_SmallPageObject, 0);
        KREQUIRE_EQ(vs_map(pds[i], f, VS_AREA + 0x7000, RW, DEFAULT), seL4_NoError);
        probe_t r = probe(&p[i], PROBE_WRITE, VS_AREA + 0x7000, 0xa0 + i);
        KCHECK_NOFAULT(r);
    }
    int bad = 0;
    for (int round = 0; round < 30; round++) {
        int i = (round * 7) % 3;
        probe_t r = probe(&p[i], PROBE_READ, VS_AREA + 0x7000, 0);
        bad += r.faulted || r.value != 0xa0u + i;
        bad += *(volatile seL4_Word *)(VS_AREA + 0x7000) != 0xa0u;
    }
    KCHECK_EQ(bad, 0);
}

KTEST(space_deleted_pd, "VSPACE0074",
      "a thread whose VSpace is deleted faults at its next instruction (prefetch, "
      "translation); the ASID goes to a new VSpace that works")
{
    seL4_CPtr pd = new_space();
    prober_t p;
    prober_init(&p, pd);
    probe_t r = probe(&p, PROBE_CALL, (seL4_Word)triangle, 3);
    KCHECK_EQ(r.value, 6);
    /* Revoke removes the thread's copy of the VSpace cap; Delete the last one. */
    KREQUIRE_EQ(seL4_CNode_Revoke(seL4_CapInitThreadCNode, pd, 32), seL4_NoError);
    KREQUIRE_EQ(seL4_CNode_Delete(seL4_CapInitThreadCNode, pd, 32), seL4_NoError);
    r = probe(&p, PROBE_CALL, (seL4_Word)triangle, 3);
    KCHECK(r.faulted);
    KCHECK_EQ(r.label, seL4_Fault_VMFault);
    KCHECK_EQ(r.prefetch, 1);
    KCHECK_EQ(r.fsr, FSR_SECTION_TRANSLATION);
    KCHECK_EQ(r.addr, r.ip);
    KCHECK(r.ip >= IMAGE_BASE && r.ip < IMAGE_BASE + 0x100000);
    /* Giving the thread a VSpace again brings it back. */
    seL4_CPtr pd2 = new_space();
    prober_t p2;
    prober_init(&p2, pd2);
    r = probe(&p2, PROBE_CALL, (seL4_Word)triangle, 4);
    KCHECK_NOFAULT(r);
    KCHECK_EQ(r.value, 10);
}

KTEST(space_deleted_while_running, "VSPACE0075",
      "revoking the Untyped of a VSpace while its thread is ready makes that thread fault, "
      "not run on stale mappings")
{
    seL4_CPtr ut = ktest_untyped(14);
    seL4_CPtr pd = ktest_slot();
    KREQUIRE_EQ(seL4_Untyped_Retype(ut, seL4_ARM_PageDirectoryObject, 0, seL4_CapInitThreadCNode, 0,
                                    0, pd, 1),
                seL4_NoError);
    KREQUIRE_EQ(seL4_ARM_ASIDPool_Assign(seL4_CapInitThreadASIDPool, pd), seL4_NoError);
    vs_map_image(pd);
    prober_t p;
    prober_init(&p, pd);
    probe_t r = probe(&p, PROBE_CALL, (seL4_Word)triangle, 5);
    KCHECK_EQ(r.value, 15);
    KREQUIRE_EQ(seL4_CNode_Revoke(seL4_CapInitThreadCNode, ut, 32), seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(pd), 0);
    r = probe(&p, PROBE_READ, IMAGE_BASE, 0);
    KCHECK(r.faulted);
    KCHECK_EQ(r.prefetch, 1);
    KCHECK_EQ(r.fsr, FSR_SECTION_TRANSLATION);
}

KTEST(space_pool_deleted_running, "VSPACE0076",
      "deleting an ASID pool stops the threads of its VSpaces (they fault) while the "
      "root task runs on")
{
    seL4_CPtr ut = ktest_untyped(12), pool = ktest_slot();
    KREQUIRE_EQ(
        seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, ut, seL4_CapInitThreadCNode, pool, 32),
        seL4_NoError);
    seL4_CPtr pd = ktest_object(seL4_ARM_PageDirectoryObject, 0);
    KREQUIRE_EQ(seL4_ARM_ASIDPool_Assign(pool, pd), seL4_NoError);
    vs_map_image(pd);
    prober_t p;
    prober_init(&p, pd);
    probe_t r = probe(&p, PROBE_CALL, (seL4_Word)triangle, 6);
    KCHECK_EQ(r.value, 21);
    KREQUIRE_EQ(seL4_CNode_Delete(seL4_CapInitThreadCNode, pool, 32), seL4_NoError);
    r = probe(&p, PROBE_CALL, (seL4_Word)triangle, 6);
    KCHECK(r.faulted);
    KCHECK_EQ(r.prefetch, 1);
    KCHECK_EQ(r.fsr, FSR_SECTION_TRANSLATION);
    /* The page directory cap keeps its (dead) ASID; the root VSpace is untouched. */
    KCHECK_EQ(seL4_DebugCapIdentify(pd), 12);
    r = probe_root(PROBE_CALL, (seL4_Word)triangle, 6);
    KCHECK_EQ(r.value, 21);
}

/*
 * A tiny program placed in each VSpace's own frame: it loads the word at r1 (in the same
 * frame) and then dereferences it, which faults at an unmapped address that is the
 * VSpace's signature. So the fault address tells which frame the thread saw.
 */
static const seL4_Word tell_program[] = {
    0xe5910000u, /* ldr r0, [r1] */
    0xe5902000u, /* ldr r2, [r0] */
    0xeafffffeu, /* b . */
};

KTEST(space_many_vspaces, "VSPACE0077",
      "300 live VSpaces (more than the 255 hardware ASIDs), each entered twice, each sees "
      "only its own frame at a shared address")
{
    enum { N = 300, CODE = 0x00f00000u, DATA_OFFSET = 0x800 };
    static seL4_CPtr pds[N];
    seL4_CPtr tcb = ktest_object(seL4_TCBObject, 0);
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    KREQUIRE_EQ(seL4_TCB_SetPriority(tcb, seL4_CapInitThreadTCB, 200), seL4_NoError);
    seL4_CPtr first_pd = ktest_slot();
    for (int i = 1; i < N; i++)
        ktest_slot();
    KREQUIRE_EQ(seL4_Untyped_Retype(ktest_untyped(22), seL4_ARM_PageDirectoryObject, 0,
                                    seL4_CapInitThreadCNode, 0, 0, first_pd, 256),
                seL4_NoError);
    KREQUIRE_EQ(seL4_Untyped_Retype(ktest_untyped(22), seL4_ARM_PageDirectoryObject, 0,
                                    seL4_CapInitThreadCNode, 0, 0, first_pd + 256, N - 256),
                seL4_NoError);
    volatile seL4_Word *window = (volatile seL4_Word *)VS_AREA;
    for (int i = 0; i < N; i++) {
        pds[i] = first_pd + i;
        KREQUIRE_EQ(seL4_ARM_ASIDPool_Assign(seL4_CapInitThreadASIDPool, pds[i]), seL4_NoError);
        seL4_CPtr f = ktest_object(seL4_ARM_SmallPageObject, 0);
        /* Fill the frame through the root VSpace, then move it to VSpace i. */
        KREQUIRE_EQ(vs_map(ROOT, f, VS_AREA, RW, DEFAULT), seL4_NoError);
        for (int k = 0; k < 3; k++)
            window[k] = tell_program[k];
        window[DATA_OFFSET / 4] = 0x30000000u + (seL4_Word)i * 0x1000u;
        KREQUIRE_EQ(seL4_ARM_Page_Unify_Instruction(f, 0, 16), seL4_NoError);
        KREQUIRE_EQ(seL4_ARM_Page_Unmap(f), seL4_NoError);
        KREQUIRE_EQ(vs_map(pds[i], f, CODE, RW, DEFAULT), seL4_NoError);
    }
    int bad = 0;
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < N; i++) {
            seL4_TCB_Suspend(tcb);
            KREQUIRE_EQ(seL4_TCB_SetSpace(tcb, ep, seL4_CapInitThreadCNode, 0, pds[i], 0),
                        seL4_NoError);
            seL4_UserContext regs = {0};
            regs.pc = CODE;
            regs.cpsr = 0x10;
            regs.r1 = CODE + DATA_OFFSET;
            KREQUIRE_EQ(seL4_TCB_WriteRegisters(tcb, 1, 0, 5, &regs), seL4_NoError);
            seL4_MessageInfo_t info = seL4_Recv(ep, NULL);
            bool ok = seL4_MessageInfo_get_label(info) == seL4_Fault_VMFault &&
                      seL4_GetMR(seL4_VMFault_IP) == CODE + 4 &&
                      seL4_GetMR(seL4_VMFault_Addr) == 0x30000000u + (seL4_Word)i * 0x1000u;
            if (!ok && bad++ < 3)
                printf("  VSpace %d (round %d): fault %u at %p, ip %p\n", i, round,
                       (unsigned)seL4_MessageInfo_get_label(info),
                       (void *)seL4_GetMR(seL4_VMFault_Addr), (void *)seL4_GetMR(seL4_VMFault_IP));
        }
    }
    KCHECK_EQ(bad, 0);
    /* Hardware ASIDs were taken back, the root task's too: its unmaps must still reach
     * the TLB (a stale entry would let the read below succeed). */
    seL4_CPtr f = ktest_object(seL4_ARM_SmallPageObject, 0);
    KREQUIRE_EQ(vs_map(ROOT, f, VS_AREA + 0x5000, RW, DEFAULT), seL4_NoError);
    prober_t p;
    prober_init(&p, 0);
    for (int i = 0; i < 8; i++) {
        seL4_Word v = VS_AREA + 0x5000 + (seL4_Word)i * 0x1000;
        KREQUIRE_EQ(seL4_ARM_Page_Map(f, ROOT, v, RW, DEFAULT), seL4_NoError);
        probe_t r = probe(&p, PROBE_WRITE, v, i);
        KCHECK_NOFAULT(r);
        KREQUIRE_EQ(seL4_ARM_Page_Unmap(f), seL4_NoError);
        r = probe(&p, PROBE_READ, v, 0);
        KCHECK_VMFAULT(r, v, FSR_PAGE_TRANSLATION);
    }
}

KTEST(space_set_space_moves, "VSPACE0078",
      "TCB_SetSpace moves a thread to another VSpace: the same address then reads that "
      "VSpace's frame")
{
    seL4_CPtr pd = new_space();
    prober_t p;
    prober_init(&p, 0);
    seL4_CPtr mine = ktest_object(seL4_ARM_SmallPageObject, 0);
    seL4_CPtr theirs = ktest_object(seL4_ARM_SmallPageObject, 0);
    KREQUIRE_EQ(vs_map(ROOT, mine, VS_AREA + 0x9000, RW, DEFAULT), seL4_NoError);
    KREQUIRE_EQ(vs_map(pd, theirs, VS_AREA + 0x9000, RW, DEFAULT), seL4_NoError);
    *(volatile seL4_Word *)(VS_AREA + 0x9000) = 0x111;
    probe_t r = probe(&p, PROBE_READ, VS_AREA + 0x9000, 0);
    KCHECK_EQ(r.value, 0x111);
    /* The prober's IPC buffer must be at the same address over there. */
    seL4_CPtr ipc = ktest_object(seL4_ARM_SmallPageObject, 0);
    KREQUIRE_EQ(vs_map(pd, ipc, p.ipc_vaddr, RW, DEFAULT), seL4_NoError);
    KREQUIRE_EQ(seL4_TCB_SetSpace(p.tcb, p.ep, seL4_CapInitThreadCNode, 0, pd, 0), seL4_NoError);
    r = probe(&p, PROBE_WRITE, VS_AREA + 0x9000, 0x222);
    KCHECK_NOFAULT(r);
    r = probe(&p, PROBE_READ, VS_AREA + 0x9000, 0);
    KCHECK_EQ(r.value, 0x222);
    KCHECK_EQ(*(volatile seL4_Word *)(VS_AREA + 0x9000), 0x111);
    KREQUIRE_EQ(seL4_TCB_SetSpace(p.tcb, p.ep, seL4_CapInitThreadCNode, 0, ROOT, 0), seL4_NoError);
    r = probe(&p, PROBE_READ, VS_AREA + 0x9000, 0);
    KCHECK_EQ(r.value, 0x111);
}
