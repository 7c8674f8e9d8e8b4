/*
 * Foundation tests: what the boot hands over, faults from user mode, and the tick.
 */
#include "../lib/ktest.h"

/* Instructions the test threads execute, with labels for their exact addresses. */
__asm__(".text\n.arm\n"
        ".global priv_insn\npriv_insn:\n    mrc p15, 0, r0, c1, c0, 0\n    bx lr\n"
        ".global kernel_read\nkernel_read:\n    ldr r0, [r0]\n    bx lr\n"
        ".global kernel_write\nkernel_write:\n    str r0, [r0]\n    bx lr\n"
        ".global semihost_call\nsemihost_call:\n"
        "    push {r7}\n    mov r7, #0\n    mov r0, #0x20\n    adr r1, semihost_block\n"
        ".global semihost_svc\nsemihost_svc:\n    svc 0x123456\n    pop {r7}\n    bx lr\n"
        "semihost_block:\n    .word 0x20026, 42\n");
extern char priv_insn[], kernel_read[], kernel_write[], semihost_call[], semihost_svc[];

static const seL4_KeelMemoryInfo *memory_info(void)
{
    const seL4_BootInfoHeader *h = (const seL4_BootInfoHeader *)((seL4_Word)ktest_bootinfo + 4096);
    if (ktest_bootinfo->extraLen < sizeof(*h) || h->id != SEL4_BOOTINFO_HEADER_KEEL_MEMORY)
        return NULL;
    return (const seL4_KeelMemoryInfo *)(h + 1);
}

KTEST(boot_untyped_coverage, "BOOT0001",
      "the untypeds cover >= 95% of RAM not used by the kernel and the root task")
{
    const seL4_KeelMemoryInfo *m = memory_info();
    KCHECK(m != NULL);
    if (!m)
        return;
    uint64_t ram_untyped = 0;
    const seL4_BootInfo *bi = ktest_bootinfo;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[i];
        bool is_ram = d->paddr >= m->ramBase && d->paddr - m->ramBase < m->ramSize;
        if (is_ram)
            ram_untyped += 1ull << d->sizeBits;
    }
    uint64_t available =
        (uint64_t)m->ramSize - (m->kernelEnd - m->kernelStart) - m->rootObjectsBytes;
    unsigned permille = (unsigned)(ram_untyped * 1000 / available);
    printf("  RAM %u KiB, kernel image %u KiB, root task %u KiB, untyped %u KiB: %u.%u%%\n",
           m->ramSize >> 10, (m->kernelEnd - m->kernelStart) >> 10, m->rootObjectsBytes >> 10,
           (unsigned)(ram_untyped >> 10), permille / 10, permille % 10);
    KCHECK(permille >= 950);
    KCHECK(ram_untyped <= (uint64_t)m->ramSize);
}

KTEST(boot_instructions, "BOOT0002",
      "boot to the root server's first instruction takes at most 3 million instructions")
{
    const seL4_KeelMemoryInfo *m = memory_info();
    KCHECK(m != NULL);
    if (!m)
        return;
    printf("  boot took %u guest instructions\n", m->bootInstructions);
    KCHECK(m->bootInstructions > 0);
    KCHECK(m->bootInstructions <= 3000000);
}

KTEST(boot_initial_caps, "BOOT0003", "the initial caps sit at seL4's fixed slots")
{
    KCHECK_EQ(seL4_DebugCapIdentify(seL4_CapNull), 0);
    KCHECK_EQ(seL4_DebugCapIdentify(seL4_CapInitThreadTCB), 6);
    KCHECK_EQ(seL4_DebugCapIdentify(seL4_CapInitThreadCNode), 5);
    KCHECK_EQ(seL4_DebugCapIdentify(seL4_CapInitThreadVSpace), 12);
    KCHECK_EQ(seL4_DebugCapIdentify(seL4_CapIRQControl), 7);
    KCHECK_EQ(seL4_DebugCapIdentify(seL4_CapASIDControl), 13);
    KCHECK_EQ(seL4_DebugCapIdentify(seL4_CapInitThreadASIDPool), 14);
    KCHECK_EQ(seL4_DebugCapIdentify(seL4_CapIOPortControl), 0);
    KCHECK_EQ(seL4_DebugCapIdentify(seL4_CapBootInfoFrame), 10);
    KCHECK_EQ(seL4_DebugCapIdentify(seL4_CapInitThreadIPCBuffer), 10);
    const seL4_BootInfo *bi = ktest_bootinfo;
    KCHECK_EQ(bi->initThreadCNodeSizeBits, 12);
    KCHECK_EQ(bi->empty.end, 1u << 12);
    KCHECK(bi->untyped.end > bi->untyped.start);
    KCHECK(bi->userImageFrames.end > bi->userImageFrames.start);
    KCHECK_EQ(seL4_DebugCapIdentify(bi->untyped.start), 1);
    KCHECK_EQ(seL4_DebugCapIdentify(bi->userImageFrames.start), 10);
    KCHECK_EQ(seL4_DebugCapIdentify(bi->userImagePaging.start), 11);
    KCHECK_EQ((seL4_Word)bi->ipcBuffer, (seL4_Word)seL4_GetIPCBuffer());
}

/* Runs `fn(arg)` in a thread whose faults come to a badged endpoint; returns the fault
 * message info received there, with the MRs left in our IPC buffer. */
static seL4_MessageInfo_t run_faulting_thread(void (*fn)(seL4_Word), seL4_Word arg,
                                              seL4_Word *badge)
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr fault_ep = ktest_slot();
    seL4_Error err = seL4_CNode_Mint(seL4_CapInitThreadCNode, fault_ep, 32, seL4_CapInitThreadCNode,
                                     ep, 32, seL4_AllRights, 0x42);
    KCHECK_EQ(err, seL4_NoError);
    ktest_thread_t t;
    ktest_thread_create(&t, fn, arg, 100, fault_ep);
    ktest_thread_start(&t);
    return seL4_Recv(ep, badge);
}

KTEST(fault_privileged_instruction, "FAULT0001",
      "a privileged instruction in user mode is a UserException fault, not a crash")
{
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = run_faulting_thread((void (*)(seL4_Word))priv_insn, 0, &badge);
    KCHECK_EQ(badge, 0x42);
    KCHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_UserException);
    KCHECK_EQ(seL4_MessageInfo_get_length(info), seL4_UserException_Length);
    KCHECK_EQ(seL4_GetMR(seL4_UserException_FaultIP), (seL4_Word)priv_insn);
    KCHECK_EQ(seL4_GetMR(seL4_UserException_Number), seL4_UserException_UndefinedInstruction);
    KCHECK_EQ(seL4_GetMR(seL4_UserException_Code), 0xee110f10);
    KCHECK_EQ(seL4_GetMR(seL4_UserException_CPSR) & 0x1f, 0x10);
}

KTEST(fault_kernel_read, "FAULT0002", "a user read of a kernel address is a VMFault")
{
    seL4_Word badge = 0;
    seL4_MessageInfo_t info =
        run_faulting_thread((void (*)(seL4_Word))kernel_read, 0xE0000000u, &badge);
    KCHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_VMFault);
    KCHECK_EQ(seL4_MessageInfo_get_length(info), seL4_VMFault_Length);
    KCHECK_EQ(seL4_GetMR(seL4_VMFault_IP), (seL4_Word)kernel_read);
    KCHECK_EQ(seL4_GetMR(seL4_VMFault_Addr), 0xE0000000u);
    KCHECK_EQ(seL4_GetMR(seL4_VMFault_PrefetchFault), 0);
    KCHECK_EQ(seL4_GetMR(seL4_VMFault_FSR), 0x00d); /* permission fault, section */
}

KTEST(fault_kernel_write, "FAULT0003", "a user write to a kernel address is a VMFault")
{
    seL4_Word badge = 0;
    seL4_MessageInfo_t info =
        run_faulting_thread((void (*)(seL4_Word))kernel_write, 0xE0001000u, &badge);
    KCHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_VMFault);
    KCHECK_EQ(seL4_GetMR(seL4_VMFault_IP), (seL4_Word)kernel_write);
    KCHECK_EQ(seL4_GetMR(seL4_VMFault_Addr), 0xE0001000u);
    KCHECK_EQ(seL4_GetMR(seL4_VMFault_FSR), 0x80d); /* WnR | permission fault, section */
}

KTEST(fault_kernel_execute, "FAULT0004", "a user jump into the kernel region is a prefetch VMFault")
{
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = run_faulting_thread((void (*)(seL4_Word))0xE0000000u, 0, &badge);
    KCHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_VMFault);
    KCHECK_EQ(seL4_GetMR(seL4_VMFault_IP), 0xE0000000u);
    KCHECK_EQ(seL4_GetMR(seL4_VMFault_Addr), 0xE0000000u);
    KCHECK_EQ(seL4_GetMR(seL4_VMFault_PrefetchFault), 1);
    KCHECK_EQ(seL4_GetMR(seL4_VMFault_FSR), 0x00d);
}

KTEST(fault_semihosting_from_user, "FAULT0005",
      "user code cannot end QEMU through semihosting: its svc is an UnknownSyscall fault")
{
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = run_faulting_thread((void (*)(seL4_Word))semihost_call, 0, &badge);
    KCHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_UnknownSyscall);
    KCHECK_EQ(seL4_MessageInfo_get_length(info), seL4_UnknownSyscall_Length);
    KCHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_R0), 0x20);
    KCHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_R7), 0);
    KCHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_Syscall), 0);
    KCHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_FaultIP), (seL4_Word)semihost_svc);
}

static volatile int round_robin_flag;

static void set_flag(seL4_Word v)
{
    round_robin_flag = (int)v;
}

KTEST(tick_round_robin, "TICK0001",
      "the kernel tick preempts a spinning thread for another of the same priority")
{
    round_robin_flag = 0;
    ktest_thread_t t;
    ktest_thread_create(&t, set_flag, 7, seL4_MaxPrio, 0);
    ktest_thread_start(&t);
    /* Without the tick's round robin this loop would never let the thread run. */
    unsigned spins = 0;
    while (round_robin_flag == 0 && spins < 200000000u)
        spins++;
    KCHECK_EQ(round_robin_flag, 7);
    printf("  the other thread ran after %u spins\n", spins);
}
