/*
 * Shared helpers of the "ipc" conformance suite: IPC, notifications, faults, scheduling
 * and interrupts. The test task runs at priority 255; worker threads run below it, so a
 * worker only runs when the test task blocks (or calls settle()).
 */
#pragma once

#include "../lib/ktest.h"

#define PRIO_MAIN seL4_MaxPrio

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* Badge of the fault endpoint caps made by fault_endpoint(). */
#define FAULT_BADGE 0xfa17u

/* Cap type numbers (seL4_DebugCapIdentify). */
enum {
    CAP_NULL = 0,
    CAP_ENDPOINT = 2,
    CAP_NOTIFICATION = 3,
    CAP_REPLY = 4,
    CAP_CNODE = 5,
    CAP_THREAD = 6,
    CAP_IRQ_HANDLER = 8,
    CAP_FRAME = 10,
};

/* A copy of `src` (a root CNode slot) in a fresh slot, with `rights` and `badge`. */
seL4_CPtr mint(seL4_CPtr src, seL4_CapRights_t rights, seL4_Word badge);

/* Lets every thread above priority 1 run until it blocks, stops or finishes, then
 * returns: the test task drops to priority 1 and back. (It goes to the head of priority
 * 1, so threads of priority 1 and 0 do not run.) */
void settle(void);

/* Lets the threads run until they block (settle), then takes the message waiting on
 * endpoint `ep` without blocking. Only for badged senders (fault endpoints): a missing
 * message fails the case instead of hanging the suite. */
seL4_MessageInfo_t take_message(seL4_CPtr ep, seL4_Word *badge);

/* A new endpoint `ep` and a copy with all rights and FAULT_BADGE to name as a thread's
 * fault handler; returns the copy. */
seL4_CPtr fault_endpoint(seL4_CPtr *ep);

/* Creates and starts a thread (see ktest_thread_create). */
void spawn(ktest_thread_t *t, void (*fn)(seL4_Word), seL4_Word arg, seL4_Word prio,
           seL4_CPtr fault_ep);

/* The saved registers of a stopped or blocked thread. */
seL4_UserContext thread_regs(seL4_CPtr tcb);

/* An ordered record of events from several threads. */
void log_reset(void);
void log_event(seL4_Word v);
int log_count(void);
seL4_Word log_at(int i);

/* Maps `frame` at `vaddr` in the test task's VSpace with `rights` and `attr`, making a
 * page table if needed. Returns the seL4_Error of the final Page_Map. */
seL4_Error map_page(seL4_CPtr frame, seL4_Word vaddr, seL4_CapRights_t rights, seL4_Word attr);

/* The error detail of the last failed invocation. */
ktest_error_t last_error(void);

/* Assembly probes (probes.c). Each *_svc / *_insn label marks the exact instruction. */
seL4_Word usys_probe(seL4_Word number); /* r0-r6 = 0xA0A0A000 + 0x01010101 * i, r7 = number */
extern char usys_probe_svc[];
seL4_Word undef_probe(void); /* returns 5 if resumed after its undefined instruction */
extern char undef_probe_insn[];
seL4_Word load_probe(seL4_Word addr); /* ldr r0, [r0] */
extern char load_probe_insn[];
void store_probe(seL4_Word addr, seL4_Word value); /* str r1, [r0] */
extern char store_probe_insn[];
void ldm_probe(seL4_Word addr); /* ldm r0, {r1, r2}: needs word alignment */
extern char ldm_probe_insn[];
seL4_Word cap_call_probe(seL4_CPtr cptr); /* seL4_Call(cptr) with a zero message */
extern char cap_call_probe_svc[];
seL4_Word cap_recv_probe(seL4_CPtr cptr); /* seL4_Recv(cptr); returns the badge */
extern char cap_recv_probe_svc[];
seL4_Word thumb_usys(seL4_Word number); /* Thumb: svc with r7 = number; returns r0 */
extern char thumb_usys_svc[];
seL4_Word thumb_it_probe(seL4_Word number); /* Thumb: svceq; movne r1, #7 in one IT block */
extern char thumb_it_svc[];
seL4_Word thumb_undef_probe(void); /* Thumb: udf #1; returns 7 if resumed after it */
extern char thumb_undef_insn[];
