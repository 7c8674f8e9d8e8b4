/*
 * Thread control blocks. A TCB object is 2^seL4_TCBBits bytes: the register context, the
 * VFP state, scheduling and IPC state, and five capability slots of its own.
 */
#pragma once

#include <types.h>
#include <config.h>
#include <object/structures.h>
#include <sel4/constants.h>
#include <sel4/errors.h>

/*
 * Saved user registers. Trap entry (traps.S) stores r0-r14 and the return pc/cpsr here
 * directly, so the field order is fixed: do not reorder without changing traps.S.
 */
enum {
    R0 = 0,
    R1,
    R2,
    R3,
    R4,
    R5,
    R6,
    R7,
    R8,
    R9,
    R10,
    R11,
    R12,
    SP = 13,
    LR = 14,
    NEXT_PC = 15, /* where the thread resumes */
    CPSR = 16,
    FAULT_PC = 17, /* address of the instruction that trapped (syscall restart, faults) */
    TPIDRURW = 18,
    TPIDRURO = 19,
    N_CONTEXT_REGS = 20
};

typedef struct user_context {
    word_t regs[N_CONTEXT_REGS];
} user_context_t;

typedef struct vfp_state {
    uint64_t d[32];
    word_t fpscr;
    word_t fpexc;
} vfp_state_t;

typedef enum {
    thread_inactive = 0,
    thread_running,
    thread_restart, /* re-executes its syscall when next scheduled */
    thread_blocked_on_receive,
    thread_blocked_on_send,
    thread_blocked_on_reply,
    thread_blocked_on_notification,
    thread_idle,
} thread_state_t;

/* Flags recorded when a thread blocks on send. */
#define BLOCK_IS_CALL         BIT(0)
#define BLOCK_CAN_GRANT       BIT(1)
#define BLOCK_CAN_GRANT_REPLY BIT(2)

/* The TCB's own slots. */
enum {
    tcb_cspace_slot = 0,
    tcb_vspace_slot,
    tcb_reply_slot,
    tcb_caller_slot,
    tcb_buffer_slot,
    tcb_cnode_entries
};

/* A pending fault, held until it is sent to the fault handler. See api/faults.h. */
typedef struct fault {
    word_t type;
    word_t data[2];
} fault_t;

/* A failed capability lookup: seL4_LookupFailureType plus its two details. */
typedef struct lookup_fault {
    word_t type;
    word_t bits_left; /* MissingCapability, DepthMismatch, GuardMismatch */
    word_t detail[2]; /* DepthMismatch: bits found; GuardMismatch: guard found, guard size */
} lookup_fault_t;

/* Detail of the last failed invocation, readable by the thread (Keel structured errors). */
typedef struct syscall_error_detail {
    word_t error;    /* seL4_Error */
    word_t argument; /* invalid argument / cap index */
    word_t range_min;
    word_t range_max;
    word_t failed_lookup_was_source;
    word_t memory_left;
    lookup_fault_t lookup;
    const char *message; /* debug builds: the check that failed */
} syscall_error_detail_t;

typedef struct tcb {
    user_context_t ctx; /* must stay first: traps.S addresses it through the TCB pointer */
    word_t state;       /* thread_state_t */
    void *blocking_object;
    word_t blocking_badge;
    word_t blocking_flags;
    word_t priority;
    word_t mcp;
    word_t timeslice;
    struct tcb *sched_next, *sched_prev;
    word_t sched_queued; /* in a ready queue (kept by sched_enqueue/append/dequeue) */
    struct tcb *ep_next, *ep_prev;
    notification_t *bound_notification;
    vptr_t ipc_buffer;
    cptr_t fault_handler;
    fault_t fault;
    lookup_fault_t lookup_fault;
    syscall_error_detail_t error;
    char name[CONFIG_THREAD_NAME_LEN];
    vfp_state_t vfp ALIGN(8);
    cte_t slots[tcb_cnode_entries] ALIGN(16);
} tcb_t;

STATIC_ASSERT(tcb_fits, sizeof(tcb_t) <= BIT(seL4_TCBBits));

static inline tcb_t *tcb_from_slot(cte_t *slot)
{
    return (tcb_t *)ROUND_DOWN((word_t)slot, seL4_TCBBits);
}
