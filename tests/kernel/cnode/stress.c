/*
 * Stress: the whole test pool retyped and revoked over and over, derivation trees 1,000
 * caps deep and 1,000 wide, and every kind of object destroyed while in use. The kernel's
 * invariant checker runs in the middle of each, on the large state.
 */
#include "cnode_util.h"

#define VA 0x53000000u

/* The size of the test pool: the largest RAM Untyped at boot (ktest's choice). */
static seL4_Word pool_bits(void)
{
    const seL4_BootInfo *bi = ktest_bootinfo;
    seL4_Word bits = 0;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++)
        if (!bi->untypedList[i].isDevice && bi->untypedList[i].sizeBits > bits)
            bits = bi->untypedList[i].sizeBits;
    return bits;
}

/* A layout that fills 2^26 bytes exactly, largest objects first (no alignment gaps). */
static const struct {
    seL4_Word type, size, count;
} fill26[] = {
    {seL4_ARM_SuperSectionObject, 0, 3},
    {seL4_ARM_SectionObject, 0, 15},
    {seL4_ARM_LargePageObject, 0, 15},
    {seL4_ARM_PageDirectoryObject, 0, 3},
    {seL4_ARM_SmallPageObject, 0, 3},
    {seL4_ARM_PageTableObject, 0, 2},
    {seL4_TCBObject, 0, 1},
    {seL4_CapTableObject, 4, 3},
    {seL4_EndpointObject, 0, 8},
    {seL4_NotificationObject, 0, 7},
    {seL4_UntypedObject, 4, 1},
};
#define FILL26_KINDS  (sizeof(fill26) / sizeof(fill26[0]))
#define FILL26_FRAMES (3 + 15 + 15 + 3)

static seL4_Word object_bytes(seL4_Word type, seL4_Word size)
{
    switch (type) {
    case seL4_UntypedObject:
        return 1u << size;
    case seL4_EndpointObject:
    case seL4_NotificationObject:
        return 16;
    case seL4_CapTableObject:
        return 1u << (size + 4);
    case seL4_ARM_SmallPageObject:
        return 1u << 12;
    case seL4_ARM_LargePageObject:
        return 1u << 16;
    case seL4_ARM_SectionObject:
        return 1u << 20;
    case seL4_ARM_SuperSectionObject:
        return 1u << 24;
    case seL4_ARM_PageDirectoryObject:
        return 1u << 14;
    default: /* TCB, page table */
        return 1u << 10;
    }
}

KTEST(stress_pool_cycles, "STRESS0001",
      "the whole test pool retyped into objects of every type and revoked, 3 times over")
{
    seL4_Word bits = pool_bits();
    KREQUIRE_EQ(bits, 26);
    seL4_CPtr ut = ktest_untyped(bits);
    seL4_CPtr first = ktest_slot();
    for (int i = 1; i < 64; i++)
        ktest_slot();
    static seL4_Word addr[3][FILL26_FRAMES];
    for (int round = 0; round < 3; round++) {
        seL4_CPtr s = first;
        seL4_Word left = 1u << 26;
        int frames = 0;
        for (unsigned k = 0; k < FILL26_KINDS; k++) {
            CHECK_OK(seL4_Untyped_Retype(ut, fill26[k].type, fill26[k].size, ROOT, 0, 0, s,
                                         fill26[k].count));
            left -= fill26[k].count * object_bytes(fill26[k].type, fill26[k].size);
            for (seL4_Word i = 0; i < fill26[k].count; i++, s++)
                if (seL4_DebugCapIdentify(s) == CT_FRAME && frames < FILL26_FRAMES)
                    addr[round][frames++] = frame_paddr(s);
            /* What is left is exactly what NotEnoughMemory reports. */
            if (k == 0)
                CHECK_NO_MEMORY(seL4_Untyped_Retype(ut, seL4_UntypedObject, 25, ROOT, 0, 0, s, 1),
                                left);
        }
        KCHECK_EQ(left, 0);
        KCHECK_EQ(frames, FILL26_FRAMES);
        CHECK_NO_MEMORY(seL4_Untyped_Retype(ut, seL4_UntypedObject, 4, ROOT, 0, 0, s, 1), 0);
        if (round == 0)
            CHECK_INVARIANTS();
        else
            for (int i = 0; i < FILL26_FRAMES; i++)
                KCHECK_EQ(addr[round][i], addr[0][i]);
        CHECK_OK(seL4_CNode_Revoke(ROOT, ut, DEPTH));
        KCHECK_EQ(seL4_DebugCapIdentify(first), CT_NULL);
        KCHECK_EQ(seL4_DebugCapIdentify(s - 1), CT_NULL);
    }
    /* All of it is free: one Untyped of the full size fits, and nothing more. */
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_UntypedObject, bits, ROOT, 0, 0, first, 1));
    CHECK_NO_MEMORY(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, 0, 0, first + 1, 1), 0);
    CHECK_OK(seL4_CNode_Revoke(ROOT, ut, DEPTH));
    CHECK_INVARIANTS();
}

/* Slots of a 4096-slot CNode `big`, named with 32-bit paths through a root alias. */
typedef struct {
    seL4_CPtr big, alias;
} big_cnode_t;

static big_cnode_t big_cnode(void)
{
    big_cnode_t b;
    b.big = new_cnode(12);
    b.alias = mint_new(ROOT, seL4_AllRights, seL4_CNode_CapData_new(0, 8).words[0]);
    return b;
}

static seL4_Word big_path(const big_cnode_t *b, seL4_Word i)
{
    return (b->big << 12) | i;
}

static seL4_Word count_nonempty(seL4_CPtr cnode, uint8_t *types)
{
    identify_slots(cnode, 12, 0, 4096, types);
    seL4_Word n = 0;
    for (int i = 0; i < 4096; i++)
        n += types[i] != CT_NULL;
    return n;
}

static uint8_t types[4096];

KTEST(stress_deep_wide_endpoint, "STRESS0002",
      "1,000 copies of copies and 1,000 badged mints (with copies) of an endpoint: revoked")
{
    big_cnode_t b = big_cnode();
    seL4_CPtr ep = new_endpoint();
    /* Deep: big[i] is a copy of big[i - 1], the first a copy of the endpoint. */
    CHECK_OK(seL4_CNode_Copy(b.alias, big_path(&b, 0), DEPTH, ROOT, ep, DEPTH, seL4_AllRights));
    seL4_Word errors = 0;
    for (seL4_Word i = 1; i < 1000; i++)
        errors += seL4_CNode_Copy(b.alias, big_path(&b, i), DEPTH, b.alias, big_path(&b, i - 1),
                                  DEPTH, seL4_AllRights) != seL4_NoError;
    /* Wide: big[1000 + i] minted from the endpoint with badge i + 1, each with a copy. */
    for (seL4_Word i = 0; i < 1000; i++) {
        errors += seL4_CNode_Mint(b.big, 1000 + i, 12, ROOT, ep, DEPTH, seL4_AllRights, i + 1) !=
                  seL4_NoError;
        errors += seL4_CNode_Copy(b.big, 2000 + i, 12, b.big, 1000 + i, 12, seL4_AllRights) !=
                  seL4_NoError;
    }
    KCHECK_EQ(errors, 0);
    KCHECK_EQ(count_nonempty(b.big, types), 3000);
    KCHECK_EQ(types[999], CT_ENDPOINT);
    KCHECK_EQ(types[2999], CT_ENDPOINT);
    CHECK_INVARIANTS();
    /* A badged mint's subtree is its copy only; the deep copies are nobody's parent. */
    CHECK_OK(seL4_CNode_Revoke(b.big, 1000 + 41, 12));
    CHECK_OK(seL4_CNode_Revoke(b.big, 500, 12));
    KCHECK_EQ(count_nonempty(b.big, types), 2999);
    KCHECK_EQ(types[2041], CT_NULL);
    KCHECK_EQ(types[1041], CT_ENDPOINT);
    seL4_CPtr probe = ktest_slot();
    CHECK_OK(seL4_CNode_Copy(ROOT, probe, DEPTH, b.big, 1041, 12, seL4_AllRights));
    KCHECK_EQ(send_badge(probe, ep), 42);
    CHECK_OK(seL4_CNode_Delete(ROOT, probe, DEPTH));
    /* Revoking the endpoint's original reaches all of them. */
    CHECK_OK(seL4_CNode_Revoke(ROOT, ep, DEPTH));
    KCHECK_EQ(count_nonempty(b.big, types), 0);
    KCHECK_EQ(seL4_DebugCapIdentify(ep), CT_ENDPOINT);
    CHECK_INVARIANTS();
}

KTEST(stress_deep_untyped, "STRESS0003",
      "an Untyped copied 1,000 deep (each copy the next one's parent): revoked from the middle, "
      "then the top")
{
    big_cnode_t b = big_cnode();
    seL4_CPtr ut = ktest_untyped(12);
    CHECK_OK(seL4_CNode_Copy(b.big, 0, 12, ROOT, ut, DEPTH, seL4_AllRights));
    seL4_Word errors = 0;
    for (seL4_Word i = 1; i < 1000; i++)
        errors += seL4_CNode_Copy(b.alias, big_path(&b, i), DEPTH, b.alias, big_path(&b, i - 1),
                                  DEPTH, seL4_AllRights) != seL4_NoError;
    KCHECK_EQ(errors, 0);
    /* Only the deepest copy (no children) can retype; every other is full. */
    seL4_CPtr u999 = ktest_slot(), u500 = ktest_slot(), f = ktest_slot();
    CHECK_OK(seL4_CNode_Move(ROOT, u999, DEPTH, b.big, 999, 12));
    CHECK_OK(seL4_CNode_Move(ROOT, u500, DEPTH, b.big, 500, 12));
    CHECK_OK(seL4_Untyped_Retype(u999, seL4_ARM_SmallPageObject, 0, ROOT, 0, 0, f, 1));
    CHECK_NO_MEMORY(seL4_Untyped_Retype(u500, seL4_EndpointObject, 0, ROOT, 0, 0, f + 1, 1), 0);
    CHECK_NO_MEMORY(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, 0, 0, f + 1, 1), 0);
    CHECK_INVARIANTS();
    CHECK_OK(seL4_CNode_Revoke(ROOT, u500, DEPTH));
    KCHECK_EQ(seL4_DebugCapIdentify(u999), CT_NULL);
    KCHECK_EQ(seL4_DebugCapIdentify(f), CT_NULL);
    KCHECK_EQ(count_nonempty(b.big, types), 500); /* 0..499; 500 sits in the root */
    KCHECK_EQ(types[499], CT_UNTYPED);
    KCHECK_EQ(types[501], CT_NULL);
    CHECK_OK(seL4_Untyped_Retype(u500, seL4_ARM_SmallPageObject, 0, ROOT, 0, 0, f, 1));
    CHECK_OK(seL4_CNode_Revoke(ROOT, ut, DEPTH));
    KCHECK_EQ(count_nonempty(b.big, types), 0);
    KCHECK_EQ(seL4_DebugCapIdentify(u500), CT_NULL);
    KCHECK_EQ(seL4_DebugCapIdentify(f), CT_NULL);
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_UntypedObject, 12, ROOT, 0, 0, f, 1));
    CHECK_INVARIANTS();
}

KTEST(stress_destroy_in_use, "STRESS0004",
      "one revoke destroys objects of every type in use: running and blocked threads, queues, "
      "mappings, page tables, a VSpace, a CNode of caps")
{
    seL4_CPtr ut = ktest_untyped(22);
    seL4_CPtr ep = ktest_slot(), nt = ktest_slot(), bound = ktest_slot(), cn = ktest_slot();
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, 0, 0, ep, 1));
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_NotificationObject, 0, ROOT, 0, 0, nt, 1));
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_NotificationObject, 0, ROOT, 0, 0, bound, 1));
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_CapTableObject, 4, ROOT, 0, 0, cn, 1));
    for (int i = 0; i < 6; i++)
        progress[i] = 0;
    seL4_CPtr s1 = thread_from_untyped(ut, body_send, THREAD_ARG(ep, 1), 100, 1, VA + 0x1000);
    seL4_CPtr s2 = thread_from_untyped(ut, body_call, THREAD_ARG(ep, 2), 100, 2, VA + 0x2000);
    seL4_CPtr w = thread_from_untyped(ut, body_wait, THREAD_ARG(nt, 3), 100, 3, VA + 0x3000);
    seL4_CPtr r = thread_from_untyped(ut, body_recv, THREAD_ARG(ep, 4), 100, 4, VA + 0x4000);
    CHECK_OK(seL4_TCB_BindNotification(s1, bound));
    let_run(100);
    KCHECK_EQ(progress[4], 1); /* r took s1's or s2's message; the other still queues */
    /* Started last: at the root's priority it would starve the root in let_run. */
    seL4_CPtr spin = thread_from_untyped(ut, body_spin, THREAD_ARG(0, 0), seL4_MaxPrio, 0, VA);
    for (int i = 0; i < 50 && progress[0] == 0; i++)
        seL4_Yield();
    KCHECK(progress[0] != 0);
    seL4_Word blocked_progress = progress[1] + progress[2] + progress[3];
    /* A mapped frame, a page table with mappings, a VSpace of its own. */
    seL4_CPtr f = ktest_slot(), pt = ktest_slot(), g = ktest_slot(), pd = ktest_slot();
    seL4_CPtr pt2 = ktest_slot(), sec = ktest_slot();
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_ARM_SmallPageObject, 0, ROOT, 0, 0, f, 1));
    map_frame_at(f, VA + 0x8000, seL4_AllRights);
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_ARM_PageTableObject, 0, ROOT, 0, 0, pt, 1));
    CHECK_OK(seL4_ARM_PageTable_Map(pt, seL4_CapInitThreadVSpace, VA + 0x100000,
                                    seL4_ARM_Default_VMAttributes));
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_ARM_SmallPageObject, 0, ROOT, 0, 0, g, 1));
    CHECK_OK(seL4_ARM_Page_Map(g, seL4_CapInitThreadVSpace, VA + 0x100000, seL4_AllRights,
                               seL4_ARM_Default_VMAttributes));
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_ARM_PageDirectoryObject, 0, ROOT, 0, 0, pd, 1));
    CHECK_OK(seL4_ARM_ASIDPool_Assign(seL4_CapInitThreadASIDPool, pd));
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_ARM_PageTableObject, 0, ROOT, 0, 0, pt2, 1));
    CHECK_OK(seL4_ARM_PageTable_Map(pt2, pd, 0x10000000u, seL4_ARM_Default_VMAttributes));
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_ARM_SectionObject, 0, ROOT, 0, 0, sec, 1));
    CHECK_OK(
        seL4_ARM_Page_Map(sec, pd, 0x20000000u, seL4_AllRights, seL4_ARM_Default_VMAttributes));
    /* The CNode holds copies of most of it, and the only cap to the waiter. */
    CHECK_OK(seL4_CNode_Copy(cn, 0, 4, ROOT, ep, DEPTH, seL4_AllRights));
    CHECK_OK(seL4_CNode_Copy(cn, 1, 4, ROOT, f, DEPTH, seL4_AllRights));
    CHECK_OK(seL4_CNode_Copy(cn, 2, 4, ROOT, pd, DEPTH, seL4_AllRights));
    CHECK_OK(seL4_CNode_Move(cn, 3, 4, ROOT, w, DEPTH));
    CHECK_OK(seL4_CNode_Copy(cn, 4, 4, ROOT, cn, DEPTH, seL4_AllRights));
    *(volatile seL4_Word *)(VA + 0x100000) = 1;
    CHECK_INVARIANTS();

    CHECK_OK(seL4_CNode_Revoke(ROOT, ut, DEPTH));
    CHECK_INVARIANTS();
    seL4_Word before = progress[0];
    for (int i = 0; i < 3; i++)
        seL4_Yield();
    KCHECK_EQ(progress[0], before);
    let_run(100);
    KCHECK_EQ(progress[1] + progress[2] + progress[3], blocked_progress);
    seL4_CPtr caps[] = {ep, nt, bound, cn, spin, s1, s2, r, f, pt, g, pd, pt2, sec};
    for (unsigned i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
        KCHECK_EQ(seL4_DebugCapIdentify(caps[i]), CT_NULL);
    /* The mappings are gone, and the whole Untyped is free again. */
    seL4_CPtr fep = new_endpoint();
    ktest_thread_t t;
    start_thread(&t, body_read, VA + 0x100000, 100, fep);
    fault_msg_t fm = recv_fault(fep);
    KCHECK_EQ(fm.label, seL4_Fault_VMFault);
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_UntypedObject, 22, ROOT, 0, 0, ep, 1));
    CHECK_INVARIANTS();
}

KTEST(stress_churn, "STRESS0005",
      "30 rounds of threads blocked in IPC made and revoked: nothing leaks, nothing dangles")
{
    seL4_CPtr ut = ktest_untyped(16);
    seL4_CPtr ep = ktest_slot(), nt = ktest_slot();
    for (int round = 0; round < 30; round++) {
        CHECK_OK(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, 0, 0, ep, 1));
        CHECK_OK(seL4_Untyped_Retype(ut, seL4_NotificationObject, 0, ROOT, 0, 0, nt, 1));
        thread_from_untyped(ut, body_send, THREAD_ARG(ep, 0), 100, 0, VA);
        thread_from_untyped(ut, body_call, THREAD_ARG(ep, 1), 100, 1, VA + 0x1000);
        thread_from_untyped(ut, body_wait, THREAD_ARG(nt, 2), 100, 2, VA + 0x2000);
        let_run(100);
        if (round % 10 == 0)
            CHECK_INVARIANTS();
        CHECK_OK(seL4_CNode_Revoke(ROOT, ut, DEPTH));
    }
    CHECK_INVARIANTS();
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_UntypedObject, 16, ROOT, 0, 0, ep, 1));
}

KTEST(stress_full_cnode, "STRESS0006",
      "a 4096-slot CNode full of caps deleted at once empties all of it")
{
    seL4_CPtr big = new_cnode(12);
    seL4_CPtr nt = new_notification();
    seL4_CPtr b = mint_new(nt, seL4_AllRights, 6);
    seL4_Word errors = 0;
    for (seL4_Word i = 0; i < 4096; i++)
        errors += seL4_CNode_Copy(big, i, 12, ROOT, (i & 1) ? b : nt, DEPTH, seL4_AllRights) !=
                  seL4_NoError;
    KCHECK_EQ(errors, 0);
    KCHECK_EQ(count_nonempty(big, types), 4096);
    CHECK_INVARIANTS();
    CHECK_OK(seL4_CNode_Delete(ROOT, big, DEPTH));
    CHECK_INVARIANTS();
    /* Nothing of it is left under the notification: revoking finds only b. */
    KCHECK_EQ(signal_badge(b, nt), 6);
    CHECK_OK(seL4_CNode_Revoke(ROOT, nt, DEPTH));
    KCHECK_EQ(seL4_DebugCapIdentify(b), CT_NULL);
}
