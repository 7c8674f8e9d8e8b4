/* Priorities and maximum controlled priorities: SetPriority, SetMCPriority, SetSchedParams. */
#include "tt.h"

/* Threads append their tag to this log when they run. */
static volatile seL4_Word run_log[8];
static volatile seL4_Word run_count;

static void log_run(seL4_Word tag)
{
    run_log[run_count++] = tag;
}

static void reset_log(void)
{
    run_count = 0;
    for (int i = 0; i < 8; i++)
        run_log[i] = 0;
}

/* The MCP of `tcb`, observed through the error its authority gets one step above it. */
static seL4_Word observed_mcp(seL4_CPtr tcb)
{
    seL4_CPtr target = ktest_object(seL4_TCBObject, 0);
    for (seL4_Word p = 0; p <= seL4_MaxPrio; p++) {
        if (seL4_TCB_SetPriority(target, tcb, p) == seL4_RangeError) {
            ktest_error_t e;
            ktest_get_error(&e);
            return e.range_max == p - 1 && e.range_min == 0 ? p - 1 : 0xbad;
        }
    }
    return seL4_MaxPrio;
}

KTEST(tcb_priority_order, "TCB0010",
      "SetPriority decides who runs first; raising a ready thread's priority reorders them")
{
    tt_thread_t a, b;
    tt_thread(&a, 50, 0);
    tt_thread(&b, 60, 0);
    reset_log();
    tt_start(&a, log_run, 0xa, 0, 0, 0);
    tt_start(&b, log_run, 0xb, 0, 0, 0);
    KCHECK_EQ(run_count, 0); /* the root task (255) keeps the CPU */
    tt_run_others();
    KCHECK_EQ(run_count, 2);
    KCHECK_EQ(run_log[0], 0xb);
    KCHECK_EQ(run_log[1], 0xa);
    reset_log();
    tt_start(&a, log_run, 0xa, 0, 0, 0);
    tt_start(&b, log_run, 0xb, 0, 0, 0);
    KREQUIRE_EQ(seL4_TCB_SetPriority(a.tcb, ROOT_TCB, 70), seL4_NoError);
    tt_run_others();
    KCHECK_EQ(run_count, 2);
    KCHECK_EQ(run_log[0], 0xa);
    KCHECK_EQ(run_log[1], 0xb);
    /* Raised above the root task, a ready thread runs at once. */
    reset_log();
    tt_start(&a, log_run, 0xa, 0, 0, 0);
    KCHECK_EQ(run_count, 0);
    KREQUIRE_EQ(seL4_TCB_SetPriority(ROOT_TCB, ROOT_TCB, 100), seL4_NoError);
    KREQUIRE_EQ(seL4_TCB_SetPriority(a.tcb, ROOT_TCB, 101), seL4_NoError);
    KCHECK_EQ(run_count, 1);
    KREQUIRE_EQ(seL4_TCB_SetPriority(ROOT_TCB, ROOT_TCB, seL4_MaxPrio), seL4_NoError);
}

KTEST(tcb_priority_range, "TCB0011",
      "a priority above the authority's MCP is RangeError [0, MCP]; MaxPrio from the root task "
      "works, MaxPrio + 1 does not")
{
    tt_thread_t t, auth;
    tt_thread(&t, 10, 0);
    tt_thread(&auth, 10, 0);
    KREQUIRE_EQ(seL4_TCB_SetMCPriority(auth.tcb, ROOT_TCB, 100), seL4_NoError);
    ktest_error_t e;
    KCHECK_EQ(seL4_TCB_SetPriority(t.tcb, auth.tcb, 101), seL4_RangeError);
    ktest_get_error(&e);
    KCHECK_EQ(e.range_min, 0);
    KCHECK_EQ(e.range_max, 100);
    KCHECK_EQ(seL4_TCB_SetPriority(t.tcb, auth.tcb, 0xffffffffu), seL4_RangeError);
    KCHECK_EQ(seL4_TCB_SetPriority(t.tcb, auth.tcb, 100), seL4_NoError);
    KCHECK_EQ(seL4_TCB_SetPriority(t.tcb, auth.tcb, 0), seL4_NoError);
    KCHECK_EQ(seL4_TCB_SetPriority(t.tcb, ROOT_TCB, seL4_MaxPrio), seL4_NoError);
    KCHECK_EQ(seL4_TCB_SetPriority(t.tcb, ROOT_TCB, seL4_MaxPrio + 1), seL4_RangeError);
    ktest_get_error(&e);
    KCHECK_EQ(e.range_max, seL4_MaxPrio);
    /* The error reply carries the range (seL4's layout). */
    seL4_SetMR(0, 101);
    seL4_SetCap(0, auth.tcb);
    seL4_MessageInfo_t info = seL4_Call(t.tcb, seL4_MessageInfo_new(TCBSetPriority, 0, 1, 1));
    KCHECK_EQ(seL4_MessageInfo_get_label(info), seL4_RangeError);
    KCHECK_EQ(seL4_MessageInfo_get_length(info), 2);
    KCHECK_EQ(seL4_GetMR(0), 0);
    KCHECK_EQ(seL4_GetMR(1), 100);
}

KTEST(tcb_priority_bad_authority, "TCB0012",
      "an authority that is not a TCB is InvalidCapability 1; a missing one or a missing "
      "word TruncatedMessage (SetPriority, SetMCPriority, SetSchedParams)")
{
    tt_thread_t t;
    tt_thread(&t, 10, 0);
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    KCHECK_ARG(seL4_TCB_SetPriority(t.tcb, ep, 5), seL4_InvalidCapability, 1);
    KCHECK_ARG(seL4_TCB_SetMCPriority(t.tcb, ROOT_CNODE, 5), seL4_InvalidCapability, 1);
    KCHECK_ARG(seL4_TCB_SetSchedParams(t.tcb, seL4_CapNull, 5, 5), seL4_InvalidCapability, 1);
    seL4_SetMR(0, 5);
    seL4_SetMR(1, 5);
    seL4_SetCap(0, ROOT_TCB);
    KCHECK_EQ(seL4_Invoke(t.tcb, TCBSetPriority, 0, 1), seL4_TruncatedMessage);
    KCHECK_EQ(seL4_Invoke(t.tcb, TCBSetPriority, 1, 0), seL4_TruncatedMessage);
    KCHECK_EQ(seL4_Invoke(t.tcb, TCBSetMCPriority, 0, 1), seL4_TruncatedMessage);
    KCHECK_EQ(seL4_Invoke(t.tcb, TCBSetMCPriority, 1, 0), seL4_TruncatedMessage);
    KCHECK_EQ(seL4_Invoke(t.tcb, TCBSetSchedParams, 1, 1), seL4_TruncatedMessage);
    KCHECK_EQ(seL4_Invoke(t.tcb, TCBSetSchedParams, 2, 0), seL4_TruncatedMessage);
    /* A bad authority is reported before a bad priority. */
    KCHECK_ARG(seL4_TCB_SetPriority(t.tcb, ep, 1000), seL4_InvalidCapability, 1);
}

KTEST(tcb_mcp, "TCB0013",
      "SetMCPriority bounds what the thread may grant as an authority, up to the granter's MCP")
{
    tt_thread_t t, u;
    tt_thread(&t, 10, 0);
    tt_thread(&u, 10, 0);
    KCHECK_EQ(observed_mcp(t.tcb), 0); /* a new TCB's MCP is 0 */
    KREQUIRE_EQ(seL4_TCB_SetMCPriority(t.tcb, ROOT_TCB, 120), seL4_NoError);
    KCHECK_EQ(observed_mcp(t.tcb), 120);
    ktest_error_t e;
    KCHECK_EQ(seL4_TCB_SetMCPriority(u.tcb, t.tcb, 121), seL4_RangeError);
    ktest_get_error(&e);
    KCHECK_EQ(e.range_min, 0);
    KCHECK_EQ(e.range_max, 120);
    KCHECK_EQ(seL4_TCB_SetMCPriority(u.tcb, t.tcb, 120), seL4_NoError);
    KCHECK_EQ(observed_mcp(u.tcb), 120);
    /* A thread may lower its own MCP, and then cannot raise it again with itself. */
    KCHECK_EQ(seL4_TCB_SetMCPriority(t.tcb, t.tcb, 30), seL4_NoError);
    KCHECK_EQ(seL4_TCB_SetMCPriority(t.tcb, t.tcb, 31), seL4_RangeError);
    KCHECK_EQ(observed_mcp(t.tcb), 30);
    KCHECK_EQ(seL4_TCB_SetMCPriority(t.tcb, ROOT_TCB, 256), seL4_RangeError);
    KCHECK_EQ(observed_mcp(t.tcb), 30);
}

KTEST(tcb_sched_params, "TCB0014",
      "SetSchedParams sets MCP and priority together; the MCP is checked first; a refusal "
      "changes neither")
{
    tt_thread_t t, auth;
    tt_thread(&t, 10, 0);
    tt_thread(&auth, 10, 0);
    KREQUIRE_EQ(seL4_TCB_SetMCPriority(auth.tcb, ROOT_TCB, 80), seL4_NoError);
    ktest_error_t e;
    KCHECK_EQ(seL4_TCB_SetSchedParams(t.tcb, auth.tcb, 81, 20), seL4_RangeError);
    ktest_get_error(&e);
    KCHECK_EQ(e.range_min, 0);
    KCHECK_EQ(e.range_max, 80);
    KCHECK_EQ(seL4_TCB_SetSchedParams(t.tcb, auth.tcb, 20, 81), seL4_RangeError);
    ktest_get_error(&e);
    KCHECK_EQ(e.range_max, 80);
    KCHECK_EQ(observed_mcp(t.tcb), 0);
    KCHECK_EQ(seL4_TCB_SetSchedParams(t.tcb, auth.tcb, 70, 80), seL4_NoError);
    KCHECK_EQ(observed_mcp(t.tcb), 70);
    /* The priority took effect: it runs before a thread of priority 75. */
    tt_thread_t other;
    tt_thread(&other, 75, 0);
    reset_log();
    tt_start(&other, log_run, 2, 0, 0, 0);
    tt_start(&t, log_run, 1, 0, 0, 0);
    tt_run_others();
    KCHECK_EQ(run_count, 2);
    KCHECK_EQ(run_log[0], 1);
    KCHECK_EQ(run_log[1], 2);
}

/* Tries to raise its own priority to `want` with itself as the authority. */
static volatile seL4_Word self_raise_error;
static void raise_self(seL4_Word tcb, seL4_Word want)
{
    self_raise_error = seL4_TCB_SetPriority(tcb, tcb, want);
}

KTEST(tcb_priority_self, "TCB0015",
      "a thread can set its own priority up to its own MCP, not beyond")
{
    tt_thread_t t;
    tt_thread(&t, 40, 0);
    KREQUIRE_EQ(seL4_TCB_SetMCPriority(t.tcb, ROOT_TCB, 60), seL4_NoError);
    self_raise_error = 99;
    tt_start(&t, raise_self, t.tcb, 61, 0, 0);
    tt_run_others();
    KCHECK_EQ(self_raise_error, seL4_RangeError);
    self_raise_error = 99;
    tt_start(&t, raise_self, t.tcb, 60, 0, 0);
    tt_run_others();
    KCHECK_EQ(self_raise_error, seL4_NoError);
}
