/*
 * C side of the exception vectors (traps.S): user faults become seL4 faults for the
 * thread's handler, interrupts go to the IRQ layer, and kernel faults panic with a report.
 */
#include <kernel/thread.h>
#include <kernel/printf.h>
#include <kernel/panic.h>
#include <kernel/vfp.h>
#include <kernel/symbols.h>
#include <api/faults.h>
#include <object/irq.h>
#include <drivers/irq.h>
#include <arch/arm/machine.h>
#include <arch/arm/layout.h>

/* DFSR/IFSR fault status: FS[4] is bit 10, FS[3:0] bits 3..0. */
static word_t fault_status(word_t fsr)
{
    return ((fsr >> 6) & 0x10u) | (fsr & 0xfu);
}
#define FS_ALIGNMENT 0x01u

NORETURN void c_handle_undefined(void)
{
    tcb_t *t = cur_thread;
    if (!vfp_handle_undefined(t)) {
        word_t pc = t->ctx.regs[FAULT_PC];
        word_t code = 0;
        /* The instruction itself, read through the user's own mapping (ATS1CUR-checked). */
        write_ats1cur(pc);
        isb();
        if (!(read_par() & 1u)) {
            if (t->ctx.regs[CPSR] & CPSR_THUMB)
                code = *(volatile uint16_t *)pc;
            else
                code = *(volatile uint32_t *)pc;
        }
        fault_set_user_exception(t, seL4_UserException_UndefinedInstruction, code);
        handle_fault(t);
    } else {
        /* Retry the VFP instruction now that the unit holds this thread's registers. */
        t->ctx.regs[NEXT_PC] = t->ctx.regs[FAULT_PC];
    }
    schedule();
    activate_and_return();
}

NORETURN void c_handle_prefetch_abort(void)
{
    tcb_t *t = cur_thread;
    fault_set_vm(t, read_ifar(), read_ifsr(), true);
    handle_fault(t);
    schedule();
    activate_and_return();
}

NORETURN void c_handle_data_abort(void)
{
    tcb_t *t = cur_thread;
    word_t fsr = read_dfsr();
    if (fault_status(fsr) == FS_ALIGNMENT)
        fault_set_user_exception(t, seL4_UserException_AlignmentFault, fsr);
    else
        fault_set_vm(t, read_dfar(), fsr, false);
    handle_fault(t);
    schedule();
    activate_and_return();
}

NORETURN void c_handle_interrupt(void)
{
    word_t irq = irq_get_active();
    if (irq != IRQ_NONE)
        irq_handle(irq);
    schedule();
    activate_and_return();
}

static const char *const kernel_fault_kind[] = {"bad vector", "undefined instruction",
                                                "prefetch abort", "data abort"};

/*
 * A fault in kernel mode: a kernel bug. `frame` holds spsr, r0-r12 and the faulting pc
 * (pushed by traps.S on the exception mode's stack).
 */
NORETURN void kernel_fault(word_t kind, word_t *frame)
{
    word_t spsr = frame[0];
    word_t *r = &frame[1];
    word_t pc = frame[14];
    word_t off = 0;
    const char *fn = ksym_lookup(pc, &off);
    kprintf("\nKERNEL FAULT: %s at pc %p <%s+0x%x> (mode 0x%x)\n", kernel_fault_kind[kind & 3],
            (void *)pc, fn ? fn : "?", off, spsr & CPSR_MODE_MASK);
    if (kind == 3)
        kprintf("  DFSR %08x DFAR %08x\n", read_dfsr(), read_dfar());
    if (kind == 2)
        kprintf("  IFSR %08x IFAR %08x\n", read_ifsr(), read_ifar());
    for (int i = 0; i < 13; i++)
        kprintf("  r%-2d %08x%s", i, r[i], (i % 4 == 3) ? "\n" : "");
    kprintf("\n  spsr %08x, current thread \"%s\"\n", spsr, cur_thread ? cur_thread->name : "");
    panic("kernel fault");
}
