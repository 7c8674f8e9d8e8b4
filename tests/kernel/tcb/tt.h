/* Helpers of the TCB conformance tests. */
#pragma once

#include "../lib/ktest.h"

#define ROOT_TCB   seL4_CapInitThreadTCB
#define ROOT_CNODE seL4_CapInitThreadCNode
#define ROOT_VS    seL4_CapInitThreadVSpace

/* Lets every ready thread above priority 0 run until it blocks: the root task drops to
 * priority 0 and comes back to 255 when nothing else is ready. */
void tt_run_others(void);

/* A copy of `cap` minted with `badge` and all rights, in a fresh root slot. */
seL4_CPtr tt_badged(seL4_CPtr cap, seL4_Word badge);

/* A thread in the root task's CSpace and VSpace, stopped, with its IPC buffer, stack and
 * priority set; `entry` starts with r0..r3 = args when resumed (see tt_start). */
typedef struct {
    seL4_CPtr tcb;
    seL4_IPCBuffer *ipc;
    seL4_CPtr ipc_frame;
    seL4_Word stack_top;
} tt_thread_t;
void tt_thread(tt_thread_t *t, seL4_Word prio, seL4_CPtr fault_ep);
/* Points the thread at entry(a0, a1, a2, a3) with a fresh stack and resumes it. */
void tt_start(tt_thread_t *t, void *entry, seL4_Word a0, seL4_Word a1, seL4_Word a2, seL4_Word a3);

/* seL4_TCB_ReadRegisters of all 19 registers; the case fails on error. */
seL4_UserContext tt_read_regs(seL4_CPtr tcb);

/* Receives one message on `ep`; returns its label (the fault type for faults). */
seL4_Word tt_recv_label(seL4_CPtr ep, seL4_Word *badge);

/* Checks an invocation's error and the argument number recorded for it. */
#define KCHECK_ARG(err_call, err_val, arg_no)                                                      \
    do {                                                                                           \
        KCHECK_EQ((err_call), (err_val));                                                          \
        ktest_error_t e_;                                                                          \
        ktest_get_error(&e_);                                                                      \
        KCHECK_EQ(e_.argument, (arg_no));                                                          \
    } while (0)
