/*
 * VFP/NEON state per thread (d0-d31 and FPSCR), switched lazily by the kernel: no thread
 * ever sees another's registers, across yields, preemption and thread deletion.
 */
#include "tt.h"

typedef struct {
    uint64_t d[32];
    seL4_Word fpscr;
} vfp_regs_t;

/*
 * vfp_hold(in, out, n): loads d0-d31 and FPSCR from *in, yields n times, stores them to
 * *out. vfp_spin(in, out, n, progress): the same with n busy iterations instead of yields
 * (each stores its count to *progress), so the thread is preempted by the tick.
 * vfp_save_now(out): stores the current registers. Callee-saved registers (r4-r11,
 * d8-d15) are preserved for the C caller, except by vfp_load_now(in), which loads all
 * registers for good: only the last thing a thread does before it stops.
 */
__asm__(".text\n.arm\n.fpu neon\n"
        ".global vfp_hold\nvfp_hold:\n"
        "    push {r4-r8, lr}\n    vpush {d8-d15}\n"
        "    mov r8, r1\n    mov r6, r2\n"
        "    vldmia r0!, {d0-d15}\n    vldmia r0!, {d16-d31}\n    ldr r1, [r0]\n"
        "    vmsr fpscr, r1\n"
        "1:  cmp r6, #0\n    beq 2f\n"
        "    mvn r7, #6\n    svc #0\n" /* seL4_Yield */
        "    sub r6, r6, #1\n    b 1b\n"
        "2:  mov r0, r8\n    vstmia r0!, {d0-d15}\n    vstmia r0!, {d16-d31}\n"
        "    vmrs r1, fpscr\n    str r1, [r0]\n"
        "    vpop {d8-d15}\n    pop {r4-r8, pc}\n"
        ".global vfp_spin\nvfp_spin:\n"
        "    push {r4-r8, lr}\n    vpush {d8-d15}\n"
        "    mov r8, r1\n    mov r6, r2\n"
        "    vldmia r0!, {d0-d15}\n    vldmia r0!, {d16-d31}\n    ldr r1, [r0]\n"
        "    vmsr fpscr, r1\n"
        "    mov r4, #0\n"
        "3:  cmp r4, r6\n    beq 4f\n    add r4, r4, #1\n    str r4, [r3]\n    b 3b\n"
        "4:  mov r0, r8\n    vstmia r0!, {d0-d15}\n    vstmia r0!, {d16-d31}\n"
        "    vmrs r1, fpscr\n    str r1, [r0]\n"
        "    vpop {d8-d15}\n    pop {r4-r8, pc}\n"
        ".global vfp_load_now\nvfp_load_now:\n"
        "    vldmia r0!, {d0-d15}\n    vldmia r0!, {d16-d31}\n"
        "    ldr r1, [r0]\n    vmsr fpscr, r1\n    bx lr\n"
        ".global vfp_save_now\nvfp_save_now:\n"
        "    vstmia r0!, {d0-d15}\n    vstmia r0!, {d16-d31}\n"
        "    vmrs r1, fpscr\n    str r1, [r0]\n    bx lr\n");
void vfp_hold(const vfp_regs_t *in, vfp_regs_t *out, seL4_Word yields);
void vfp_spin(const vfp_regs_t *in, vfp_regs_t *out, seL4_Word iterations,
              volatile seL4_Word *progress);
void vfp_save_now(vfp_regs_t *out);
void vfp_load_now(const vfp_regs_t *in);

/* FPSCR values with NZCV, DN, FZ, rounding mode and cumulative flags: no traps, no
 * vector length. */
static const seL4_Word fpscr_patterns[4] = {0xf3c0009fu, 0x50400011u, 0xa2800004u, 0x0100008au};

static void make_pattern(vfp_regs_t *r, seL4_Word seed)
{
    for (int i = 0; i < 32; i++)
        r->d[i] = ((uint64_t)(0xd0000000u | seed << 16 | (seL4_Word)i) << 32) |
                  (seed * 0x01010101u ^ (seL4_Word)i * 0x11111111u);
    r->fpscr = fpscr_patterns[seed % 4];
}

/* Counts the registers of `got` that differ from `want`. */
static int vfp_diff(const vfp_regs_t *got, const vfp_regs_t *want)
{
    int bad = 0;
    for (int i = 0; i < 32; i++)
        bad += got->d[i] != want->d[i];
    return bad + (got->fpscr != want->fpscr);
}

typedef struct {
    vfp_regs_t in, out;
    seL4_Word count;
    volatile seL4_Word progress;
    volatile seL4_Word other_progress_at_end; /* the partner's progress when this ended */
    volatile seL4_Word *partner_progress;
    volatile seL4_Word done;
} vfp_job_t;

static vfp_job_t jobs[3];

static void hold_job(seL4_Word j)
{
    vfp_hold(&jobs[j].in, &jobs[j].out, jobs[j].count);
    jobs[j].done = 1;
}

static void spin_job(seL4_Word j)
{
    vfp_spin(&jobs[j].in, &jobs[j].out, jobs[j].count, &jobs[j].progress);
    jobs[j].other_progress_at_end = *jobs[j].partner_progress;
    jobs[j].done = 1;
}

static void load_job(seL4_Word j)
{
    vfp_load_now(&jobs[j].in);
    jobs[j].done = 1;
}

static void save_job(seL4_Word j)
{
    vfp_save_now(&jobs[j].out);
    jobs[j].done = 1;
}

static void prepare(int j, seL4_Word seed, seL4_Word count)
{
    make_pattern(&jobs[j].in, seed);
    for (int i = 0; i < 32; i++)
        jobs[j].out.d[i] = 0x5555555555555555ull;
    jobs[j].out.fpscr = 0x5555;
    jobs[j].count = count;
    jobs[j].progress = 0;
    jobs[j].done = 0;
}

KTEST(vfp_fpscr_bits, "TCB0060",
      "a thread's FPSCR keeps the flag, mode and cumulative bits it sets (the reference for "
      "the other VFP cases)")
{
    tt_thread_t t;
    tt_thread(&t, 100, 0);
    for (seL4_Word seed = 0; seed < 4; seed++) {
        prepare(0, seed, 0);
        tt_start(&t, hold_job, 0, 0, 0, 0);
        tt_run_others();
        KCHECK_EQ(jobs[0].done, 1);
        KCHECK_EQ(vfp_diff(&jobs[0].out, &jobs[0].in), 0);
        KCHECK_EQ(jobs[0].out.fpscr, fpscr_patterns[seed]);
    }
}

KTEST(vfp_two_threads_yield, "TCB0061",
      "two threads with their own d0-d31 and FPSCR yield to each other 500 times each and "
      "find their registers intact")
{
    tt_thread_t a, b;
    tt_thread(&a, 100, 0);
    tt_thread(&b, 100, 0);
    prepare(0, 1, 500);
    prepare(1, 2, 500);
    tt_start(&a, hold_job, 0, 0, 0, 0);
    tt_start(&b, hold_job, 1, 0, 0, 0);
    tt_run_others();
    KCHECK_EQ(jobs[0].done + jobs[1].done, 2);
    KCHECK_EQ(vfp_diff(&jobs[0].out, &jobs[0].in), 0);
    KCHECK_EQ(vfp_diff(&jobs[1].out, &jobs[1].in), 0);
}

KTEST(vfp_root_and_threads, "TCB0062",
      "the root task holds VFP values while two other threads use the unit in between")
{
    tt_thread_t a, b;
    tt_thread(&a, 100, 0);
    tt_thread(&b, 100, 0);
    prepare(0, 3, 200);
    prepare(1, 4, 200);
    prepare(2, 5, 300);
    tt_start(&a, hold_job, 0, 0, 0, 0);
    tt_start(&b, hold_job, 1, 0, 0, 0);
    /* The root task takes part at the same priority. */
    KREQUIRE_EQ(seL4_TCB_SetPriority(ROOT_TCB, ROOT_TCB, 100), seL4_NoError);
    vfp_hold(&jobs[2].in, &jobs[2].out, jobs[2].count);
    KREQUIRE_EQ(seL4_TCB_SetPriority(ROOT_TCB, ROOT_TCB, seL4_MaxPrio), seL4_NoError);
    tt_run_others();
    KCHECK_EQ(jobs[0].done + jobs[1].done, 2);
    KCHECK_EQ(vfp_diff(&jobs[2].out, &jobs[2].in), 0);
    KCHECK_EQ(vfp_diff(&jobs[0].out, &jobs[0].in), 0);
    KCHECK_EQ(vfp_diff(&jobs[1].out, &jobs[1].in), 0);
}

KTEST(vfp_new_thread_zero, "TCB0063",
      "a new thread sees d0-d31 and FPSCR zero, never another thread's values: neither "
      "while the last user lives nor after it was deleted or its memory reused")
{
    vfp_regs_t zero = {0};
    seL4_CPtr ut = ktest_untyped(12);
    seL4_CPtr slot = ktest_slot();
    KREQUIRE_EQ(seL4_Untyped_Retype(ut, seL4_TCBObject, 0, ROOT_CNODE, 0, 0, slot, 1),
                seL4_NoError);
    tt_thread_t a;
    tt_thread(&a, 100, 0);
    /* Give the untyped's TCB a VFP history, then use it as thread `old`. */
    seL4_CPtr old = slot;
    KREQUIRE_EQ(
        seL4_TCB_Configure(old, 0, ROOT_CNODE, 0, ROOT_VS, 0, (seL4_Word)a.ipc, a.ipc_frame),
        seL4_NoError);
    KREQUIRE_EQ(seL4_TCB_SetPriority(old, ROOT_TCB, 100), seL4_NoError);
    tt_thread_t o = a;
    o.tcb = old;
    prepare(0, 6, 0);
    tt_start(&o, hold_job, 0, 0, 0, 0);
    tt_run_others();
    KREQUIRE_EQ(jobs[0].done, 1);
    /* The unit still holds `old`'s registers: a new thread must not see them. */
    tt_thread_t n1;
    tt_thread(&n1, 100, 0);
    prepare(1, 0, 0);
    tt_start(&n1, save_job, 1, 0, 0, 0);
    tt_run_others();
    KCHECK_EQ(jobs[1].done, 1);
    KCHECK_EQ(vfp_diff(&jobs[1].out, &zero), 0);
    /* Load values again in `old`, delete it while it owns the unit, and reuse its memory. */
    prepare(0, 7, 0);
    tt_start(&o, hold_job, 0, 0, 0, 0);
    tt_run_others();
    KREQUIRE_EQ(jobs[0].done, 1);
    KREQUIRE_EQ(seL4_CNode_Revoke(ROOT_CNODE, ut, 32), seL4_NoError);
    KREQUIRE_EQ(seL4_Untyped_Retype(ut, seL4_TCBObject, 0, ROOT_CNODE, 0, 0, slot, 1),
                seL4_NoError);
    KREQUIRE_EQ(
        seL4_TCB_Configure(slot, 0, ROOT_CNODE, 0, ROOT_VS, 0, (seL4_Word)a.ipc, a.ipc_frame),
        seL4_NoError);
    KREQUIRE_EQ(seL4_TCB_SetPriority(slot, ROOT_TCB, 100), seL4_NoError);
    prepare(2, 0, 0);
    tt_start(&o, save_job, 2, 0, 0, 0);
    tt_run_others();
    KCHECK_EQ(jobs[2].done, 1);
    KCHECK_EQ(vfp_diff(&jobs[2].out, &zero), 0);
}

KTEST(vfp_preempted, "TCB0064",
      "two threads of equal priority spinning with VFP values are preempted by the tick "
      "in turn and keep their registers")
{
    tt_thread_t a, b;
    tt_thread(&a, 100, 0);
    tt_thread(&b, 100, 0);
    prepare(0, 8, 3000000);
    prepare(1, 9, 3000000);
    jobs[0].partner_progress = &jobs[1].progress;
    jobs[1].partner_progress = &jobs[0].progress;
    tt_start(&a, spin_job, 0, 0, 0, 0);
    tt_start(&b, spin_job, 1, 0, 0, 0);
    tt_run_others();
    KCHECK_EQ(jobs[0].done + jobs[1].done, 2);
    /* They interleaved: the first to end saw the other part-way. */
    seL4_Word seen = jobs[0].other_progress_at_end < jobs[1].other_progress_at_end
                         ? jobs[0].other_progress_at_end
                         : jobs[1].other_progress_at_end;
    printf("  the first thread to finish saw the other at %u of 3000000\n", seen);
    KCHECK(seen > 0 && seen < 3000000);
    KCHECK_EQ(vfp_diff(&jobs[0].out, &jobs[0].in), 0);
    KCHECK_EQ(vfp_diff(&jobs[1].out, &jobs[1].in), 0);
}

static void read_fpexc(seL4_Word unused)
{
    (void)unused;
    __asm__ volatile(".fpu neon\n.global fpexc_read\nfpexc_read:\n    vmrs r0, fpexc\n" ::: "r0");
}
extern char fpexc_read[];

KTEST(vfp_fpexc_privileged, "TCB0065",
      "FPEXC is the kernel's: a user read of it is an undefined-instruction fault, also for "
      "a thread that owns the VFP unit")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    tt_thread_t t;
    tt_thread(&t, 100, ep);
    /* Own the unit first. */
    prepare(0, 10, 0);
    tt_start(&t, hold_job, 0, 0, 0, 0);
    tt_run_others();
    KREQUIRE_EQ(jobs[0].done, 1);
    tt_start(&t, read_fpexc, 0, 0, 0, 0);
    KCHECK_EQ(tt_recv_label(ep, NULL), seL4_Fault_UserException);
    KCHECK_EQ(seL4_GetMR(seL4_UserException_FaultIP), (seL4_Word)fpexc_read);
    KCHECK_EQ(seL4_GetMR(seL4_UserException_Number), seL4_UserException_UndefinedInstruction);
    KCHECK_EQ(seL4_GetMR(seL4_UserException_Code), 0xeef80a10);
}

static volatile seL4_Word thumb_vfp_result;

/* Thumb code whose first VFP instruction (a 32-bit encoding) traps for the lazy switch. */
__attribute__((target("thumb"), noinline)) static void thumb_vfp_double(seL4_Word v)
{
    seL4_Word out;
    __asm__ volatile(".fpu neon\n"
                     "    vmov d5, %1, %1\n"
                     "    vadd.i32 d5, d5, d5\n"
                     "    vmov %0, s10\n"
                     : "=r"(out)
                     : "r"(v)
                     : "d5");
    thumb_vfp_result = out;
}

KTEST(vfp_thumb_first_use, "TCB0066",
      "a Thumb thread's first VFP instruction traps for the lazy switch and is restarted at "
      "its own address")
{
    seL4_CPtr ep = ktest_object(seL4_EndpointObject, 0);
    tt_thread_t a, t;
    tt_thread(&a, 100, 0);
    tt_thread(&t, 100, ep);
    /* Another thread owns the unit first. */
    prepare(0, 11, 0);
    tt_start(&a, load_job, 0, 0, 0, 0);
    tt_run_others();
    KREQUIRE_EQ(jobs[0].done, 1);
    thumb_vfp_result = 0;
    tt_start(&t, thumb_vfp_double, 0x1234, 0, 0, 0);
    tt_run_others();
    KCHECK_EQ(thumb_vfp_result, 0x2468);
    seL4_Word badge;
    KCHECK_EQ(seL4_NBRecv(ep, &badge).words[0], 0); /* no fault */
    /* The first thread's values survived. */
    prepare(1, 0, 0);
    tt_start(&a, save_job, 1, 0, 0, 0);
    tt_run_others();
    KCHECK_EQ(vfp_diff(&jobs[1].out, &jobs[0].in), 0);
}
