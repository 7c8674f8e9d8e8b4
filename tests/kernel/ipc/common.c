/* Helpers shared by the ipc suite's files (see ipc.h). */
#include "ipc.h"

seL4_CPtr mint(seL4_CPtr src, seL4_CapRights_t rights, seL4_Word badge)
{
    seL4_CPtr dst = ktest_slot();
    seL4_Error err = seL4_CNode_Mint(seL4_CapInitThreadCNode, dst, seL4_WordBits,
                                     seL4_CapInitThreadCNode, src, seL4_WordBits, rights, badge);
    if (err != seL4_NoError)
        ktest_fail(__FILE__, __LINE__, "minting a copy of slot %u: error %d", src, err);
    return dst;
}

void settle(void)
{
    seL4_Error err = seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 1);
    if (err == seL4_NoError)
        err = seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, PRIO_MAIN);
    if (err != seL4_NoError)
        ktest_fail(__FILE__, __LINE__, "settle: SetPriority failed: %d", err);
}

seL4_MessageInfo_t take_message(seL4_CPtr ep, seL4_Word *badge)
{
    settle();
    seL4_Word b = 0;
    seL4_MessageInfo_t info = seL4_NBRecv(ep, &b);
    if (b == 0)
        ktest_fail(__FILE__, __LINE__, "no message (with a badge) was waiting on slot %u", ep);
    if (badge)
        *badge = b;
    return info;
}

seL4_CPtr fault_endpoint(seL4_CPtr *ep)
{
    *ep = ktest_object(seL4_EndpointObject, 0);
    return mint(*ep, seL4_AllRights, FAULT_BADGE);
}

void spawn(ktest_thread_t *t, void (*fn)(seL4_Word), seL4_Word arg, seL4_Word prio,
           seL4_CPtr fault_ep)
{
    ktest_thread_create(t, fn, arg, prio, fault_ep);
    ktest_thread_start(t);
}

seL4_UserContext thread_regs(seL4_CPtr tcb)
{
    seL4_UserContext regs;
    memset(&regs, 0, sizeof(regs));
    seL4_Error err = seL4_TCB_ReadRegisters(tcb, 0, 0, sizeof(regs) / sizeof(seL4_Word), &regs);
    if (err != seL4_NoError)
        ktest_fail(__FILE__, __LINE__, "ReadRegisters: error %d", err);
    return regs;
}

#define MAX_EVENTS 64
static volatile seL4_Word events[MAX_EVENTS];
static volatile int n_events;

void log_reset(void)
{
    n_events = 0;
}

void log_event(seL4_Word v)
{
    if (n_events < MAX_EVENTS)
        events[n_events] = v;
    n_events++;
}

int log_count(void)
{
    return n_events;
}

seL4_Word log_at(int i)
{
    return i < n_events && i < MAX_EVENTS ? events[i] : 0xdeadu;
}

seL4_Error map_page(seL4_CPtr frame, seL4_Word vaddr, seL4_CapRights_t rights, seL4_Word attr)
{
    seL4_Error err = seL4_ARM_Page_Map(frame, seL4_CapInitThreadVSpace, vaddr, rights, attr);
    if (err == seL4_FailedLookup) {
        seL4_CPtr pt = ktest_object(seL4_ARM_PageTableObject, 0);
        err = seL4_ARM_PageTable_Map(pt, seL4_CapInitThreadVSpace, vaddr & ~0xfffffu,
                                     seL4_ARM_Default_VMAttributes);
        if (err == seL4_NoError)
            err = seL4_ARM_Page_Map(frame, seL4_CapInitThreadVSpace, vaddr, rights, attr);
    }
    return err;
}

ktest_error_t last_error(void)
{
    ktest_error_t e;
    ktest_get_error(&e);
    return e;
}
