/*
 * Threads in Thumb state. As in seL4 the T bit of the CPSR selects the instruction set; in
 * Keel an entry pc with bit 0 set (an interworking address, as a function pointer to
 * Thumb code has) also selects Thumb, and the pc is stored without that bit.
 */
#include "tt.h"

static volatile seL4_Word thumb_marker;

/* Writes its argument, then executes a 16-bit undefined instruction (label thumb_udf). */
__attribute__((target("thumb"), noinline)) static void thumb_mark_and_trap(seL4_Word v)
{
    thumb_marker = v;
    __asm__ volatile(".global thumb_udf\nthumb_udf:\n    udf #7\n" ::: "memory");
}
extern char thumb_udf[];

/* The same in ARM state (label arm_udf). */
__attribute__((target("arm"), noinline)) static void arm_mark_and_trap(seL4_Word v)
{
    thumb_marker = v;
    __asm__ volatile(".global arm_udf\narm_udf:\n    udf #7\n" ::: "memory");
}
extern char arm_udf[];

/* Starts `t` at `pc` with CPSR `cpsr` and r0 = arg. */
static void start_at(tt_thread_t *t, seL4_Word pc, seL4_Word cpsr, seL4_Word arg)
{
    seL4_UserContext r = {0};
    r.pc = pc;
    r.sp = t->stack_top;
    r.cpsr = cpsr;
    r.r0 = arg;
    r.tpidrurw = (seL4_Word)t->ipc;
    seL4_Error err = seL4_TCB_WriteRegisters(t->tcb, 1, 0, sizeof(r) / sizeof(seL4_Word), &r);
    if (err != seL4_NoError)
        ktest_fail(__FILE__, __LINE__, "WriteRegisters: error %d", err);
}

KTEST(thumb_entry_bit0, "TCB0050",
      "an entry pc with bit 0 set runs Thumb code: the fault shows the T bit, the even "
      "address of the 16-bit instruction and its encoding")
{
    seL4_Word entry = (seL4_Word)thumb_mark_and_trap;
    KREQUIRE_EQ(entry & 1, 1);
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    tt_thread_t t;
    tt_thread(&t, 100, ep);
    thumb_marker = 0;
    start_at(&t, entry, 0x10, 0x7e57);
    /* Stored without bit 0 and with T set, before it even ran. */
    seL4_UserContext r = tt_read_regs(t.tcb);
    KCHECK_EQ(r.pc, entry & ~1u);
    KCHECK_EQ(r.cpsr, 0x30);
    KCHECK_EQ(tt_recv_label(ep, NULL), seL4_Fault_UserException);
    KCHECK_EQ(thumb_marker, 0x7e57);
    KCHECK_EQ(seL4_GetMR(seL4_UserException_FaultIP), (seL4_Word)thumb_udf);
    KCHECK_EQ(seL4_GetMR(seL4_UserException_CPSR) & 0x3f, 0x30);
    KCHECK_EQ(seL4_GetMR(seL4_UserException_Number), seL4_UserException_UndefinedInstruction);
    KCHECK_EQ(seL4_GetMR(seL4_UserException_Code), 0xde07);
    r = tt_read_regs(t.tcb);
    KCHECK_EQ(r.pc, (seL4_Word)thumb_udf);
    KCHECK_EQ(r.cpsr & 0x20, 0x20);
}

KTEST(thumb_cpsr_bit, "TCB0051",
      "with an even pc the CPSR T bit decides: set runs Thumb, clear runs ARM")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    tt_thread_t t, a;
    tt_thread(&t, 100, ep);
    tt_thread(&a, 100, ep);
    thumb_marker = 0;
    start_at(&t, (seL4_Word)thumb_mark_and_trap & ~1u, 0x30, 0x1111);
    KCHECK_EQ(tt_recv_label(ep, NULL), seL4_Fault_UserException);
    KCHECK_EQ(thumb_marker, 0x1111);
    KCHECK_EQ(seL4_GetMR(seL4_UserException_FaultIP), (seL4_Word)thumb_udf);
    KCHECK_EQ(seL4_GetMR(seL4_UserException_Code), 0xde07);
    start_at(&a, (seL4_Word)arm_mark_and_trap, 0x10, 0x2222);
    KCHECK_EQ(tt_recv_label(ep, NULL), seL4_Fault_UserException);
    KCHECK_EQ(thumb_marker, 0x2222);
    KCHECK_EQ(seL4_GetMR(seL4_UserException_FaultIP), (seL4_Word)arm_udf);
    KCHECK_EQ(seL4_GetMR(seL4_UserException_CPSR) & 0x3f, 0x10);
    KCHECK_EQ(seL4_GetMR(seL4_UserException_Code), 0xe7f000f7);
    /* A partial write (pc and sp only) with bit 0 switches the kept CPSR to Thumb. */
    seL4_UserContext r = {0};
    r.pc = (seL4_Word)thumb_mark_and_trap;
    r.sp = a.stack_top;
    KREQUIRE_EQ(seL4_TCB_WriteRegisters(a.tcb, 0, 0, 2, &r), seL4_NoError);
    seL4_UserContext got = tt_read_regs(a.tcb);
    KCHECK_EQ(got.pc, (seL4_Word)thumb_mark_and_trap & ~1u);
    KCHECK_EQ(got.cpsr & 0x20, 0x20);
    /* And an even pc with a CPSR without T switches back to ARM. */
    r.pc = (seL4_Word)arm_mark_and_trap;
    r.cpsr = 0x10;
    KREQUIRE_EQ(seL4_TCB_WriteRegisters(a.tcb, 0, 0, 3, &r), seL4_NoError);
    got = tt_read_regs(a.tcb);
    KCHECK_EQ(got.cpsr & 0x20, 0);
}

static volatile seL4_Word thumb_received, thumb_label;

/* Thumb code that loops receiving on an endpoint (its svc is 16 bits). */
__attribute__((target("thumb"), noinline)) static void thumb_receive_loop(seL4_Word ep)
{
    for (;;) {
        seL4_MessageInfo_t info = seL4_Recv(ep, NULL);
        thumb_label = seL4_MessageInfo_get_label(info);
        thumb_received++;
    }
}

KTEST(thumb_syscalls, "TCB0052",
      "a Thumb thread makes system calls; suspended and resumed while blocked, it restarts "
      "its 16-bit svc correctly")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    tt_thread_t t;
    tt_thread(&t, 100, ep);
    thumb_received = 0;
    start_at(&t, (seL4_Word)thumb_receive_loop, 0x10, ep);
    tt_run_others();
    seL4_Send(ep, seL4_MessageInfo_new(0x31, 0, 0, 0));
    tt_run_others();
    KCHECK_EQ(thumb_received, 1);
    KCHECK_EQ(thumb_label, 0x31);
    /* Blocked in Recv: its pc is the svc instruction, halfword aligned, in Thumb. */
    seL4_UserContext r = tt_read_regs(t.tcb);
    KCHECK_EQ(r.cpsr & 0x20, 0x20);
    KCHECK_EQ(r.pc & 1, 0);
    KCHECK(r.pc > ((seL4_Word)thumb_receive_loop & ~1u));
    KCHECK_EQ(*(volatile uint16_t *)r.pc, 0xdf00); /* svc #0 */
    KREQUIRE_EQ(seL4_TCB_Suspend(t.tcb), seL4_NoError);
    KREQUIRE_EQ(seL4_TCB_Resume(t.tcb), seL4_NoError);
    seL4_Send(ep, seL4_MessageInfo_new(0x32, 0, 0, 0));
    tt_run_others();
    KCHECK_EQ(thumb_received, 2);
    KCHECK_EQ(thumb_label, 0x32);
    /* It never faulted: nothing waits on its fault endpoint. */
    seL4_Word badge;
    KCHECK_EQ(seL4_NBRecv(ep, &badge).words[0], 0);
}
