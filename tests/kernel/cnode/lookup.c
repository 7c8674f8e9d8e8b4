/*
 * CPtr resolution: depth-limited CNode arguments, guards, multi-level CSpaces, and the
 * exact lookup failure of each way a path can go wrong.
 */
#include "cnode_util.h"

/* A radix-4 CNode holding, in slot 9, a notification cap with badge 0x77. */
typedef struct {
    seL4_CPtr cn, nt, badged;
} small_cspace_t;

static small_cspace_t small_cspace(void)
{
    small_cspace_t s;
    s.cn = new_cnode(4);
    s.nt = new_notification();
    s.badged = mint_new(s.nt, seL4_AllRights, 0x77);
    CHECK_OK(seL4_CNode_Copy(s.cn, 9, 4, ROOT, s.badged, DEPTH, seL4_AllRights));
    return s;
}

KTEST(lookup_depth_limited, "CNODE0001",
      "CNode arguments with depth = radix name the slots of a radix-4 CNode")
{
    small_cspace_t s = small_cspace();
    KCHECK_EQ(cap_type_at(s.cn, 9, 4), CT_NOTIFICATION);
    KCHECK_EQ(cap_type_at(s.cn, 8, 4), CT_NULL);
    seL4_CPtr back = ktest_slot();
    CHECK_OK(seL4_CNode_Copy(ROOT, back, DEPTH, s.cn, 9, 4, seL4_AllRights));
    KCHECK_EQ(signal_badge(back, s.nt), 0x77);
    /* Only the low `depth` bits of the index are used: 0x19 names slot 9 again. */
    CHECK_ERROR(seL4_CNode_Copy(s.cn, 0x19, 4, ROOT, s.badged, DEPTH, seL4_AllRights),
                seL4_DeleteFirst);
    CHECK_OK(seL4_CNode_Delete(s.cn, 0xf9, 4));
    KCHECK_EQ(cap_type_at(s.cn, 9, 4), CT_NULL);
}

KTEST(lookup_depth_range, "CNODE0002", "a depth of 0 or more than 32 is a RangeError 1..32")
{
    small_cspace_t s = small_cspace();
    seL4_CPtr d = ktest_slot();
    CHECK_RANGE(seL4_CNode_Copy(s.cn, 3, 0, ROOT, s.badged, DEPTH, seL4_AllRights), 1, 32);
    CHECK_RANGE(seL4_CNode_Copy(s.cn, 3, 33, ROOT, s.badged, DEPTH, seL4_AllRights), 1, 32);
    CHECK_RANGE(seL4_CNode_Copy(ROOT, d, DEPTH, ROOT, s.badged, 0, seL4_AllRights), 1, 32);
    CHECK_RANGE(seL4_CNode_Copy(ROOT, d, DEPTH, ROOT, s.badged, 255, seL4_AllRights), 1, 32);
    CHECK_RANGE(seL4_CNode_Delete(s.cn, 9, 0), 1, 32);
    CHECK_RANGE(seL4_CNode_Revoke(s.cn, 9, 40), 1, 32);
    CHECK_RANGE(seL4_CNode_Move(ROOT, d, DEPTH, s.cn, 9, 0), 1, 32);
    KCHECK_EQ(seL4_DebugCapIdentify(d), CT_NULL);
    KCHECK_EQ(cap_type_at(s.cn, 3, 4), CT_NULL);
    KCHECK_EQ(cap_type_at(s.cn, 9, 4), CT_NOTIFICATION);
}

KTEST(lookup_depth_short, "CNODE0003",
      "a depth shorter than the CNode's guard + radix is a DepthMismatch (bits left, found)")
{
    small_cspace_t s = small_cspace();
    seL4_CPtr d = ktest_slot();
    CHECK_LOOKUP(seL4_CNode_Copy(s.cn, 9, 3, ROOT, s.badged, DEPTH, seL4_AllRights), 0,
                 seL4_DepthMismatch, 3, 4, 0);
    CHECK_LOOKUP(seL4_CNode_Copy(ROOT, d, DEPTH, s.cn, 9, 2, seL4_AllRights), 1, seL4_DepthMismatch,
                 2, 4, 0);
    CHECK_LOOKUP(seL4_CNode_Delete(s.cn, 9, 1), 0, seL4_DepthMismatch, 1, 4, 0);
    KCHECK_EQ(seL4_DebugCapIdentify(d), CT_NULL);
    KCHECK_EQ(cap_type_at(s.cn, 9, 4), CT_NOTIFICATION);
}

KTEST(lookup_past_leaf, "CNODE0004",
      "bits left after a non-CNode (or empty) slot are a DepthMismatch with 0 bits found")
{
    small_cspace_t s = small_cspace();
    seL4_CPtr d = ktest_slot();
    /* Slot 9 holds a notification: 2 of 6 bits are left over. */
    CHECK_LOOKUP(seL4_CNode_Copy(ROOT, d, DEPTH, s.cn, (9 << 2) | 1, 6, seL4_AllRights), 1,
                 seL4_DepthMismatch, 2, 0, 0);
    /* Slot 8 is empty: the same. */
    CHECK_LOOKUP(seL4_CNode_Copy(ROOT, d, DEPTH, s.cn, 8 << 2, 6, seL4_AllRights), 1,
                 seL4_DepthMismatch, 2, 0, 0);
    CHECK_LOOKUP(seL4_CNode_Copy(s.cn, 8 << 5, 9, ROOT, s.badged, DEPTH, seL4_AllRights), 0,
                 seL4_DepthMismatch, 5, 0, 0);
    KCHECK_EQ(seL4_DebugCapIdentify(d), CT_NULL);
    KCHECK_EQ(cap_type_at(s.cn, 8, 4), CT_NULL);
}

KTEST(lookup_guard, "CNODE0005",
      "a CNode cap minted with a guard resolves only paths that carry it (GuardMismatch)")
{
    small_cspace_t s = small_cspace();
    seL4_CPtr g = mint_new(s.cn, seL4_AllRights, seL4_CNode_CapData_new(5, 3).words[0]);
    seL4_CPtr d = ktest_slot();
    CHECK_OK(seL4_CNode_Copy(ROOT, d, DEPTH, g, (5 << 4) | 9, 7, seL4_AllRights));
    KCHECK_EQ(signal_badge(d, s.nt), 0x77);
    seL4_CPtr d2 = ktest_slot();
    /* As seL4: "guard found" reports the CNode's guard (5), with its size (3). */
    CHECK_LOOKUP(seL4_CNode_Copy(ROOT, d2, DEPTH, g, (4 << 4) | 9, 7, seL4_AllRights), 1,
                 seL4_GuardMismatch, 7, 5, 3);
    CHECK_LOOKUP(seL4_CNode_Copy(g, (7 << 4) | 1, 7, ROOT, s.badged, DEPTH, seL4_AllRights), 0,
                 seL4_GuardMismatch, 7, 5, 3);
    /* The unguarded cap reads the same bits as slot 11 (empty) with 3 bits left over. */
    CHECK_LOOKUP(seL4_CNode_Copy(ROOT, d2, DEPTH, s.cn, (5 << 4) | 9, 7, seL4_AllRights), 1,
                 seL4_DepthMismatch, 3, 0, 0);
    KCHECK_EQ(seL4_DebugCapIdentify(d2), CT_NULL);
}

KTEST(lookup_guard_short, "CNODE0006",
      "a depth shorter than the guard is a GuardMismatch; guard alone a DepthMismatch")
{
    small_cspace_t s = small_cspace();
    seL4_CPtr g = mint_new(s.cn, seL4_AllRights, seL4_CNode_CapData_new(5, 3).words[0]);
    seL4_CPtr d = ktest_slot();
    CHECK_LOOKUP(seL4_CNode_Copy(ROOT, d, DEPTH, g, 1, 2, seL4_AllRights), 1, seL4_GuardMismatch, 2,
                 5, 3);
    /* Exactly the guard's 3 bits: the guard matches, the radix is missing. */
    CHECK_LOOKUP(seL4_CNode_Copy(ROOT, d, DEPTH, g, 5, 3, seL4_AllRights), 1, seL4_DepthMismatch, 3,
                 7, 0);
    KCHECK_EQ(seL4_DebugCapIdentify(d), CT_NULL);
}

/* A two-level CSpace: A (radix 2) holds in A[1] a cap to B (radix 3) with guard 1 of 2
 * bits, so 7-bit paths 01 01 jjj name B[j]; A[2] holds an endpoint, A[3] is empty. */
typedef struct {
    seL4_CPtr a, b, ep, nt, badged;
} two_level_t;

static two_level_t two_level(void)
{
    two_level_t t;
    t.a = new_cnode(2);
    t.b = new_cnode(3);
    t.ep = new_endpoint();
    t.nt = new_notification();
    t.badged = mint_new(t.nt, seL4_AllRights, 0x31);
    CHECK_OK(seL4_CNode_Mint(t.a, 1, 2, ROOT, t.b, DEPTH, seL4_AllRights,
                             seL4_CNode_CapData_new(1, 2).words[0]));
    CHECK_OK(seL4_CNode_Copy(t.a, 2, 2, ROOT, t.ep, DEPTH, seL4_AllRights));
    return t;
}

#define PATH_B(j) ((1u << 5) | (1u << 3) | (j))

KTEST(lookup_two_levels, "CNODE0007",
      "a 7-bit path resolves through two CNodes; a 2-bit path stops at the CNode cap itself")
{
    two_level_t t = two_level();
    CHECK_OK(seL4_CNode_Copy(t.a, PATH_B(6), 7, ROOT, t.badged, DEPTH, seL4_AllRights));
    KCHECK_EQ(cap_type_at(t.b, 6, 3), CT_NOTIFICATION);
    seL4_CPtr d = ktest_slot();
    CHECK_OK(seL4_CNode_Copy(ROOT, d, DEPTH, t.b, 6, 3, seL4_AllRights));
    KCHECK_EQ(signal_badge(d, t.nt), 0x31);
    /* Depth 2 names A[1], which holds the CNode cap: occupied. */
    CHECK_ERROR(seL4_CNode_Copy(t.a, 1, 2, ROOT, t.badged, DEPTH, seL4_AllRights),
                seL4_DeleteFirst);
    KCHECK_EQ(cap_type_at(t.a, 1, 2), CT_CNODE);
    /* Deleting through the path removes B[6] only. */
    CHECK_OK(seL4_CNode_Delete(t.a, PATH_B(6), 7));
    KCHECK_EQ(cap_type_at(t.b, 6, 3), CT_NULL);
    KCHECK_EQ(cap_type_at(t.a, 1, 2), CT_CNODE);
}

KTEST(lookup_two_levels_mismatch, "CNODE0008",
      "guard and depth mismatches at the second level report the bits left there")
{
    two_level_t t = two_level();
    seL4_CPtr d = ktest_slot();
    /* Guard 2 where B wants 1: 5 bits were left on reaching B. */
    CHECK_LOOKUP(seL4_CNode_Copy(ROOT, d, DEPTH, t.a, (1u << 5) | (2u << 3) | 6, 7, seL4_AllRights),
                 1, seL4_GuardMismatch, 5, 1, 2);
    /* 6 bits: B's guard matches, then its 5 bits do not fit in the 4 left. */
    CHECK_LOOKUP(
        seL4_CNode_Copy(t.a, (1u << 4) | (1u << 2), 6, ROOT, t.badged, DEPTH, seL4_AllRights), 0,
        seL4_DepthMismatch, 4, 5, 0);
    KCHECK_EQ(seL4_DebugCapIdentify(d), CT_NULL);
}

KTEST(lookup_two_levels_leaf, "CNODE0009",
      "a path through a slot holding an endpoint, or nothing, stops with its bits left")
{
    two_level_t t = two_level();
    seL4_CPtr d = ktest_slot();
    CHECK_LOOKUP(seL4_CNode_Copy(ROOT, d, DEPTH, t.a, (2u << 5) | 3, 7, seL4_AllRights), 1,
                 seL4_DepthMismatch, 5, 0, 0);
    CHECK_LOOKUP(seL4_CNode_Copy(t.a, 3u << 5, 7, ROOT, t.badged, DEPTH, seL4_AllRights), 0,
                 seL4_DepthMismatch, 5, 0, 0);
    /* The endpoint itself is named by the 2-bit path. */
    CHECK_OK(seL4_CNode_Copy(ROOT, d, DEPTH, t.a, 2, 2, seL4_AllRights));
    KCHECK_EQ(seL4_DebugCapIdentify(d), CT_ENDPOINT);
}

KTEST(lookup_invalid_root, "CNODE0010",
      "a source root that is no CNode cap (an endpoint, an empty slot) is InvalidRoot")
{
    small_cspace_t s = small_cspace();
    seL4_CPtr ep = new_endpoint();
    seL4_CPtr empty = ktest_slot();
    seL4_CPtr d = ktest_slot();
    CHECK_LOOKUP(seL4_CNode_Copy(ROOT, d, DEPTH, ep, s.nt, DEPTH, seL4_AllRights), 1,
                 seL4_InvalidRoot, 0, 0, 0);
    CHECK_LOOKUP(seL4_CNode_Mint(ROOT, d, DEPTH, empty, s.nt, DEPTH, seL4_AllRights, 1), 1,
                 seL4_InvalidRoot, 0, 0, 0);
    CHECK_LOOKUP(seL4_CNode_Move(ROOT, d, DEPTH, s.nt, 0, DEPTH), 1, seL4_InvalidRoot, 0, 0, 0);
    /* Untyped_Retype's destination root: a target lookup (not the source). */
    seL4_CPtr ut = ktest_untyped(12);
    CHECK_LOOKUP(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ep, 0, DEPTH, 0, 1), 0,
                 seL4_InvalidRoot, 0, 0, 0);
    KCHECK_EQ(seL4_DebugCapIdentify(d), CT_NULL);
    KCHECK_EQ(seL4_DebugCapIdentify(s.nt), CT_NOTIFICATION);
}

KTEST(lookup_missing_cap, "CNODE0011",
      "an empty source slot is MissingCapability with the source depth as bits left")
{
    small_cspace_t s = small_cspace();
    seL4_CPtr empty = ktest_slot();
    seL4_CPtr d = ktest_slot();
    CHECK_LOOKUP(seL4_CNode_Copy(ROOT, d, DEPTH, ROOT, empty, DEPTH, seL4_AllRights), 1,
                 seL4_MissingCapability, 32, 0, 0);
    CHECK_LOOKUP(seL4_CNode_Mint(ROOT, d, DEPTH, s.cn, 3, 4, seL4_AllRights, 5), 1,
                 seL4_MissingCapability, 4, 0, 0);
    CHECK_LOOKUP(seL4_CNode_Move(ROOT, d, DEPTH, s.cn, 3, 4), 1, seL4_MissingCapability, 4, 0, 0);
    CHECK_LOOKUP(seL4_CNode_Mutate(ROOT, d, DEPTH, s.cn, 3, 4, 0), 1, seL4_MissingCapability, 4, 0,
                 0);
    seL4_CPtr g = mint_new(s.cn, seL4_AllRights, seL4_CNode_CapData_new(5, 3).words[0]);
    CHECK_LOOKUP(seL4_CNode_Copy(ROOT, d, DEPTH, g, (5 << 4) | 3, 7, seL4_AllRights), 1,
                 seL4_MissingCapability, 7, 0, 0);
    KCHECK_EQ(seL4_DebugCapIdentify(d), CT_NULL);
}

KTEST(lookup_depth32_two_levels, "CNODE0012",
      "a 32-bit path through a root alias with an 8-bit guard reaches a 4096-slot CNode")
{
    seL4_CPtr big = new_cnode(12);
    seL4_CPtr alias = mint_new(ROOT, seL4_AllRights, seL4_CNode_CapData_new(0, 8).words[0]);
    seL4_CPtr nt = new_notification();
    seL4_CPtr badged = mint_new(nt, seL4_AllRights, 0x5e);
    CHECK_OK(
        seL4_CNode_Copy(alias, (big << 12) | 4000, DEPTH, ROOT, badged, DEPTH, seL4_AllRights));
    KCHECK_EQ(cap_type_at(big, 4000, 12), CT_NOTIFICATION);
    seL4_CPtr d = ktest_slot();
    CHECK_OK(seL4_CNode_Copy(ROOT, d, DEPTH, alias, (big << 12) | 4000, DEPTH, seL4_AllRights));
    KCHECK_EQ(signal_badge(d, nt), 0x5e);
    /* 12 bits of the alias path name a root slot directly. */
    seL4_CPtr d2 = ktest_slot();
    CHECK_OK(seL4_CNode_Copy(ROOT, d2, DEPTH, alias, nt, 20, seL4_AllRights));
    KCHECK_EQ(seL4_DebugCapIdentify(d2), CT_NOTIFICATION);
    seL4_CPtr d3 = ktest_slot();
    CHECK_LOOKUP(
        seL4_CNode_Copy(ROOT, d3, DEPTH, alias, (1u << 24) | (big << 12), DEPTH, seL4_AllRights), 1,
        seL4_GuardMismatch, 32, 0, 8);
    CHECK_LOOKUP(seL4_CNode_Copy(ROOT, d3, DEPTH, alias, (nt << 12) | 5, DEPTH, seL4_AllRights), 1,
                 seL4_DepthMismatch, 12, 0, 0);
    KCHECK_EQ(seL4_DebugCapIdentify(d3), CT_NULL);
}

KTEST(lookup_thread_two_level_cspace, "CNODE0013",
      "a thread with a two-level CSpace resolves its CPtrs through both levels")
{
    seL4_CPtr big = new_cnode(12);
    seL4_CPtr nt = new_notification();
    seL4_CPtr ep = new_endpoint();
    CHECK_OK(seL4_CNode_Copy(big, 0, 12, ROOT, nt, DEPTH, seL4_AllRights));
    CHECK_OK(seL4_CNode_Copy(big, 100, 12, ROOT, ep, DEPTH, seL4_AllRights));
    CHECK_OK(seL4_CNode_Copy(big, 4095, 12, ROOT, big, DEPTH, seL4_AllRights));
    static uint8_t types[4096];
    memset(types, 0xff, sizeof(types));
    identify_slots(big, 12, 0, 4096, types);
    KCHECK_EQ(types[0], CT_NOTIFICATION);
    KCHECK_EQ(types[100], CT_ENDPOINT);
    KCHECK_EQ(types[4095], CT_CNODE);
    seL4_Word others = 0;
    for (int i = 1; i < 4095; i++)
        others += i != 100 && types[i] != CT_NULL;
    KCHECK_EQ(others, 0);
    /* A radix-4 CNode behind the same two levels (an 8-bit guard makes up the path). */
    seL4_CPtr cn = new_cnode(4);
    CHECK_OK(seL4_CNode_Copy(cn, 15, 4, ROOT, ep, DEPTH, seL4_AllRights));
    uint8_t small[16];
    identify_slots(cn, 4, 0, 16, small);
    KCHECK_EQ(small[15], CT_ENDPOINT);
    KCHECK_EQ(small[14], CT_NULL);
}

KTEST(lookup_root_guard, "CNODE0014",
      "the root CNode cap's 20-bit zero guard: high CPtr bits and short depths mismatch")
{
    seL4_CPtr nt = new_notification();
    seL4_CPtr d = ktest_slot();
    CHECK_LOOKUP(seL4_CNode_Copy(ROOT, (1u << 20) | d, DEPTH, ROOT, nt, DEPTH, seL4_AllRights), 0,
                 seL4_GuardMismatch, 32, 0, 20);
    CHECK_LOOKUP(seL4_CNode_Copy(ROOT, d, 12, ROOT, nt, DEPTH, seL4_AllRights), 0,
                 seL4_GuardMismatch, 12, 0, 20);
    /* 20 bits are all guard: a nonzero index mismatches it, index 0 lacks the radix. */
    CHECK_LOOKUP(seL4_CNode_Copy(ROOT, d, 20, ROOT, nt, DEPTH, seL4_AllRights), 0,
                 seL4_GuardMismatch, 20, 0, 20);
    CHECK_LOOKUP(seL4_CNode_Copy(ROOT, 0, 20, ROOT, nt, DEPTH, seL4_AllRights), 0,
                 seL4_DepthMismatch, 20, 32, 0);
    CHECK_LOOKUP(seL4_CNode_Copy(ROOT, d, DEPTH, ROOT, (1u << 31) | nt, DEPTH, seL4_AllRights), 1,
                 seL4_GuardMismatch, 32, 0, 20);
    KCHECK_EQ(seL4_DebugCapIdentify(d), CT_NULL);
}

KTEST(lookup_full_width_guard, "CNODE0015",
      "a CNode cap whose guard and radix take all 32 bits resolves at depth 32")
{
    small_cspace_t s = small_cspace();
    seL4_CPtr g = mint_new(s.cn, seL4_AllRights, seL4_CNode_CapData_new(0x2abcd, 28).words[0]);
    seL4_CPtr d = ktest_slot();
    CHECK_OK(seL4_CNode_Copy(ROOT, d, DEPTH, g, (0x2abcdu << 4) | 9, DEPTH, seL4_AllRights));
    KCHECK_EQ(signal_badge(d, s.nt), 0x77);
    seL4_CPtr d2 = ktest_slot();
    CHECK_LOOKUP(seL4_CNode_Copy(ROOT, d2, DEPTH, g, (0x2abccu << 4) | 9, DEPTH, seL4_AllRights), 1,
                 seL4_GuardMismatch, 32, 0x2abcd, 28);
    KCHECK_EQ(seL4_DebugCapIdentify(d2), CT_NULL);
}

static void call_cptr(seL4_Word cptr)
{
    seL4_Call(cptr, seL4_MessageInfo_new(0, 0, 0, 0));
    touched = 1;
}

static void recv_cptr(seL4_Word cptr)
{
    seL4_Recv(cptr, NULL);
    touched = 1;
}

/* Checks a CapFault message: the address, the phase and the lookup failure's words. */
static void check_cap_fault(fault_msg_t f, seL4_Word addr, seL4_Word recv, seL4_Word type,
                            seL4_Word left, seL4_Word d0, seL4_Word d1)
{
    KCHECK_EQ(f.label, seL4_Fault_CapFault);
    KCHECK_EQ(f.mr[seL4_CapFault_Addr], addr);
    KCHECK_EQ(f.mr[seL4_CapFault_InRecvPhase], recv);
    KCHECK_EQ(f.mr[seL4_CapFault_LookupFailureType], type);
    KCHECK_EQ(f.mr[seL4_CapFault_BitsLeft], left);
    KCHECK_EQ(f.mr[seL4_CapFault_DepthMismatch_BitsFound], d0);
    if (type == seL4_GuardMismatch)
        KCHECK_EQ(f.mr[seL4_CapFault_GuardMismatch_BitsFound], d1);
}

KTEST(lookup_invoked_cap_fault, "CNODE0016",
      "an invoked CPtr that does not resolve is a CapFault carrying the exact lookup failure")
{
    seL4_CPtr fep = new_endpoint();
    ktest_thread_t t1, t2, t3;
    touched = 0;
    start_thread(&t1, call_cptr, (1u << 20) | 5, 100, fep);
    check_cap_fault(recv_fault(fep), (1u << 20) | 5, 0, seL4_GuardMismatch, 32, 0, 20);
    start_thread(&t2, recv_cptr, 1u << 31, 100, fep);
    check_cap_fault(recv_fault(fep), 1u << 31, 1, seL4_GuardMismatch, 32, 0, 20);
    /* A two-level CSpace whose second level wants 13 bits where 12 are left. */
    seL4_CPtr top = new_cnode(1), b = new_cnode(13);
    CHECK_OK(seL4_CNode_Mint(top, 0, 1, ROOT, ROOT, DEPTH, seL4_AllRights, 0));
    CHECK_OK(seL4_CNode_Copy(top, 1, 1, ROOT, b, DEPTH, seL4_AllRights));
    ktest_thread_create(&t3, call_cptr, 4096 | 5, 100, fep);
    CHECK_OK(seL4_TCB_SetSpace(t3.tcb, fep, top, seL4_CNode_CapData_new(0, 19).words[0],
                               seL4_CapInitThreadVSpace, 0));
    ktest_thread_start(&t3);
    check_cap_fault(recv_fault(fep), 4096 | 5, 0, seL4_DepthMismatch, 12, 13, 0);
    KCHECK_EQ(touched, 0);
}
