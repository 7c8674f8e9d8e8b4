/* Helpers of the VSpace conformance tests (see vs.h). */
#include "vs.h"

/* The accesses a prober makes, at fixed addresses so faults can name their IP. */
__asm__(".text\n.arm\n"
        ".global probe_ldr\nprobe_ldr:\n    ldr r0, [r0]\n    bx lr\n"
        ".global probe_str\nprobe_str:\n    str r1, [r0]\n    bx lr\n");
seL4_Word probe_ldr_fn(seL4_Word addr) __asm__("probe_ldr");
void probe_str_fn(seL4_Word addr, seL4_Word value) __asm__("probe_str");

seL4_CPtr vs_new_pd(void)
{
    seL4_CPtr pd = ktest_object(seL4_ARM_PageDirectoryObject, 0);
    seL4_Error err = seL4_ARM_ASIDPool_Assign(seL4_CapInitThreadASIDPool, pd);
    if (err != seL4_NoError)
        ktest_fail(__FILE__, __LINE__, "assigning an ASID: error %d", err);
    return pd;
}

seL4_CPtr vs_map_pt(seL4_CPtr pd, seL4_Word vaddr)
{
    seL4_CPtr pt = ktest_object(seL4_ARM_PageTableObject, 0);
    seL4_Error err = seL4_ARM_PageTable_Map(pt, pd, vaddr, seL4_ARM_Default_VMAttributes);
    if (err != seL4_NoError)
        ktest_fail(__FILE__, __LINE__, "mapping a page table at %p: error %d", (void *)vaddr, err);
    return pt;
}

seL4_Error vs_map(seL4_CPtr pd, seL4_CPtr frame, seL4_Word vaddr, seL4_CapRights_t rights,
                  seL4_Word attr)
{
    seL4_Error err = seL4_ARM_Page_Map(frame, pd, vaddr, rights, attr);
    if (err == seL4_FailedLookup) {
        vs_map_pt(pd, vaddr);
        err = seL4_ARM_Page_Map(frame, pd, vaddr, rights, attr);
    }
    return err;
}

seL4_CPtr vs_copy(seL4_CPtr cap)
{
    seL4_CPtr s = ktest_slot();
    seL4_Error err = seL4_CNode_Copy(seL4_CapInitThreadCNode, s, seL4_WordBits,
                                     seL4_CapInitThreadCNode, cap, seL4_WordBits, seL4_AllRights);
    if (err != seL4_NoError)
        ktest_fail(__FILE__, __LINE__, "copying cap %u: error %d", cap, err);
    return s;
}

seL4_CPtr vs_mint(seL4_CPtr cap, seL4_CapRights_t rights)
{
    seL4_CPtr s = ktest_slot();
    seL4_Error err = seL4_CNode_Mint(seL4_CapInitThreadCNode, s, seL4_WordBits,
                                     seL4_CapInitThreadCNode, cap, seL4_WordBits, rights, 0);
    if (err != seL4_NoError)
        ktest_fail(__FILE__, __LINE__, "minting cap %u: error %d", cap, err);
    return s;
}

void vs_map_image(seL4_CPtr pd)
{
    const seL4_BootInfo *bi = ktest_bootinfo;
    for (seL4_CPtr f = bi->userImageFrames.start; f < bi->userImageFrames.end; f++) {
        seL4_Word vaddr = IMAGE_BASE + (f - bi->userImageFrames.start) * 4096;
        seL4_Error err =
            vs_map(pd, vs_copy(f), vaddr, seL4_AllRights, seL4_ARM_Default_VMAttributes);
        if (err != seL4_NoError) {
            ktest_fail(__FILE__, __LINE__, "mapping the image at %p: error %d", (void *)vaddr, err);
            return;
        }
    }
}

seL4_Word vs_paddr(seL4_CPtr frame)
{
    seL4_ARM_Page_GetAddress_t r = seL4_ARM_Page_GetAddress(frame);
    if (r.error != seL4_NoError)
        ktest_fail(__FILE__, __LINE__, "GetAddress of cap %u: error %d", frame, r.error);
    return r.paddr;
}

/* ---- probers ---- */

/* Probers run one at a time (the root task waits for each access), so they share a stack. */
static uint8_t prober_stack[8192] __attribute__((aligned(16)));
static unsigned prober_ipc_index;

static void __attribute__((noreturn))
prober_entry(seL4_Word kind, seL4_Word addr, seL4_Word value, seL4_CPtr ep)
{
    seL4_Word r = 0;
    if (kind == PROBE_READ)
        r = probe_ldr_fn(addr);
    else if (kind == PROBE_WRITE)
        probe_str_fn(addr, value);
    else
        r = ((seL4_Word(*)(seL4_Word))addr)(value);
    seL4_SetMR(0, r);
    seL4_Send(ep, seL4_MessageInfo_new(PROBE_DONE_LABEL, 0, 0, 1));
    for (;;)
        seL4_Recv(ep, NULL); /* nobody sends here: the prober waits for its next access */
}

void prober_init(prober_t *p, seL4_CPtr pd)
{
    p->tcb = ktest_object(seL4_TCBObject, 0);
    p->ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr ipc_frame;
    if (pd == 0) {
        p->ipc_vaddr = (seL4_Word)ktest_frame(&ipc_frame);
        pd = seL4_CapInitThreadVSpace;
    } else {
        ipc_frame = ktest_object(seL4_ARM_SmallPageObject, 0);
        p->ipc_vaddr = VS_IPC_BUFFER + (prober_ipc_index++ % 256) * 4096;
        seL4_Error err =
            vs_map(pd, ipc_frame, p->ipc_vaddr, seL4_AllRights, seL4_ARM_Default_VMAttributes);
        if (err != seL4_NoError)
            ktest_fail(__FILE__, __LINE__, "mapping a prober's IPC buffer: error %d", err);
    }
    p->stack_top = &prober_stack[sizeof(prober_stack)];
    seL4_Error err = seL4_TCB_Configure(p->tcb, p->ep, seL4_CapInitThreadCNode, 0, pd, 0,
                                        p->ipc_vaddr, ipc_frame);
    if (err == seL4_NoError)
        err = seL4_TCB_SetPriority(p->tcb, seL4_CapInitThreadTCB, 200);
    if (err != seL4_NoError)
        ktest_fail(__FILE__, __LINE__, "configuring a prober: error %d", err);
}

probe_t probe(prober_t *p, int kind, seL4_Word addr, seL4_Word value)
{
    probe_t r = {0};
    seL4_TCB_Suspend(p->tcb);
    seL4_UserContext regs = {0};
    regs.pc = (seL4_Word)prober_entry;
    regs.sp = (seL4_Word)p->stack_top;
    regs.cpsr = 0x10;
    regs.r0 = (seL4_Word)kind;
    regs.r1 = addr;
    regs.r2 = value;
    regs.r3 = p->ep;
    regs.tpidrurw = p->ipc_vaddr;
    seL4_Error err = seL4_TCB_WriteRegisters(p->tcb, 1, 0, sizeof(regs) / sizeof(seL4_Word), &regs);
    if (err != seL4_NoError) {
        ktest_fail(__FILE__, __LINE__, "starting a probe: error %d", err);
        r.faulted = true;
        return r;
    }
    seL4_MessageInfo_t info = seL4_Recv(p->ep, NULL);
    r.label = seL4_MessageInfo_get_label(info);
    if (r.label == PROBE_DONE_LABEL) {
        r.value = seL4_GetMR(0);
        return r;
    }
    r.faulted = true;
    r.ip = seL4_GetMR(seL4_VMFault_IP);
    r.addr = seL4_GetMR(seL4_VMFault_Addr);
    r.prefetch = seL4_GetMR(seL4_VMFault_PrefetchFault);
    r.fsr = seL4_GetMR(seL4_VMFault_FSR);
    return r;
}

probe_t probe_root(int kind, seL4_Word addr, seL4_Word value)
{
    prober_t p;
    prober_init(&p, 0);
    return probe(&p, kind, addr, value);
}
