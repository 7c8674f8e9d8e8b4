/*
 * The IPC fastpath: seL4_Call and seL4_ReplyRecv in their common case, straight from the
 * trap to the other thread. The common case is: no caps, the partner already waiting,
 * and the partner being the thread the scheduler would pick anyway. Messages of up to four
 * words travel in registers; longer ones (seL4 sends those down its slow path) are copied
 * between the IPC buffers here too. Anything else goes to the full path (c_handle_syscall),
 * and the fastpath leaves exactly the state the full path would: the conformance suites
 * run on kernels with and without it.
 */
#include <kernel/thread.h>
#include <kernel/cspace.h>
#include <kernel/ipc.h>
#include <kernel/vfp.h>
#include <arch/arm/vspace.h>
#include <arch/arm/machine.h>
#include <arch/arm/context.h>
#include <object/cnode.h>
#include <object/structures.h>
#include <sel4/syscall.h>
#include <sel4/faults.h>

NORETURN void c_handle_syscall(word_t r0, word_t r1, sword_t sysno);

#ifdef CONFIG_FASTPATH

/* cte_clear() for the reply cap in a caller slot: a reply cap is never revocable nor
 * "first badged", so this is the list removal alone. */
static FORCE_INLINE void fast_clear_reply(cte_t *slot)
{
    cte_t *prev = mdb_get_prev(slot->mdb), *next = mdb_get_next(slot->mdb);
    if (prev)
        mdb_set_next(prev, next);
    if (next)
        mdb_set_prev(next, prev);
    slot->cap = cap_null_cap_new();
    slot->mdb.w[0] = slot->mdb.w[1] = 0;
}

/*
 * Message info and message registers from `src` to `dst`; caps are never involved. The
 * first four words travel in registers; longer messages need both IPC buffers, which the
 * caller has checked (`sbuf`, `dbuf`).
 */
static FORCE_INLINE void fast_transfer(tcb_t *src, tcb_t *dst, seL4_MessageInfo_t info,
                                       word_t badge, word_t *sbuf, word_t *dbuf)
{
    word_t len = seL4_MessageInfo_get_length(info);
    word_t *s = &src->ctx.regs[R2], *d = &dst->ctx.regs[R2];
    /* Exactly `len` registers, as the full path copies: the others keep their values. */
    switch (len) {
    default:
        for (word_t i = seL4_FastMessageRegisters; i < len; i++)
            dbuf[1 + i] = sbuf[1 + i];
        /* fall through */
    case 4:
        d[3] = s[3];
        /* fall through */
    case 3:
        d[2] = s[2];
        /* fall through */
    case 2:
        d[1] = s[1];
        /* fall through */
    case 1:
        d[0] = s[0];
        /* fall through */
    case 0:
        break;
    }
    dst->ctx.regs[R1] = seL4_MessageInfo_set_capsUnwrapped(info, 0).words[0];
    dst->ctx.regs[R0] = badge;
}

/* For a message longer than the registers: both buffers, or false (the full path then
 * handles the truncation rules). */
static FORCE_INLINE bool fast_buffers(tcb_t *src, tcb_t *dst, word_t msg_info, word_t **sbuf,
                                      word_t **dbuf)
{
    *sbuf = *dbuf = NULL;
    if (likely((msg_info & 0x7fu) <= seL4_FastMessageRegisters))
        return true;
    *sbuf = ipc_buffer_of(src, false);
    *dbuf = ipc_buffer_of(dst, true);
    return *sbuf != NULL && *dbuf != NULL;
}

/*
 * How to reach `t`'s VSpace: FAST_VS_SAME (it is the active one), FAST_VS_LOAD (a page
 * directory with an ASID, to be loaded) or FAST_VS_NO (let the full path decide).
 */
enum { FAST_VS_NO, FAST_VS_SAME, FAST_VS_LOAD };

static FORCE_INLINE int fast_vspace(tcb_t *t)
{
    cap_t vs = t->slots[tcb_vspace_slot].cap;
    if (likely(cap_get_pptr(vs) == vspace_active_pd))
        return FAST_VS_SAME;
    if (cap_get_type(vs) == cap_page_directory_cap && cap_page_directory_get_asid(vs) != 0)
        return FAST_VS_LOAD;
    return FAST_VS_NO;
}

static FORCE_INLINE NORETURN void fast_switch(tcb_t *from, tcb_t *to, int vs)
{
    from->ctx.regs[TPIDRURW] = read_tpidrurw(); /* user code may have changed it */
    if (vs != FAST_VS_SAME) {
        pde_t *pd = (pde_t *)cap_get_pptr(to->slots[tcb_vspace_slot].cap);
        word_t hw = pd[PD_ASID_SLOT];
        if (likely(hw & PD_ASID_SLOT_VALID))
            vspace_load((pptr_t)pd, hw & 0xffu);
        else
            vspace_activate(to);
    }
    write_tpidrurw(to->ctx.regs[TPIDRURW]);
    write_tpidruro(to->ctx.regs[TPIDRURO]);
    vfp_thread_switch(to);
    cur_thread = to;
    restore_user_context_inline(&to->ctx);
}

/* cte_insert() for a reply cap into an empty caller slot: a reply cap is never revocable,
 * so this is the list insertion alone. */
static inline void fast_insert_reply(cap_t reply, cte_t *master, cte_t *dest)
{
    cte_t *next = mdb_get_next(master->mdb);
    dest->cap = reply;
    dest->mdb.w[0] = (word_t)master;
    dest->mdb.w[1] = (word_t)next;
    mdb_set_next(master, dest);
    if (next)
        mdb_set_prev(next, dest);
}

NORETURN void c_fastpath_call(word_t cptr, word_t msg_info)
{
    tcb_t *cur = cur_thread;
    seL4_MessageInfo_t info = {{msg_info}};
    /* No extra caps (bits 7-8) and at most 120 words (bits 0-6), in one comparison. */
    if (unlikely((msg_info & 0x1ffu) > seL4_MsgMaxLength))
        c_handle_syscall(cptr, msg_info, seL4_SysCall);

    cte_t *ep_slot = lookup_slot_fast(cur, cptr);
    if (unlikely(!ep_slot))
        c_handle_syscall(cptr, msg_info, seL4_SysCall);
    cap_t ep_cap = ep_slot->cap;
    word_t rights = cap_ep_get_rights(ep_cap);
    if (unlikely(cap_get_type(ep_cap) != cap_endpoint_cap || !(rights & CAP_RIGHT_WRITE) ||
                 !(rights & (CAP_RIGHT_GRANT | CAP_RIGHT_GRANT_REPLY))))
        c_handle_syscall(cptr, msg_info, seL4_SysCall);
    endpoint_t *ep = (endpoint_t *)cap_get_pptr(ep_cap);
    if (unlikely(ep->state != ep_recv))
        c_handle_syscall(cptr, msg_info, seL4_SysCall);
    tcb_t *dest = ep->head;
    word_t *sbuf, *dbuf;
    int vs = fast_vspace(dest);
    if (unlikely(vs == FAST_VS_NO || sched_ready_above(dest->priority) ||
                 !fast_buffers(cur, dest, msg_info, &sbuf, &dbuf)))
        c_handle_syscall(cptr, msg_info, seL4_SysCall);

    /* The receiver leaves the endpoint queue. */
    ep->head = dest->ep_next;
    if (ep->head)
        ep->head->ep_prev = NULL;
    else {
        ep->tail = NULL;
        ep->state = ep_idle;
    }
    dest->ep_next = NULL;

    fast_transfer(cur, dest, info, cap_ep_get_badge(ep_cap), sbuf, dbuf);

    /* The caller waits for the reply; the receiver gets the reply cap. */
    cur->state = thread_blocked_on_reply;
    fast_insert_reply(cap_reply_cap_new((pptr_t)cur, false, dest->blocking_flags & BLOCK_CAN_GRANT),
                      &cur->slots[tcb_reply_slot], &dest->slots[tcb_caller_slot]);
    dest->state = thread_running;
    fast_switch(cur, dest, vs);
}

NORETURN void c_fastpath_reply_recv(word_t cptr, word_t msg_info)
{
    tcb_t *cur = cur_thread;
    seL4_MessageInfo_t info = {{msg_info}};
    if (unlikely((msg_info & 0x1ffu) > seL4_MsgMaxLength))
        c_handle_syscall(cptr, msg_info, seL4_SysReplyRecv);

    cte_t *ep_slot = lookup_slot_fast(cur, cptr);
    if (unlikely(!ep_slot))
        c_handle_syscall(cptr, msg_info, seL4_SysReplyRecv);
    cap_t ep_cap = ep_slot->cap;
    if (unlikely(cap_get_type(ep_cap) != cap_endpoint_cap ||
                 !(cap_ep_get_rights(ep_cap) & CAP_RIGHT_READ)))
        c_handle_syscall(cptr, msg_info, seL4_SysReplyRecv);
    endpoint_t *ep = (endpoint_t *)cap_get_pptr(ep_cap);
    notification_t *bound = cur->bound_notification;
    if (unlikely(ep->state == ep_send || (bound && ntfn_get_state(bound) == ntfn_active)))
        c_handle_syscall(cptr, msg_info, seL4_SysReplyRecv);

    cte_t *caller_slot = &cur->slots[tcb_caller_slot];
    cap_t reply = caller_slot->cap;
    if (unlikely(cap_get_type(reply) != cap_reply_cap))
        c_handle_syscall(cptr, msg_info, seL4_SysReplyRecv);
    tcb_t *caller = (tcb_t *)cap_reply_get_tcb(reply);
    word_t *sbuf, *dbuf;
    int vs = fast_vspace(caller);
    if (unlikely(caller->fault.type != seL4_Fault_NullFault || vs == FAST_VS_NO ||
                 sched_ready_above(caller->priority) ||
                 !fast_buffers(cur, caller, msg_info, &sbuf, &dbuf)))
        c_handle_syscall(cptr, msg_info, seL4_SysReplyRecv);

    /* This thread waits on the endpoint, at the tail of its queue. */
    cur->blocking_object = ep;
    cur->blocking_flags = (cap_ep_get_rights(ep_cap) & CAP_RIGHT_GRANT) ? BLOCK_CAN_GRANT : 0;
    cur->state = thread_blocked_on_receive;
    cur->ep_next = NULL;
    cur->ep_prev = ep->tail;
    if (ep->tail)
        ep->tail->ep_next = cur;
    else
        ep->head = cur;
    ep->tail = cur;
    ep->state = ep_recv;

    /* The reply cap is used up; the caller resumes with the reply. */
    fast_clear_reply(caller_slot);
    fast_transfer(cur, caller, info, 0, sbuf, dbuf);
    caller->state = thread_running;
    fast_switch(cur, caller, vs);
}

#else

NORETURN void c_fastpath_call(word_t cptr, word_t msg_info)
{
    c_handle_syscall(cptr, msg_info, seL4_SysCall);
}

NORETURN void c_fastpath_reply_recv(word_t cptr, word_t msg_info)
{
    c_handle_syscall(cptr, msg_info, seL4_SysReplyRecv);
}

#endif
