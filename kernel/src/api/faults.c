/*
 * Fault recording, delivery and replies. Message layouts are seL4's (sel4/faults.h).
 *
 * fault.data holds: VMFault {addr, fsr | prefetch << 31}; UnknownSyscall {syscall};
 * UserException {number, code}; CapFault {cptr, in_recv_phase} with the lookup failure
 * in tcb->lookup_fault.
 */
#include <api/faults.h>
#include <kernel/cspace.h>
#include <kernel/thread.h>
#include <kernel/ipc.h>
#include <kernel/printf.h>
#include <object/endpoint.h>
#include <arch/arm/machine.h>

void fault_set_vm(tcb_t *t, vptr_t addr, word_t fsr, bool prefetch)
{
    t->fault.type = seL4_Fault_VMFault;
    t->fault.data[0] = addr;
    t->fault.data[1] = (fsr & ~BIT(31)) | ((word_t)prefetch << 31);
}

void fault_set_unknown_syscall(tcb_t *t, word_t syscall)
{
    t->fault.type = seL4_Fault_UnknownSyscall;
    t->fault.data[0] = syscall;
}

void fault_set_user_exception(tcb_t *t, word_t number, word_t code)
{
    t->fault.type = seL4_Fault_UserException;
    t->fault.data[0] = number;
    t->fault.data[1] = code;
}

void fault_set_cap(tcb_t *t, cptr_t addr, bool in_recv_phase, lookup_fault_t lf)
{
    t->fault.type = seL4_Fault_CapFault;
    t->fault.data[0] = addr;
    t->fault.data[1] = in_recv_phase;
    t->lookup_fault = lf;
}

static const char *fault_name(word_t type)
{
    switch (type) {
    case seL4_Fault_CapFault:
        return "CapFault";
    case seL4_Fault_UnknownSyscall:
        return "UnknownSyscall";
    case seL4_Fault_UserException:
        return "UserException";
    case seL4_Fault_VMFault:
        return "VMFault";
    default:
        return "NullFault";
    }
}

/* No handler: the thread stops where it is. */
static void fault_unhandled(tcb_t *t, const char *why)
{
#ifdef CONFIG_DEBUG
    kprintf("fault: thread \"%s\": %s at pc %p (%p, %p), %s: suspended\n",
            t->name[0] ? t->name : "?", fault_name(t->fault.type), (void *)t->ctx.regs[FAULT_PC],
            (void *)t->fault.data[0], (void *)t->fault.data[1], why);
#else
    (void)why;
    (void)fault_name;
#endif
    /* The fault was never delivered: forget it, or the thread's next message after a
     * restart would go out as this fault. */
    t->fault.type = seL4_Fault_NullFault;
    set_thread_state(t, thread_inactive);
}

void handle_fault(tcb_t *t)
{
    lookup_cap_ret_t h = lookup_cap(t, t->fault_handler);
    if (h.status != EXCEPTION_NONE) {
        fault_unhandled(t, "no fault handler cap");
        return;
    }
    cap_t c = h.cap;
    word_t rights = cap_get_type(c) == cap_endpoint_cap ? cap_ep_get_rights(c) : 0;
    if (!(rights & CAP_RIGHT_WRITE) || !(rights & (CAP_RIGHT_GRANT | CAP_RIGHT_GRANT_REPLY))) {
        fault_unhandled(t, "the fault handler is not an endpoint with send and grant rights");
        return;
    }
    endpoint_send(t, (endpoint_t *)cap_get_pptr(c), cap_ep_get_badge(c), rights & CAP_RIGHT_GRANT,
                  true, true, true);
}

word_t fault_message(tcb_t *s, tcb_t *r, word_t *buf)
{
    word_t *regs = s->ctx.regs;
    switch (s->fault.type) {
    case seL4_Fault_VMFault:
        set_mr(r, buf, seL4_VMFault_IP, regs[FAULT_PC]);
        set_mr(r, buf, seL4_VMFault_Addr, s->fault.data[0]);
        set_mr(r, buf, seL4_VMFault_PrefetchFault, s->fault.data[1] >> 31);
        set_mr(r, buf, seL4_VMFault_FSR, s->fault.data[1] & ~BIT(31));
        return seL4_VMFault_Length;
    case seL4_Fault_UnknownSyscall: {
        static const word_t order[] = {R0, R1, R2, R3, R4, R5, R6, R7, FAULT_PC, SP, LR, CPSR};
        word_t i;
        for (i = 0; i < ARRAY_SIZE(order); i++)
            if (!set_mr(r, buf, i, regs[order[i]]))
                return i;
        set_mr(r, buf, seL4_UnknownSyscall_Syscall, s->fault.data[0]);
        return buf ? seL4_UnknownSyscall_Length : seL4_FastMessageRegisters;
    }
    case seL4_Fault_UserException:
        set_mr(r, buf, seL4_UserException_FaultIP, regs[FAULT_PC]);
        set_mr(r, buf, seL4_UserException_SP, regs[SP]);
        set_mr(r, buf, seL4_UserException_CPSR, regs[CPSR]);
        set_mr(r, buf, seL4_UserException_Number, s->fault.data[0]);
        if (!set_mr(r, buf, seL4_UserException_Code, s->fault.data[1]))
            return seL4_FastMessageRegisters;
        return seL4_UserException_Length;
    case seL4_Fault_CapFault: {
        /* As seL4, the message ends after the last word the lookup failure defines:
         * InvalidRoot has no detail, MissingCapability the bits left, DepthMismatch also
         * the bits found, GuardMismatch also the guard and its size. */
        lookup_fault_t *lf = &s->lookup_fault;
        set_mr(r, buf, seL4_CapFault_IP, regs[FAULT_PC]);
        set_mr(r, buf, seL4_CapFault_Addr, s->fault.data[0]);
        set_mr(r, buf, seL4_CapFault_InRecvPhase, s->fault.data[1]);
        set_mr(r, buf, seL4_CapFault_LookupFailureType, lf->type);
        word_t details = lf->type == seL4_GuardMismatch       ? 3
                         : lf->type == seL4_DepthMismatch     ? 2
                         : lf->type == seL4_MissingCapability ? 1
                                                              : 0;
        word_t words[] = {lf->bits_left, lf->detail[0], lf->detail[1]};
        word_t n = seL4_CapFault_BitsLeft;
        for (word_t i = 0; i < details; i++, n++)
            if (!set_mr(r, buf, n, words[i]))
                return seL4_FastMessageRegisters;
        return n;
    }
    default:
        return 0;
    }
}

/* A thread's saved CPSR after user code asked to change it: only the flags, GE, IT and
 * Thumb bits can change; the mode stays user with interrupts enabled. */
static word_t sanitise_cpsr(word_t v)
{
    return (v & CPSR_USER_MASK) | CPSR_MODE_USR;
}

/* Writes the first `length` reply words into the registers `order` names. Words past the
 * message registers come from the replier's IPC buffer; without one they are not sent. */
static void write_back(tcb_t *t, const word_t *order, word_t n, word_t length, tcb_t *replier,
                       word_t *buf)
{
    for (word_t i = 0; i < n && i < length; i++) {
        if (i >= seL4_FastMessageRegisters && !buf)
            break;
        word_t v = get_mr(replier, buf, i);
        t->ctx.regs[order[i]] = order[i] == CPSR ? sanitise_cpsr(v) : v;
    }
}

bool fault_reply(tcb_t *t, word_t label, word_t length, tcb_t *replier, word_t *buf)
{
    static const word_t syscall_regs[] = {R0, R1, R2, R3, R4, R5, R6, R7, FAULT_PC, SP, LR, CPSR};
    static const word_t exception_regs[] = {FAULT_PC, SP, CPSR};
    switch (t->fault.type) {
    case seL4_Fault_UnknownSyscall:
        write_back(t, syscall_regs, ARRAY_SIZE(syscall_regs), length, replier, buf);
        return label == 0;
    case seL4_Fault_UserException:
        write_back(t, exception_regs, ARRAY_SIZE(exception_regs), length, replier, buf);
        return label == 0;
    default:
        /* CapFault and VMFault: as in seL4, the reply's content is ignored and the
         * thread always retries the operation that faulted. */
        return true;
    }
}
