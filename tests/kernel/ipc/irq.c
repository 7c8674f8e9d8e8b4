/*
 * Interrupts: IRQControl_Get/GetTrigger issue one IRQHandler cap per line; IRQHandler
 * SetNotification, Ack and Clear. The driver tests program real timers from user space
 * (EPIT2, GIC 89, and the GPT, GIC 87) through device frames retyped from the boot
 * device Untypeds, and count the notifications their interrupts send.
 */
#include "ipc.h"

#define IRQ_GPT        87
#define IRQ_EPIT1      88 /* the kernel's tick */
#define IRQ_EPIT2      89
#define IRQ_FREE       100 /* a GPIO line nothing drives */
#define IRQ_MAX        159
#define PADDR_GPT      0x02098000u
#define PADDR_EPIT2    0x020D4000u
#define DEVICE_VADDR   0x71000000u
#define TIMER_HZ       66000000u /* EPIT and GPT clock as QEMU models it */
#define PERIOD_TICKS   6600u     /* 100 us */
#define WATCHDOG_BADGE 0x8000u
#define WATCHDOG_SPINS 20000000u

/* ---- IRQControl and IRQHandler invocations ---- */

static seL4_Error get_irq(seL4_Word irq, seL4_CPtr slot)
{
    return seL4_IRQControl_Get(seL4_CapIRQControl, irq, seL4_CapInitThreadCNode, slot, 32);
}

KTEST(irq_get, "IRQ0001",
      "IRQControl_Get issues one IRQHandler cap per line: a second Get is RevokeFirst until "
      "every copy is deleted")
{
    seL4_CPtr h = ktest_slot(), h2 = ktest_slot(), copy = ktest_slot();
    KCHECK_EQ(get_irq(IRQ_FREE, h), seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(h), CAP_IRQ_HANDLER);
    KCHECK_EQ(get_irq(IRQ_FREE, h2), seL4_RevokeFirst);
    KCHECK_EQ(seL4_DebugCapIdentify(h2), CAP_NULL);
    KCHECK_EQ(seL4_CNode_Copy(seL4_CapInitThreadCNode, copy, 32, seL4_CapInitThreadCNode, h, 32,
                              seL4_AllRights),
              seL4_NoError);
    KCHECK_EQ(seL4_CNode_Delete(seL4_CapInitThreadCNode, h, 32), seL4_NoError);
    KCHECK_EQ(get_irq(IRQ_FREE, h2), seL4_RevokeFirst); /* the copy still holds the line */
    KCHECK_EQ(seL4_CNode_Delete(seL4_CapInitThreadCNode, copy, 32), seL4_NoError);
    KCHECK_EQ(get_irq(IRQ_FREE, h2), seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(h2), CAP_IRQ_HANDLER);
    /* Revoking IRQControl's children frees the line too. */
    KCHECK_EQ(seL4_CNode_Revoke(seL4_CapInitThreadCNode, seL4_CapIRQControl, 32), seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(h2), CAP_NULL);
    KCHECK_EQ(get_irq(IRQ_FREE, h), seL4_NoError);
}

KTEST(irq_get_reserved, "IRQ0002",
      "the kernel's own lines (its tick, IRQ 88, and the SGIs/PPIs) are never issued: "
      "RevokeFirst")
{
    static const seL4_Word lines[] = {IRQ_EPIT1, 0, 15, 27, 29, 31};
    for (unsigned i = 0; i < N_ELEMS(lines); i++) {
        seL4_CPtr h = ktest_slot();
        KCHECK_EQ(get_irq(lines[i], h), seL4_RevokeFirst);
        KCHECK_EQ(seL4_DebugCapIdentify(h), CAP_NULL);
    }
    /* The first device line is free. */
    seL4_CPtr h = ktest_slot();
    KCHECK_EQ(get_irq(32, h), seL4_NoError);
}

KTEST(irq_get_range, "IRQ0003", "an IRQ number past the last line (159) is a RangeError 0..159")
{
    static const seL4_Word lines[] = {IRQ_MAX + 1, 1023, 0xffffffffu};
    for (unsigned i = 0; i < N_ELEMS(lines); i++) {
        seL4_CPtr h = ktest_slot();
        KCHECK_EQ(get_irq(lines[i], h), seL4_RangeError);
        ktest_error_t e = last_error();
        KCHECK_EQ(e.range_min, 0);
        KCHECK_EQ(e.range_max, IRQ_MAX);
        KCHECK_EQ(seL4_DebugCapIdentify(h), CAP_NULL);
    }
    seL4_CPtr h = ktest_slot();
    KCHECK_EQ(get_irq(IRQ_MAX, h), seL4_NoError);
}

KTEST(irq_get_destination, "IRQ0004",
      "IRQControl_Get checks its message and destination: TruncatedMessage, DeleteFirst, "
      "RangeError on depth, FailedLookup; the line stays free")
{
    seL4_CPtr h = ktest_slot();
    /* Two arguments, or no CNode cap. */
    seL4_SetMR(0, IRQ_FREE);
    seL4_SetMR(1, h);
    seL4_SetCap(0, seL4_CapInitThreadCNode);
    KCHECK_EQ(seL4_Invoke(seL4_CapIRQControl, IRQIssueIRQHandler, 2, 1), seL4_TruncatedMessage);
    seL4_SetMR(0, IRQ_FREE);
    seL4_SetMR(1, h);
    seL4_SetMR(2, 32);
    KCHECK_EQ(seL4_Invoke(seL4_CapIRQControl, IRQIssueIRQHandler, 3, 0), seL4_TruncatedMessage);
    /* An occupied slot. */
    seL4_CPtr full = mint(seL4_CapInitThreadTCB, seL4_AllRights, 0);
    KCHECK_EQ(get_irq(IRQ_FREE, full), seL4_DeleteFirst);
    KCHECK_EQ(seL4_DebugCapIdentify(full), CAP_THREAD);
    /* Depth 0 and a path that does not resolve. */
    KCHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, IRQ_FREE, seL4_CapInitThreadCNode, h, 0),
              seL4_RangeError);
    ktest_error_t e = last_error();
    KCHECK_EQ(e.range_min, 1);
    KCHECK_EQ(e.range_max, 32);
    KCHECK_EQ(get_irq(IRQ_FREE, h | 0x80000000u), seL4_FailedLookup);
    e = last_error();
    KCHECK_EQ(e.failed_lookup_was_source, 0);
    KCHECK_EQ(e.lookup_type, seL4_GuardMismatch);
    /* A root that is not a CNode. */
    KCHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, IRQ_FREE, seL4_CapInitThreadTCB, h, 32),
              seL4_FailedLookup);
    KCHECK_EQ(last_error().lookup_type, seL4_InvalidRoot);
    KCHECK_EQ(seL4_DebugCapIdentify(h), CAP_NULL);
    KCHECK_EQ(get_irq(IRQ_FREE, h), seL4_NoError);
}

KTEST(irq_get_trigger, "IRQ0005",
      "IRQControl_GetTrigger issues level and edge handlers with the same checks")
{
    seL4_CPtr level = ktest_slot(), edge = ktest_slot(), other = ktest_slot();
    KCHECK_EQ(seL4_IRQControl_GetTrigger(seL4_CapIRQControl, IRQ_FREE, 0, seL4_CapInitThreadCNode,
                                         level, 32),
              seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(level), CAP_IRQ_HANDLER);
    KCHECK_EQ(seL4_IRQControl_GetTrigger(seL4_CapIRQControl, IRQ_FREE + 1, 1,
                                         seL4_CapInitThreadCNode, edge, 32),
              seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(edge), CAP_IRQ_HANDLER);
    KCHECK_EQ(seL4_IRQControl_GetTrigger(seL4_CapIRQControl, IRQ_FREE, 1, seL4_CapInitThreadCNode,
                                         other, 32),
              seL4_RevokeFirst);
    KCHECK_EQ(seL4_IRQControl_GetTrigger(seL4_CapIRQControl, IRQ_EPIT1, 0, seL4_CapInitThreadCNode,
                                         other, 32),
              seL4_RevokeFirst);
    KCHECK_EQ(seL4_IRQControl_GetTrigger(seL4_CapIRQControl, IRQ_MAX + 1, 0,
                                         seL4_CapInitThreadCNode, other, 32),
              seL4_RangeError);
    KCHECK_EQ(get_irq(IRQ_FREE + 1, other), seL4_RevokeFirst);
    seL4_SetMR(0, IRQ_FREE + 2);
    seL4_SetMR(1, 0);
    seL4_SetMR(2, other);
    seL4_SetCap(0, seL4_CapInitThreadCNode);
    KCHECK_EQ(seL4_Invoke(seL4_CapIRQControl, ARMIRQIssueIRQHandlerTrigger, 3, 1),
              seL4_TruncatedMessage);
    KCHECK_EQ(seL4_DebugCapIdentify(other), CAP_NULL);
}

KTEST(irq_bad_labels, "IRQ0006",
      "IRQControl and IRQHandler reject other invocation labels with IllegalOperation")
{
    seL4_CPtr h = ktest_slot();
    KREQUIRE_EQ(get_irq(IRQ_FREE, h), seL4_NoError);
    KCHECK_EQ(seL4_Invoke(seL4_CapIRQControl, IRQAckIRQ, 0, 0), seL4_IllegalOperation);
    KCHECK_EQ(seL4_Invoke(seL4_CapIRQControl, CNodeCopy, 0, 0), seL4_IllegalOperation);
    KCHECK_EQ(seL4_Invoke(h, IRQIssueIRQHandler, 0, 0), seL4_IllegalOperation);
    KCHECK_EQ(seL4_Invoke(h, TCBSuspend, 0, 0), seL4_IllegalOperation);
}

KTEST(irq_set_notification, "IRQ0007",
      "IRQHandler_SetNotification needs a notification cap with Write (else InvalidCapability, "
      "or TruncatedMessage without a cap); Ack and Clear succeed")
{
    seL4_CPtr h = ktest_slot();
    KREQUIRE_EQ(get_irq(IRQ_FREE, h), seL4_NoError);
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    seL4_CPtr n = ktest_object(seL4_NotificationObject, 0);
    KCHECK_EQ(seL4_IRQHandler_SetNotification(h, ep), seL4_InvalidCapability);
    KCHECK_EQ(last_error().argument, 0);
    KCHECK_EQ(seL4_IRQHandler_SetNotification(h, mint(n, seL4_CanRead, 0)), seL4_InvalidCapability);
    KCHECK_EQ(seL4_IRQHandler_SetNotification(h, ktest_slot()), seL4_InvalidCapability);
    KCHECK_EQ(seL4_Invoke(h, IRQSetIRQHandler, 0, 0), seL4_TruncatedMessage);
    KCHECK_EQ(seL4_IRQHandler_SetNotification(h, mint(n, seL4_CanWrite, 0x1)), seL4_NoError);
    KCHECK_EQ(seL4_IRQHandler_SetNotification(h, n), seL4_NoError); /* replaces it */
    KCHECK_EQ(seL4_IRQHandler_Ack(h), seL4_NoError);
    KCHECK_EQ(seL4_IRQHandler_Clear(h), seL4_NoError);
    KCHECK_EQ(seL4_IRQHandler_Clear(h), seL4_NoError);
    /* The notification set on the line is a copy: deleting the line's handler leaves
     * the original intact. */
    KCHECK_EQ(seL4_IRQHandler_SetNotification(h, n), seL4_NoError);
    KCHECK_EQ(seL4_CNode_Delete(seL4_CapInitThreadCNode, h, 32), seL4_NoError);
    KCHECK_EQ(seL4_DebugCapIdentify(n), CAP_NOTIFICATION);
}

/* ---- device timers driven from user space ---- */

#define EPIT_CR         0x00
#define EPIT_SR         0x04
#define EPIT_LR         0x08
#define EPIT_CMPR       0x0c
#define EPIT_CNR        0x10
#define EPIT_CR_EN      (1u << 0)
#define EPIT_CR_ENMOD   (1u << 1)
#define EPIT_CR_OCIEN   (1u << 2)
#define EPIT_CR_RLD     (1u << 3)
#define EPIT_CR_IOVW    (1u << 17)
#define EPIT_CR_CLK_IPG (1u << 24)

#define GPT_CR         0x00
#define GPT_PR         0x04
#define GPT_SR         0x08
#define GPT_IR         0x0c
#define GPT_OCR1       0x10
#define GPT_CNT        0x24
#define GPT_CR_EN      (1u << 0)
#define GPT_CR_ENMOD   (1u << 1)
#define GPT_CR_CLK_IPG (1u << 6)
#define GPT_CR_FRR     (1u << 9)

static inline volatile uint32_t *reg(seL4_Word base, seL4_Word off)
{
    return (volatile uint32_t *)(base + off);
}

/* The device Untyped of the boot info that covers `paddr`. */
static seL4_CPtr device_untyped(seL4_Word paddr, seL4_Word *base, seL4_Word *bits)
{
    const seL4_BootInfo *bi = ktest_bootinfo;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[i];
        if (d->isDevice && paddr >= d->paddr && paddr - d->paddr < (1u << d->sizeBits)) {
            *base = d->paddr;
            *bits = d->sizeBits;
            return bi->untyped.start + i;
        }
    }
    return 0;
}

/*
 * Maps the device page at `paddr` uncached at `vaddr`: revokes the device Untyped that
 * covers it (so its watermark is back at its start), retypes Untyped children in address
 * order up to the page, then the page itself as a frame. Returns the address or 0.
 */
static seL4_Word map_device(seL4_Word paddr, seL4_Word vaddr)
{
    seL4_Word base = 0, bits = 0;
    seL4_CPtr ut = device_untyped(paddr, &base, &bits);
    if (!ut) {
        ktest_fail(__FILE__, __LINE__, "no device untyped covers %p", (void *)paddr);
        return 0;
    }
    seL4_CNode_Revoke(seL4_CapInitThreadCNode, ut, 32);
    seL4_Word cur = base;
    while (cur < paddr) {
        seL4_Word b = 4;
        while (b < bits && (cur & ((1u << (b + 1)) - 1)) == 0 && cur + (1u << (b + 1)) <= paddr)
            b++;
        seL4_Error err = seL4_Untyped_Retype(ut, seL4_UntypedObject, b, seL4_CapInitThreadCNode, 0,
                                             0, ktest_slot(), 1);
        if (err != seL4_NoError) {
            ktest_fail(__FILE__, __LINE__, "padding retype: error %d", err);
            return 0;
        }
        cur += 1u << b;
    }
    seL4_CPtr frame = ktest_slot();
    seL4_Error err = seL4_Untyped_Retype(ut, seL4_ARM_SmallPageObject, 0, seL4_CapInitThreadCNode,
                                         0, 0, frame, 1);
    seL4_ARM_Page_GetAddress_t ga = seL4_ARM_Page_GetAddress(frame);
    if (err != seL4_NoError || ga.error || ga.paddr != paddr) {
        ktest_fail(__FILE__, __LINE__, "device frame: error %d, address %p", err, (void *)ga.paddr);
        return 0;
    }
    err = map_page(frame, vaddr, seL4_ReadWrite, 0);
    if (err != seL4_NoError) {
        ktest_fail(__FILE__, __LINE__, "mapping the device frame: error %d", err);
        return 0;
    }
    return vaddr;
}

/* EPIT2 raising its compare interrupt every `ticks` (or free running, no interrupt). */
static void epit_start(seL4_Word epit, seL4_Word ticks, bool interrupt)
{
    *reg(epit, EPIT_CR) = 0;
    *reg(epit, EPIT_CR) = EPIT_CR_CLK_IPG | EPIT_CR_IOVW | EPIT_CR_RLD | EPIT_CR_ENMOD |
                          (interrupt ? EPIT_CR_OCIEN : 0);
    *reg(epit, EPIT_LR) = ticks - 1;
    *reg(epit, EPIT_CMPR) = 0;
    *reg(epit, EPIT_SR) = 1;
    *reg(epit, EPIT_CR) |= EPIT_CR_EN;
}

static void epit_stop(seL4_Word epit)
{
    *reg(epit, EPIT_CR) = 0;
    *reg(epit, EPIT_SR) = 1;
}

/* The GPT counting up at 66 MHz; with `ticks`, restarting and interrupting each period. */
static void gpt_start(seL4_Word gpt, seL4_Word ticks)
{
    *reg(gpt, GPT_CR) = 0;
    *reg(gpt, GPT_IR) = 0;
    *reg(gpt, GPT_PR) = 0;
    *reg(gpt, GPT_SR) = 0x3f;
    if (ticks) {
        *reg(gpt, GPT_CR) = GPT_CR_CLK_IPG | GPT_CR_ENMOD;
        *reg(gpt, GPT_OCR1) = ticks - 1;
        *reg(gpt, GPT_IR) = 1;
    } else {
        *reg(gpt, GPT_CR) = GPT_CR_CLK_IPG | GPT_CR_ENMOD | GPT_CR_FRR;
    }
    *reg(gpt, GPT_CR) |= GPT_CR_EN;
}

static void gpt_stop(seL4_Word gpt)
{
    *reg(gpt, GPT_CR) = 0;
    *reg(gpt, GPT_IR) = 0;
    *reg(gpt, GPT_SR) = 0x3f;
}

/* Signals `ntfn` with WATCHDOG_BADGE if it ever gets to run for long. At priority 1 it
 * only spins while every other thread waits (for an interrupt that does not come); it
 * does not run in settle(), which puts the test task at the head of priority 1. */
static void watchdog(seL4_Word ntfn)
{
    for (volatile seL4_Word i = 0; i < WATCHDOG_SPINS; i++)
        ;
    seL4_Signal(ntfn);
}

/* A notification for the driver, with a watchdog that signals it if interrupts stop. */
typedef struct {
    seL4_CPtr ntfn;    /* the driver waits here */
    seL4_CPtr handler; /* IRQHandler cap */
    seL4_Word device;  /* mapped registers */
} driver_t;

/* Sets up `irq` to signal a new notification with `badge`, maps the device, and starts a
 * watchdog that signals `dog_target` (0: the driver's notification). */
static bool driver_init_dog(driver_t *d, seL4_Word irq, seL4_Word paddr, seL4_Word vaddr,
                            seL4_Word badge, seL4_CPtr dog_target)
{
    d->ntfn = ktest_object(seL4_NotificationObject, 0);
    d->handler = ktest_slot();
    d->device = map_device(paddr, vaddr);
    if (!d->device)
        return false;
    seL4_CPtr dog_cap = mint(dog_target ? dog_target : d->ntfn, seL4_CanWrite, WATCHDOG_BADGE);
    ktest_thread_t dog;
    spawn(&dog, watchdog, dog_cap, 1, 0);
    if (get_irq(irq, d->handler) != seL4_NoError ||
        seL4_IRQHandler_SetNotification(d->handler, mint(d->ntfn, seL4_CanWrite, badge)) !=
            seL4_NoError) {
        ktest_fail(__FILE__, __LINE__, "setting up IRQ %u", irq);
        return false;
    }
    return true;
}

static bool driver_init(driver_t *d, seL4_Word irq, seL4_Word paddr, seL4_Word vaddr,
                        seL4_Word badge)
{
    return driver_init_dog(d, irq, paddr, vaddr, badge, 0);
}

/* Waits for the next signal; returns the notification word. */
static seL4_Word driver_wait(driver_t *d)
{
    seL4_Word w = 0;
    seL4_Wait(d->ntfn, &w);
    return w;
}

KTEST(irq_epit_signals, "IRQ0008",
      "EPIT2 interrupts (IRQ 89) programmed from user space signal the handler's notification "
      "with its badge, once per Ack")
{
    driver_t d;
    if (!driver_init(&d, IRQ_EPIT2, PADDR_EPIT2, DEVICE_VADDR, 0x100))
        return;
    epit_start(d.device, PERIOD_TICKS, true);
    int n;
    for (n = 0; n < 8; n++) {
        seL4_Word w = driver_wait(&d);
        if (w != 0x100) {
            KCHECK_EQ(w, 0x100);
            break;
        }
        KCHECK_EQ(*reg(d.device, EPIT_SR) & 1, 1);
        *reg(d.device, EPIT_SR) = 1;
        KCHECK_EQ(seL4_IRQHandler_Ack(d.handler), seL4_NoError);
    }
    epit_stop(d.device);
    KCHECK_EQ(n, 8);
}

/* Spins until EPIT2's compare flag has been set `periods` times (clearing it each time). */
static void epit_wait_periods(seL4_Word epit, int periods)
{
    for (int i = 0; i < periods; i++) {
        *reg(epit, EPIT_SR) = 1;
        for (unsigned spin = 0; !(*reg(epit, EPIT_SR) & 1) && spin < 10000000u; spin++)
            ;
    }
}

KTEST(irq_masked_until_ack, "IRQ0009",
      "after a signal the line stays masked until Ack: no second signal however long the "
      "device asserts it; Ack delivers the pending one at once")
{
    driver_t d;
    if (!driver_init(&d, IRQ_EPIT2, PADDR_EPIT2, DEVICE_VADDR, 0x1))
        return;
    epit_start(d.device, PERIOD_TICKS, true);
    KCHECK_EQ(driver_wait(&d), 0x1);
    epit_wait_periods(d.device, 3); /* the device raises it three more times... */
    KCHECK_EQ(*reg(d.device, EPIT_SR) & 1, 1);
    seL4_Word w = 0x55;
    seL4_Poll(d.ntfn, &w);
    KCHECK_EQ(w, 0); /* ...and nothing was delivered */
    /* The line is still asserted: unmasking it takes the interrupt right away. */
    KCHECK_EQ(seL4_IRQHandler_Ack(d.handler), seL4_NoError);
    seL4_Poll(d.ntfn, &w);
    KCHECK_EQ(w, 0x1);
    epit_stop(d.device);
}

KTEST(irq_rate, "IRQ0010",
      "the interrupt rate matches the programmed period: 10 EPIT2 periods of 6600 ticks "
      "measure 66000 GPT ticks (within 1%)")
{
    driver_t d;
    if (!driver_init(&d, IRQ_EPIT2, PADDR_EPIT2, DEVICE_VADDR, 0x2))
        return;
    seL4_Word gpt = map_device(PADDR_GPT, DEVICE_VADDR + 0x1000);
    if (!gpt)
        return;
    gpt_start(gpt, 0);
    epit_start(d.device, PERIOD_TICKS, true);
    seL4_Word stamp[11];
    int n;
    for (n = 0; n < 11; n++) {
        if (driver_wait(&d) != 0x2)
            break;
        stamp[n] = *reg(gpt, GPT_CNT);
        *reg(d.device, EPIT_SR) = 1;
        seL4_IRQHandler_Ack(d.handler);
    }
    epit_stop(d.device);
    gpt_stop(gpt);
    KREQUIRE_EQ(n, 11);
    seL4_Word total = stamp[10] - stamp[0];
    printf("  10 periods: %u GPT ticks (expected %u)\n", total, 10 * PERIOD_TICKS);
    KCHECK(total >= 10 * PERIOD_TICKS * 99 / 100 && total <= 10 * PERIOD_TICKS * 101 / 100);
    for (int i = 1; i < 11; i++) {
        seL4_Word dt = stamp[i] - stamp[i - 1];
        KCHECK(dt >= PERIOD_TICKS * 95 / 100 && dt <= PERIOD_TICKS * 105 / 100);
    }
    /* And counted the other way: signals within a window of 20 periods. */
    gpt_start(gpt, 0);
    epit_start(d.device, PERIOD_TICKS, true);
    seL4_Word start = *reg(gpt, GPT_CNT);
    int count = 0;
    while (*reg(gpt, GPT_CNT) - start < 20 * PERIOD_TICKS) {
        seL4_Word w = 0;
        seL4_Poll(d.ntfn, &w);
        if (w == 0x2) {
            count++;
            *reg(d.device, EPIT_SR) = 1;
            seL4_IRQHandler_Ack(d.handler);
        }
    }
    epit_stop(d.device);
    gpt_stop(gpt);
    printf("  %d signals in 20 periods\n", count);
    KCHECK(count >= 19 && count <= 20);
}

KTEST(irq_gpt_signals, "IRQ0011",
      "GPT output-compare interrupts (IRQ 87) arrive at the programmed period, measured on "
      "EPIT2")
{
    driver_t d;
    if (!driver_init(&d, IRQ_GPT, PADDR_GPT, DEVICE_VADDR + 0x1000, 0x4))
        return;
    seL4_Word epit = map_device(PADDR_EPIT2, DEVICE_VADDR);
    if (!epit)
        return;
    epit_start(epit, 0xffffffffu, false); /* counts down from 2^32 - 2 */
    gpt_start(d.device, 2 * PERIOD_TICKS);
    seL4_Word stamp[6];
    int n;
    for (n = 0; n < 6; n++) {
        if (driver_wait(&d) != 0x4)
            break;
        stamp[n] = *reg(epit, EPIT_CNR);
        KCHECK_EQ(*reg(d.device, GPT_SR) & 1, 1);
        *reg(d.device, GPT_SR) = 1;
        seL4_IRQHandler_Ack(d.handler);
    }
    gpt_stop(d.device);
    epit_stop(epit);
    KREQUIRE_EQ(n, 6);
    seL4_Word total = stamp[0] - stamp[5]; /* EPIT counts down */
    printf("  5 periods: %u EPIT ticks (expected %u)\n", total, 10 * PERIOD_TICKS);
    KCHECK(total >= 10 * PERIOD_TICKS * 99 / 100 && total <= 10 * PERIOD_TICKS * 101 / 100);
}

KTEST(irq_clear, "IRQ0012",
      "after IRQHandler_Clear the line signals nothing; a new SetNotification and Ack resume "
      "delivery")
{
    driver_t d;
    if (!driver_init(&d, IRQ_EPIT2, PADDR_EPIT2, DEVICE_VADDR, 0x8))
        return;
    epit_start(d.device, PERIOD_TICKS, true);
    KCHECK_EQ(driver_wait(&d), 0x8);
    KCHECK_EQ(seL4_IRQHandler_Clear(d.handler), seL4_NoError);
    KCHECK_EQ(seL4_IRQHandler_Ack(d.handler), seL4_NoError);
    epit_wait_periods(d.device, 3);
    seL4_Word w = 0x55;
    seL4_Poll(d.ntfn, &w);
    KCHECK_EQ(w, 0);
    KCHECK_EQ(seL4_IRQHandler_SetNotification(d.handler, mint(d.ntfn, seL4_CanWrite, 0x10)),
              seL4_NoError);
    KCHECK_EQ(seL4_IRQHandler_Ack(d.handler), seL4_NoError);
    KCHECK_EQ(driver_wait(&d), 0x10);
    epit_stop(d.device);
}

KTEST(irq_handler_deleted, "IRQ0013",
      "deleting the IRQHandler cap masks and frees the line: no signals, and it can be issued "
      "again")
{
    driver_t d;
    if (!driver_init(&d, IRQ_EPIT2, PADDR_EPIT2, DEVICE_VADDR, 0x20))
        return;
    epit_start(d.device, PERIOD_TICKS, true);
    KCHECK_EQ(driver_wait(&d), 0x20);
    KCHECK_EQ(seL4_IRQHandler_Ack(d.handler), seL4_NoError);
    KCHECK_EQ(seL4_CNode_Delete(seL4_CapInitThreadCNode, d.handler, 32), seL4_NoError);
    /* Only a signal that was already on its way may be in the word; then silence. */
    seL4_Word w = 0;
    seL4_Poll(d.ntfn, &w);
    epit_wait_periods(d.device, 3);
    seL4_Poll(d.ntfn, &w);
    KCHECK_EQ(w, 0);
    KCHECK_EQ(get_irq(IRQ_EPIT2, d.handler), seL4_NoError);
    KCHECK_EQ(seL4_IRQHandler_SetNotification(d.handler, mint(d.ntfn, seL4_CanWrite, 0x40)),
              seL4_NoError);
    KCHECK_EQ(seL4_IRQHandler_Ack(d.handler), seL4_NoError);
    KCHECK_EQ(driver_wait(&d), 0x40);
    epit_stop(d.device);
}

/* A driver thread bound to the IRQ notification, serving an endpoint at the same time:
 * logs 0x1000 | word for signals and the badge for messages; after three, signals
 * drv_done. */
static volatile seL4_CPtr drv_ep, drv_handler, drv_done;
static volatile seL4_Word drv_device;

static void bound_driver(seL4_Word arg)
{
    (void)arg;
    for (int i = 0; i < 3; i++) {
        seL4_Word badge = 0;
        seL4_MessageInfo_t info = seL4_Recv(drv_ep, &badge);
        if (seL4_MessageInfo_get_label(info) == seL4_NotificationSignalLabel) {
            log_event(0x1000 | badge);
            *reg(drv_device, EPIT_SR) = 1;
            seL4_IRQHandler_Ack(drv_handler);
        } else {
            log_event(badge);
        }
    }
    seL4_Signal(drv_done);
}

KTEST(irq_bound_driver, "IRQ0014",
      "a driver bound to its IRQ notification takes interrupts and endpoint messages in one "
      "Recv loop")
{
    log_reset();
    seL4_CPtr done = ktest_object(seL4_NotificationObject, 0);
    driver_t d;
    if (!driver_init_dog(&d, IRQ_EPIT2, PADDR_EPIT2, DEVICE_VADDR, 0x80, done))
        return;
    drv_ep = ktest_object(seL4_EndpointObject, 0);
    drv_handler = d.handler;
    drv_device = d.device;
    drv_done = done;
    ktest_thread_t t;
    ktest_thread_create(&t, bound_driver, 0, 100, 0);
    KREQUIRE_EQ(seL4_TCB_BindNotification(t.tcb, d.ntfn), seL4_NoError);
    ktest_thread_start(&t);
    settle();
    seL4_Send(mint(drv_ep, seL4_AllRights, 0x5), seL4_MessageInfo_new(0, 0, 0, 0));
    epit_start(d.device, PERIOD_TICKS, true);
    seL4_Word w = 0;
    seL4_Wait(done, &w);
    epit_stop(d.device);
    KCHECK_EQ(w, 0); /* the driver's signal, not the watchdog's */
    KREQUIRE_EQ(log_count(), 3);
    KCHECK_EQ(log_at(0), 0x5);
    KCHECK_EQ(log_at(1), 0x1080);
    KCHECK_EQ(log_at(2), 0x1080);
}
