/*
 * CSpaces built by libcspace for other threads, as a root server builds them for processes: a
 * thread given such a CSpace (TCB_SetSpace) sees only what was put there. It looks 20,000
 * endpoint copies up from the inside, and Calls through a badged endpoint minted into it.
 */
#include "env.h"

#define TYPE_EP     2
#define N_COPIES    20000
#define SCAN_BADGE  0x5C
#define CALL_BADGE  0xB0B
#define FAULT_BADGE 0xFA17
#define FAULT_ADDR  0x2000u /* below the image: never mapped */

static seL4_CPtr copies[N_COPIES];
static cspace_t cs;

/* Builds `cs` and gives thread t that CSpace (its VSpace and IPC buffer stay the root's), with
 * fault_ep (a CPtr in cs, or 0) as its fault endpoint. */
static seL4_Error move_into(ktest_thread_t *t, seL4_CPtr fault_ep)
{
    return seL4_TCB_SetSpace(t->tcb, fault_ep, cs.root_cnode, 0, seL4_CapInitThreadVSpace, 0);
}

/* Where the accounting of a case starts: the root CSpace has room, so nothing grows midway. */
typedef struct {
    ut_stats_t ut;
    cspace_stats_t root;
    size_t records;
} snapshot_t;

static void snap(snapshot_t *s)
{
    ut_stats(&env_ut, &s->ut);
    s->root = cspace_stats(&env_root);
    s->records = env_alloc.pool->n_free;
}

static void check_back(const snapshot_t *s0)
{
    snapshot_t s;
    snap(&s);
    ENV_CHECK_STATS(&s.ut, &s0->ut);
    KCHECK_EQ(s.root.free, s0->root.free);
    KCHECK_EQ(s.root.leaves, s0->root.leaves);
    KCHECK_EQ(s.records, s0->records);
}

/* ---- 20,000 copies ---- */

/* Answers (lo, hi) with the number of non-empty slots in [lo, hi) and of endpoints among them,
 * as seen by lookups in its own CSpace, and the badge the request came with. */
static void scanner(seL4_Word ep)
{
    seL4_Word badge;
    seL4_Recv(ep, &badge);
    for (;;) {
        seL4_Word lo = seL4_GetMR(0), hi = seL4_GetMR(1), any = 0, eps = 0;
        for (seL4_Word s = lo; s < hi; s++) {
            seL4_Uint32 type = seL4_DebugCapIdentify(s);
            any += type != 0;
            eps += type == TYPE_EP;
        }
        seL4_SetMR(0, any);
        seL4_SetMR(1, eps);
        seL4_SetMR(2, badge);
        seL4_ReplyRecv(ep, seL4_MessageInfo_new(0, 0, 0, 3), &badge);
    }
}

typedef struct {
    seL4_Word any, eps;
} scan_t;

/* Asks the scanner through `ep`, a cap badged SCAN_BADGE. */
static scan_t scan(seL4_CPtr ep, seL4_Word lo, seL4_Word hi)
{
    seL4_SetMR(0, lo);
    seL4_SetMR(1, hi);
    seL4_MessageInfo_t info = seL4_Call(ep, seL4_MessageInfo_new(0, 0, 0, 2));
    scan_t r = {seL4_GetMR(0), seL4_GetMR(1)};
    if (seL4_MessageInfo_get_length(info) != 3 || seL4_GetMR(2) != SCAN_BADGE) {
        ktest_fail(__FILE__, __LINE__, "scanner answered %u words, badge %u",
                   seL4_MessageInfo_get_length(info), seL4_GetMR(2));
        r.any = r.eps = ~0u;
    }
    return r;
}

KTEST(fill, "USERLIBS0020",
      "libcspace: 20,000 endpoint copies in a two-level CSpace, seen from inside; all freed")
{
    env_reserve_slots(64);
    snapshot_t s0;
    snap(&s0);
    cspace_ret_t r = cspace_create_two_level(&env_root, &cs, env_alloc);
    KREQUIRE_EQ(r.error, seL4_NoError);
    KCHECK_EQ(cspace_stats(&cs).slots, 255);
    KCHECK_EQ(cspace_stats(&cs).free, 255);
    KCHECK_EQ(seL4_DebugCapIdentify(cs.root_cnode), 5);

    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    cspace_ret_t own = cspace_copy(&cs, CSPACE_NEW_SLOT, &env_root, ep, seL4_AllRights);
    KREQUIRE_EQ(own.error, seL4_NoError);
    cspace_ret_t ask =
        cspace_mint(&env_root, CSPACE_NEW_SLOT, &env_root, ep, seL4_AllRights, SCAN_BADGE);
    KREQUIRE_EQ(ask.error, seL4_NoError);
    KCHECK_EQ(own.slot, 1);
    ktest_thread_t t;
    ktest_thread_create(&t, scanner, own.slot, seL4_MaxPrio - 1, 0);
    KREQUIRE_EQ(move_into(&t, 0), seL4_NoError);
    ktest_thread_start(&t);

    for (size_t i = 0; i < N_COPIES; i++) {
        copies[i] = cspace_alloc_slot(&cs);
        KREQUIRE_EQ(copies[i], i + 2); /* the lowest free slot, always */
        cspace_ret_t c = cspace_copy(&cs, copies[i], &env_root, ep, seL4_AllRights);
        KREQUIRE_EQ(c.error, seL4_NoError);
    }
    size_t leaves = (N_COPIES + 2 + 255) / 256;
    KCHECK_EQ(cspace_stats(&cs).leaves, leaves);
    KCHECK_EQ(cspace_stats(&cs).free, leaves * 256 - 2 - N_COPIES);
    ut_stats_t u;
    ut_stats(&env_ut, &u);
    KCHECK_EQ(u.total_used, s0.ut.total_used + (leaves + 1) * 4096); /* the top and the leaves */

    scan_t in = scan(ask.slot, 2, N_COPIES + 2);
    KCHECK_EQ(in.any, N_COPIES);
    KCHECK_EQ(in.eps, N_COPIES);
    scan_t self = scan(ask.slot, 0, 2);
    KCHECK_EQ(self.any, 1);

    for (size_t i = 0; i < N_COPIES; i++) {
        KREQUIRE_EQ(cspace_delete(&cs, copies[i]).error, seL4_NoError);
        KREQUIRE_EQ(cspace_free_slot(&cs, copies[i]), seL4_NoError);
    }
    KCHECK_EQ(cspace_stats(&cs).free, leaves * 256 - 2);
    scan_t out = scan(ask.slot, 0, leaves * 256);
    KCHECK_EQ(out.any, 1); /* the scanner's own endpoint */
    KCHECK_EQ(out.eps, 1);

    KCHECK_EQ(seL4_TCB_Suspend(t.tcb), seL4_NoError);
    KCHECK_EQ(cspace_delete(&env_root, ask.slot).error, seL4_NoError);
    KCHECK_EQ(cspace_free_slot(&env_root, ask.slot), seL4_NoError);
    r = cspace_destroy(&cs);
    KCHECK_EQ(r.error, seL4_NoError);
    check_back(&s0);
}

/* ---- a badged Call from a thread in its own CSpace ---- */

static seL4_CPtr root_view[2]; /* CPtrs of the root's CSpace, looked up in the thread's */

static void client(seL4_Word ep)
{
    seL4_SetMR(0, 0xC0FFEE);
    seL4_SetMR(1, seL4_DebugCapIdentify(ep));
    seL4_SetMR(2, seL4_DebugCapIdentify(root_view[0]));
    seL4_SetMR(3, seL4_DebugCapIdentify(root_view[1]));
    seL4_MessageInfo_t info = seL4_Call(ep, seL4_MessageInfo_new(0x42, 0, 0, 4));
    seL4_Word got = seL4_GetMR(0);
    seL4_SetMR(0, seL4_MessageInfo_get_label(info));
    seL4_SetMR(1, seL4_MessageInfo_get_length(info));
    seL4_SetMR(2, got);
    seL4_Call(ep, seL4_MessageInfo_new(0x43, 0, 0, 3));
    *(volatile seL4_Word *)FAULT_ADDR = 1; /* reported through the fault endpoint in its CSpace */
}

KTEST(badged_call, "USERLIBS0021",
      "libcspace: a thread in a built CSpace Calls through a badged endpoint minted into it")
{
    env_reserve_slots(64);
    snapshot_t s0;
    snap(&s0);
    KREQUIRE_EQ(cspace_create_two_level(&env_root, &cs, env_alloc).error, seL4_NoError);
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    cspace_ret_t call =
        cspace_mint(&cs, CSPACE_NEW_SLOT, &env_root, ep, seL4_AllRights, CALL_BADGE);
    cspace_ret_t fault =
        cspace_mint(&cs, CSPACE_NEW_SLOT, &env_root, ep, seL4_AllRights, FAULT_BADGE);
    KREQUIRE_EQ(call.error, seL4_NoError);
    KREQUIRE_EQ(fault.error, seL4_NoError);

    ktest_thread_t t;
    ktest_thread_create(&t, client, call.slot, seL4_MaxPrio - 1, 0);
    root_view[0] = t.tcb; /* a TCB in the root's CSpace, beyond the thread's one leaf */
    root_view[1] = ep;
    KCHECK(t.tcb >= 256 && ep >= 256);
    KREQUIRE_EQ(move_into(&t, fault.slot), seL4_NoError);
    ktest_thread_start(&t);

    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    KCHECK_EQ(badge, CALL_BADGE);
    KCHECK_EQ(seL4_MessageInfo_get_label(info), 0x42);
    KCHECK_EQ(seL4_MessageInfo_get_length(info), 4);
    KCHECK_EQ(seL4_GetMR(0), 0xC0FFEE);
    KCHECK_EQ(seL4_GetMR(1), TYPE_EP);
    KCHECK_EQ(seL4_GetMR(2), 0);
    KCHECK_EQ(seL4_GetMR(3), 0);
    seL4_SetMR(0, 0xD00D);
    seL4_Reply(seL4_MessageInfo_new(0x99, 0, 0, 1));

    info = seL4_Recv(ep, &badge);
    KCHECK_EQ(badge, CALL_BADGE);
    KCHECK_EQ(seL4_MessageInfo_get_label(info), 0x43);
    KCHECK_EQ(seL4_GetMR(0), 0x99);
    KCHECK_EQ(seL4_GetMR(1), 1);
    KCHECK_EQ(seL4_GetMR(2), 0xD00D);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));

    info = seL4_Recv(ep, &badge);
    KCHECK_EQ(badge, FAULT_BADGE);
    KCHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_VMFault);
    KCHECK_EQ(seL4_GetMR(seL4_VMFault_Addr), FAULT_ADDR);
    KCHECK_EQ(seL4_GetMR(seL4_VMFault_PrefetchFault), 0);

    KCHECK_EQ(seL4_TCB_Suspend(t.tcb), seL4_NoError);
    KCHECK_EQ(cspace_destroy(&cs).error, seL4_NoError);
    check_back(&s0);
}
