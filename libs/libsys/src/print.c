#include <sys/sys.h>
#include <fmt/fmt.h>

static void console_putc(char c, void *arg)
{
    (void)arg;
    seL4_DebugPutChar(c);
}

int vprintf(const char *fmt, va_list ap)
{
    return fmt_vformat(console_putc, NULL, fmt, ap);
}

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}

int puts(const char *s)
{
    while (*s)
        seL4_DebugPutChar(*s++);
    seL4_DebugPutChar('\n');
    return 0;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

/* Called by crt0 on the program's stack: the kernel (or the loading root server) has
 * already zeroed .bss. Sets the IPC buffer register and runs main. */
void sys_start(seL4_BootInfo *bi)
{
    seL4_SetIPCBuffer(bi->ipcBuffer);
    main(bi);
    /* A root task that returns has nothing left to do: it stops. */
    seL4_TCB_Suspend(seL4_CapInitThreadTCB);
}
