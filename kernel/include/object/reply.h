/*
 * Reply capabilities. Each TCB has a master reply cap in its reply slot; a thread that
 * receives a Call gets a one-shot reply cap, derived from the caller's master, in its
 * caller slot. Deleting the caller revokes the master, which invalidates the reply cap.
 */
#pragma once

#include <types.h>
#include <object/tcb.h>
#include <object/structures.h>

/* Gives `receiver` a reply cap to `sender` (who now waits for the reply). */
void reply_setup(tcb_t *sender, tcb_t *receiver, bool can_grant);
/* Sends the reply message from `t` through the reply cap in `slot`, then deletes the cap. */
void reply_do(tcb_t *t, cte_t *slot);
/* A thread waiting for a reply is being stopped. */
void reply_cancel_wait(tcb_t *t);
