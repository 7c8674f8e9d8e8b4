/*
 * The root task's CSpace, promoted to two levels by libcspace (env.c): the set-up, the CPtr
 * layout of cspace.h, CPtrs below 4096 that must keep working, growth by 4096-slot CNodes from
 * libut, and libcspace's CNode calls on slots of those CNodes.
 */
#include "env.h"

#define TYPE_UNTYPED 1
#define TYPE_EP      2
#define TYPE_NTFN    3
#define TYPE_REPLY   4
#define TYPE_CNODE   5
#define TYPE_TCB     6
#define TYPE_IRQCTL  7
#define TYPE_FRAME   10
#define TYPE_PD      12
#define TYPE_ASIDCTL 13
#define TYPE_ASIDPL  14

#define TOP_GUARD 12 /* 32 - 8 (top radix) - 12 (root CNode radix) */

/* The last failure's detail must be exactly this lookup failure. */
static void check_lookup(int line, seL4_Word source, seL4_Word type, seL4_Word bits_left,
                         seL4_Word d0, seL4_Word d1)
{
    ktest_error_t e;
    ktest_get_error(&e);
    if (e.error != seL4_FailedLookup || e.failed_lookup_was_source != source ||
        e.lookup_type != type || e.bits_left != bits_left || e.detail0 != d0 || e.detail1 != d1)
        ktest_fail(__FILE__, line,
                   "lookup failure: error %u source %u type %u bits left %u detail %u/%u; "
                   "expected %u %u %u %u %u/%u",
                   e.error, e.failed_lookup_was_source, e.lookup_type, e.bits_left, e.detail0,
                   e.detail1, seL4_FailedLookup, source, type, bits_left, d0, d1);
}

KTEST(setup_done, "USERLIBS0001",
      "set-up: libut holds every boot Untyped but ktest's pool; root CSpace promoted")
{
    const seL4_BootInfo *bi = ktest_bootinfo;
    seL4_Word n_untyped = bi->untyped.end - bi->untyped.start;
    KCHECK_EQ(env_setup.ut_add, seL4_NoError);
    KCHECK_EQ(env_setup.ut_roots, n_untyped - 1);
    KCHECK(env_setup.pool >= bi->untyped.start && env_setup.pool < bi->untyped.end);
    KCHECK_EQ(ut_size(&env_ut), env_setup.ram_bytes);
    KCHECK_EQ(env_setup.bootstrap.error, seL4_NoError);
    KCHECK_EQ(env_setup.promote.error, seL4_NoError);
    KCHECK_EQ(env_setup.promote.step, CSPACE_STEP_NONE);

    /* ktest keeps its share of the free slots, libcspace has the rest. */
    KCHECK_EQ(env_setup.split, env_setup.empty_start + ENV_KTEST_SLOTS);
    KCHECK_EQ(bi->empty.start, env_setup.empty_start);
    KCHECK_EQ(bi->empty.end, env_setup.split);
    KCHECK_EQ(env_setup.empty_end, 4096);

    KCHECK_EQ(env_root.two_level, true);
    KCHECK_EQ(env_root.radix, 8);
    KCHECK_EQ(env_root.node_bits, 12);
    KCHECK_EQ(env_root.reserve, CSPACE_ROOT_RESERVE);
    KCHECK_EQ(env_root.max_leaves, CSPACE_MAX_LEAVES);
    KCHECK_EQ(env_root.root_cnode, env_setup.promote.slot);
    KCHECK(env_root.root_cnode >= env_setup.split && env_root.root_cnode < 4096);
    KCHECK_EQ(seL4_DebugCapIdentify(env_root.root_cnode), TYPE_CNODE);
    KCHECK_EQ(env_ut_cs.root, env_root.root_cnode);
    KCHECK_EQ(env_ut_cs.leaf_bits, 12);
    printf("  libut: %u untypeds, %u KiB of RAM; root CSpace: %u slots, %u free\n",
           (unsigned)env_setup.ut_roots, (unsigned)(env_setup.ram_bytes >> 10),
           (unsigned)cspace_stats(&env_root).slots, (unsigned)cspace_stats(&env_root).free);
}

KTEST(top_layout, "USERLIBS0002",
      "promoted: the TCB's CSpace root is the new top CNode; its slot 0 is the root CNode, guard 0")
{
    seL4_CPtr top = env_root.root_cnode;

    /* Top slot 0, fetched at depth 20 (12 guard bits + 8 radix bits), is the root CNode: at
     * depth 12 it names seL4_CapInitThreadTCB, so its guard is 0. */
    seL4_CPtr zero = ktest_slot(), tcb = ktest_slot();
    KREQUIRE_EQ(seL4_CNode_Copy(seL4_CapInitThreadCNode, zero, 32, top, 0, 20, seL4_AllRights),
                seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(zero), TYPE_CNODE);
    KCHECK_EQ(seL4_CNode_Copy(seL4_CapInitThreadCNode, tcb, 32, zero, seL4_CapInitThreadTCB, 12,
                              seL4_AllRights),
              seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(tcb), TYPE_TCB);
    /* At depth 32 its 12 bits are used up at slot 0 (CPtr 1 >> 20), which is no CNode. */
    KCHECK_EQ(seL4_CNode_Copy(seL4_CapInitThreadCNode, ktest_slot(), 32, zero,
                              seL4_CapInitThreadTCB, 32, seL4_AllRights),
              seL4_FailedLookup);
    check_lookup(__LINE__, 1, seL4_DepthMismatch, 20, 0, 0);

    /* A CNode of 4096 slots in top slot 255 makes CPtr 255 << 12 | 7 resolve, for the root
     * thread's own lookups only: its CSpace root is the new top. */
    seL4_CPtr node = ktest_object(seL4_CapTableObject, 12);
    seL4_CPtr ntfn = ktest_object(seL4_NotificationObject, 0);
    KREQUIRE_EQ(seL4_CNode_Copy(top, 255, 20, seL4_CapInitThreadCNode, node, 32, seL4_AllRights),
                seL4_NoError);
    KREQUIRE_EQ(
        seL4_CNode_Mint(node, 7, 12, seL4_CapInitThreadCNode, ntfn, 32, seL4_AllRights, 0x55),
        seL4_NoError);
    seL4_CPtr far = 255u << 12 | 7;
    KCHECK_EQ(seL4_DebugCapIdentify(far), TYPE_NTFN);
    KCHECK_EQ(seL4_DebugCapIdentify(254u << 12 | 7), 0);
    seL4_Signal(far);
    seL4_Word badge = 0;
    seL4_Poll(ntfn, &badge);
    KCHECK_EQ(badge, 0x55);
    /* The same CPtr through the kernel's root CNode cap (guard 0 of 20 bits) does not resolve. */
    KCHECK_EQ(seL4_CNode_Copy(seL4_CapInitThreadCNode, ktest_slot(), 32, seL4_CapInitThreadCNode,
                              far, 32, seL4_AllRights),
              seL4_FailedLookup);
    check_lookup(__LINE__, 1, seL4_GuardMismatch, 32, 0, 20);
    /* Nor through the top at the wrong depth: 255 << 12 | 7 at depth 20 has guard bits 0xff. */
    KCHECK_EQ(seL4_CNode_Delete(top, far, 20), seL4_FailedLookup);
    check_lookup(__LINE__, 0, seL4_GuardMismatch, 20, 0, TOP_GUARD);

    KCHECK_EQ(seL4_CNode_Delete(top, 255, 20), seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(far), 0);
}

static void echo(seL4_Word ep)
{
    seL4_SetMR(0, 0x1234);
    seL4_Call(ep, seL4_MessageInfo_new(7, 0, 0, 1));
}

KTEST(low_cptrs, "USERLIBS0003",
      "promoted: CPtrs below 4096 work at depth 32 through seL4_CapInitThreadCNode and the top")
{
    const seL4_BootInfo *bi = ktest_bootinfo;
    seL4_CPtr top = env_root.root_cnode;
    KCHECK_EQ(seL4_DebugCapIdentify(seL4_CapInitThreadTCB), TYPE_TCB);
    KCHECK_EQ(seL4_DebugCapIdentify(seL4_CapInitThreadCNode), TYPE_CNODE);
    KCHECK_EQ(seL4_DebugCapIdentify(seL4_CapInitThreadVSpace), TYPE_PD);
    KCHECK_EQ(seL4_DebugCapIdentify(seL4_CapIRQControl), TYPE_IRQCTL);
    KCHECK_EQ(seL4_DebugCapIdentify(seL4_CapASIDControl), TYPE_ASIDCTL);
    KCHECK_EQ(seL4_DebugCapIdentify(seL4_CapInitThreadASIDPool), TYPE_ASIDPL);
    KCHECK_EQ(seL4_DebugCapIdentify(seL4_CapBootInfoFrame), TYPE_FRAME);
    KCHECK_EQ(seL4_DebugCapIdentify(seL4_CapInitThreadIPCBuffer), TYPE_FRAME);
    KCHECK_EQ(seL4_DebugCapIdentify(bi->userImageFrames.start), TYPE_FRAME);
    KCHECK_EQ(seL4_DebugCapIdentify(bi->untyped.start), TYPE_UNTYPED);
    KCHECK_EQ(seL4_DebugCapIdentify(bi->untyped.end - 1), TYPE_UNTYPED);
    KCHECK_EQ(seL4_ARM_Page_GetAddress(seL4_CapBootInfoFrame).error, seL4_NoError);
    KCHECK_EQ(seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, seL4_MaxPrio),
              seL4_NoError);

    /* One slot, written through one root and read or cleared through the other. */
    seL4_CPtr s = ktest_slot();
    KCHECK_EQ(seL4_CNode_Copy(seL4_CapInitThreadCNode, s, 32, seL4_CapInitThreadCNode,
                              seL4_CapInitThreadTCB, 32, seL4_AllRights),
              seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(s), TYPE_TCB);
    KCHECK_EQ(seL4_CNode_Delete(top, s, 32), seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(s), 0);
    KCHECK_EQ(seL4_CNode_Copy(top, s, 32, top, seL4_CapInitThreadVSpace, 32, seL4_AllRights),
              seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(s), TYPE_PD);
    KCHECK_EQ(seL4_CNode_Delete(seL4_CapInitThreadCNode, s, 32), seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(s), 0);

    /* The cap at seL4_CapInitThreadCNode kept its guard of 20 bits: depth 12 is too short. */
    KCHECK_EQ(seL4_CNode_Copy(seL4_CapInitThreadCNode, s, 12, seL4_CapInitThreadCNode,
                              seL4_CapInitThreadTCB, 32, seL4_AllRights),
              seL4_FailedLookup);
    check_lookup(__LINE__, 0, seL4_GuardMismatch, 12, 0, 20);
    KCHECK_EQ(seL4_DebugCapIdentify(s), 0);

    /* A thread whose CSpace root is seL4_CapInitThreadCNode, as ktest makes them, still
     * reaches an endpoint by its CPtr below 4096. */
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr badged = ktest_slot();
    KREQUIRE_EQ(seL4_CNode_Mint(seL4_CapInitThreadCNode, badged, 32, seL4_CapInitThreadCNode, ep,
                                32, seL4_AllRights, 0x77),
                seL4_NoError);
    ktest_thread_t t;
    ktest_thread_create(&t, echo, badged, seL4_MaxPrio - 1, 0);
    ktest_thread_start(&t);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    KCHECK_EQ(badge, 0x77);
    KCHECK_EQ(seL4_MessageInfo_get_label(info), 7);
    KCHECK_EQ(seL4_MessageInfo_get_length(info), 1);
    KCHECK_EQ(seL4_GetMR(0), 0x1234);
    KCHECK_EQ(seL4_TCB_Suspend(t.tcb), seL4_NoError);
}

/* ---- growth and CNode calls on the slots of added CNodes ---- */

#define HOLD_MAX 4096
static seL4_CPtr held[HOLD_MAX];

static void caller(seL4_Word ep)
{
    seL4_SetMR(0, 11);
    seL4_MessageInfo_t info = seL4_Call(ep, seL4_MessageInfo_new(1, 0, 0, 1));
    /* Tell the root what the reply through the saved cap carried. */
    seL4_SetMR(1, seL4_GetMR(0));
    seL4_SetMR(0, seL4_MessageInfo_get_label(info));
    seL4_Call(ep, seL4_MessageInfo_new(2, 0, 0, 2));
}

KTEST(grow, "USERLIBS0004",
      "promoted: grows by a 4096-slot CNode from libut; libcspace's calls work on its CPtrs")
{
    cspace_stats_t c0 = cspace_stats(&env_root);
    ut_stats_t u0;
    ut_stats(&env_ut, &u0);
    KREQUIRE_EQ(c0.slots + 1, c0.leaves * 256);
    KREQUIRE_EQ(c0.free <= HOLD_MAX, true);

    /* Take every free slot: lowest first, and growth while 64 are left, so that the slot after
     * the old ones is the first of the new CNode. */
    size_t n = 0;
    seL4_CPtr s;
    while ((s = cspace_alloc_slot(&env_root)) < c0.leaves * 256) {
        KREQUIRE_EQ(s != seL4_CapNull, true);
        KREQUIRE_EQ(n < HOLD_MAX, true);
        KCHECK(n == 0 || s > held[n - 1]);
        held[n++] = s;
    }
    KCHECK_EQ(s, c0.leaves * 256);
    held[n++] = s;
    cspace_stats_t c1 = cspace_stats(&env_root);
    ut_stats_t u1;
    ut_stats(&env_ut, &u1);
    KCHECK_EQ(c1.leaves, c0.leaves + 16);
    KCHECK_EQ(c1.slots, c0.slots + 4096);
    KCHECK_EQ(u1.used_blocks[16], u0.used_blocks[16] + 1); /* the CNode: 4096 * 16 bytes */
    /* libut's splits for it took two slots and two nodes each. */
    size_t split_slots = u0.free_nodes - u1.free_nodes;
    KCHECK_EQ(c1.free, c0.free + 4096 - split_slots - n);
    KCHECK_EQ(n, c0.free - split_slots + 1);

    /* Every call of libcspace, with CSPACE_NEW_SLOT now giving CPtrs of the new CNode. */
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr ntfn = ktest_object(seL4_NotificationObject, 0);
    cspace_ret_t a = cspace_copy(&env_root, CSPACE_NEW_SLOT, &env_root, ep, seL4_AllRights);
    KCHECK_EQ(a.error, seL4_NoError);
    KCHECK_EQ(a.slot, s + 1);
    KCHECK_EQ(seL4_DebugCapIdentify(a.slot), TYPE_EP);

    cspace_ret_t b = cspace_mint(&env_root, CSPACE_NEW_SLOT, &env_root, ntfn, seL4_AllRights, 0x21);
    KCHECK_EQ(b.error, seL4_NoError);
    KCHECK_EQ(b.slot, s + 2);
    seL4_Word badge = 0;
    seL4_Signal(b.slot);
    seL4_Poll(ntfn, &badge);
    KCHECK_EQ(badge, 0x21);

    cspace_ret_t c = cspace_move(&env_root, CSPACE_NEW_SLOT, &env_root, b.slot);
    KCHECK_EQ(c.error, seL4_NoError);
    KCHECK_EQ(c.slot, s + 3);
    KCHECK_EQ(seL4_DebugCapIdentify(b.slot), 0);
    badge = 0;
    seL4_Signal(c.slot);
    seL4_Poll(ntfn, &badge);
    KCHECK_EQ(badge, 0x21);

    /* Mutate gives a 16-slot CNode a guard of 28 bits, making it usable at depth 32. */
    seL4_CPtr small = ktest_object(seL4_CapTableObject, 4);
    cspace_ret_t d = cspace_mutate(&env_root, CSPACE_NEW_SLOT, &env_root, small,
                                   seL4_CNode_CapData_new(0, 28).words[0]);
    KCHECK_EQ(d.error, seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(small), 0);
    KCHECK_EQ(seL4_CNode_Copy(d.slot, 3, 32, env_root.root_cnode, ep, 32, seL4_AllRights),
              seL4_NoError);
    cspace_ret_t e = cspace_move(&env_root, CSPACE_NEW_SLOT, &env_root, b.slot);
    KCHECK_EQ(e.error, seL4_FailedLookup); /* b is empty */
    KCHECK_EQ(e.step, CSPACE_STEP_MOVE);
    KCHECK_EQ(seL4_CNode_Move(env_root.root_cnode, b.slot, 32, d.slot, 3, 32), seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(b.slot), TYPE_EP);

    /* Rotate: src (the endpoint in b) to pivot, pivot (the notification in c) to a new slot. */
    cspace_ret_t r =
        cspace_rotate(&env_root, CSPACE_NEW_SLOT, &env_root, c.slot, 0, &env_root, b.slot, 0);
    KCHECK_EQ(r.error, seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(r.slot), TYPE_NTFN);
    KCHECK_EQ(seL4_DebugCapIdentify(c.slot), TYPE_EP);
    KCHECK_EQ(seL4_DebugCapIdentify(b.slot), 0);

    /* Revoke removes a badged child; delete one slot. */
    cspace_ret_t m = cspace_mint(&env_root, CSPACE_NEW_SLOT, &env_root, ep, seL4_AllRights, 5);
    KCHECK_EQ(m.error, seL4_NoError);
    KCHECK_EQ(cspace_revoke(&env_root, ep).error, seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(m.slot), 0);
    KCHECK_EQ(seL4_DebugCapIdentify(ep), TYPE_EP);
    KCHECK_EQ(cspace_delete(&env_root, a.slot).error, seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(a.slot), 0);

    /* Retype from a libut block straight into a slot of the new CNode; ut_free destroys it. */
    ut_t *blk = ut_alloc(&env_ut, seL4_PageBits);
    KREQUIRE_EQ(blk != NULL, true);
    cspace_ret_t y =
        cspace_untyped_retype(&env_root, blk->cap, CSPACE_NEW_SLOT, seL4_NotificationObject, 0);
    KCHECK_EQ(y.error, seL4_NoError);
    KCHECK(y.slot > s);
    KCHECK_EQ(seL4_DebugCapIdentify(y.slot), TYPE_NTFN);
    KCHECK_EQ(ut_free(&env_ut, blk), seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(y.slot), 0);

    /* The caller's reply cap saved into a slot of the new CNode, and used. */
    ktest_thread_t t;
    ktest_thread_create(&t, caller, ep, seL4_MaxPrio - 1, 0);
    ktest_thread_start(&t);
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    KCHECK_EQ(seL4_MessageInfo_get_label(info), 1);
    cspace_ret_t rep = cspace_save_reply_cap(&env_root, CSPACE_NEW_SLOT);
    KCHECK_EQ(rep.error, seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(rep.slot), TYPE_REPLY);
    seL4_SetMR(0, 0xabc);
    seL4_Send(rep.slot, seL4_MessageInfo_new(9, 0, 0, 1));
    KCHECK_EQ(seL4_DebugCapIdentify(rep.slot), 0);
    info = seL4_Recv(ep, &badge);
    KCHECK_EQ(seL4_MessageInfo_get_label(info), 2);
    KCHECK_EQ(seL4_GetMR(0), 9);
    KCHECK_EQ(seL4_GetMR(1), 0xabc);
    KCHECK_EQ(seL4_TCB_Suspend(t.tcb), seL4_NoError);

    /* Empty everything this case took, and give the slots back. */
    seL4_CPtr mine[] = {a.slot, b.slot, c.slot, d.slot, r.slot, m.slot, y.slot, rep.slot};
    for (size_t i = 0; i < sizeof(mine) / sizeof(mine[0]); i++) {
        KCHECK_EQ(cspace_delete(&env_root, mine[i]).error, seL4_NoError);
        KCHECK_EQ(cspace_free_slot(&env_root, mine[i]), seL4_NoError);
    }
    for (size_t i = 0; i < n; i++)
        KCHECK_EQ(cspace_free_slot(&env_root, held[i]), seL4_NoError);
    KCHECK_EQ(cspace_free_slot(&env_root, held[0]), seL4_InvalidArgument);
    KCHECK_EQ(cspace_free_slot(&env_root, c1.leaves * 256), seL4_RangeError);
    KCHECK_EQ(cspace_stats(&env_root).free, c0.free + 4096 - split_slots);
    ut_stats_t u2;
    ut_stats(&env_ut, &u2);
    ENV_CHECK_STATS(&u2, &u1);
}

/* ---- cspace_root_task_promote itself, on a CSpace of its own ---- */

#define TMP_SLOTS 8
static cspace_t tmp;
static seL4_BootInfo tmp_bi;
static seL4_CPtr tmp_reply_ep;

/* Runs with `tmp` as its CSpace: what do CPtr `far` and seL4_CapInitThreadTCB name there? */
static void looker(seL4_Word far)
{
    seL4_SetMR(0, seL4_DebugCapIdentify(far));
    seL4_SetMR(1, seL4_DebugCapIdentify(seL4_CapInitThreadTCB));
    seL4_Call(tmp_reply_ep, seL4_MessageInfo_new(0, 0, 0, 2));
}

KTEST(promote_other, "USERLIBS0005",
      "cspace_root_task_promote: refused twice; a refused SetSpace undoes all; another TCB")
{
    /* The root CSpace is promoted already; a built CSpace is not the root server's. */
    cspace_promote_t p = env_promote_args(seL4_CapInitThreadTCB, seL4_CapInitThreadVSpace);
    seL4_CPtr root_before = env_root.root_cnode;
    cspace_ret_t r = cspace_root_task_promote(&env_root, &p);
    KCHECK_EQ(r.error, seL4_InvalidArgument);
    KCHECK_EQ(r.step, CSPACE_STEP_ARGS);
    KCHECK_EQ(env_root.root_cnode, root_before);

    /* A one-level "root server" CSpace over 8 of ktest's slots: the kernel's root CNode. */
    seL4_CPtr first = ktest_slot();
    for (int i = 1; i < TMP_SLOTS; i++)
        KREQUIRE_EQ(ktest_slot(), first + i);
    tmp_bi = *ktest_bootinfo;
    tmp_bi.empty.start = first;
    tmp_bi.empty.end = first + TMP_SLOTS;
    size_t records0 = env_alloc.pool->n_free;
    KREQUIRE_EQ(cspace_root_task_bootstrap(&tmp, &tmp_bi, env_alloc, &cspace_sel4_ops).error,
                seL4_NoError);
    KCHECK_EQ(cspace_stats(&tmp).free, TMP_SLOTS);
    ut_stats_t u0, u;
    ut_stats(&env_ut, &u0);
    size_t root_free0 = cspace_stats(&env_root).free;

    /* The switch refused (a CNode is no VSpace root): nothing of the promotion is left. */
    seL4_CPtr spare = ktest_object(seL4_TCBObject, 0);
    p = env_promote_args(spare, seL4_CapInitThreadCNode);
    r = cspace_root_task_promote(&tmp, &p);
    KCHECK_EQ(r.error, seL4_IllegalOperation);
    KCHECK_EQ(r.step, CSPACE_STEP_SET_SPACE);
    KCHECK_EQ(tmp.two_level, false);
    KCHECK_EQ(tmp.root_cnode, seL4_CapInitThreadCNode);
    KCHECK_EQ(cspace_stats(&tmp).free, TMP_SLOTS);
    for (int i = 0; i < TMP_SLOTS; i++)
        KCHECK_EQ(seL4_DebugCapIdentify(first + i), 0);
    ut_stats(&env_ut, &u);
    ENV_CHECK_STATS(&u, &u0);
    KCHECK_EQ(cspace_stats(&env_root).free, root_free0);

    /* Promoted for a thread: its CSpace root becomes tmp's top, where CPtrs below 4096 are the
     * root task's and a CPtr of tmp's first added CNode holds what tmp put there. */
    tmp_reply_ep = ktest_object(seL4_EndpointObject, 0);
    ktest_thread_t t;
    ktest_thread_create(&t, looker, 0, seL4_MaxPrio - 1, 0);
    p = env_promote_args(t.tcb, seL4_CapInitThreadVSpace);
    r = cspace_root_task_promote(&tmp, &p);
    KREQUIRE_EQ(r.error, seL4_NoError);
    KCHECK(tmp.root_cnode >= first && tmp.root_cnode < first + TMP_SLOTS);
    seL4_CPtr far = seL4_CapNull;
    for (int i = 0; i < TMP_SLOTS && far < 4096; i++)
        far = cspace_alloc_slot(&tmp);
    KREQUIRE_EQ(far, 4096);
    KCHECK_EQ(cspace_stats(&tmp).leaves, 32);
    KREQUIRE_EQ(cspace_copy(&tmp, far, &tmp, tmp_reply_ep, seL4_AllRights).error, seL4_NoError);
    seL4_UserContext regs;
    KREQUIRE_EQ(seL4_TCB_ReadRegisters(t.tcb, 0, 0, sizeof(regs) / sizeof(seL4_Word), &regs),
                seL4_NoError);
    regs.r1 = far; /* looker's argument (thread_trampoline passes r1) */
    KREQUIRE_EQ(seL4_TCB_WriteRegisters(t.tcb, 0, 0, sizeof(regs) / sizeof(seL4_Word), &regs),
                seL4_NoError);
    ktest_thread_start(&t);
    seL4_Word badge;
    seL4_Recv(tmp_reply_ep, &badge);
    KCHECK_EQ(seL4_GetMR(0), TYPE_EP);
    KCHECK_EQ(seL4_GetMR(1), TYPE_TCB);
    KCHECK_EQ(seL4_TCB_Suspend(t.tcb), seL4_NoError);

    /* Undo by hand (a root server never does): the CNodes' untypeds go back to libut, which
     * revokes them and so destroys the CNodes; the records go back to the pool. */
    KCHECK_EQ(ut_free(&env_ut, tmp.leaf[16]->ut), seL4_NoError);
    KCHECK_EQ(ut_free(&env_ut, tmp.untyped), seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(tmp.root_cnode), 0);
    for (size_t i = 0; i < tmp.n_leaves; i++)
        cspace_pool_add(env_alloc.pool, tmp.leaf[i], 1);
    KCHECK_EQ(env_alloc.pool->n_free, records0);
    ut_stats(&env_ut, &u);
    ENV_CHECK_STATS(&u, &u0);
    KCHECK_EQ(cspace_stats(&env_root).free, root_free0);
}
