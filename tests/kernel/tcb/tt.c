/* Helpers of the TCB conformance tests (see tt.h). */
#include "tt.h"

#define TT_STACKS 8
static uint8_t tt_stacks[TT_STACKS][8192] __attribute__((aligned(16)));
static unsigned tt_next_stack;

void tt_run_others(void)
{
    seL4_Error err = seL4_TCB_SetPriority(ROOT_TCB, ROOT_TCB, 0);
    if (err == seL4_NoError)
        err = seL4_TCB_SetPriority(ROOT_TCB, ROOT_TCB, seL4_MaxPrio);
    if (err != seL4_NoError)
        ktest_fail(__FILE__, __LINE__, "changing the root task's priority: error %d", err);
}

seL4_CPtr tt_badged(seL4_CPtr cap, seL4_Word badge)
{
    seL4_CPtr s = ktest_slot();
    seL4_Error err = seL4_CNode_Mint(ROOT_CNODE, s, seL4_WordBits, ROOT_CNODE, cap, seL4_WordBits,
                                     seL4_AllRights, badge);
    if (err != seL4_NoError)
        ktest_fail(__FILE__, __LINE__, "minting a badged cap: error %d", err);
    return s;
}

void tt_thread(tt_thread_t *t, seL4_Word prio, seL4_CPtr fault_ep)
{
    t->tcb = ktest_object(seL4_TCBObject, 0);
    t->ipc = ktest_frame(&t->ipc_frame);
    /* Threads of one case get distinct stacks; the set is reused by the next cases. */
    t->stack_top = (seL4_Word)&tt_stacks[tt_next_stack++ % TT_STACKS][8192];
    seL4_Error err = seL4_TCB_Configure(t->tcb, fault_ep, ROOT_CNODE, 0, ROOT_VS, 0,
                                        (seL4_Word)t->ipc, t->ipc_frame);
    if (err == seL4_NoError)
        err = seL4_TCB_SetPriority(t->tcb, ROOT_TCB, prio);
    if (err != seL4_NoError)
        ktest_fail(__FILE__, __LINE__, "creating a thread: error %d", err);
}

/* Where an entry function returns to: r11 still holds the thread's own TCB cap (callee-
 * saved, set by tt_start), so the thread can suspend itself. */
__asm__(".text\n.arm\ntt_park:\n    mov r0, r11\n    b tt_suspend_self\n");
extern char tt_park[];
void tt_suspend_self(seL4_CPtr tcb);
void tt_suspend_self(seL4_CPtr tcb)
{
    seL4_TCB_Suspend(tcb);
}

void tt_start(tt_thread_t *t, void *entry, seL4_Word a0, seL4_Word a1, seL4_Word a2, seL4_Word a3)
{
    seL4_UserContext regs = {0};
    regs.r11 = t->tcb;
    regs.r14 = (seL4_Word)tt_park;
    regs.pc = (seL4_Word)entry;
    regs.sp = t->stack_top;
    regs.cpsr = 0x10;
    regs.r0 = a0;
    regs.r1 = a1;
    regs.r2 = a2;
    regs.r3 = a3;
    regs.tpidrurw = (seL4_Word)t->ipc;
    seL4_Error err = seL4_TCB_WriteRegisters(t->tcb, 1, 0, sizeof(regs) / sizeof(seL4_Word), &regs);
    if (err != seL4_NoError)
        ktest_fail(__FILE__, __LINE__, "starting a thread: error %d", err);
}

seL4_UserContext tt_read_regs(seL4_CPtr tcb)
{
    seL4_UserContext regs = {0};
    seL4_Error err = seL4_TCB_ReadRegisters(tcb, 0, 0, sizeof(regs) / sizeof(seL4_Word), &regs);
    if (err != seL4_NoError)
        ktest_fail(__FILE__, __LINE__, "ReadRegisters: error %d", err);
    return regs;
}

seL4_Word tt_recv_label(seL4_CPtr ep, seL4_Word *badge)
{
    return seL4_MessageInfo_get_label(seL4_Recv(ep, badge));
}
