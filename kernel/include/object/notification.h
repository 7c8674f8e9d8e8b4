/* Notifications: a word of OR-ed badges, with a queue of waiters and a bound TCB. */
#pragma once

#include <types.h>
#include <object/structures.h>
#include <object/tcb.h>

void notification_signal(notification_t *n, word_t badge);
void notification_wait(tcb_t *t, notification_t *n, bool is_blocking);
void notification_cancel_wait(tcb_t *t);
void notification_cancel_all(notification_t *n);
void notification_bind(notification_t *n, tcb_t *t);
void notification_unbind(tcb_t *t);
