/*
 * One object invocation being decoded: the invoked cap, the message, and the extra caps
 * already looked up. Decoders read arguments with inv_arg() using the positions from
 * <sel4/invocation.h>, check everything, and only then call their invoke function.
 */
#pragma once

#include <types.h>
#include <object/structures.h>
#include <object/tcb.h>
#include <sel4/constants.h>
#include <api/errors.h>

typedef struct invocation {
    word_t label;
    word_t length;  /* message registers sent */
    cap_t cap;      /* the invoked cap */
    cte_t *slot;    /* ... and its slot */
    word_t n_extra; /* extra caps looked up */
    cte_t *extra[seL4_MsgMaxExtraCaps];
    word_t *buffer;   /* the caller's IPC buffer (kernel address), or NULL */
    tcb_t *thread;    /* the caller */
    bool is_call;     /* the caller wants a reply */
    bool is_blocking; /* Send and Call block; NBSend does not */
} invocation_t;

/* Message register i of the caller: r2-r5 for the first four, the IPC buffer after. */
static inline word_t inv_arg(const invocation_t *inv, word_t i)
{
    static const word_t msg_regs[seL4_FastMessageRegisters] = {R2, R3, R4, R5};
    if (i < seL4_FastMessageRegisters)
        return inv->thread->ctx.regs[msg_regs[i]];
    return inv->buffer ? inv->buffer[1 + i] : 0;
}

static inline cap_t inv_extra_cap(const invocation_t *inv, word_t i)
{
    return inv->extra[i]->cap;
}

/* Dispatches on the invoked cap's type (objecttype.c). */
exception_t decode_invocation(invocation_t *inv);

/* Reply message registers set by an invoke function (e.g. GetAddress, ReadRegisters). */
void reply_set_mr(tcb_t *t, word_t *buffer, word_t i, word_t v);
