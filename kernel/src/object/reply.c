#include <object/reply.h>
#include <object/cnode.h>
#include <kernel/thread.h>
#include <kernel/ipc.h>
#include <kernel/panic.h>
#include <api/faults.h>
#include <sel4/faults.h>

void reply_setup(tcb_t *sender, tcb_t *receiver, bool can_grant)
{
    set_thread_state(sender, thread_blocked_on_reply);
    cte_t *master = &sender->slots[tcb_reply_slot];
    cte_t *caller = &receiver->slots[tcb_caller_slot];
    assert(cap_get_type(master->cap) == cap_reply_cap && cap_reply_get_master(master->cap));
    /* A receive always clears the caller slot first (syscall.c), so it is empty here. */
    assert(cap_is_null(caller->cap));
    cte_insert(cap_reply_cap_new((pptr_t)sender, false, can_grant), master, caller);
}

void reply_do(tcb_t *t, cte_t *slot)
{
    tcb_t *caller = (tcb_t *)cap_reply_get_tcb(slot->cap);
    bool grant = cap_reply_get_can_grant(slot->cap);
    assert(caller->state == thread_blocked_on_reply);
    if (caller->fault.type == seL4_Fault_NullFault) {
        ipc_transfer(t, NULL, 0, grant, caller);
        cte_clear(slot);
        set_thread_state(caller, thread_running);
        possible_switch_to(caller);
        return;
    }
    cte_clear(slot);
    seL4_MessageInfo_t info = msg_info_of(t->ctx.regs[MSG_INFO_REG]);
    bool restart = fault_reply(caller, seL4_MessageInfo_get_label(info),
                               seL4_MessageInfo_get_length(info), t, ipc_buffer_of(t, false));
    caller->fault.type = seL4_Fault_NullFault;
    if (restart) {
        set_thread_state(caller, thread_restart);
        possible_switch_to(caller);
    } else {
        set_thread_state(caller, thread_inactive);
    }
}

void reply_cancel_wait(tcb_t *t)
{
    t->fault.type = seL4_Fault_NullFault;
    cte_revoke(&t->slots[tcb_reply_slot]);
    set_thread_state(t, thread_inactive);
}
