/* The ktest runner and test environment (see ktest.h). */
#include "ktest.h"
#include <fmt/fmt.h>

extern const ktest_t __start_ktests[], __stop_ktests[];

seL4_BootInfo *ktest_bootinfo;

static seL4_CPtr pool; /* the largest RAM Untyped: every case allocates from it */
static seL4_Word pool_bits;
static seL4_CPtr first_slot; /* test slots start here */
static seL4_CPtr next_slot;
static seL4_Word next_vaddr;
static int case_failed;

#define TEST_VADDR_BASE 0x40000000u
#define MAX_THREADS     16
#define STACK_SIZE      16384
static uint8_t stacks[MAX_THREADS][STACK_SIZE] __attribute__((aligned(16)));
static int next_stack;

void ktest_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    case_failed = 1;
    printf("  %s:%d: ", file, line);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

seL4_CPtr ktest_slot(void)
{
    if (next_slot >= ktest_bootinfo->empty.end) {
        ktest_fail(__FILE__, __LINE__, "out of test slots");
        return 0;
    }
    return next_slot++;
}

seL4_CPtr ktest_object(seL4_Word type, seL4_Word size_bits)
{
    seL4_CPtr slot = ktest_slot();
    seL4_Error err =
        seL4_Untyped_Retype(pool, type, size_bits, seL4_CapInitThreadCNode, 0, 0, slot, 1);
    if (err != seL4_NoError)
        ktest_fail(__FILE__, __LINE__, "retype of type %u size %u: error %d", type, size_bits, err);
    return slot;
}

seL4_CPtr ktest_untyped(seL4_Word size_bits)
{
    return ktest_object(seL4_UntypedObject, size_bits);
}

/* Maps `frame` at `vaddr` in the root VSpace, making a page table if needed. */
static void map_frame(seL4_CPtr frame, seL4_Word vaddr)
{
    seL4_Error err = seL4_ARM_Page_Map(frame, seL4_CapInitThreadVSpace, vaddr, seL4_AllRights,
                                       seL4_ARM_Default_VMAttributes);
    if (err == seL4_FailedLookup) {
        seL4_CPtr pt = ktest_object(seL4_ARM_PageTableObject, 0);
        err = seL4_ARM_PageTable_Map(pt, seL4_CapInitThreadVSpace, vaddr & ~0xfffffu,
                                     seL4_ARM_Default_VMAttributes);
        if (err == seL4_NoError)
            err = seL4_ARM_Page_Map(frame, seL4_CapInitThreadVSpace, vaddr, seL4_AllRights,
                                    seL4_ARM_Default_VMAttributes);
    }
    if (err != seL4_NoError)
        ktest_fail(__FILE__, __LINE__, "mapping a test frame at %p: error %d", (void *)vaddr, err);
}

void *ktest_frame(seL4_CPtr *frame_cap)
{
    seL4_CPtr f = ktest_object(seL4_ARM_SmallPageObject, 0);
    seL4_Word v = next_vaddr;
    next_vaddr += 4096;
    map_frame(f, v);
    if (frame_cap)
        *frame_cap = f;
    return (void *)v;
}

/* First code of a test thread: r0 = fn, r1 = arg, r2 = its TCB. */
static void thread_trampoline(void (*fn)(seL4_Word), seL4_Word arg, seL4_CPtr tcb)
{
    fn(arg);
    seL4_TCB_Suspend(tcb);
}

void ktest_thread_create(ktest_thread_t *t, void (*fn)(seL4_Word), seL4_Word arg, seL4_Word prio,
                         seL4_CPtr fault_ep)
{
    if (next_stack == MAX_THREADS) {
        ktest_fail(__FILE__, __LINE__, "out of test thread stacks");
        return;
    }
    t->tcb = ktest_object(seL4_TCBObject, 0);
    t->ipc = ktest_frame(&t->ipc_frame);
    t->stack_top = &stacks[next_stack++][STACK_SIZE];
    seL4_Error err =
        seL4_TCB_Configure(t->tcb, fault_ep, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace,
                           0, (seL4_Word)t->ipc, t->ipc_frame);
    if (err == seL4_NoError)
        err = seL4_TCB_SetPriority(t->tcb, seL4_CapInitThreadTCB, prio);
    seL4_UserContext regs = {0};
    regs.pc = (seL4_Word)thread_trampoline;
    regs.sp = (seL4_Word)t->stack_top;
    regs.cpsr = 0x10;
    regs.r0 = (seL4_Word)fn;
    regs.r1 = arg;
    regs.r2 = t->tcb;
    regs.tpidrurw = (seL4_Word)t->ipc;
    if (err == seL4_NoError)
        err = seL4_TCB_WriteRegisters(t->tcb, 0, 0, sizeof(regs) / sizeof(seL4_Word), &regs);
    if (err != seL4_NoError)
        ktest_fail(__FILE__, __LINE__, "creating a test thread: error %d", err);
}

void ktest_thread_start(ktest_thread_t *t)
{
    seL4_Error err = seL4_TCB_Resume(t->tcb);
    if (err != seL4_NoError)
        ktest_fail(__FILE__, __LINE__, "resuming a test thread: error %d", err);
}

void ktest_get_error(ktest_error_t *e)
{
    seL4_KeelError k;
    seL4_KeelGetError(&k);
    e->error = k.error;
    e->argument = k.argument;
    e->range_min = k.rangeMin;
    e->range_max = k.rangeMax;
    e->failed_lookup_was_source = k.failedLookupWasSource;
    e->memory_left = k.memoryLeft;
    e->lookup_type = k.lookupFailureType;
    e->bits_left = k.bitsLeft;
    e->detail0 = k.lookupDetail[0];
    e->detail1 = k.lookupDetail[1];
    memcpy(e->message, k.message,
           sizeof(e->message) < sizeof(k.message) ? sizeof(e->message) : sizeof(k.message));
    e->message[sizeof(e->message) - 1] = 0;
}

/* Undoes a case: every object from the pool goes (threads stop, mappings vanish), and
 * any other cap the case left in a test slot is deleted. */
static void reset_environment(void)
{
    seL4_Error err = seL4_CNode_Revoke(seL4_CapInitThreadCNode, pool, seL4_WordBits);
    if (err != seL4_NoError)
        printf("ktest: revoking the pool failed: %d\n", err);
    for (seL4_CPtr s = first_slot; s < next_slot; s++)
        seL4_CNode_Delete(seL4_CapInitThreadCNode, s, seL4_WordBits);
    next_slot = first_slot;
    next_vaddr = TEST_VADDR_BASE;
    next_stack = 0;
}

__attribute__((weak)) seL4_Word ktest_pool_max_bits(void)
{
    return seL4_MaxUntypedBits;
}

seL4_CPtr ktest_pool(void)
{
    return pool;
}

static void find_pool(seL4_BootInfo *bi)
{
    pool_bits = 0;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[i];
        if (!d->isDevice && d->sizeBits > pool_bits && d->sizeBits <= ktest_pool_max_bits()) {
            pool_bits = d->sizeBits;
            pool = bi->untyped.start + i;
        }
    }
}

/* Weak hook: images may run set-up code before the cases (e.g. naming the root thread). */
__attribute__((weak)) void ktest_image_init(seL4_BootInfo *bi)
{
    (void)bi;
}

int main(seL4_BootInfo *bi)
{
    ktest_bootinfo = bi;
    find_pool(bi);
    first_slot = next_slot = bi->empty.start;
    next_vaddr = TEST_VADDR_BASE;
    seL4_DebugNameThread(seL4_CapInitThreadTCB, "ktest");
    ktest_image_init(bi);

    /* Cases run in the order of their IDs, whatever order the linker put them in. */
    static const ktest_t *order[512];
    int n = 0;
    for (const ktest_t *t = __start_ktests; t < __stop_ktests && n < 512; t++) {
        int i = n++;
        while (i > 0 && strcmp(order[i - 1]->id, t->id) > 0) {
            order[i] = order[i - 1];
            i--;
        }
        order[i] = t;
    }
    int passed = 0, failed = 0;
    for (int k = 0; k < n; k++) {
        const ktest_t *t = order[k];
        case_failed = 0;
        t->fn();
        reset_environment();
        seL4_Word broken = seL4_KeelCheckInvariants();
        if (broken && broken != seL4_KeelInvariantsNotChecked)
            ktest_fail(__FILE__, __LINE__, "%u kernel invariants violated after the case", broken);
        printf("KTEST %s %s %s\n", t->id, case_failed ? "FAIL" : "PASS", t->desc);
        if (case_failed)
            failed++;
        else
            passed++;
    }
    printf("ktest: %d passed, %d failed\n", passed, failed);
    seL4_KeelTestExit(failed ? 1 : 0);
    return 0;
}
