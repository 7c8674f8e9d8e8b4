/*
 * fmt: printf-style formatting for freestanding code (the kernel, the root server and
 * test images). No allocation, no libc. Supports %d %i %u %x %X %o %p %s %c %%, the
 * flags '-' and '0', a field width (number or '*'), a precision for %s, and the length
 * modifiers l, ll, z and h.
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>

typedef void (*fmt_putc_fn)(char c, void *arg);

/* Formats into `out`, one character at a time; returns the number of characters. */
int fmt_vformat(fmt_putc_fn out, void *arg, const char *fmt, va_list ap);

/* snprintf semantics: always NUL-terminates when size > 0; returns the full length. */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
