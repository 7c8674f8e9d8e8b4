/*
 * System call entry. Every path ends in schedule() and a return to cur_thread, so a
 * syscall that blocks, wakes a higher-priority thread or faults needs no special exit.
 */
#include <api/errors.h>
#include <api/faults.h>
#include <api/invocation.h>
#include <kernel/thread.h>
#include <kernel/cspace.h>
#include <kernel/ipc.h>
#include <kernel/printf.h>
#include <kernel/panic.h>
#include <kernel/invariants.h>
#include <object/cnode.h>
#include <object/endpoint.h>
#include <object/notification.h>
#include <object/reply.h>
#include <drivers/serial.h>
#include <sel4/syscall.h>

/* Writes the error reply (seL4's message layout for each error) into `t`. */
static void reply_error(tcb_t *t)
{
    syscall_error_detail_t *e = &t->error;
    word_t *buf = ipc_buffer_of(t, true);
    word_t n = 0;
    switch (e->error) {
    case seL4_InvalidArgument:
    case seL4_InvalidCapability:
        set_mr(t, buf, n++, e->argument);
        break;
    case seL4_RangeError:
        set_mr(t, buf, n++, e->range_min);
        set_mr(t, buf, n++, e->range_max);
        break;
    case seL4_NotEnoughMemory:
        set_mr(t, buf, n++, e->memory_left);
        break;
    case seL4_FailedLookup: {
        lookup_fault_t *lf = &e->lookup;
        set_mr(t, buf, n++, e->failed_lookup_was_source);
        set_mr(t, buf, n++, lf->type);
        if (lf->type != seL4_InvalidRoot)
            set_mr(t, buf, n++, lf->bits_left);
        if (lf->type == seL4_DepthMismatch || lf->type == seL4_GuardMismatch)
            n += set_mr(t, buf, n, lf->detail[0]);
        if (lf->type == seL4_GuardMismatch)
            n += set_mr(t, buf, n, lf->detail[1]);
        break;
    }
    default:
        break;
    }
    t->ctx.regs[MSG_INFO_REG] = seL4_MessageInfo_new(e->error, 0, 0, n).words[0];
}

/* Length of the reply an invoke function wrote (e.g. ReadRegisters); 0 for most. */
word_t current_reply_length;

static void handle_invocation(bool is_call, bool is_blocking)
{
    tcb_t *t = cur_thread;
    seL4_MessageInfo_t info = msg_info_of(t->ctx.regs[MSG_INFO_REG]);
    cptr_t cptr = t->ctx.regs[R0];

    lookup_slot_ret_t s = lookup_slot(t, cptr);
    if (s.status != EXCEPTION_NONE) {
        debug_printf("<<%s: invocation of cap %u: the cap does not resolve>>\n",
                     t->name[0] ? t->name : "?", cptr);
        if (is_blocking) {
            fault_set_cap(t, cptr, false, current_lookup_fault);
            handle_fault(t);
        }
        return;
    }
    word_t *buffer = ipc_buffer_of(t, false);
    extra_caps_t extra = lookup_extra_caps(t, buffer, info);
    if (extra.status != EXCEPTION_NONE) {
        if (is_blocking) {
            fault_set_cap(t, extra.failed_cptr, false, current_lookup_fault);
            handle_fault(t);
        }
        return;
    }
    word_t length = seL4_MessageInfo_get_length(info);
    if (!buffer && length > seL4_FastMessageRegisters)
        length = seL4_FastMessageRegisters;

    invocation_t inv = {
        .label = seL4_MessageInfo_get_label(info),
        .length = length,
        .cap = s.slot->cap,
        .slot = s.slot,
        .n_extra = extra.count,
        .buffer = buffer,
        .thread = t,
        .is_call = is_call,
        .is_blocking = is_blocking,
    };
    for (word_t i = 0; i < extra.count; i++)
        inv.extra[i] = extra.slots[i];

    current_reply_length = 0;
    /* Until the invoke function blocks or suspends the caller, it is "restarting": if it
     * is still so afterwards, the invocation completed and a Call gets its reply. */
    word_t state_before = t->state;
    t->state = thread_restart;
    exception_t st = decode_invocation(&inv);
    if (st == EXCEPTION_PREEMPTED)
        return;
    if (t->state == thread_restart)
        t->state = state_before;
    if (st == EXCEPTION_SYSCALL_ERROR) {
        if (is_call)
            reply_error(t);
        return;
    }
    if (st == EXCEPTION_FAULT) {
        handle_fault(t);
        return;
    }
    if (is_call && t->state == thread_running) {
        t->ctx.regs[MSG_INFO_REG] = seL4_MessageInfo_new(0, 0, 0, current_reply_length).words[0];
    }
}

/*
 * seL4_Signal without the invocation machinery: a send of no caps through a notification
 * cap with the write right is a signal whatever the message says, so nothing else needs
 * decoding. Anything else (including every error) goes the full way.
 */
static bool try_signal(void)
{
    tcb_t *t = cur_thread;
    if (seL4_MessageInfo_get_extraCaps(msg_info_of(t->ctx.regs[MSG_INFO_REG])) != 0)
        return false;
    cte_t *slot = lookup_slot_fast(t, t->ctx.regs[R0]);
    if (slot == NULL || cap_get_type(slot->cap) != cap_notification_cap ||
        !(cap_ep_get_rights(slot->cap) & CAP_RIGHT_WRITE))
        return false;
    notification_signal((notification_t *)cap_get_pptr(slot->cap), cap_ep_get_badge(slot->cap));
    /*
     * The signal may have woken a thread that does not outrank this one. Then this thread
     * goes on and the woken one waits in its queue (at the tail at equal priority, at the
     * head below): settle that here, as schedule() would, without its general checks. The
     * signaller cannot block later in this syscall, so nothing else can change the choice.
     */
    tcb_t *woken = sched_action;
    if (woken != SCHED_RESUME_CURRENT && woken != SCHED_CHOOSE_NEW &&
        woken->priority <= t->priority && !t->sched_queued && !sched_ready_above(t->priority)) {
        if (woken->priority == t->priority)
            sched_append(woken);
        else
            sched_enqueue(woken);
        sched_action = SCHED_RESUME_CURRENT;
    }
    return true;
}

static void cap_fault_on_receive(tcb_t *t, cptr_t cptr, lookup_fault_t lf)
{
    fault_set_cap(t, cptr, true, lf);
    handle_fault(t);
}

static void delete_caller_cap(tcb_t *t)
{
    cte_t *caller = &t->slots[tcb_caller_slot];
    if (!cap_is_null(caller->cap))
        cte_clear(caller);
}

static void handle_recv(bool is_blocking)
{
    tcb_t *t = cur_thread;
    cptr_t cptr = t->ctx.regs[R0];
    cte_t *slot = lookup_slot_fast(t, cptr);
    if (slot == NULL) {
        cap_fault_on_receive(t, cptr, current_lookup_fault);
        return;
    }
    cap_t cap = slot->cap;
    switch (cap_get_type(cap)) {
    case cap_endpoint_cap:
        if (!(cap_ep_get_rights(cap) & CAP_RIGHT_READ))
            break;
        delete_caller_cap(t);
        endpoint_receive(t, (endpoint_t *)cap_get_pptr(cap), is_blocking,
                         cap_ep_get_rights(cap) & CAP_RIGHT_GRANT);
        return;
    case cap_notification_cap: {
        notification_t *n = (notification_t *)cap_get_pptr(cap);
        if (!(cap_ep_get_rights(cap) & CAP_RIGHT_READ) || (n->bound_tcb && n->bound_tcb != t))
            break;
        notification_wait(t, n, is_blocking);
        return;
    }
    default:
        break;
    }
    cap_fault_on_receive(t, cptr, lookup_fault_missing_capability(0));
}

static void handle_reply(void)
{
    tcb_t *t = cur_thread;
    cte_t *caller = &t->slots[tcb_caller_slot];
    if (cap_get_type(caller->cap) == cap_reply_cap)
        reply_do(t, caller);
}

/*
 * Debug syscalls. PutChar and NameThread exist in every kernel (benchmark images print
 * through PutChar; names label fault reports); Halt and CapIdentify only in debug ones.
 */
static bool handle_debug_syscall(sword_t sysno)
{
    tcb_t *t = cur_thread;
    switch (sysno) {
    case seL4_SysDebugPutChar:
        serial_putc((char)t->ctx.regs[R0]);
        return true;
#ifdef CONFIG_DEBUG
    case seL4_SysDebugHalt:
        kprintf("debug halt requested by \"%s\"\n", t->name);
        machine_halt(0);
    case seL4_SysDebugCapIdentify: {
        lookup_cap_ret_t c = lookup_cap(t, t->ctx.regs[R0]);
        t->ctx.regs[R0] = c.status == EXCEPTION_NONE ? cap_get_type(c.cap) : 0;
        return true;
    }
#endif
    case seL4_SysDebugNameThread: {
        lookup_cap_ret_t c = lookup_cap(t, t->ctx.regs[R0]);
        word_t *buf = ipc_buffer_of(t, false);
        if (c.status != EXCEPTION_NONE || cap_get_type(c.cap) != cap_thread_cap || !buf)
            return true;
        tcb_t *target = (tcb_t *)cap_get_pptr(c.cap);
        const char *src = (const char *)&buf[1];
        word_t i;
        for (i = 0; i < CONFIG_THREAD_NAME_LEN - 1 && src[i]; i++)
            target->name[i] = src[i];
        target->name[i] = 0;
        return true;
    }
    default:
        return false;
    }
}

/* seL4_KeelGetError: the detail of the caller's last failed invocation, in MRs 0-9, and in
 * debug builds the message naming the failed check from MR 10 on (NUL-terminated). */
static void handle_get_error(void)
{
    tcb_t *t = cur_thread;
    syscall_error_detail_t *e = &t->error;
    word_t *buf = ipc_buffer_of(t, true);
    word_t v[] = {e->error,
                  e->argument,
                  e->range_min,
                  e->range_max,
                  e->failed_lookup_was_source,
                  e->memory_left,
                  e->lookup.type,
                  e->lookup.bits_left,
                  e->lookup.detail[0],
                  e->lookup.detail[1]};
    word_t n;
    for (n = 0; n < ARRAY_SIZE(v); n++)
        if (!set_mr(t, buf, n, v[n]))
            break;
    if (buf && n == ARRAY_SIZE(v)) {
        char *dst = (char *)&buf[1 + n];
        word_t room = (seL4_MsgMaxLength - n) * sizeof(word_t) - 1, i = 0;
        for (const char *m = e->message; m && m[i] && i < room; i++)
            dst[i] = m[i];
        dst[i] = 0;
        n = seL4_MsgMaxLength;
    }
    t->ctx.regs[MSG_INFO_REG] = seL4_MessageInfo_new(0, 0, 0, n).words[0];
}

NORETURN void c_handle_syscall(word_t r0, word_t r1, sword_t sysno)
{
    (void)r0;
    (void)r1;
    switch (sysno) {
    case seL4_SysSend:
        if (!try_signal())
            handle_invocation(false, true);
        break;
    case seL4_SysNBSend:
        if (!try_signal())
            handle_invocation(false, false);
        break;
    case seL4_SysCall:
        handle_invocation(true, true);
        break;
    case seL4_SysRecv:
        handle_recv(true);
        break;
    case seL4_SysNBRecv:
        handle_recv(false);
        break;
    case seL4_SysReply:
        handle_reply();
        break;
    case seL4_SysReplyRecv:
        handle_reply();
        handle_recv(true);
        break;
    case seL4_SysYield:
        thread_yield();
        break;
    case seL4_SysKeelGetError:
        handle_get_error();
        break;
    case seL4_SysKeelCheckInvariants:
        cur_thread->ctx.regs[R0] = invariants_check();
        break;
#ifdef CONFIG_TEST_EXIT
    case seL4_SysKeelTestExit:
        kprintf("test exit %d requested by \"%s\"\n", (int)cur_thread->ctx.regs[R0],
                cur_thread->name);
        machine_halt((int)cur_thread->ctx.regs[R0]);
#endif
    default:
        if (handle_debug_syscall(sysno))
            break;
        fault_set_unknown_syscall(cur_thread, (word_t)sysno);
        handle_fault(cur_thread);
        break;
    }
    schedule();
    activate_and_return();
}
