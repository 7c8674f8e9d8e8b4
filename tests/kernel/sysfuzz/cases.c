/*
 * Random system calls (see sysfuzz.h). Each case runs 30,000 steps of the main fuzz thread
 * (the helper makes more) from its own seed, with its own mix of calls, and asserts: every
 * invariant check found nothing, the bystander answered every ping, every step was made,
 * and the run really exercised the kernel (successful invocations of every kind it aims
 * at, fresh environments, faults delivered).
 */
#include "sysfuzz.h"
#include <fmt/fmt.h>

#define STEPS 30000

static void run_case(seL4_Word seed, sysfuzz_focus_t focus, bool give_irq_control)
{
    sysfuzz_stats_t st;
    sysfuzz_run(seed, STEPS, focus, give_irq_control, &st);
    sysfuzz_print("sysfuzz", &st);
    KCHECK_EQ(st.steps, STEPS);
    KCHECK_EQ(st.invariant_failures, 0);
    KCHECK_EQ(st.ping_failures, 0);
    KCHECK(st.invariant_checks >= STEPS / 200);
    KCHECK_EQ(st.pings, st.invariant_checks);
    /* It did fuzz: a fresh environment every 250 steps at least, the helper ran, most
     * invocation labels got through their decoders, and faults reached the handler. */
    KCHECK(st.rebuilds >= STEPS / 250 - 1);
    KCHECK(st.helper_steps > 0);
    KCHECK(st.call_label[0] > STEPS / 20);
    KCHECK(st.labels_succeeded >= 40);
    KCHECK(st.faults[seL4_Fault_CapFault] > 0 && st.faults[seL4_Fault_UnknownSyscall] > 0);
}

KTEST(sysfuzz_mixed, "SYSFUZZ0001",
      "30,000 random system calls of every kind: invariants hold, the bystander answers, "
      "every step is made")
{
    run_case(1, SYSFUZZ_MIXED, false);
}

KTEST(sysfuzz_cspace, "SYSFUZZ0002",
      "30,000 random system calls, mostly Retype and CNode operations: invariants hold, the "
      "bystander answers, every step is made")
{
    run_case(0x5eed0002u, SYSFUZZ_CSPACE, false);
}

KTEST(sysfuzz_ipc, "SYSFUZZ0003",
      "30,000 random system calls, mostly IPC, replies and thread control: invariants hold, "
      "the bystander answers, every step is made")
{
    run_case(0xc0ffee03u, SYSFUZZ_IPC, false);
}

/* Last: the fuzz threads get IRQControl here, and may lose it for good. */
KTEST(sysfuzz_vspace, "SYSFUZZ0004",
      "30,000 random system calls, mostly VSpace objects, ASIDs and IRQs (with IRQControl): "
      "invariants hold, the bystander answers, every step is made")
{
    run_case(0x0ddba114u, SYSFUZZ_VSPACE, true);
}
