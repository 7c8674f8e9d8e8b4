/* TCB invocations: configuration, registers, scheduling parameters, suspend/resume. */
#include <object/tcb_ops.h>
#include <object/cnode.h>
#include <object/notification.h>
#include <object/objecttype.h>
#include <kernel/thread.h>
#include <kernel/cspace.h>
#include <kernel/ipc.h>
#include <api/invocation.h>
#include <arch/arm/machine.h>
#include <sel4/invocation.h>

/* seL4_UserContext order: frame registers, then the integer ones. */
static const word_t user_context_regs[] = {FAULT_PC, SP,  CPSR, R0,       R1,      R8, R9,
                                           R10,      R11, R12,  R2,       R3,      R4, R5,
                                           R6,       R7,  LR,   TPIDRURW, TPIDRURO};
#define N_FRAME_REGS 10
#define N_USER_REGS  ARRAY_SIZE(user_context_regs)

extern word_t current_reply_length;

/* User code may set only the flags, GE, IT and Thumb bits of its CPSR; it always runs
 * in user mode with interrupts enabled. */
static word_t sanitise(word_t reg, word_t v)
{
    return reg == CPSR ? (v & CPSR_USER_MASK) | CPSR_MODE_USR : v;
}

/*
 * The instruction set a thread resumes in: the T bit of its CPSR, as in seL4, and also
 * bit 0 of a pc just written, as for an interworking branch (an entry point of a Thumb
 * function has bit 0 set). The pc itself is kept halfword-aligned; the If-Then state
 * only means something in Thumb.
 */
static void normalise_instruction_set(tcb_t *t)
{
    word_t *regs = t->ctx.regs;
    if (regs[FAULT_PC] & 1u) {
        regs[FAULT_PC] &= ~1u;
        regs[CPSR] |= CPSR_THUMB;
    }
    if (!(regs[CPSR] & CPSR_THUMB))
        regs[CPSR] &= ~(CPSR_IT_LOW | CPSR_IT_HIGH);
}

/* After writing a thread's pc (FAULT_PC), it resumes there. */
static void set_restart_pc(tcb_t *t)
{
    t->ctx.regs[NEXT_PC] = t->ctx.regs[FAULT_PC];
}

static void reload_thread_registers(tcb_t *t)
{
    if (t == cur_thread) {
        write_tpidrurw(t->ctx.regs[TPIDRURW]);
        write_tpidruro(t->ctx.regs[TPIDRURO]);
    }
}

static exception_t decode_read_registers(invocation_t *inv, tcb_t *target)
{
    if (inv->length < TCBReadRegisters_Length)
        return syscall_error(seL4_TruncatedMessage, ERRMSG("ReadRegisters takes flags and count"));
    word_t flags = inv_arg(inv, TCBReadRegisters_flags);
    word_t count = inv_arg(inv, TCBReadRegisters_count);
    if (count < 1 || count > N_USER_REGS)
        return err_range(1, N_USER_REGS, ERRMSG("register count out of range"));
    if (target == inv->thread)
        return syscall_error(seL4_IllegalOperation,
                             ERRMSG("a thread cannot read its own registers"));
    if (flags & 1u)
        thread_suspend(target);
    word_t *buf = ipc_buffer_of(inv->thread, true);
    word_t i;
    for (i = 0; i < count; i++)
        if (!set_mr(inv->thread, buf, i, target->ctx.regs[user_context_regs[i]]))
            break;
    current_reply_length = i;
    return EXCEPTION_NONE;
}

static exception_t decode_write_registers(invocation_t *inv, tcb_t *target)
{
    if (inv->length < TCBWriteRegisters_Length)
        return syscall_error(seL4_TruncatedMessage, ERRMSG("WriteRegisters takes flags and count"));
    word_t flags = inv_arg(inv, TCBWriteRegisters_flags);
    word_t count = inv_arg(inv, TCBWriteRegisters_count);
    if (inv->length - TCBWriteRegisters_regs < count)
        return syscall_error(seL4_TruncatedMessage, ERRMSG("fewer registers sent than count"));
    if (target == inv->thread)
        return syscall_error(seL4_IllegalOperation,
                             ERRMSG("a thread cannot write its own registers"));
    count = MIN(count, N_USER_REGS);
    for (word_t i = 0; i < count; i++) {
        word_t reg = user_context_regs[i];
        target->ctx.regs[reg] = sanitise(reg, inv_arg(inv, TCBWriteRegisters_regs + i));
    }
    if (count > 0)
        normalise_instruction_set(target);
    set_restart_pc(target);
    reload_thread_registers(target);
    if (flags & 1u)
        thread_resume(target);
    return EXCEPTION_NONE;
}

static exception_t decode_copy_registers(invocation_t *inv, tcb_t *target)
{
    if (inv->length < TCBCopyRegisters_Length || inv->n_extra < TCBCopyRegisters_ExtraCaps)
        return syscall_error(seL4_TruncatedMessage, ERRMSG("CopyRegisters takes flags and a TCB"));
    cap_t src_cap = inv_extra_cap(inv, TCBCopyRegisters_sourceCap);
    if (cap_get_type(src_cap) != cap_thread_cap)
        return err_invalid_capability(1, ERRMSG("the source is not a TCB cap"));
    tcb_t *src = (tcb_t *)cap_get_pptr(src_cap);
    word_t flags = inv_arg(inv, TCBCopyRegisters_flags);
    if (flags & 1u)
        thread_suspend(src);
    if (flags & 2u)
        thread_resume(target);
    if (flags & 4u) {
        for (word_t i = 0; i < N_FRAME_REGS; i++)
            target->ctx.regs[user_context_regs[i]] = src->ctx.regs[user_context_regs[i]];
        set_restart_pc(target);
    }
    if (flags & 8u) {
        for (word_t i = N_FRAME_REGS; i < N_USER_REGS; i++)
            target->ctx.regs[user_context_regs[i]] = src->ctx.regs[user_context_regs[i]];
        reload_thread_registers(target);
    }
    if (target == inv->thread)
        reschedule_required();
    return EXCEPTION_NONE;
}

/* Checks of a new CSpace root: optional guard data, then derivable, then a CNode. */
static exception_t check_cspace(cte_t *slot, word_t data, cap_t *out)
{
    cap_t c = slot->cap;
    if (data != 0)
        c = update_cap_data(false, data, c);
    derive_ret_t d = derive_cap(slot, c);
    if (d.status != EXCEPTION_NONE)
        return d.status;
    if (cap_get_type(d.cap) != cap_cnode_cap)
        return syscall_error(seL4_IllegalOperation, ERRMSG("the CSpace root is not a CNode cap"));
    *out = d.cap;
    return EXCEPTION_NONE;
}

static exception_t check_vspace(cte_t *slot, cap_t *out)
{
    derive_ret_t d = derive_cap(slot, slot->cap);
    if (d.status != EXCEPTION_NONE)
        return d.status;
    if (cap_get_type(d.cap) != cap_page_directory_cap || cap_page_directory_get_asid(d.cap) == 0)
        return syscall_error(seL4_IllegalOperation,
                             ERRMSG("the VSpace root is not a page directory with an ASID"));
    *out = d.cap;
    return EXCEPTION_NONE;
}

/* An IPC buffer address of 0 means none (the frame cap is then ignored); otherwise the
 * frame must be RAM, and the address 512-byte aligned (checked in that order, as seL4). */
static exception_t check_ipc_buffer(vptr_t buffer, cte_t *slot, cap_t *out)
{
    if (buffer == 0) {
        *out = cap_null_cap_new();
        return EXCEPTION_NONE;
    }
    derive_ret_t d = derive_cap(slot, slot->cap);
    if (d.status != EXCEPTION_NONE)
        return d.status;
    if (cap_get_type(d.cap) != cap_frame_cap)
        return syscall_error(seL4_IllegalOperation, ERRMSG("the IPC buffer is not a frame cap"));
    if (cap_frame_get_is_device(d.cap))
        return syscall_error(seL4_IllegalOperation,
                             ERRMSG("a device frame cannot be an IPC buffer"));
    if (!IS_ALIGNED(buffer, seL4_IPCBufferSizeBits))
        return syscall_error(seL4_AlignmentError,
                             ERRMSG("the IPC buffer must be 512-byte aligned"));
    *out = d.cap;
    return EXCEPTION_NONE;
}

/* Does the invoked slot still hold a cap to `t`? */
static bool tcb_cap_survived(invocation_t *inv, tcb_t *t)
{
    cap_t c = inv->slot->cap;
    return cap_get_type(c) == cap_thread_cap && cap_get_pptr(c) == (pptr_t)t;
}

/*
 * Replaces the cap in one of the TCB's own slots with a copy derived from `src`. Deleting
 * the old cap (the last cap to a CSpace root, say) may destroy the source, or even the
 * cap to the TCB that was invoked, and with it the TCB; the copy goes in only if both
 * survived, so a dead TCB never holds caps.
 */
static void install(invocation_t *inv, tcb_t *t, word_t which, cap_t cap, cte_t *src)
{
    cte_t *slot = &t->slots[which];
    cte_delete(slot);
    if (!cap_is_null(cap) && cap_same_object_as(src->cap, cap) && tcb_cap_survived(inv, t))
        cte_insert(cap, src, slot);
}

static exception_t decode_set_space(invocation_t *inv, tcb_t *t, bool with_buffer)
{
    word_t need_len = with_buffer ? TCBConfigure_Length : TCBSetSpace_Length;
    word_t need_caps = with_buffer ? TCBConfigure_ExtraCaps : TCBSetSpace_ExtraCaps;
    if (inv->length < need_len || inv->n_extra < need_caps)
        return syscall_error(seL4_TruncatedMessage, ERRMSG("too few arguments or caps"));
    cap_t croot, vroot, frame = cap_null_cap_new();
    cte_t *cslot = inv->extra[TCBConfigure_cspace_rootCap];
    cte_t *vslot = inv->extra[TCBConfigure_vspace_rootCap];
    /* seL4's order: the IPC buffer (Configure), then the CSpace, then the VSpace. */
    exception_t st = EXCEPTION_NONE;
    vptr_t buffer = with_buffer ? inv_arg(inv, TCBConfigure_buffer) : 0;
    if (with_buffer)
        st = check_ipc_buffer(buffer, inv->extra[TCBConfigure_bufferFrameCap], &frame);
    if (st == EXCEPTION_NONE)
        st = check_cspace(cslot, inv_arg(inv, TCBConfigure_cspace_root_data), &croot);
    if (st == EXCEPTION_NONE)
        st = check_vspace(vslot, &vroot);
    if (st != EXCEPTION_NONE)
        return st;

    t->fault_handler = inv_arg(inv, TCBConfigure_fault_ep);
    install(inv, t, tcb_cspace_slot, croot, cslot);
    install(inv, t, tcb_vspace_slot, vroot, vslot);
    if (with_buffer) {
        cte_delete(&t->slots[tcb_buffer_slot]);
        t->ipc_buffer = buffer;
        if (!cap_is_null(frame))
            install(inv, t, tcb_buffer_slot, frame, inv->extra[TCBConfigure_bufferFrameCap]);
    }
    if (t == inv->thread)
        reschedule_required();
    return EXCEPTION_NONE;
}

static exception_t decode_set_ipc_buffer(invocation_t *inv, tcb_t *t)
{
    if (inv->length < TCBSetIPCBuffer_Length || inv->n_extra < TCBSetIPCBuffer_ExtraCaps)
        return syscall_error(seL4_TruncatedMessage,
                             ERRMSG("SetIPCBuffer takes an address and a frame"));
    cap_t frame;
    vptr_t buffer = inv_arg(inv, TCBSetIPCBuffer_buffer);
    cte_t *fslot = inv->extra[TCBSetIPCBuffer_bufferFrameCap];
    exception_t st = check_ipc_buffer(buffer, fslot, &frame);
    if (st != EXCEPTION_NONE)
        return st;
    cte_delete(&t->slots[tcb_buffer_slot]);
    t->ipc_buffer = buffer;
    if (!cap_is_null(frame))
        install(inv, t, tcb_buffer_slot, frame, fslot);
    if (t == inv->thread)
        reschedule_required();
    return EXCEPTION_NONE;
}

/* A new priority or MCP may not exceed the authority's MCP. */
static exception_t check_prio(word_t prio, tcb_t *authority)
{
    if (prio > authority->mcp)
        return err_range(seL4_MinPrio, authority->mcp,
                         ERRMSG("priority above the authority's maximum controlled priority"));
    return EXCEPTION_NONE;
}

static exception_t decode_sched(invocation_t *inv, tcb_t *t)
{
    word_t nargs = inv->label == TCBSetSchedParams ? TCBSetSchedParams_Length : 1;
    if (inv->length < nargs || inv->n_extra < 1)
        return syscall_error(seL4_TruncatedMessage, ERRMSG("too few arguments or caps"));
    cap_t auth_cap = inv_extra_cap(inv, 0);
    if (cap_get_type(auth_cap) != cap_thread_cap)
        return err_invalid_capability(1, ERRMSG("the authority is not a TCB cap"));
    tcb_t *auth = (tcb_t *)cap_get_pptr(auth_cap);
    word_t a0 = inv_arg(inv, 0), a1 = inv_arg(inv, 1);
    exception_t st = check_prio(a0, auth);
    if (st == EXCEPTION_NONE && inv->label == TCBSetSchedParams)
        st = check_prio(a1, auth);
    if (st != EXCEPTION_NONE)
        return st;
    switch (inv->label) {
    case TCBSetPriority:
        set_priority(t, a0);
        break;
    case TCBSetMCPriority:
        t->mcp = a0;
        break;
    default: /* SetSchedParams: mcp, priority */
        t->mcp = a0;
        set_priority(t, a1);
        break;
    }
    return EXCEPTION_NONE;
}

static exception_t decode_bind(invocation_t *inv, tcb_t *t)
{
    if (inv->n_extra < TCBBindNotification_ExtraCaps)
        return syscall_error(seL4_TruncatedMessage, ERRMSG("BindNotification takes a cap"));
    if (t->bound_notification)
        return syscall_error(seL4_IllegalOperation, ERRMSG("the TCB is already bound"));
    cap_t c = inv_extra_cap(inv, TCBBindNotification_notificationCap);
    if (cap_get_type(c) != cap_notification_cap || !(cap_ep_get_rights(c) & CAP_RIGHT_READ))
        return syscall_error(seL4_IllegalOperation,
                             ERRMSG("needs a notification cap with the read right"));
    notification_t *n = (notification_t *)cap_get_pptr(c);
    if (ntfn_get_head(n) || n->bound_tcb)
        return syscall_error(seL4_IllegalOperation,
                             ERRMSG("the notification is bound or has waiters"));
    notification_bind(n, t);
    return EXCEPTION_NONE;
}

exception_t decode_tcb_invocation(invocation_t *inv)
{
    tcb_t *t = (tcb_t *)cap_get_pptr(inv->cap);
    /* The caller may have written TPIDRURW since it was last switched to: its saved copy
     * must be current before it is copied (CopyRegisters) or written back (SetTLSBase). */
    inv->thread->ctx.regs[TPIDRURW] = read_tpidrurw();
    switch (inv->label) {
    case TCBReadRegisters:
        return decode_read_registers(inv, t);
    case TCBWriteRegisters:
        return decode_write_registers(inv, t);
    case TCBCopyRegisters:
        return decode_copy_registers(inv, t);
    case TCBConfigure:
        return decode_set_space(inv, t, true);
    case TCBSetSpace:
        return decode_set_space(inv, t, false);
    case TCBSetIPCBuffer:
        return decode_set_ipc_buffer(inv, t);
    case TCBSetPriority:
    case TCBSetMCPriority:
    case TCBSetSchedParams:
        return decode_sched(inv, t);
    case TCBSuspend:
        thread_suspend(t);
        return EXCEPTION_NONE;
    case TCBResume:
        thread_resume(t);
        return EXCEPTION_NONE;
    case TCBBindNotification:
        return decode_bind(inv, t);
    case TCBUnbindNotification:
        if (!t->bound_notification)
            return syscall_error(seL4_IllegalOperation, ERRMSG("the TCB is not bound"));
        notification_unbind(t);
        return EXCEPTION_NONE;
    case TCBSetTLSBase:
        if (inv->length < TCBSetTLSBase_Length)
            return syscall_error(seL4_TruncatedMessage, ERRMSG("SetTLSBase takes an address"));
        t->ctx.regs[TPIDRURO] = inv_arg(inv, TCBSetTLSBase_tls_base);
        reload_thread_registers(t);
        return EXCEPTION_NONE;
    default:
        return syscall_error(seL4_IllegalOperation, ERRMSG("not a TCB operation"));
    }
}
