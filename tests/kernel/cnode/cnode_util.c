/* Helpers of the cnode suite (see cnode_util.h). */
#include "cnode_util.h"

volatile seL4_Word progress[16];
volatile seL4_Word touched;
volatile seL4_Word reply_label, reply_mr0;

/* ------------------------------------------------------------------ error checks --- */

/* The reply's first message registers, read before anything overwrites them. */
typedef struct {
    seL4_Word mr[5];
} reply_mrs_t;

static reply_mrs_t reply_mrs(void)
{
    reply_mrs_t r;
    for (int i = 0; i < 5; i++)
        r.mr[i] = seL4_GetMR(i);
    return r;
}

#define FAIL_IF(cond, ...)                                                                         \
    do {                                                                                           \
        if (cond)                                                                                  \
            ktest_fail(file, line, __VA_ARGS__);                                                   \
    } while (0)

static void expect_word(const char *file, int line, const char *what, seL4_Word got, seL4_Word want)
{
    FAIL_IF(got != want, "%s == %u (0x%x), expected %u (0x%x)", what, got, got, want, want);
}

/* Checks the returned code and the error KeelGetError recorded; false if the code is
 * wrong (the detail is then meaningless). */
static bool expect_code(const char *file, int line, seL4_Error got, seL4_Error want,
                        ktest_error_t *e)
{
    if (got != want) {
        ktest_fail(file, line, "returned error %d, expected %d", got, want);
        return false;
    }
    ktest_get_error(e);
    expect_word(file, line, "KeelGetError error", e->error, want);
    return true;
}

void check_error_plain(const char *file, int line, seL4_Error got, seL4_Error want)
{
    ktest_error_t e;
    expect_code(file, line, got, want, &e);
}

void check_error_range(const char *file, int line, seL4_Error got, seL4_Word min, seL4_Word max)
{
    reply_mrs_t r = reply_mrs();
    ktest_error_t e;
    if (!expect_code(file, line, got, seL4_RangeError, &e))
        return;
    expect_word(file, line, "reply MR0 (range min)", r.mr[0], min);
    expect_word(file, line, "reply MR1 (range max)", r.mr[1], max);
    expect_word(file, line, "KeelGetError rangeMin", e.range_min, min);
    expect_word(file, line, "KeelGetError rangeMax", e.range_max, max);
}

void check_error_argument(const char *file, int line, seL4_Error got, seL4_Word argno)
{
    reply_mrs_t r = reply_mrs();
    ktest_error_t e;
    if (!expect_code(file, line, got, seL4_InvalidArgument, &e))
        return;
    expect_word(file, line, "reply MR0 (argument)", r.mr[0], argno);
    expect_word(file, line, "KeelGetError argument", e.argument, argno);
}

void check_error_memory(const char *file, int line, seL4_Error got, seL4_Word left)
{
    reply_mrs_t r = reply_mrs();
    ktest_error_t e;
    if (!expect_code(file, line, got, seL4_NotEnoughMemory, &e))
        return;
    expect_word(file, line, "reply MR0 (memory left)", r.mr[0], left);
    expect_word(file, line, "KeelGetError memoryLeft", e.memory_left, left);
}

void check_error_lookup(const char *file, int line, seL4_Error got, seL4_Word was_source,
                        seL4_Word type, seL4_Word bits_left, seL4_Word detail0, seL4_Word detail1)
{
    reply_mrs_t r = reply_mrs();
    ktest_error_t e;
    if (!expect_code(file, line, got, seL4_FailedLookup, &e))
        return;
    /* seL4's reply: MR0 source?, MR1 failure type, then its words (bits left, bits found
     * or guard found, guard size). */
    expect_word(file, line, "reply MR0 (was source)", r.mr[0], was_source);
    expect_word(file, line, "reply MR1 (lookup failure)", r.mr[1], type);
    if (type != seL4_InvalidRoot)
        expect_word(file, line, "reply MR2 (bits left)", r.mr[2], bits_left);
    if (type == seL4_DepthMismatch || type == seL4_GuardMismatch)
        expect_word(file, line, "reply MR3 (bits found / guard found)", r.mr[3], detail0);
    if (type == seL4_GuardMismatch)
        expect_word(file, line, "reply MR4 (guard size)", r.mr[4], detail1);
    expect_word(file, line, "KeelGetError failedLookupWasSource", e.failed_lookup_was_source,
                was_source);
    expect_word(file, line, "KeelGetError lookupFailureType", e.lookup_type, type);
    expect_word(file, line, "KeelGetError bitsLeft", e.bits_left, bits_left);
    expect_word(file, line, "KeelGetError lookupDetail[0]", e.detail0, detail0);
    expect_word(file, line, "KeelGetError lookupDetail[1]", e.detail1, detail1);
}

void check_invariants(const char *file, int line)
{
    seL4_Word v = seL4_KeelCheckInvariants();
    if (v != seL4_KeelInvariantsNotChecked && v != 0)
        ktest_fail(file, line, "%u kernel invariants violated", v);
}

/* -------------------------------------------------------------- objects and slots --- */

seL4_CPtr new_endpoint(void)
{
    return ktest_object(seL4_EndpointObject, 0);
}

seL4_CPtr new_notification(void)
{
    return ktest_object(seL4_NotificationObject, 0);
}

seL4_CPtr new_cnode(seL4_Word radix)
{
    return ktest_object(seL4_CapTableObject, radix);
}

seL4_CPtr mint_new(seL4_CPtr src, seL4_CapRights_t rights, seL4_Word badge)
{
    seL4_CPtr s = ktest_slot();
    seL4_Error err = seL4_CNode_Mint(ROOT, s, DEPTH, ROOT, src, DEPTH, rights, badge);
    if (err != seL4_NoError)
        ktest_fail(__FILE__, __LINE__, "mint of slot %u: error %d", src, err);
    return s;
}

seL4_CPtr copy_new(seL4_CPtr src)
{
    seL4_CPtr s = ktest_slot();
    seL4_Error err = seL4_CNode_Copy(ROOT, s, DEPTH, ROOT, src, DEPTH, seL4_AllRights);
    if (err != seL4_NoError)
        ktest_fail(__FILE__, __LINE__, "copy of slot %u: error %d", src, err);
    return s;
}

seL4_Word cap_type_at(seL4_CPtr cnode, seL4_Word index, seL4_Word depth)
{
    seL4_CPtr scratch = ktest_slot();
    if (seL4_CNode_Move(ROOT, scratch, DEPTH, cnode, index, depth) != seL4_NoError)
        return CT_NULL;
    seL4_Word type = seL4_DebugCapIdentify(scratch);
    if (seL4_CNode_Move(cnode, index, depth, ROOT, scratch, DEPTH) != seL4_NoError)
        ktest_fail(__FILE__, __LINE__, "moving a cap back into slot %u failed", index);
    return type;
}

typedef struct {
    seL4_Word first, count;
    uint8_t *types;
    seL4_CPtr done;
} identify_job_t;

static void identify_body(seL4_Word arg)
{
    identify_job_t *job = (identify_job_t *)arg;
    for (seL4_Word i = 0; i < job->count; i++)
        job->types[i] = (uint8_t)seL4_DebugCapIdentify(4096 + job->first + i);
    seL4_Signal(job->done);
}

void identify_slots(seL4_CPtr cnode, seL4_Word radix, seL4_Word first, seL4_Word count,
                    uint8_t *types)
{
    /* top: radix 1 behind a 19-bit guard; top[0] the root CNode, top[1] `cnode`, each
     * with the guard that makes every path 32 bits long. */
    seL4_CPtr top = new_cnode(1);
    seL4_Error err = seL4_CNode_Mint(top, 0, 1, ROOT, ROOT, DEPTH, seL4_AllRights,
                                     seL4_CNode_CapData_new(0, 0).words[0]);
    if (err == seL4_NoError)
        err = seL4_CNode_Mint(top, 1, 1, ROOT, cnode, DEPTH, seL4_AllRights,
                              seL4_CNode_CapData_new(0, 12 - radix).words[0]);
    identify_job_t job = {first, count, types, new_notification()};
    ktest_thread_t t;
    ktest_thread_create(&t, identify_body, (seL4_Word)&job, seL4_MaxPrio, 0);
    if (err == seL4_NoError)
        err = seL4_TCB_SetSpace(t.tcb, 0, top, seL4_CNode_CapData_new(0, 19).words[0],
                                seL4_CapInitThreadVSpace, 0);
    if (err != seL4_NoError) {
        ktest_fail(__FILE__, __LINE__, "setting up the identifying thread: error %d", err);
        return;
    }
    ktest_thread_start(&t);
    seL4_Wait(job.done, NULL);
}

seL4_Word signal_badge(seL4_CPtr cap, seL4_CPtr poll)
{
    seL4_Word badge = 0;
    seL4_Signal(cap);
    seL4_Poll(poll, &badge);
    return badge;
}

seL4_Word send_badge(seL4_CPtr cap, seL4_CPtr recv)
{
    ktest_thread_t t;
    seL4_Word badge = 0;
    start_thread(&t, body_send, THREAD_ARG(cap, 15), 100, 0);
    seL4_Recv(recv, &badge);
    return badge;
}

void map_frame_at(seL4_CPtr frame, seL4_Word vaddr, seL4_CapRights_t rights)
{
    seL4_Error err = seL4_ARM_Page_Map(frame, seL4_CapInitThreadVSpace, vaddr, rights,
                                       seL4_ARM_Default_VMAttributes);
    if (err == seL4_FailedLookup) {
        seL4_CPtr pt = ktest_object(seL4_ARM_PageTableObject, 0);
        err = seL4_ARM_PageTable_Map(pt, seL4_CapInitThreadVSpace, vaddr & ~0xfffffu,
                                     seL4_ARM_Default_VMAttributes);
        if (err == seL4_NoError)
            err = seL4_ARM_Page_Map(frame, seL4_CapInitThreadVSpace, vaddr, rights,
                                    seL4_ARM_Default_VMAttributes);
    }
    if (err != seL4_NoError)
        ktest_fail(__FILE__, __LINE__, "mapping frame %u at %p: error %d", frame, (void *)vaddr,
                   err);
}

seL4_Word frame_paddr(seL4_CPtr frame)
{
    seL4_ARM_Page_GetAddress_t r = seL4_ARM_Page_GetAddress(frame);
    if (r.error != seL4_NoError)
        ktest_fail(__FILE__, __LINE__, "GetAddress of %u: error %d", frame, r.error);
    return r.paddr;
}

/* ------------------------------------------------------------------------ threads --- */

void start_thread(ktest_thread_t *t, void (*fn)(seL4_Word), seL4_Word arg, seL4_Word prio,
                  seL4_CPtr fault_ep)
{
    ktest_thread_create(t, fn, arg, prio, fault_ep);
    ktest_thread_start(t);
}

void let_run(seL4_Word prio)
{
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, prio - 1);
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, seL4_MaxPrio);
}

static uint8_t untyped_stacks[6][4096] __attribute__((aligned(16)));

static void untyped_trampoline(void (*fn)(seL4_Word), seL4_Word arg, seL4_CPtr tcb)
{
    fn(arg);
    seL4_TCB_Suspend(tcb);
}

seL4_CPtr thread_from_untyped(seL4_CPtr ut, void (*fn)(seL4_Word), seL4_Word arg, seL4_Word prio,
                              int stack, seL4_Word ipc_va)
{
    seL4_CPtr tcb = ktest_slot(), ipc = ktest_slot();
    seL4_Error err = seL4_Untyped_Retype(ut, seL4_TCBObject, 0, ROOT, 0, 0, tcb, 1);
    if (err == seL4_NoError)
        err = seL4_Untyped_Retype(ut, seL4_ARM_SmallPageObject, 0, ROOT, 0, 0, ipc, 1);
    if (err == seL4_NoError) {
        map_frame_at(ipc, ipc_va, seL4_AllRights);
        err = seL4_TCB_Configure(tcb, 0, ROOT, 0, seL4_CapInitThreadVSpace, 0, ipc_va, ipc);
    }
    if (err == seL4_NoError)
        err = seL4_TCB_SetPriority(tcb, seL4_CapInitThreadTCB, prio);
    seL4_UserContext regs = {0};
    regs.pc = (seL4_Word)untyped_trampoline;
    regs.sp = (seL4_Word)&untyped_stacks[stack][4096];
    regs.r0 = (seL4_Word)fn;
    regs.r1 = arg;
    regs.r2 = tcb;
    regs.cpsr = 0x10;
    regs.tpidrurw = ipc_va;
    if (err == seL4_NoError)
        err = seL4_TCB_WriteRegisters(tcb, 1, 0, sizeof(regs) / sizeof(seL4_Word), &regs);
    if (err != seL4_NoError)
        ktest_fail(__FILE__, __LINE__, "making a thread from an Untyped: error %d", err);
    return tcb;
}

#define ARG_CAP(a) ((a)&0xffffu)
#define ARG_IDX(a) (((a) >> 16) & 15u)

void body_send(seL4_Word arg)
{
    seL4_SetMR(0, ARG_IDX(arg));
    seL4_Send(ARG_CAP(arg), seL4_MessageInfo_new(0x55, 0, 0, 1));
    progress[ARG_IDX(arg)]++;
}

void body_call(seL4_Word arg)
{
    seL4_SetMR(0, ARG_IDX(arg));
    seL4_MessageInfo_t info = seL4_Call(ARG_CAP(arg), seL4_MessageInfo_new(0x66, 0, 0, 1));
    reply_label = seL4_MessageInfo_get_label(info);
    reply_mr0 = seL4_GetMR(0);
    progress[ARG_IDX(arg)]++;
}

void body_recv(seL4_Word arg)
{
    seL4_Recv(ARG_CAP(arg), NULL);
    progress[ARG_IDX(arg)]++;
}

void body_wait(seL4_Word arg)
{
    seL4_Wait(ARG_CAP(arg), NULL);
    progress[ARG_IDX(arg)]++;
}

void body_spin(seL4_Word arg)
{
    for (;;)
        progress[ARG_IDX(arg)]++;
}

void body_read(seL4_Word vaddr)
{
    (void)*(volatile seL4_Word *)vaddr;
    touched = 1;
}

void body_write(seL4_Word vaddr)
{
    *(volatile seL4_Word *)vaddr = 0x5a5a5a5a;
    touched = 1;
}

fault_msg_t recv_fault(seL4_CPtr ep)
{
    fault_msg_t f;
    let_run(100);
    f.badge = 0;
    seL4_MessageInfo_t info = seL4_NBRecv(ep, &f.badge);
    f.label = seL4_MessageInfo_get_label(info);
    for (int i = 0; i < 8; i++)
        f.mr[i] = seL4_GetMR(i);
    return f;
}
