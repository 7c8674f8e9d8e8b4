/*
 * Stopping the machine. Test images end QEMU through semihosting SYS_EXIT_EXTENDED, which
 * QEMU only honours from a privileged mode (user code cannot reach it: an `svc 0x123456`
 * from user mode is an ordinary SVC, i.e. an UnknownSyscall fault).
 */
#include <kernel/panic.h>
#include <kernel/printf.h>
#include <arch/arm/machine.h>
#include <fmt/fmt.h>

#define SEMIHOSTING_SYS_EXIT_EXTENDED 0x20
#define ADP_STOPPED_APPLICATION_EXIT  0x20026

NORETURN void machine_halt(int status)
{
#ifdef CONFIG_TEST_EXIT
    static word_t block[2];
    block[0] = ADP_STOPPED_APPLICATION_EXIT;
    block[1] = (word_t)status;
    register word_t op __asm__("r0") = SEMIHOSTING_SYS_EXIT_EXTENDED;
    register word_t arg __asm__("r1") = (word_t)block;
    __asm__ volatile("svc 0x123456" ::"r"(op), "r"(arg) : "memory");
#else
    (void)status;
#endif
    __asm__ volatile("cpsid aif");
    for (;;)
        wfi();
}

NORETURN void panic(const char *fmt, ...)
{
    va_list ap;
    kputs("\nKERNEL PANIC: ");
    va_start(ap, fmt);
    char buf[200];
    fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    kputs(buf);
    kputs("\n");
    machine_halt(99);
}
