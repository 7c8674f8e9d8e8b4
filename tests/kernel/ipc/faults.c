/*
 * Faults: the exact seL4 message of each fault type (ARM layouts), and what a reply to it
 * does: register write-back and restart for UnknownSyscall and UserException (label 0),
 * suspension for any other label, always a retry for CapFault and VMFault. Threads without
 * a valid handler stop. Thumb threads fault and resume in Thumb state.
 */
#include "ipc.h"

#define SCRATCH_VADDR 0x70000000u /* nothing of the test task lives here */

static volatile seL4_Word f_result, f_done, f_arg;

static void reset(void)
{
    f_result = 0xdead;
    f_done = 0;
}

/* Starts `fn(arg)` in a thread whose faults go to a new endpoint, returned in *fep. */
static void start_faulting(ktest_thread_t *t, void (*fn)(seL4_Word), seL4_Word arg, seL4_CPtr *fep)
{
    reset();
    seL4_CPtr fault_ep = fault_endpoint(fep);
    spawn(t, fn, arg, 100, fault_ep);
}

/* Lets the threads run until they block, then takes the fault message waiting on `fep`
 * (without blocking: a fault that never comes fails the case instead of hanging it) and
 * checks it came from the fault endpoint with `label`. */
static seL4_MessageInfo_t recv_fault(seL4_CPtr fep, seL4_Word label)
{
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = take_message(fep, &badge);
    KCHECK_EQ(badge, FAULT_BADGE);
    KCHECK_EQ(seL4_MessageInfo_get_label(info), label);
    KCHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 0);
    KCHECK_EQ(seL4_MessageInfo_get_capsUnwrapped(info), 0);
    return info;
}

static void usys_thread(seL4_Word number)
{
    f_result = usys_probe(number);
    f_done++;
}

KTEST(fault_unknown_syscall_message, "FAULT0101",
      "an unknown syscall sends seL4's ARM UnknownSyscall message: R0-R7, FaultIP, SP, LR, "
      "CPSR, Syscall")
{
    ktest_thread_t t;
    seL4_CPtr fep;
    start_faulting(&t, usys_thread, 5, &fep);
    seL4_MessageInfo_t info = recv_fault(fep, seL4_Fault_UnknownSyscall);
    KCHECK_EQ(seL4_MessageInfo_get_length(info), seL4_UnknownSyscall_Length);
    seL4_Word mr[seL4_UnknownSyscall_Length];
    for (int i = 0; i < seL4_UnknownSyscall_Length; i++)
        mr[i] = seL4_GetMR(i);
    for (int i = 0; i <= 6; i++)
        KCHECK_EQ(mr[seL4_UnknownSyscall_R0 + i], 0xA0A0A000u + 0x01010101u * i);
    KCHECK_EQ(mr[seL4_UnknownSyscall_R7], 5);
    KCHECK_EQ(mr[seL4_UnknownSyscall_FaultIP], (seL4_Word)usys_probe_svc);
    KCHECK_EQ(mr[seL4_UnknownSyscall_Syscall], 5);
    KCHECK_EQ(mr[seL4_UnknownSyscall_CPSR] & 0x1ff, 0x10); /* user, ARM, A/I/F clear */
    seL4_UserContext regs = thread_regs(t.tcb);
    KCHECK_EQ(mr[seL4_UnknownSyscall_SP], regs.sp);
    KCHECK_EQ(mr[seL4_UnknownSyscall_LR], regs.r14);
    KCHECK_EQ(mr[seL4_UnknownSyscall_CPSR], regs.cpsr);
    KCHECK_EQ(regs.pc, (seL4_Word)usys_probe_svc);
    KCHECK(regs.sp < (seL4_Word)t.stack_top && regs.sp > (seL4_Word)t.stack_top - 1024);
    KCHECK_EQ(f_done, 0);
}

/* Runs usys_probe for each number of a list; the handler resumes it each time. */
static const seL4_Word unknown_numbers[] = {
    0, 1, 5, 0x7fffffff, (seL4_Word)-15, (seL4_Word)-29, (seL4_Word)-33, 0x80000000u};

static void usys_list_thread(seL4_Word arg)
{
    (void)arg;
    for (unsigned i = 0; i < N_ELEMS(unknown_numbers); i++)
        log_event(usys_probe(unknown_numbers[i]));
    f_done++;
}

KTEST(fault_unknown_syscall_numbers, "FAULT0102",
      "syscall numbers that are not seL4's (0, 1, 5, large, unused negatives) are UnknownSyscall "
      "faults carrying the number")
{
    log_reset();
    ktest_thread_t t;
    seL4_CPtr fep;
    start_faulting(&t, usys_list_thread, 0, &fep);
    for (unsigned i = 0; i < N_ELEMS(unknown_numbers); i++) {
        recv_fault(fep, seL4_Fault_UnknownSyscall);
        KCHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_Syscall), unknown_numbers[i]);
        KCHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_R7), unknown_numbers[i]);
        KCHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_FaultIP), (seL4_Word)usys_probe_svc);
        /* Resume after the svc with R0 = the index. */
        seL4_SetMR(seL4_UnknownSyscall_R0, 0x100 + i);
        seL4_SetMR(seL4_UnknownSyscall_FaultIP, (seL4_Word)usys_probe_svc + 4);
        seL4_Reply(seL4_MessageInfo_new(0, 0, 0, seL4_UnknownSyscall_FaultIP + 1));
    }
    settle();
    KCHECK_EQ(f_done, 1);
    KREQUIRE_EQ(log_count(), (int)N_ELEMS(unknown_numbers));
    for (unsigned i = 0; i < N_ELEMS(unknown_numbers); i++)
        KCHECK_EQ(log_at(i), 0x100 + i);
}

KTEST(fault_unknown_syscall_resume, "FAULT0103",
      "replying to an UnknownSyscall writes the registers back: FaultIP + 4 and a new R0 resume "
      "the thread after its svc")
{
    ktest_thread_t t;
    seL4_CPtr fep;
    start_faulting(&t, usys_thread, 0x1234, &fep);
    recv_fault(fep, seL4_Fault_UnknownSyscall);
    /* Send the whole message back, changed in R0 and FaultIP only. */
    seL4_SetMR(seL4_UnknownSyscall_R0, 0x600d);
    seL4_SetMR(seL4_UnknownSyscall_FaultIP, seL4_GetMR(seL4_UnknownSyscall_FaultIP) + 4);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, seL4_UnknownSyscall_CPSR + 1));
    settle();
    KCHECK_EQ(f_done, 1);
    KCHECK_EQ(f_result, 0x600d);
}

KTEST(fault_unknown_syscall_label, "FAULT0104",
      "a reply with a non-zero label leaves the thread suspended; Resume retries the syscall")
{
    ktest_thread_t t;
    seL4_CPtr fep;
    start_faulting(&t, usys_thread, 7, &fep);
    recv_fault(fep, seL4_Fault_UnknownSyscall);
    seL4_Reply(seL4_MessageInfo_new(1, 0, 0, 0));
    settle();
    KCHECK_EQ(f_done, 0);
    seL4_UserContext regs = thread_regs(t.tcb);
    KCHECK_EQ(regs.pc, (seL4_Word)usys_probe_svc);
    /* Suspended, not dead: Resume runs the svc again and it faults again. */
    KCHECK_EQ(seL4_TCB_Resume(t.tcb), seL4_NoError);
    recv_fault(fep, seL4_Fault_UnknownSyscall);
    KCHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_Syscall), 7);
    KCHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_FaultIP), (seL4_Word)usys_probe_svc);
}

KTEST(fault_unknown_syscall_short_reply, "FAULT0105",
      "only the words the reply sends are written back: R0 alone leaves FaultIP, so the svc "
      "runs again")
{
    ktest_thread_t t;
    seL4_CPtr fep;
    start_faulting(&t, usys_thread, 9, &fep);
    recv_fault(fep, seL4_Fault_UnknownSyscall);
    seL4_Word sp = seL4_GetMR(seL4_UnknownSyscall_SP);
    seL4_SetMR(0, 0x1111);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 1));
    recv_fault(fep, seL4_Fault_UnknownSyscall);
    KCHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_R0), 0x1111);
    KCHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_R1), 0xA1A1A101u);
    KCHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_FaultIP), (seL4_Word)usys_probe_svc);
    KCHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_SP), sp);
    KCHECK_EQ(f_done, 0);
}

static void undef_thread(seL4_Word arg)
{
    (void)arg;
    f_result = undef_probe();
    f_done++;
}

KTEST(fault_user_exception, "FAULT0106",
      "an undefined instruction is a UserException (FaultIP, SP, CPSR, Number, Code); a reply "
      "with FaultIP + 4 skips it")
{
    ktest_thread_t t;
    seL4_CPtr fep;
    start_faulting(&t, undef_thread, 0, &fep);
    seL4_MessageInfo_t info = recv_fault(fep, seL4_Fault_UserException);
    KCHECK_EQ(seL4_MessageInfo_get_length(info), seL4_UserException_Length);
    seL4_Word mr[seL4_UserException_Length];
    for (int i = 0; i < seL4_UserException_Length; i++)
        mr[i] = seL4_GetMR(i);
    seL4_UserContext regs = thread_regs(t.tcb); /* (uses the message registers) */
    KCHECK_EQ(mr[seL4_UserException_FaultIP], (seL4_Word)undef_probe_insn);
    KCHECK_EQ(mr[seL4_UserException_SP], regs.sp);
    KCHECK_EQ(mr[seL4_UserException_CPSR], regs.cpsr);
    KCHECK_EQ(mr[seL4_UserException_CPSR] & 0x1ff, 0x10);
    KCHECK_EQ(mr[seL4_UserException_Number], seL4_UserException_UndefinedInstruction);
    KCHECK_EQ(mr[seL4_UserException_Code], 0xe7f001f2u);
    KCHECK_EQ(regs.pc, (seL4_Word)undef_probe_insn);
    seL4_SetMR(0, (seL4_Word)undef_probe_insn + 4);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 1));
    settle();
    KCHECK_EQ(f_done, 1);
    KCHECK_EQ(f_result, 5);
}

KTEST(fault_user_exception_label, "FAULT0107",
      "a UserException reply with a non-zero label leaves the thread suspended at the "
      "instruction")
{
    ktest_thread_t t;
    seL4_CPtr fep;
    start_faulting(&t, undef_thread, 0, &fep);
    recv_fault(fep, seL4_Fault_UserException);
    seL4_Reply(seL4_MessageInfo_new(0x3, 0, 0, 0));
    settle();
    KCHECK_EQ(f_done, 0);
    KCHECK_EQ(thread_regs(t.tcb).pc, (seL4_Word)undef_probe_insn);
}

static void load_thread(seL4_Word addr)
{
    f_result = load_probe(addr);
    f_done++;
}

KTEST(fault_vm_read_unmapped, "FAULT0108",
      "a load from an unmapped section is a VMFault (IP, Addr, PrefetchFault 0, FSR 0x005); "
      "after the handler maps a page the load is retried")
{
    seL4_Word addr = SCRATCH_VADDR + 0x10;
    ktest_thread_t t;
    seL4_CPtr fep;
    start_faulting(&t, load_thread, addr, &fep);
    seL4_MessageInfo_t info = recv_fault(fep, seL4_Fault_VMFault);
    KCHECK_EQ(seL4_MessageInfo_get_length(info), seL4_VMFault_Length);
    KCHECK_EQ(seL4_GetMR(seL4_VMFault_IP), (seL4_Word)load_probe_insn);
    KCHECK_EQ(seL4_GetMR(seL4_VMFault_Addr), addr);
    KCHECK_EQ(seL4_GetMR(seL4_VMFault_PrefetchFault), 0);
    KCHECK_EQ(seL4_GetMR(seL4_VMFault_FSR), 0x005);
    seL4_CPtr frame = ktest_object(seL4_ARM_SmallPageObject, 0);
    KREQUIRE_EQ(map_page(frame, SCRATCH_VADDR, seL4_AllRights, seL4_ARM_Default_VMAttributes),
                seL4_NoError);
    *(volatile seL4_Word *)addr = 0xfeedf00d;
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    settle();
    KCHECK_EQ(f_done, 1);
    KCHECK_EQ(f_result, 0xfeedf00d);
}

KTEST(fault_vm_read_unmapped_page, "FAULT0109",
      "a load from an unmapped page under a mapped page table has FSR 0x007 (page translation)")
{
    seL4_CPtr frame = ktest_object(seL4_ARM_SmallPageObject, 0);
    KREQUIRE_EQ(map_page(frame, SCRATCH_VADDR, seL4_AllRights, seL4_ARM_Default_VMAttributes),
                seL4_NoError);
    seL4_Word addr = SCRATCH_VADDR + 0x1004;
    ktest_thread_t t;
    seL4_CPtr fep;
    start_faulting(&t, load_thread, addr, &fep);
    recv_fault(fep, seL4_Fault_VMFault);
    KCHECK_EQ(seL4_GetMR(seL4_VMFault_Addr), addr);
    KCHECK_EQ(seL4_GetMR(seL4_VMFault_FSR), 0x007);
    KCHECK_EQ(seL4_GetMR(seL4_VMFault_PrefetchFault), 0);
}

static void store_thread(seL4_Word addr)
{
    store_probe(addr, 0x1234abcd);
    f_done++;
}

KTEST(fault_vm_write_read_only, "FAULT0110",
      "a store to a read-only page is a permission VMFault (FSR 0x80f); replies always retry "
      "it, whatever their label, until the page is writable")
{
    seL4_CPtr frame = ktest_object(seL4_ARM_SmallPageObject, 0);
    seL4_Word page = SCRATCH_VADDR + 0x2000;
    KREQUIRE_EQ(map_page(frame, page, seL4_CanRead, seL4_ARM_Default_VMAttributes), seL4_NoError);
    ktest_thread_t t;
    seL4_CPtr fep;
    start_faulting(&t, store_thread, page + 8, &fep);
    recv_fault(fep, seL4_Fault_VMFault);
    KCHECK_EQ(seL4_GetMR(seL4_VMFault_IP), (seL4_Word)store_probe_insn);
    KCHECK_EQ(seL4_GetMR(seL4_VMFault_Addr), page + 8);
    KCHECK_EQ(seL4_GetMR(seL4_VMFault_PrefetchFault), 0);
    KCHECK_EQ(seL4_GetMR(seL4_VMFault_FSR), 0x80f);
    /* A VMFault reply is not a verdict: even label 0x55 restarts the thread, which
     * faults again on the same store. */
    seL4_Reply(seL4_MessageInfo_new(0x55, 0, 0, 0));
    recv_fault(fep, seL4_Fault_VMFault);
    KCHECK_EQ(seL4_GetMR(seL4_VMFault_IP), (seL4_Word)store_probe_insn);
    KCHECK_EQ(seL4_GetMR(seL4_VMFault_FSR), 0x80f);
    KCHECK_EQ(f_done, 0);
    /* Remap it writable, and the retried store completes. */
    KREQUIRE_EQ(seL4_ARM_Page_Unmap(frame), seL4_NoError);
    KREQUIRE_EQ(map_page(frame, page, seL4_AllRights, seL4_ARM_Default_VMAttributes), seL4_NoError);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    settle();
    KCHECK_EQ(f_done, 1);
    KCHECK_EQ(*(volatile seL4_Word *)(page + 8), 0x1234abcd);
}

KTEST(fault_vm_prefetch, "FAULT0111",
      "a jump to an unmapped address is a prefetch VMFault: IP = Addr = target, "
      "PrefetchFault 1, FSR 0x005")
{
    seL4_Word target = SCRATCH_VADDR + 0x00100000u;
    ktest_thread_t t;
    seL4_CPtr fep;
    start_faulting(&t, (void (*)(seL4_Word))target, 0, &fep);
    seL4_MessageInfo_t info = recv_fault(fep, seL4_Fault_VMFault);
    KCHECK_EQ(seL4_MessageInfo_get_length(info), seL4_VMFault_Length);
    KCHECK_EQ(seL4_GetMR(seL4_VMFault_IP), target);
    KCHECK_EQ(seL4_GetMR(seL4_VMFault_Addr), target);
    KCHECK_EQ(seL4_GetMR(seL4_VMFault_PrefetchFault), 1);
    KCHECK_EQ(seL4_GetMR(seL4_VMFault_FSR), 0x005);
}

static void ldm_thread(seL4_Word addr)
{
    ldm_probe(addr);
    f_done++;
}

KTEST(fault_alignment, "FAULT0112",
      "an unaligned ldm is a UserException AlignmentFault whose Code is the DFSR (Keel)")
{
    static seL4_Word buf[4];
    ktest_thread_t t;
    seL4_CPtr fep;
    start_faulting(&t, ldm_thread, (seL4_Word)buf + 2, &fep);
    seL4_MessageInfo_t info = recv_fault(fep, seL4_Fault_UserException);
    KCHECK_EQ(seL4_MessageInfo_get_length(info), seL4_UserException_Length);
    KCHECK_EQ(seL4_GetMR(seL4_UserException_FaultIP), (seL4_Word)ldm_probe_insn);
    KCHECK_EQ(seL4_GetMR(seL4_UserException_Number), seL4_UserException_AlignmentFault);
    KCHECK_EQ(seL4_GetMR(seL4_UserException_Code), 0x001);
    /* Skip the ldm and the thread goes on. */
    seL4_SetMR(0, (seL4_Word)ldm_probe_insn + 4);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 1));
    settle();
    KCHECK_EQ(f_done, 1);
}

static void call_thread(seL4_Word cptr)
{
    f_result = cap_call_probe(cptr);
    f_done++;
}

KTEST(fault_cap_guard_mismatch, "FAULT0113",
      "a Call on a CPtr that does not resolve is a CapFault: IP, Addr, InRecvPhase 0, "
      "GuardMismatch with bits left, guard and guard size (7 words)")
{
    ktest_thread_t t;
    seL4_CPtr fep;
    start_faulting(&t, call_thread, 0xfff00003u, &fep);
    seL4_MessageInfo_t info = recv_fault(fep, seL4_Fault_CapFault);
    KCHECK_EQ(seL4_MessageInfo_get_length(info), 7);
    KCHECK_EQ(seL4_GetMR(seL4_CapFault_IP), (seL4_Word)cap_call_probe_svc);
    KCHECK_EQ(seL4_GetMR(seL4_CapFault_Addr), 0xfff00003u);
    KCHECK_EQ(seL4_GetMR(seL4_CapFault_InRecvPhase), 0);
    KCHECK_EQ(seL4_GetMR(seL4_CapFault_LookupFailureType), seL4_GuardMismatch);
    KCHECK_EQ(seL4_GetMR(seL4_CapFault_BitsLeft), 32);
    KCHECK_EQ(seL4_GetMR(seL4_CapFault_GuardMismatch_GuardFound), 0);
    KCHECK_EQ(seL4_GetMR(seL4_CapFault_GuardMismatch_BitsFound), 20);
}

static void recv_thread(seL4_Word cptr)
{
    f_result = cap_recv_probe(cptr);
    f_done++;
}

KTEST(fault_cap_recv_phase, "FAULT0114",
      "Recv on an empty slot or on a cap that cannot receive (a TCB) is a receive-phase CapFault, "
      "MissingCapability, 5 words")
{
    seL4_CPtr empty = ktest_slot();
    seL4_CPtr targets[] = {empty, seL4_CapInitThreadTCB};
    for (unsigned i = 0; i < N_ELEMS(targets); i++) {
        ktest_thread_t t;
        seL4_CPtr fep;
        start_faulting(&t, recv_thread, targets[i], &fep);
        seL4_MessageInfo_t info = recv_fault(fep, seL4_Fault_CapFault);
        KCHECK_EQ(seL4_MessageInfo_get_length(info), 5);
        KCHECK_EQ(seL4_GetMR(seL4_CapFault_IP), (seL4_Word)cap_recv_probe_svc);
        KCHECK_EQ(seL4_GetMR(seL4_CapFault_Addr), targets[i]);
        KCHECK_EQ(seL4_GetMR(seL4_CapFault_InRecvPhase), 1);
        KCHECK_EQ(seL4_GetMR(seL4_CapFault_LookupFailureType), seL4_MissingCapability);
        KCHECK_EQ(seL4_GetMR(seL4_CapFault_BitsLeft), 0);
    }
}

KTEST(fault_cap_depth_mismatch, "FAULT0115",
      "a CPtr that runs out of bits inside a second-level CNode is a DepthMismatch CapFault "
      "(bits left, bits found; 6 words)")
{
    /* The thread's CSpace: a 256-slot CNode with a 20-bit guard (28 bits), whose slot 1
     * holds another 256-slot CNode: a CPtr reaching it has 4 bits left for 8. */
    seL4_CPtr top = ktest_object(seL4_CapTableObject, 8);
    seL4_CPtr inner = ktest_object(seL4_CapTableObject, 8);
    seL4_CPtr ep;
    seL4_CPtr fault_ep = fault_endpoint(&ep);
    KREQUIRE_EQ(seL4_CNode_Copy(top, 1, 8, seL4_CapInitThreadCNode, inner, 32, seL4_AllRights),
                seL4_NoError);
    KREQUIRE_EQ(seL4_CNode_Copy(top, 2, 8, seL4_CapInitThreadCNode, fault_ep, 32, seL4_AllRights),
                seL4_NoError);
    reset();
    ktest_thread_t t;
    ktest_thread_create(&t, call_thread, 0x10, 100, 0);
    KREQUIRE_EQ(seL4_TCB_SetSpace(t.tcb, 0x20, top, seL4_CNode_CapData_new(0, 20).words[0],
                                  seL4_CapInitThreadVSpace, 0),
                seL4_NoError);
    ktest_thread_start(&t);
    seL4_MessageInfo_t info = recv_fault(ep, seL4_Fault_CapFault);
    KCHECK_EQ(seL4_MessageInfo_get_length(info), 6);
    KCHECK_EQ(seL4_GetMR(seL4_CapFault_Addr), 0x10);
    KCHECK_EQ(seL4_GetMR(seL4_CapFault_InRecvPhase), 0);
    KCHECK_EQ(seL4_GetMR(seL4_CapFault_LookupFailureType), seL4_DepthMismatch);
    KCHECK_EQ(seL4_GetMR(seL4_CapFault_BitsLeft), 4);
    KCHECK_EQ(seL4_GetMR(seL4_CapFault_DepthMismatch_BitsFound), 8);
}

KTEST(fault_cap_reply_retries, "FAULT0116",
      "a CapFault reply (any label) restarts the syscall: once the handler fills the slot, the "
      "thread's Wait succeeds")
{
    seL4_CPtr slot = ktest_slot();
    seL4_CPtr n = ktest_object(seL4_NotificationObject, 0);
    ktest_thread_t t;
    seL4_CPtr fep;
    start_faulting(&t, recv_thread, slot, &fep);
    recv_fault(fep, seL4_Fault_CapFault);
    KCHECK_EQ(seL4_GetMR(seL4_CapFault_Addr), slot);
    KREQUIRE_EQ(seL4_CNode_Copy(seL4_CapInitThreadCNode, slot, 32, seL4_CapInitThreadCNode, n, 32,
                                seL4_AllRights),
                seL4_NoError);
    seL4_Signal(mint(n, seL4_AllRights, 0x4d));
    seL4_Reply(seL4_MessageInfo_new(0x77, 0, 0, 0));
    settle();
    KCHECK_EQ(f_done, 1);
    KCHECK_EQ(f_result, 0x4d);
}

/* Faults once (unknown syscall 3), then — if someone moves it past the svc — Sends a
 * normal message to the endpoint f_arg. */
static void fault_then_send(seL4_Word arg)
{
    (void)arg;
    usys_probe(3);
    f_done++;
}

static void plain_send(seL4_Word arg)
{
    (void)arg;
    seL4_SetMR(0, 0xabcd);
    seL4_Send(f_arg, seL4_MessageInfo_new(0x12, 0, 0, 1));
    f_done++;
}

KTEST(fault_no_handler, "FAULT0117",
      "a thread without a fault handler stops at the fault and stays stopped; restarted "
      "elsewhere it sends normal messages")
{
    reset();
    ktest_thread_t t;
    ktest_thread_create(&t, fault_then_send, 0, 100, 0);
    seL4_DebugNameThread(t.tcb, "unhandled-fault"); /* named in the kernel's report */
    ktest_thread_start(&t);
    settle();
    settle();
    KCHECK_EQ(f_done, 0);
    seL4_UserContext regs = thread_regs(t.tcb);
    KCHECK_EQ(regs.pc, (seL4_Word)usys_probe_svc);
    KCHECK_EQ(regs.r7, 3);
    /* Point it at plain_send and resume it: its message is not a fault message. */
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    f_arg = ep;
    regs.pc = (seL4_Word)plain_send;
    KREQUIRE_EQ(seL4_TCB_WriteRegisters(t.tcb, 1, 0, sizeof(regs) / sizeof(seL4_Word), &regs),
                seL4_NoError);
    seL4_MessageInfo_t info = seL4_Recv(ep, NULL);
    KCHECK_EQ(seL4_MessageInfo_get_label(info), 0x12);
    KCHECK_EQ(seL4_MessageInfo_get_length(info), 1);
    KCHECK_EQ(seL4_GetMR(0), 0xabcd);
}

KTEST(fault_handler_invalid, "FAULT0118",
      "a fault handler cap without Grant or GrantReply, or not an endpoint, counts as none: "
      "the thread stops and nothing is sent")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr n = ktest_object(seL4_NotificationObject, 0);
    seL4_CPtr handlers[] = {mint(ep, seL4_ReadWrite, 1), mint(n, seL4_AllRights, 2)};
    for (unsigned i = 0; i < N_ELEMS(handlers); i++) {
        reset();
        ktest_thread_t t;
        spawn(&t, usys_thread, 4, 100, handlers[i]);
        settle();
        KCHECK_EQ(f_done, 0);
        KCHECK_EQ(thread_regs(t.tcb).pc, (seL4_Word)usys_probe_svc);
        seL4_Word badge = 0x99;
        seL4_NBRecv(ep, &badge);
        KCHECK_EQ(badge, 0);
        seL4_Poll(n, &badge);
        KCHECK_EQ(badge, 0);
    }
    /* With GrantReply alone (no Grant) the handler is valid. */
    reset();
    ktest_thread_t t;
    spawn(&t, usys_thread, 4, 100, mint(ep, seL4_CapRights_new(1, 0, 0, 1), 3));
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    KCHECK_EQ(badge, 3);
    KCHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_UnknownSyscall);
}

KTEST(fault_queued, "FAULT0119",
      "a fault with no handler waiting queues on the endpoint; NBRecv then takes it")
{
    ktest_thread_t t;
    seL4_CPtr fep;
    start_faulting(&t, usys_thread, 0x42, &fep);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = take_message(fep, &badge);
    KCHECK_EQ(badge, FAULT_BADGE);
    KCHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_UnknownSyscall);
    KCHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_Syscall), 0x42);
    seL4_SetMR(seL4_UnknownSyscall_R0, 0x99);
    seL4_SetMR(seL4_UnknownSyscall_FaultIP, (seL4_Word)usys_probe_svc + 4);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, seL4_UnknownSyscall_FaultIP + 1));
    settle();
    KCHECK_EQ(f_result, 0x99);
}

KTEST(fault_saved_reply, "FAULT0120",
      "the handler may save the fault's reply cap and answer later through it")
{
    ktest_thread_t t;
    seL4_CPtr fep;
    start_faulting(&t, usys_thread, 1, &fep);
    recv_fault(fep, seL4_Fault_UnknownSyscall);
    seL4_Word ip = seL4_GetMR(seL4_UnknownSyscall_FaultIP);
    seL4_CPtr saved = ktest_slot();
    KREQUIRE_EQ(seL4_CNode_SaveCaller(seL4_CapInitThreadCNode, saved, 32), seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(saved), CAP_REPLY);
    settle();
    KCHECK_EQ(f_done, 0);
    seL4_SetMR(seL4_UnknownSyscall_R0, 0x5a);
    for (int i = 1; i < seL4_UnknownSyscall_FaultIP; i++)
        seL4_SetMR(i, 0);
    seL4_SetMR(seL4_UnknownSyscall_FaultIP, ip + 4);
    seL4_Send(saved, seL4_MessageInfo_new(0, 0, 0, seL4_UnknownSyscall_FaultIP + 1));
    settle();
    KCHECK_EQ(f_done, 1);
    KCHECK_EQ(f_result, 0x5a);
}

KTEST(fault_cpsr_sanitised, "FAULT0121",
      "registers written back by a fault reply keep the thread in user mode: only flags, GE, IT "
      "and T of a new CPSR are taken")
{
    ktest_thread_t t;
    seL4_CPtr fep;
    start_faulting(&t, usys_thread, 2, &fep);
    recv_fault(fep, seL4_Fault_UnknownSyscall);
    seL4_SetMR(seL4_UnknownSyscall_CPSR, 0xffffffffu);
    /* Label 1: the registers are written, but the thread does not run with them. */
    seL4_Reply(seL4_MessageInfo_new(1, 0, 0, seL4_UnknownSyscall_CPSR + 1));
    seL4_UserContext regs = thread_regs(t.tcb);
    KCHECK_EQ(regs.cpsr, 0xfe0ffc30u);
    KCHECK_EQ(regs.r0, 0xA0A0A000u);
    KCHECK_EQ(regs.r7, 2);
}

/* A fault handler thread without an IPC buffer: receives one fault on f_arg, records the
 * length and MR0-3, then replies with `arg` words (MR0 = 0xabc). */
static void bufferless_handler(seL4_Word reply_len)
{
    seL4_MessageInfo_t info = seL4_Recv(f_arg, NULL);
    log_event(info.words[0]);
    for (int i = 0; i < 4; i++)
        log_event(seL4_GetMR(i));
    seL4_SetMR(0, 0xabc);
    seL4_ReplyRecv(f_arg, seL4_MessageInfo_new(0, 0, 0, reply_len), NULL);
    log_event(seL4_GetMR(0));
    log_event(seL4_GetMR(seL4_UnknownSyscall_R0));
}

KTEST(fault_handler_without_buffer, "FAULT0122",
      "a handler without an IPC buffer gets the first 4 words (length 4); its reply writes back "
      "only R0-R3")
{
    log_reset();
    reset();
    seL4_CPtr ep;
    seL4_CPtr fault_ep = fault_endpoint(&ep);
    f_arg = ep;
    ktest_thread_t h;
    ktest_thread_create(&h, bufferless_handler, seL4_UnknownSyscall_Length, 150, 0);
    KREQUIRE_EQ(seL4_TCB_SetIPCBuffer(h.tcb, 0, seL4_CapNull), seL4_NoError);
    ktest_thread_start(&h);
    settle();
    ktest_thread_t t;
    spawn(&t, usys_thread, 6, 100, fault_ep);
    settle();
    KREQUIRE_EQ(log_count(), 7);
    seL4_MessageInfo_t info = {{log_at(0)}};
    KCHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_UnknownSyscall);
    KCHECK_EQ(seL4_MessageInfo_get_length(info), 4);
    for (int i = 0; i < 4; i++)
        KCHECK_EQ(log_at(1 + i), 0xA0A0A000u + 0x01010101u * i);
    /* The reply claimed 13 words but only R0 (= 0xabc) .. R3 could go back: FaultIP stayed,
     * so the thread ran the svc again and its second fault shows the new R0. */
    KCHECK_EQ(log_at(6), 0xabc);
    KCHECK_EQ(f_done, 0);
    KCHECK_EQ(thread_regs(t.tcb).pc, (seL4_Word)usys_probe_svc);
}

KTEST(fault_endpoint_deleted, "FAULT0123",
      "deleting the endpoint a fault waits on restarts the thread: it faults again, to whatever "
      "endpoint its handler CPtr names now")
{
    ktest_thread_t t;
    seL4_CPtr ep;
    reset();
    seL4_CPtr fault_ep = fault_endpoint(&ep);
    spawn(&t, usys_thread, 8, 100, fault_ep);
    settle(); /* queued on the endpoint with its fault */
    KCHECK_EQ(seL4_CNode_Delete(seL4_CapInitThreadCNode, fault_ep, 32), seL4_NoError);
    KCHECK_EQ(seL4_CNode_Delete(seL4_CapInitThreadCNode, ep, 32), seL4_NoError);
    seL4_CPtr ep2 = ktest_object(seL4_EndpointObject, 0);
    KREQUIRE_EQ(seL4_CNode_Mint(seL4_CapInitThreadCNode, fault_ep, 32, seL4_CapInitThreadCNode, ep2,
                                32, seL4_AllRights, 0x2),
                seL4_NoError);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = take_message(ep2, &badge);
    KCHECK_EQ(badge, 2);
    KCHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_UnknownSyscall);
    KCHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_Syscall), 8);
    KCHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_FaultIP), (seL4_Word)usys_probe_svc);
}

/* ---- Thumb ---- */

static void thumb_usys_thread(seL4_Word number)
{
    f_result = thumb_usys(number);
    f_done++;
}

KTEST(fault_thumb_unknown_syscall, "FAULT0124",
      "a Thumb svc faults with T set in CPSR and FaultIP at the svc; FaultIP + 2 resumes it in "
      "Thumb")
{
    ktest_thread_t t;
    seL4_CPtr fep;
    start_faulting(&t, thumb_usys_thread, 0x31, &fep);
    recv_fault(fep, seL4_Fault_UnknownSyscall);
    seL4_Word ip = seL4_GetMR(seL4_UnknownSyscall_FaultIP);
    seL4_Word cpsr = seL4_GetMR(seL4_UnknownSyscall_CPSR);
    KCHECK_EQ(ip, (seL4_Word)thumb_usys_svc & ~1u);
    KCHECK_EQ(ip & 1, 0);
    KCHECK_EQ(cpsr & 0x3f, 0x30); /* user mode, T */
    KCHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_Syscall), 0x31);
    KCHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_R7), 0x31);
    seL4_SetMR(seL4_UnknownSyscall_R0, 0x7777);
    seL4_SetMR(seL4_UnknownSyscall_FaultIP, ip + 2);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, seL4_UnknownSyscall_CPSR + 1));
    settle();
    KCHECK_EQ(f_done, 1);
    KCHECK_EQ(f_result, 0x7777);
}

static void thumb_it_thread(seL4_Word number)
{
    f_result = thumb_it_probe(number);
    f_done++;
}

KTEST(fault_thumb_it_block, "FAULT0125",
      "a Thumb svc inside an IT block resumes with the IT state intact: the block's else "
      "instruction stays skipped")
{
    /* Reply with the whole register set (CPSR included), then with only R0..FaultIP. */
    static const seL4_Word lengths[] = {seL4_UnknownSyscall_CPSR + 1,
                                        seL4_UnknownSyscall_FaultIP + 1};
    for (unsigned k = 0; k < N_ELEMS(lengths); k++) {
        ktest_thread_t t;
        seL4_CPtr fep;
        start_faulting(&t, thumb_it_thread, 0x32, &fep);
        recv_fault(fep, seL4_Fault_UnknownSyscall);
        seL4_Word ip = seL4_GetMR(seL4_UnknownSyscall_FaultIP);
        seL4_Word cpsr = seL4_GetMR(seL4_UnknownSyscall_CPSR);
        KCHECK_EQ(ip, (seL4_Word)thumb_it_svc & ~1u);
        KCHECK_EQ(cpsr & 0x20, 0x20);
        KCHECK((cpsr & 0x0600fc00u) != 0); /* the IT state of the instruction after */
        seL4_SetMR(seL4_UnknownSyscall_FaultIP, ip + 2);
        seL4_Reply(seL4_MessageInfo_new(0, 0, 0, lengths[k]));
        settle();
        KCHECK_EQ(f_done, 1);
        KCHECK_EQ(f_result, 1);
    }
}

static void thumb_undef_thread(seL4_Word arg)
{
    (void)arg;
    f_result = thumb_undef_probe();
    f_done++;
}

KTEST(fault_thumb_undefined, "FAULT0126",
      "a Thumb undefined instruction: FaultIP at it, Code the 16-bit instruction, T in CPSR; "
      "FaultIP + 2 resumes after it")
{
    ktest_thread_t t;
    seL4_CPtr fep;
    start_faulting(&t, thumb_undef_thread, 0, &fep);
    recv_fault(fep, seL4_Fault_UserException);
    seL4_Word ip = seL4_GetMR(seL4_UserException_FaultIP);
    KCHECK_EQ(ip, (seL4_Word)thumb_undef_insn & ~1u);
    KCHECK_EQ(seL4_GetMR(seL4_UserException_CPSR) & 0x3f, 0x30);
    KCHECK_EQ(seL4_GetMR(seL4_UserException_Number), seL4_UserException_UndefinedInstruction);
    KCHECK_EQ(seL4_GetMR(seL4_UserException_Code), 0xde01);
    seL4_SetMR(0, ip + 2);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 1));
    settle();
    KCHECK_EQ(f_done, 1);
    KCHECK_EQ(f_result, 7);
}

KTEST(fault_cancelled_forgotten, "FAULT0127",
      "a thread stopped while its fault message waits is no longer faulting: restarted "
      "elsewhere it sends normal messages")
{
    ktest_thread_t t;
    seL4_CPtr fep;
    start_faulting(&t, usys_thread, 0x21, &fep);
    settle(); /* the fault waits on the endpoint: no handler is receiving */
    KCHECK_EQ(seL4_TCB_Suspend(t.tcb), seL4_NoError);
    seL4_Word badge = 1;
    seL4_NBRecv(fep, &badge); /* the queued fault went with the suspension */
    KCHECK_EQ(badge, 0);
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    f_arg = ep;
    seL4_UserContext regs = thread_regs(t.tcb);
    regs.pc = (seL4_Word)plain_send;
    KREQUIRE_EQ(seL4_TCB_WriteRegisters(t.tcb, 1, 0, sizeof(regs) / sizeof(seL4_Word), &regs),
                seL4_NoError);
    seL4_MessageInfo_t info = seL4_Recv(ep, NULL);
    KCHECK_EQ(seL4_MessageInfo_get_label(info), 0x12);
    KCHECK_EQ(seL4_GetMR(0), 0xabcd);
}

/* Faults with unknown syscall `n` twice; logs what each returned. */
static void usys_twice(seL4_Word n)
{
    log_event(usys_probe(n));
    log_event(usys_probe(n + 1));
}

KTEST(fault_handler_reply_recv, "FAULT0128",
      "a fault handler serving several threads with ReplyRecv resumes one and takes the next "
      "fault in one call")
{
    log_reset();
    reset();
    seL4_CPtr ep;
    seL4_CPtr fault_ep = fault_endpoint(&ep);
    ktest_thread_t a, b;
    spawn(&a, usys_twice, 0x100, 100, fault_ep);
    spawn(&b, usys_twice, 0x200, 100, fault_ep);
    seL4_MessageInfo_t info = seL4_Recv(ep, NULL);
    for (int k = 0; k < 4; k++) {
        KCHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_UnknownSyscall);
        seL4_Word num = seL4_GetMR(seL4_UnknownSyscall_Syscall);
        seL4_SetMR(seL4_UnknownSyscall_R0, num + 0x1000);
        seL4_SetMR(seL4_UnknownSyscall_FaultIP, seL4_GetMR(seL4_UnknownSyscall_FaultIP) + 4);
        seL4_MessageInfo_t reply = seL4_MessageInfo_new(0, 0, 0, seL4_UnknownSyscall_FaultIP + 1);
        if (k == 3) {
            seL4_Reply(reply);
            break;
        }
        info = seL4_ReplyRecv(ep, reply, NULL);
    }
    settle();
    KREQUIRE_EQ(log_count(), 4);
    /* Each thread got the answers to its own two syscalls, in order. */
    seL4_Word seen_a = 0, seen_b = 0;
    for (int i = 0; i < 4; i++) {
        seL4_Word v = log_at(i);
        if ((v & 0xf00) == 0x100)
            KCHECK_EQ(v, 0x1100 + seen_a++);
        else
            KCHECK_EQ(v, 0x1200 + seen_b++);
    }
    KCHECK_EQ(seen_a, 2);
    KCHECK_EQ(seen_b, 2);
}

KTEST(fault_thumb_it_restart, "FAULT0129",
      "a Thumb svc inside an IT block that its handler restarts runs again under its own "
      "condition, then resumes with the block intact")
{
    ktest_thread_t t;
    seL4_CPtr fep;
    start_faulting(&t, thumb_it_thread, 0x32, &fep);
    recv_fault(fep, seL4_Fault_UnknownSyscall);
    seL4_Word ip = seL4_GetMR(seL4_UnknownSyscall_FaultIP);
    KCHECK_EQ(ip, (seL4_Word)thumb_it_svc & ~1u);
    /* Reply without moving FaultIP: the svc (EQ, true) must execute again and fault
     * again at the same place; with the IT state of the instruction after it (NE), it
     * would be skipped and the else instruction would run outside its block. */
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, seL4_UnknownSyscall_FaultIP + 1));
    recv_fault(fep, seL4_Fault_UnknownSyscall);
    KCHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_FaultIP), ip);
    KCHECK_EQ(f_done, 0);
    seL4_SetMR(seL4_UnknownSyscall_FaultIP, ip + 2);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, seL4_UnknownSyscall_FaultIP + 1));
    settle();
    KCHECK_EQ(f_done, 1);
    KCHECK_EQ(f_result, 1);
}
