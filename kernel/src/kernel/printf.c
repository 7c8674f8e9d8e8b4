#include <kernel/printf.h>
#include <drivers/serial.h>
#include <fmt/fmt.h>

static void console_putc(char c, void *arg)
{
    (void)arg;
    serial_putc(c);
}

int kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vformat(console_putc, NULL, fmt, ap);
    va_end(ap);
    return n;
}

void kputs(const char *s)
{
    while (*s)
        serial_putc(*s++);
}
