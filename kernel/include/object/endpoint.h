/* Synchronous endpoints: send, receive, call and the queues of blocked threads. */
#pragma once

#include <types.h>
#include <object/structures.h>
#include <object/tcb.h>

/* Sends from `t` through endpoint cap `cap` (badge and rights from the cap). */
void endpoint_send(tcb_t *t, endpoint_t *ep, word_t badge, bool can_grant, bool can_grant_reply,
                   bool blocking, bool is_call);
/* Receives on `ep` into `t`; `is_blocking` false for NBRecv. */
void endpoint_receive(tcb_t *t, endpoint_t *ep, bool is_blocking, bool can_grant);
/* Takes a blocked thread off the endpoint it waits on. */
void endpoint_cancel_ipc(tcb_t *t);
/* The endpoint is being destroyed: every waiting thread restarts its syscall. */
void endpoint_cancel_all(endpoint_t *ep);
void endpoint_cancel_badged_sends(endpoint_t *ep, word_t badge);
