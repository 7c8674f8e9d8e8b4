/*
 * Kernel-internal error handling, as in seL4: an operation returns an exception_t, and
 * the details of a user-visible error live in the current thread's syscall_error_detail
 * (tcb->error), from which the reply message and seL4_KeelGetError are built.
 *
 * Decoders reject with one of the helpers below; each records the seL4_Error, its detail
 * and (debug builds) a message naming the failed check, printed as one line.
 */
#pragma once

#include <types.h>
#include <sel4/errors.h>
#include <object/tcb.h>

typedef enum {
    EXCEPTION_NONE = 0,
    EXCEPTION_FAULT,         /* a fault to deliver to the thread's handler */
    EXCEPTION_LOOKUP_FAULT,  /* a capability lookup failed; detail in current_lookup_fault */
    EXCEPTION_SYSCALL_ERROR, /* reply with an error; detail in cur_thread->error */
    EXCEPTION_PREEMPTED,
} exception_t;

/* Set by the lookup functions when they fail. */
extern lookup_fault_t current_lookup_fault;

exception_t syscall_error(seL4_Error err, const char *msg);
exception_t err_invalid_argument(word_t argno, const char *msg);
exception_t err_invalid_capability(word_t capno, const char *msg);
exception_t err_range(word_t min, word_t max, const char *msg);
exception_t err_failed_lookup(bool was_source, const char *msg);
exception_t err_not_enough_memory(word_t left, const char *msg);

/* Builds lookup-fault details (also used for CapFault messages). */
lookup_fault_t lookup_fault_invalid_root(void);
lookup_fault_t lookup_fault_missing_capability(word_t bits_left);
lookup_fault_t lookup_fault_depth_mismatch(word_t bits_left, word_t bits_found);
lookup_fault_t lookup_fault_guard_mismatch(word_t bits_left, word_t guard, word_t guard_size);

#ifdef CONFIG_DEBUG
#define ERRMSG(s) (s)
#else
#define ERRMSG(s) ((const char *)0)
#endif
