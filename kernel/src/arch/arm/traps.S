/*
 * Exception vectors and the user-context save/restore. These are the only assembly paths
 * besides boot; everything after the register save is C (c_handle_* in exceptions.c and
 * api/syscall.c).
 *
 * While a thread runs in user mode, SP_svc points just past the `cpsr` word of its saved
 * context (tcb->ctx.regs[FAULT_PC]). An exception stores the return pc and spsr there
 * with SRSDB, then the user r0-r14 below them with STMDB ^, and only then switches to the
 * kernel stack. The idle thread runs in SVC mode without touching SP, so an interrupt that
 * wakes it saves into the idle thread's context in exactly the same way.
 *
 * The kernel itself runs with interrupts masked. An abort or undefined instruction taken
 * from a privileged mode is a kernel bug: it goes to kernel_fault() on a small stack of
 * its own and never returns.
 */
#include <arch/arm/layout.h>

#define MODE_USR 0x10
#define MODE_SVC 0x13
#define MODE_ABT 0x17
#define MODE_UND 0x1b
#define REG_NEXT_PC 15
#define REG_CPSR 16
#define REG_FAULT_PC 17

    .section .text.vectors, "ax"
    .arm
    .align 5
    .global arm_vectors
arm_vectors:
    b       reset_vector
    b       undefined_entry
    b       svc_entry
    b       prefetch_abort_entry
    b       data_abort_entry
    b       reset_vector
    b       irq_entry
    b       fiq_entry

    .text
/* Save the user registers below the pc/cpsr pair just stored by SRSDB, then take the
 * kernel stack. Clobbers only SP_svc (which is reloaded on exit). */
.macro save_user_rest
    stmdb   sp, {r0-r14}^
.endm

.macro kernel_stack
    ldr     sp, =kernel_stack_top
.endm

/* Branch to \target when the exception came from a privileged mode (a kernel bug). */
.macro from_kernel_goto target
    push    {r0}
    mrs     r0, spsr
    and     r0, r0, #0x1f
    cmp     r0, #MODE_USR
    pop     {r0}
    bne     \target
.endm

svc_entry:
    srsdb   sp!, #MODE_SVC
    save_user_rest
    /* FAULT_PC = address of the svc instruction: 2 bytes back in Thumb, 4 in ARM. */
    ldr     r8, [sp, #4]            /* saved cpsr */
    tst     r8, #0x20
    subne   r9, lr, #2
    subeq   r9, lr, #4
    str     r9, [sp, #8]
    kernel_stack
    /* seL4_Call and seL4_ReplyRecv try the fastpath (api/fastpath.c) first. */
    cmn     r7, #1                  /* r7 == seL4_SysCall (-1)? */
    beq     c_fastpath_call
    cmn     r7, #2                  /* r7 == seL4_SysReplyRecv (-2)? */
    beq     c_fastpath_reply_recv
    mov     r2, r7                  /* syscall number; r0, r1 are still the user's */
    b       c_handle_syscall

irq_entry:
    sub     lr, lr, #4
    srsdb   sp!, #MODE_SVC          /* into the SVC bank: current context (user or idle) */
    cps     #MODE_SVC
    save_user_rest
    ldr     r9, [sp]                /* an interrupted thread restarts where it was */
    str     r9, [sp, #8]
    kernel_stack
    b       c_handle_interrupt

undefined_entry:
    from_kernel_goto kernel_undefined
    srsdb   sp!, #MODE_SVC
    cps     #MODE_SVC
    save_user_rest
    /* The undefined instruction: lr - 2 in Thumb, lr - 4 in ARM. Resume there too. */
    ldr     r8, [sp, #4]
    ldr     r9, [sp]
    tst     r8, #0x20
    subne   r9, r9, #2
    subeq   r9, r9, #4
    str     r9, [sp]
    str     r9, [sp, #8]
    kernel_stack
    b       c_handle_undefined

/* An abort: lr less \adjust is the aborting instruction, where the thread restarts
 * (NEXT_PC and FAULT_PC both). From a privileged mode it is a kernel bug. */
.macro abort_entry adjust, kernel_target, c_handler
    sub     lr, lr, #\adjust
    from_kernel_goto \kernel_target
    srsdb   sp!, #MODE_SVC
    cps     #MODE_SVC
    save_user_rest
    ldr     r9, [sp]
    str     r9, [sp, #8]
    kernel_stack
    b       \c_handler
.endm

prefetch_abort_entry:
    abort_entry 4, kernel_prefetch_abort, c_handle_prefetch_abort

data_abort_entry:
    abort_entry 8, kernel_data_abort, c_handle_data_abort

fiq_entry:
reset_vector:
    mov     r0, #0
    b       kernel_bad_vector

/* Kernel faults: r0-r12, the faulting pc (lr, already adjusted) and spsr onto the
 * exception mode's own stack, then kernel_fault(kind, frame). */
.macro kernel_fault_entry kind
    push    {r0-r12, lr}
    mrs     r0, spsr
    push    {r0}
    mov     r0, #\kind
    mov     r1, sp
    bl      kernel_fault
.endm

kernel_undefined:
    sub     lr, lr, #4
    kernel_fault_entry 1
kernel_prefetch_abort:
    kernel_fault_entry 2
kernel_data_abort:
    kernel_fault_entry 3
kernel_bad_vector:
    kernel_fault_entry 0

/*
 * restore_user_context(user_context_t *ctx): return to a thread. Leaves SP_svc pointing
 * past ctx->regs[CPSR] for the next exception entry.
 */
    .global restore_user_context
restore_user_context:
    mov     sp, r0
    ldmia   sp, {r0-r14}^
    nop
    add     sp, sp, #(REG_NEXT_PC * 4)
    rfeia   sp!

/* The idle thread: runs in SVC mode with interrupts enabled and never uses the stack. */
    .global idle_thread_loop
idle_thread_loop:
    dsb
    wfi
    b       idle_thread_loop
