/*
 * Faults: a thread's error that its fault handler must deal with. The kernel records the
 * fault in the TCB and sends it to the handler endpoint (tcb->fault_handler, looked up in
 * the faulting thread's CSpace) as a Call. Without a valid handler the thread is suspended
 * and, in debug builds, a one-line report names it.
 */
#pragma once

#include <types.h>
#include <object/tcb.h>
#include <sel4/faults.h>

/* Records a fault in `t` (the type plus up to two words of detail). */
void fault_set_vm(tcb_t *t, vptr_t addr, word_t fsr, bool prefetch);
void fault_set_unknown_syscall(tcb_t *t, word_t syscall);
void fault_set_user_exception(tcb_t *t, word_t number, word_t code);
void fault_set_cap(tcb_t *t, cptr_t addr, bool in_recv_phase, lookup_fault_t lf);

/* Delivers the fault recorded in `t` to its handler, or suspends `t`. */
void handle_fault(tcb_t *t);

/* Writes the fault message of `sender` into `receiver`'s message registers; returns its
 * length. */
word_t fault_message(tcb_t *sender, tcb_t *receiver, word_t *recv_buffer);
/* Applies a handler's reply to the faulted thread `t`. Returns true if `t` restarts. */
bool fault_reply(tcb_t *t, word_t label, word_t length, tcb_t *replier, word_t *reply_buffer);
