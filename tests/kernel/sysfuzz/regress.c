/*
 * Deterministic tests for what sysfuzz found or stressed: each bug it found is reproduced
 * directly (SYSFUZZ01xx), and the most destructive things a fuzz thread does are replayed
 * on their own (SYSFUZZ02xx).
 */
#include "sysfuzz.h"

/* A CNode of 16 slots, in a fresh slot of ours. */
static seL4_CPtr small_cnode(void)
{
    return ktest_object(seL4_CapTableObject, 4);
}

/* Lets every thread above priority 1 run until it blocks or stops. */
static void settle(void)
{
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 1);
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, seL4_MaxPrio);
}

/*
 * Bug: the invariant checker walked only the slots reachable from the root CNode, so an
 * object whose caps all lie in a CNode no thread can reach (one that holds the only cap to
 * itself) counted as dead, and the ASID table entry of such a pool as a violation.
 */
KTEST(unreachable_asid_pool, "SYSFUZZ0101",
      "an ASID pool whose only cap lies in a CNode holding the only cap to itself is alive: "
      "the invariant checker finds it through the capability derivation tree")
{
    seL4_CPtr cnode = small_cnode();
    seL4_CPtr ut = ktest_untyped(seL4_ASIDPoolBits);
    /* The pool goes into slot 1 of the CNode, a copy of the CNode cap into its slot 0. */
    KREQUIRE_EQ(seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, ut, cnode, 1, 4), seL4_NoError);
    KREQUIRE_EQ(
        seL4_CNode_Copy(cnode, 0, 4, seL4_CapInitThreadCNode, cnode, seL4_WordBits, seL4_AllRights),
        seL4_NoError);
    /* Our cap goes: the CNode, and the pool in it, are now reachable from no thread. */
    KREQUIRE_EQ(seL4_CNode_Delete(seL4_CapInitThreadCNode, cnode, seL4_WordBits), seL4_NoError);
    KCHECK_EQ(seL4_KeelCheckInvariants(), 0);
    /* Revoking the Untyped it came from still finds and frees it. */
    KCHECK_EQ(seL4_CNode_Revoke(seL4_CapInitThreadCNode, ut, seL4_WordBits), seL4_NoError);
    KCHECK_EQ(seL4_KeelCheckInvariants(), 0);
    KCHECK_EQ(seL4_Untyped_Retype(ut, seL4_UntypedObject, seL4_ASIDPoolBits,
                                  seL4_CapInitThreadCNode, 0, 0, ktest_slot(), 1),
              seL4_NoError);
}

static volatile seL4_Word result;

/* Runs in CSpace {1: its own TCB, 2: a CNode, 3: our page directory}: SetSpace deletes its
 * old CSpace root, the last cap to the CNode that holds the last cap to the thread. */
static void set_space_on_itself(seL4_Word arg)
{
    (void)arg;
    result = 1;
    seL4_Error err = seL4_TCB_SetSpace(1, 0, 2, 0, 3, 0);
    result = 100 + err; /* not reached: the thread is gone */
}

KTEST(set_space_destroys_caller, "SYSFUZZ0201",
      "TCB_SetSpace on itself whose old CSpace held the last cap to the thread destroys the "
      "thread in its own call: it never returns, the kernel and its invariants survive")
{
    ktest_thread_t t;
    ktest_thread_create(&t, set_space_on_itself, 0, 100, 0);
    seL4_CPtr c = small_cnode(), c2 = small_cnode();
    KREQUIRE_EQ(
        seL4_CNode_Copy(c, 2, 4, seL4_CapInitThreadCNode, c2, seL4_WordBits, seL4_AllRights),
        seL4_NoError);
    KREQUIRE_EQ(seL4_CNode_Copy(c, 3, 4, seL4_CapInitThreadCNode, seL4_CapInitThreadVSpace,
                                seL4_WordBits, seL4_AllRights),
                seL4_NoError);
    KREQUIRE_EQ(seL4_TCB_SetSpace(t.tcb, 0, c, seL4_CNode_CapData_new(0, 28).words[0],
                                  seL4_CapInitThreadVSpace, 0),
                seL4_NoError);
    result = 0;
    ktest_thread_start(&t);
    /* The thread's TCB cap moves into its CSpace; our cap to that CNode goes. */
    KREQUIRE_EQ(seL4_CNode_Move(c, 1, 4, seL4_CapInitThreadCNode, t.tcb, seL4_WordBits),
                seL4_NoError);
    KREQUIRE_EQ(seL4_CNode_Delete(seL4_CapInitThreadCNode, c, seL4_WordBits), seL4_NoError);
    settle();
    KCHECK_EQ(result, 1);
    KCHECK_EQ(seL4_DebugCapIdentify(c2), SF_CAP_CNODE);
    KCHECK_EQ(seL4_KeelCheckInvariants(), 0);
}

static seL4_CPtr own_untyped;

static void revoke_own_untyped(seL4_Word arg)
{
    (void)arg;
    result = 1;
    seL4_Error err = seL4_CNode_Revoke(seL4_CapInitThreadCNode, own_untyped, seL4_WordBits);
    result = 100 + err; /* not reached: the thread is gone */
}

KTEST(revoke_destroys_caller, "SYSFUZZ0202",
      "a thread revoking the Untyped its own TCB came from is destroyed in its own call; the "
      "revoke completes and the Untyped can be used again")
{
    ktest_thread_t t;
    ktest_thread_create(&t, revoke_own_untyped, 0, 100, 0);
    own_untyped = ktest_untyped(16);
    seL4_CPtr tcb = ktest_slot(), ep = ktest_slot();
    KREQUIRE_EQ(
        seL4_Untyped_Retype(own_untyped, seL4_TCBObject, 0, seL4_CapInitThreadCNode, 0, 0, tcb, 1),
        seL4_NoError);
    KREQUIRE_EQ(seL4_Untyped_Retype(own_untyped, seL4_EndpointObject, 0, seL4_CapInitThreadCNode, 0,
                                    0, ep, 1),
                seL4_NoError);
    KREQUIRE_EQ(seL4_TCB_Configure(tcb, 0, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace, 0,
                                   (seL4_Word)t.ipc, t.ipc_frame),
                seL4_NoError);
    KREQUIRE_EQ(seL4_TCB_SetPriority(tcb, seL4_CapInitThreadTCB, 100), seL4_NoError);
    /* It starts where the ktest thread would have. */
    seL4_UserContext regs;
    KREQUIRE_EQ(seL4_TCB_ReadRegisters(t.tcb, 0, 0, sizeof(regs) / sizeof(seL4_Word), &regs),
                seL4_NoError);
    result = 0;
    KREQUIRE_EQ(seL4_TCB_WriteRegisters(tcb, 1, 0, sizeof(regs) / sizeof(seL4_Word), &regs),
                seL4_NoError);
    settle();
    KCHECK_EQ(result, 1);
    KCHECK_EQ(seL4_DebugCapIdentify(tcb), SF_CAP_NULL);
    KCHECK_EQ(seL4_DebugCapIdentify(ep), SF_CAP_NULL);
    KCHECK_EQ(seL4_Untyped_Retype(own_untyped, seL4_UntypedObject, 16, seL4_CapInitThreadCNode, 0,
                                  0, ep, 1),
              seL4_NoError);
    KCHECK_EQ(seL4_KeelCheckInvariants(), 0);
}
