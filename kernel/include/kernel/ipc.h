/*
 * Message transfer between threads: message registers, badges and capabilities. The
 * first four message registers travel in r2-r5, the rest in the IPC buffers.
 */
#pragma once

#include <types.h>
#include <object/tcb.h>
#include <object/structures.h>
#include <sel4/types.h>
#include <api/errors.h>

#define MSG_INFO_REG R1
#define BADGE_REG    R0

/* The kernel address of `t`'s IPC buffer words, or NULL if it has no usable buffer. A
 * receiver's buffer must be writable. */
word_t *ipc_buffer_of(tcb_t *t, bool is_receiver);

word_t get_mr(tcb_t *t, word_t *buffer, word_t i);
/* Sets MR i; returns false (and sets nothing) when i is beyond the registers and there
 * is no buffer. */
bool set_mr(tcb_t *t, word_t *buffer, word_t i, word_t v);

/* Moves a message (registers, badge, caps when `can_grant`) from sender to receiver.
 * `ep` is the endpoint it travels through (NULL for replies), for cap unwrapping. */
void ipc_transfer(tcb_t *sender, endpoint_t *ep, word_t badge, bool can_grant, tcb_t *receiver);

/* Looks up the extra caps named in `buffer` for a message of `info`. On failure sets
 * current_lookup_fault and returns the index that failed as `failed`. */
typedef struct {
    exception_t status;
    cptr_t failed_cptr;
    word_t count;
    cte_t *slots[seL4_MsgMaxExtraCaps];
} extra_caps_t;
extra_caps_t lookup_extra_caps(tcb_t *t, word_t *buffer, seL4_MessageInfo_t info);

static inline seL4_MessageInfo_t msg_info_of(word_t w)
{
    seL4_MessageInfo_t m = {{w}};
    if (seL4_MessageInfo_get_length(m) > seL4_MsgMaxLength)
        m = seL4_MessageInfo_set_length(m, seL4_MsgMaxLength);
    return m;
}
