/*
 * ReadRegisters, WriteRegisters and CopyRegisters: seL4's ARM seL4_UserContext layout
 * (pc, sp, cpsr, r0, r1, r8-r12, r2-r7, r14, tpidrurw, tpidruro), counts, flags, the
 * sanitised CPSR, and the refusals.
 */
#include "tt.h"

/*
 * set_all_and_trap: gives every register a known value (rN = 0x1000 + N, sp = 0x1d0d0,
 * lr = 0x100e, TPIDRURW = 0x5a5a, flags N Z C V Q and GE all set), then stops at an
 * undefined instruction (label set_all_trap).
 * dump_and_trap: stores r0-r14, CPSR, TPIDRURW and TPIDRURO in `dumped`, then traps.
 */
__asm__(".text\n.arm\n"
        ".global set_all_and_trap\nset_all_and_trap:\n"
        "    movw r0, #0\n    movt r0, #0xf80f\n    msr APSR_nzcvqg, r0\n"
        "    movw r12, #0x5a5a\n    mcr p15, 0, r12, c13, c0, 2\n"
        "    movw r0, #0x1000\n    movw r1, #0x1001\n    movw r2, #0x1002\n"
        "    movw r3, #0x1003\n    movw r4, #0x1004\n    movw r5, #0x1005\n"
        "    movw r6, #0x1006\n    movw r7, #0x1007\n    movw r8, #0x1008\n"
        "    movw r9, #0x1009\n    movw r10, #0x100a\n    movw r11, #0x100b\n"
        "    movw r12, #0x100c\n    movw lr, #0x100e\n    movw sp, #0xd0d0\n    movt sp, #1\n"
        ".global set_all_trap\nset_all_trap:\n    udf #0\n"
        ".global dump_and_trap\ndump_and_trap:\n"
        "    push {r0}\n    ldr r0, =dumped\n    stmib r0, {r1-r14}\n"
        "    pop {r1}\n    str r1, [r0]\n    ldr r1, [r0, #52]\n    add r1, r1, #4\n"
        "    str r1, [r0, #52]\n" /* sp before the push */
        "    mrs r1, cpsr\n    str r1, [r0, #60]\n"
        "    mrc p15, 0, r1, c13, c0, 2\n    str r1, [r0, #64]\n"
        "    mrc p15, 0, r1, c13, c0, 3\n    str r1, [r0, #68]\n"
        "    udf #1\n"
        "    .ltorg\n");
extern char set_all_and_trap[], set_all_trap[], dump_and_trap[];
volatile seL4_Word dumped[18]; /* r0-r14, cpsr, tpidrurw, tpidruro */

#define N_REGS 19

/* The values set_all_and_trap leaves, in seL4_UserContext order (TLS base 0x7777). */
static seL4_UserContext expected_after_trap(void)
{
    seL4_UserContext r = {0};
    r.pc = (seL4_Word)set_all_trap;
    r.sp = 0x1d0d0;
    r.cpsr = 0xf80f0010;
    r.r0 = 0x1000;
    r.r1 = 0x1001;
    r.r8 = 0x1008;
    r.r9 = 0x1009;
    r.r10 = 0x100a;
    r.r11 = 0x100b;
    r.r12 = 0x100c;
    r.r2 = 0x1002;
    r.r3 = 0x1003;
    r.r4 = 0x1004;
    r.r5 = 0x1005;
    r.r6 = 0x1006;
    r.r7 = 0x1007;
    r.r14 = 0x100e;
    r.tpidrurw = 0x5a5a;
    r.tpidruro = 0x7777;
    return r;
}

/* A thread stopped in set_all_and_trap, its fault received on `ep` (badge 0x33). */
static void stopped_thread(tt_thread_t *t, seL4_CPtr ep)
{
    tt_thread(t, 100, tt_badged(ep, 0x33));
    tt_start(t, set_all_and_trap, 0, 0, 0, 0);
    seL4_TCB_SetTLSBase(t->tcb, 0x7777); /* it has not run yet: it waits for the root task */
    seL4_Word badge = 0;
    seL4_Word label = tt_recv_label(ep, &badge);
    if (label != seL4_Fault_UserException || badge != 0x33)
        ktest_fail(__FILE__, __LINE__, "the thread did not stop: label %u badge %u", label, badge);
}

static void check_context(const seL4_UserContext *got, const seL4_UserContext *want, int line)
{
    const seL4_Word *g = (const seL4_Word *)got, *w = (const seL4_Word *)want;
    for (int i = 0; i < N_REGS; i++)
        if (g[i] != w[i])
            ktest_fail(__FILE__, line, "register %d of the context: 0x%x, expected 0x%x", i, g[i],
                       w[i]);
}

KTEST(regs_read_all, "TCB0020",
      "ReadRegisters returns all 19 registers in seL4's ARM order after a fault; the fault "
      "message agrees")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    tt_thread_t t;
    stopped_thread(&t, ep);
    KCHECK_EQ(seL4_GetMR(seL4_UserException_FaultIP), (seL4_Word)set_all_trap);
    KCHECK_EQ(seL4_GetMR(seL4_UserException_SP), 0x1d0d0);
    KCHECK_EQ(seL4_GetMR(seL4_UserException_CPSR), 0xf80f0010);
    KCHECK_EQ(seL4_GetMR(seL4_UserException_Code), 0xe7f000f0);
    seL4_UserContext want = expected_after_trap();
    seL4_UserContext got = tt_read_regs(t.tcb);
    check_context(&got, &want, __LINE__);
}

KTEST(regs_read_counts, "TCB0021",
      "ReadRegisters of n registers replies with exactly the first n (1..19); 0 and 20 are "
      "RangeError [1, 19]")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    tt_thread_t t;
    stopped_thread(&t, ep);
    seL4_UserContext want = expected_after_trap();
    const seL4_Word *w = (const seL4_Word *)&want;
    for (seL4_Word n = 1; n <= N_REGS; n++) {
        for (int i = 0; i < N_REGS; i++)
            seL4_SetMR(i, 0xdead);
        seL4_SetMR(0, 0);
        seL4_SetMR(1, n);
        seL4_MessageInfo_t info = seL4_Call(t.tcb, seL4_MessageInfo_new(TCBReadRegisters, 0, 0, 2));
        KCHECK_EQ(seL4_MessageInfo_get_label(info), 0);
        KCHECK_EQ(seL4_MessageInfo_get_length(info), n);
        int bad = 0;
        for (seL4_Word i = 0; i < n; i++)
            bad += seL4_GetMR(i) != w[i];
        KCHECK_EQ(bad, 0);
    }
    seL4_Word bad_counts[] = {0, 20, 0xffffffffu};
    for (int i = 0; i < 3; i++) {
        seL4_UserContext r = {0};
        KCHECK_EQ(seL4_TCB_ReadRegisters(t.tcb, 0, 0, bad_counts[i], &r), seL4_RangeError);
        ktest_error_t e;
        ktest_get_error(&e);
        KCHECK_EQ(e.range_min, 1);
        KCHECK_EQ(e.range_max, 19);
    }
}

KTEST(regs_refusals, "TCB0022",
      "a thread cannot read or write its own registers (IllegalOperation); short messages "
      "are TruncatedMessage")
{
    seL4_UserContext r = {0};
    KCHECK_EQ(seL4_TCB_ReadRegisters(ROOT_TCB, 0, 0, 3, &r), seL4_IllegalOperation);
    KCHECK_EQ(seL4_TCB_WriteRegisters(ROOT_TCB, 0, 0, 3, &r), seL4_IllegalOperation);
    tt_thread_t t;
    tt_thread(&t, 10, 0);
    seL4_SetMR(0, 0);
    seL4_SetMR(1, 3);
    KCHECK_EQ(seL4_Invoke(t.tcb, TCBReadRegisters, 1, 0), seL4_TruncatedMessage);
    KCHECK_EQ(seL4_Invoke(t.tcb, TCBWriteRegisters, 1, 0), seL4_TruncatedMessage);
    /* WriteRegisters of 3 registers with only 2 sent. */
    KCHECK_EQ(seL4_Invoke(t.tcb, TCBWriteRegisters, 4, 0), seL4_TruncatedMessage);
    /* The count is checked as sent, before it is limited to 19. */
    seL4_SetMR(1, 40);
    KCHECK_EQ(seL4_Invoke(t.tcb, TCBWriteRegisters, 2 + 19, 0), seL4_TruncatedMessage);
    KCHECK_EQ(seL4_Invoke(t.tcb, TCBWriteRegisters, 2 + 40, 0), seL4_NoError);
    /* Checked before "own registers": a short message is TruncatedMessage even for self. */
    KCHECK_EQ(seL4_Invoke(ROOT_TCB, TCBReadRegisters, 1, 0), seL4_TruncatedMessage);
    seL4_SetMR(1, 0);
    KCHECK_EQ(seL4_Invoke(ROOT_TCB, TCBReadRegisters, 2, 0), seL4_RangeError);
}

KTEST(regs_new_thread, "TCB0023", "a new TCB's registers are all zero with a user-mode CPSR")
{
    seL4_CPtr tcb = ktest_object(seL4_TCBObject, 0);
    seL4_UserContext got = tt_read_regs(tcb);
    seL4_UserContext want = {0};
    want.cpsr = 0x10;
    check_context(&got, &want, __LINE__);
}

KTEST(regs_write_run, "TCB0024",
      "WriteRegisters (resume) starts a thread with exactly the 19 values written, in "
      "seL4's order")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    tt_thread_t t;
    tt_thread(&t, 100, ep);
    seL4_UserContext w;
    seL4_Word *v = (seL4_Word *)&w;
    for (int i = 0; i < N_REGS; i++)
        v[i] = 0x2000 + i;
    w.pc = (seL4_Word)dump_and_trap;
    w.sp = t.stack_top;
    w.cpsr = 0x80000010; /* N set */
    for (int i = 0; i < 18; i++)
        dumped[i] = 0;
    KREQUIRE_EQ(seL4_TCB_WriteRegisters(t.tcb, 1, 0, N_REGS, &w), seL4_NoError);
    KCHECK_EQ(tt_recv_label(ep, NULL), seL4_Fault_UserException);
    KCHECK_EQ(dumped[0], w.r0);
    KCHECK_EQ(dumped[1], w.r1);
    KCHECK_EQ(dumped[2], w.r2);
    KCHECK_EQ(dumped[3], w.r3);
    KCHECK_EQ(dumped[4], w.r4);
    KCHECK_EQ(dumped[5], w.r5);
    KCHECK_EQ(dumped[6], w.r6);
    KCHECK_EQ(dumped[7], w.r7);
    KCHECK_EQ(dumped[8], w.r8);
    KCHECK_EQ(dumped[9], w.r9);
    KCHECK_EQ(dumped[10], w.r10);
    KCHECK_EQ(dumped[11], w.r11);
    KCHECK_EQ(dumped[12], w.r12);
    KCHECK_EQ(dumped[13], w.sp);
    KCHECK_EQ(dumped[14], w.r14);
    KCHECK_EQ(dumped[15] & 0xf80f03ffu, 0x80000010);
    KCHECK_EQ(dumped[16], w.tpidrurw);
    KCHECK_EQ(dumped[17], w.tpidruro);
    /* Without the resume flag the thread stays stopped. */
    tt_thread_t u;
    tt_thread(&u, 100, ep);
    for (int i = 0; i < 18; i++)
        dumped[i] = 0;
    KREQUIRE_EQ(seL4_TCB_WriteRegisters(u.tcb, 0, 0, N_REGS, &w), seL4_NoError);
    tt_run_others();
    KCHECK_EQ(dumped[0], 0);
    KCHECK_EQ(seL4_TCB_Resume(u.tcb), seL4_NoError);
    KCHECK_EQ(tt_recv_label(ep, NULL), seL4_Fault_UserException);
    KCHECK_EQ(dumped[0], w.r0);
}

KTEST(regs_write_partial, "TCB0025",
      "WriteRegisters of n < 19 registers changes the first n only; a count above 19 "
      "writes 19")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    tt_thread_t t;
    stopped_thread(&t, ep);
    seL4_UserContext want = expected_after_trap();
    seL4_UserContext w;
    seL4_Word *wv = (seL4_Word *)&w, *want_v = (seL4_Word *)&want;
    for (int i = 0; i < N_REGS; i++)
        wv[i] = 0x3000 + i * 4;
    w.cpsr = 0x10;
    KREQUIRE_EQ(seL4_TCB_WriteRegisters(t.tcb, 0, 0, 7, &w), seL4_NoError);
    for (int i = 0; i < 7; i++)
        want_v[i] = wv[i];
    seL4_UserContext got = tt_read_regs(t.tcb);
    check_context(&got, &want, __LINE__);
    seL4_SetMR(0, 0);
    seL4_SetMR(1, 30);
    for (int i = 0; i < 30; i++)
        seL4_SetMR(2 + i, i < N_REGS ? wv[i] + 4 : 0xbad);
    KREQUIRE_EQ(seL4_Invoke(t.tcb, TCBWriteRegisters, 32, 0), seL4_NoError);
    got = tt_read_regs(t.tcb);
    for (int i = 0; i < N_REGS; i++)
        want_v[i] = wv[i] + 4;
    want.cpsr = 0x10;
    check_context(&got, &want, __LINE__);
}

KTEST(regs_cpsr_sanitised, "TCB0026",
      "a written CPSR keeps only flags, GE, Thumb and (in Thumb) IT bits, always in user "
      "mode with interrupts on")
{
    tt_thread_t t;
    tt_thread(&t, 10, 0);
    struct {
        seL4_Word in, out;
    } cases[] = {
        {0xffffffffu, 0xfe0ffc30u}, /* everything allowed kept, mode forced to user */
        {0x000001dfu, 0x00000010u}, /* system mode, A I F masked: none of it */
        {0x0600fc13u, 0x00000010u}, /* IT bits in ARM state mean nothing */
        {0xf0000030u, 0xf0000030u}, {0x01000010u, 0x00000010u}, /* Jazelle */
        {0x00000210u, 0x00000010u},                             /* big-endian data */
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        seL4_UserContext w = {0};
        w.pc = 0x40000;
        w.cpsr = cases[i].in;
        KREQUIRE_EQ(seL4_TCB_WriteRegisters(t.tcb, 0, 0, 3, &w), seL4_NoError);
        seL4_UserContext got = tt_read_regs(t.tcb);
        KCHECK_EQ(got.cpsr, cases[i].out);
        KCHECK_EQ(got.pc, 0x40000);
    }
}

KTEST(regs_copy, "TCB0027",
      "CopyRegisters copies the frame registers (pc, sp, cpsr, r0, r1, r8-r12) and the "
      "integer ones (r2-r7, r14, TPIDRURW, TPIDRURO) as asked")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    tt_thread_t src;
    stopped_thread(&src, ep);
    seL4_UserContext s = expected_after_trap();
    tt_thread_t dst;
    tt_thread(&dst, 100, tt_badged(ep, 0x44));
    seL4_UserContext d;
    seL4_Word *dv = (seL4_Word *)&d, *sv = (seL4_Word *)&s;
    for (int i = 0; i < N_REGS; i++)
        dv[i] = 0x4000 + i;
    d.cpsr = 0x10;
    KREQUIRE_EQ(seL4_TCB_WriteRegisters(dst.tcb, 0, 0, N_REGS, &d), seL4_NoError);
    KREQUIRE_EQ(seL4_TCB_CopyRegisters(dst.tcb, src.tcb, 0, 0, 1, 0, 0), seL4_NoError);
    seL4_UserContext want = d;
    seL4_Word *wv = (seL4_Word *)&want;
    for (int i = 0; i < seL4_FrameRegisterCount; i++)
        wv[i] = sv[i];
    seL4_UserContext got = tt_read_regs(dst.tcb);
    check_context(&got, &want, __LINE__);
    KREQUIRE_EQ(seL4_TCB_WriteRegisters(dst.tcb, 0, 0, N_REGS, &d), seL4_NoError);
    KREQUIRE_EQ(seL4_TCB_CopyRegisters(dst.tcb, src.tcb, 0, 0, 0, 1, 0), seL4_NoError);
    want = d;
    for (int i = seL4_FrameRegisterCount; i < N_REGS; i++)
        wv[i] = sv[i];
    got = tt_read_regs(dst.tcb);
    check_context(&got, &want, __LINE__);
    /* Neither: nothing changes. Both and resume: dst runs from src's pc (its trap). */
    KREQUIRE_EQ(seL4_TCB_WriteRegisters(dst.tcb, 0, 0, N_REGS, &d), seL4_NoError);
    KREQUIRE_EQ(seL4_TCB_CopyRegisters(dst.tcb, src.tcb, 0, 0, 0, 0, 0), seL4_NoError);
    got = tt_read_regs(dst.tcb);
    check_context(&got, &d, __LINE__);
    KREQUIRE_EQ(seL4_TCB_CopyRegisters(dst.tcb, src.tcb, 0, 1, 1, 1, 0), seL4_NoError);
    seL4_Word badge = 0;
    KCHECK_EQ(tt_recv_label(ep, &badge), seL4_Fault_UserException);
    KCHECK_EQ(badge, 0x44);
    KCHECK_EQ(seL4_GetMR(seL4_UserException_FaultIP), (seL4_Word)set_all_trap);
    got = tt_read_regs(dst.tcb);
    check_context(&got, &s, __LINE__);
}

static volatile seL4_Word spins;
static void count_and_yield(seL4_Word unused)
{
    (void)unused;
    for (;;) {
        spins++;
        seL4_Yield();
    }
}

KTEST(regs_suspend_flags, "TCB0028",
      "the suspend flag of ReadRegisters and CopyRegisters stops the source thread")
{
    tt_thread_t t, d;
    tt_thread(&t, 50, 0);
    tt_thread(&d, 10, 0);
    spins = 0;
    tt_start(&t, count_and_yield, 0, 0, 0, 0);
    seL4_UserContext r = {0};
    KREQUIRE_EQ(seL4_TCB_ReadRegisters(t.tcb, 1, 0, 1, &r), seL4_NoError);
    KCHECK_EQ(r.pc, (seL4_Word)count_and_yield);
    tt_run_others();
    KCHECK_EQ(spins, 0);
    KREQUIRE_EQ(seL4_TCB_Resume(t.tcb), seL4_NoError);
    KREQUIRE_EQ(seL4_TCB_SetPriority(ROOT_TCB, ROOT_TCB, 50), seL4_NoError);
    seL4_Yield(); /* same priority: it gets a turn */
    KREQUIRE_EQ(seL4_TCB_SetPriority(ROOT_TCB, ROOT_TCB, 255), seL4_NoError);
    seL4_Word seen = spins;
    KCHECK(seen > 0);
    KREQUIRE_EQ(seL4_TCB_CopyRegisters(d.tcb, t.tcb, 1, 0, 1, 1, 0), seL4_NoError);
    tt_run_others();
    KCHECK_EQ(spins, seen);
    /* The copy sits where the source stopped (in count_and_yield). */
    r = tt_read_regs(d.tcb);
    seL4_UserContext rs = tt_read_regs(t.tcb);
    KCHECK_EQ(r.pc, rs.pc);
    KCHECK_EQ(r.sp, rs.sp);
}

KTEST(regs_copy_refusals, "TCB0029",
      "CopyRegisters from something that is not a TCB is InvalidCapability 1; without the "
      "source cap or the flags word TruncatedMessage")
{
    tt_thread_t t;
    tt_thread(&t, 10, 0);
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    KCHECK_ARG(seL4_TCB_CopyRegisters(t.tcb, ep, 0, 0, 1, 1, 0), seL4_InvalidCapability, 1);
    KCHECK_ARG(seL4_TCB_CopyRegisters(t.tcb, seL4_CapNull, 0, 0, 1, 1, 0), seL4_InvalidCapability,
               1);
    seL4_SetMR(0, 0xc);
    seL4_SetCap(0, t.tcb);
    KCHECK_EQ(seL4_Invoke(t.tcb, TCBCopyRegisters, 0, 1), seL4_TruncatedMessage);
    KCHECK_EQ(seL4_Invoke(t.tcb, TCBCopyRegisters, 1, 0), seL4_TruncatedMessage);
    KCHECK_EQ(seL4_Invoke(t.tcb, TCBCopyRegisters, 1, 1), seL4_NoError); /* itself: allowed */
}

KTEST(regs_copy_from_caller, "TCB0030",
      "CopyRegisters from the calling thread copies its current TPIDRURW and TLS base; "
      "SetTLSBase on itself keeps the TPIDRURW it set")
{
    /* A second mapping of the root task's IPC buffer, used as its buffer pointer. */
    seL4_CPtr alias = ktest_slot();
    KREQUIRE_EQ(seL4_CNode_Copy(ROOT_CNODE, alias, 32, ROOT_CNODE, seL4_CapInitThreadIPCBuffer, 32,
                                seL4_AllRights),
                seL4_NoError);
    seL4_CPtr pt = ktest_object(seL4_ARM_PageTableObject, 0);
    KREQUIRE_EQ(seL4_ARM_PageTable_Map(pt, ROOT_VS, 0x4c000000, seL4_ARM_Default_VMAttributes),
                seL4_NoError);
    KREQUIRE_EQ(seL4_ARM_Page_Map(alias, ROOT_VS, 0x4c000000, seL4_AllRights,
                                  seL4_ARM_Default_VMAttributes),
                seL4_NoError);
    seL4_IPCBuffer *original = seL4_GetIPCBuffer();
    seL4_Word offset = (seL4_Word)original & 0xfffu;
    tt_thread_t d;
    tt_thread(&d, 10, 0);
    seL4_SetIPCBuffer((seL4_IPCBuffer *)(0x4c000000 + offset));
    seL4_Error e1 = seL4_TCB_SetTLSBase(ROOT_TCB, 0x7150);
    seL4_Word rw_after, ro_after;
    __asm__ volatile("mrc p15, 0, %0, c13, c0, 2" : "=r"(rw_after));
    __asm__ volatile("mrc p15, 0, %0, c13, c0, 3" : "=r"(ro_after));
    seL4_Error e2 = seL4_TCB_CopyRegisters(d.tcb, ROOT_TCB, 0, 0, 0, 1, 0);
    seL4_SetIPCBuffer(original);
    KCHECK_EQ(e1, seL4_NoError);
    KCHECK_EQ(e2, seL4_NoError);
    KCHECK_EQ(rw_after, 0x4c000000 + offset);
    KCHECK_EQ(ro_after, 0x7150);
    seL4_UserContext r = tt_read_regs(d.tcb);
    KCHECK_EQ(r.tpidrurw, 0x4c000000 + offset);
    KCHECK_EQ(r.tpidruro, 0x7150);
    KCHECK_EQ(seL4_TCB_SetTLSBase(ROOT_TCB, 0), seL4_NoError);
}
