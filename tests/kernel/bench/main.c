/*
 * IPC benchmark: guest instructions per operation, measured as the real seL4 was on this
 * emulated board (QEMU -M sabrelite -smp 1 -m 1024M -icount shift=0,sleep=off): a
 * free-running GPT at 66 MHz (one tick = 15.15 instructions), 200 warm-up iterations,
 * then 10,000 timed. Runs on the release kernel (fastpath on, no error printing).
 *
 * CTest checks only that the benchmark completes and prints its table; the figures are a
 * target, not a test.
 */
#include "../lib/ktimer.h"

#define WARMUP     200
#define ITERATIONS 10000

/* ---- threads ---- */

static void echo_server(seL4_Word ep)
{
    seL4_Word badge, m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    seL4_MessageInfo_t info = seL4_RecvWithMRs(ep, &badge, &m0, &m1, &m2, &m3);
    for (;;)
        info = seL4_ReplyRecvWithMRs(ep, info, &badge, &m0, &m1, &m2, &m3);
}

static seL4_CPtr ntfn_ping, ntfn_pong;

static void pong(seL4_Word unused)
{
    (void)unused;
    for (;;) {
        seL4_Wait(ntfn_ping, NULL);
        seL4_Signal(ntfn_pong);
    }
}

/* A VSpace with the root task's image mapped at the same addresses (copies of its frame
 * caps), so a thread of the same program runs in another address space. */
static seL4_CPtr make_vspace(seL4_Word ipc_vaddr, seL4_CPtr ipc_frame)
{
    const seL4_BootInfo *bi = ktest_bootinfo;
    seL4_CPtr pd = ktest_object(seL4_ARM_PageDirectoryObject, 0);
    if (seL4_ARM_ASIDPool_Assign(seL4_CapInitThreadASIDPool, pd))
        return 0;
    seL4_Word mapped_pt = ~0u;
    seL4_Word v = 0x10000; /* the image's first page (libs/libsys/user.ld) */
    for (seL4_CPtr f = bi->userImageFrames.start; f < bi->userImageFrames.end; f++, v += 4096) {
        if ((v >> 20) != mapped_pt) {
            seL4_CPtr pt = ktest_object(seL4_ARM_PageTableObject, 0);
            if (seL4_ARM_PageTable_Map(pt, pd, v & ~0xfffffu, seL4_ARM_Default_VMAttributes))
                return 0;
            mapped_pt = v >> 20;
        }
        seL4_CPtr copy = ktest_slot();
        if (seL4_CNode_Copy(seL4_CapInitThreadCNode, copy, 32, seL4_CapInitThreadCNode, f, 32,
                            seL4_AllRights) ||
            seL4_ARM_Page_Map(copy, pd, v, seL4_AllRights, seL4_ARM_Default_VMAttributes))
            return 0;
    }
    seL4_CPtr pt = ktest_object(seL4_ARM_PageTableObject, 0);
    seL4_CPtr copy = ktest_slot();
    if (seL4_ARM_PageTable_Map(pt, pd, ipc_vaddr & ~0xfffffu, seL4_ARM_Default_VMAttributes) ||
        seL4_CNode_Copy(seL4_CapInitThreadCNode, copy, 32, seL4_CapInitThreadCNode, ipc_frame, 32,
                        seL4_AllRights) ||
        seL4_ARM_Page_Map(copy, pd, ipc_vaddr, seL4_AllRights, seL4_ARM_Default_VMAttributes))
        return 0;
    return pd;
}

/* Moves a test thread into VSpace `pd`. */
static int move_thread(ktest_thread_t *t, seL4_CPtr pd)
{
    return seL4_TCB_Configure(t->tcb, 0, seL4_CapInitThreadCNode, 0, pd, 0, (seL4_Word)t->ipc,
                              t->ipc_frame);
}

/* ---- measurements ---- */

typedef struct {
    const char *name;
    unsigned sel4, goal;
    unsigned measured_x100;
} row_t;

static unsigned time_calls(seL4_CPtr ep, seL4_Word words)
{
    seL4_MessageInfo_t info = seL4_MessageInfo_new(0, 0, 0, words);
    seL4_Word m0 = 1, m1 = 2, m2 = 3, m3 = 4;
    for (int i = 0; i < WARMUP; i++)
        seL4_CallWithMRs(ep, info, &m0, &m1, &m2, &m3);
    uint32_t start = ktimer_now();
    for (int i = 0; i < ITERATIONS; i++)
        seL4_CallWithMRs(ep, info, &m0, &m1, &m2, &m3);
    return ktimer_instructions_x100(ktimer_now() - start, ITERATIONS);
}

static unsigned time_notifications(void)
{
    for (int i = 0; i < WARMUP; i++) {
        seL4_Signal(ntfn_ping);
        seL4_Wait(ntfn_pong, NULL);
    }
    uint32_t start = ktimer_now();
    for (int i = 0; i < ITERATIONS; i++) {
        seL4_Signal(ntfn_ping);
        seL4_Wait(ntfn_pong, NULL);
    }
    return ktimer_instructions_x100(ktimer_now() - start, ITERATIONS);
}

static unsigned time_yield(void)
{
    for (int i = 0; i < WARMUP; i++)
        seL4_Yield();
    uint32_t start = ktimer_now();
    for (int i = 0; i < ITERATIONS; i++)
        seL4_Yield();
    return ktimer_instructions_x100(ktimer_now() - start, ITERATIONS);
}

static unsigned time_empty_loop(void)
{
    uint32_t start = ktimer_now();
    for (int i = 0; i < ITERATIONS; i++)
        __asm__ volatile("" ::: "memory");
    return ktimer_instructions_x100(ktimer_now() - start, ITERATIONS);
}

KTEST(bench_ipc, "BENCH0001", "IPC benchmark: instructions per operation (prints the table)")
{
    KREQUIRE_EQ(ktimer_start(), 0);
    row_t rows[] = {
        {"Call + ReplyRecv, 0 words, same address space", 436, 300, 0},
        {"Call + ReplyRecv, 0 words, cross address space", 436, 300, 0},
        {"Call + ReplyRecv, 4 words", 470, 330, 0},
        {"Call + ReplyRecv, 8 words (seL4's slow path)", 1625, 800, 0},
        {"notification round trip (Signal + Wait each way)", 1867, 900, 0},
        {"seL4_Yield, nothing else runnable", 282, 200, 0},
    };

    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    ktest_thread_t same, cross, ponger;
    ktest_thread_create(&same, echo_server, ep, seL4_MaxPrio, 0);
    ktest_thread_start(&same);
    rows[0].measured_x100 = time_calls(ep, 0);
    rows[2].measured_x100 = time_calls(ep, 4);
    rows[3].measured_x100 = time_calls(ep, 8);
    KREQUIRE_EQ(seL4_TCB_Suspend(same.tcb), seL4_NoError);

    seL4_CPtr ep2 = ktest_object(seL4_EndpointObject, 0);
    ktest_thread_create(&cross, echo_server, ep2, seL4_MaxPrio, 0);
    seL4_CPtr pd = make_vspace((seL4_Word)cross.ipc, cross.ipc_frame);
    KCHECK(pd != 0);
    KREQUIRE_EQ(move_thread(&cross, pd), seL4_NoError);
    ktest_thread_start(&cross);
    rows[1].measured_x100 = time_calls(ep2, 0);
    KREQUIRE_EQ(seL4_TCB_Suspend(cross.tcb), seL4_NoError);

    ntfn_ping = ktest_object(seL4_NotificationObject, 0);
    ntfn_pong = ktest_object(seL4_NotificationObject, 0);
    ktest_thread_create(&ponger, pong, 0, seL4_MaxPrio, 0);
    ktest_thread_start(&ponger);
    rows[4].measured_x100 = time_notifications();
    KREQUIRE_EQ(seL4_TCB_Suspend(ponger.tcb), seL4_NoError);

    rows[5].measured_x100 = time_yield();
    unsigned loop = time_empty_loop();

    printf("\nKeel IPC benchmark: guest instructions per operation (QEMU icount, GPT at 66 MHz,\n"
           "%d warm-up + %d timed iterations; user instructions included)\n\n",
           WARMUP, ITERATIONS);
    printf("| %-50s | %9s | %6s | %6s |\n", "operation", "Keel", "seL4", "goal");
    printf("|%s|-----------|--------|--------|\n",
           "----------------------------------------------------");
    for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        unsigned m = rows[i].measured_x100;
        printf("| %-50s | %5u.%02u%s | %6u | %6u |\n", rows[i].name, m / 100, m % 100,
               m <= rows[i].goal * 100 ? " " : "*", rows[i].sel4, rows[i].goal);
        KCHECK(m > 0);
    }
    printf("\n(* = above the goal; an empty timing loop costs %u.%02u per iteration)\n\n",
           loop / 100, loop % 100);
}
