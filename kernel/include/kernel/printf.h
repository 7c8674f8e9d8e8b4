/* Kernel console output. */
#pragma once

#include <types.h>
#include <config.h>

int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kputs(const char *s);

/* Error and report lines that exist only in debug builds. */
#ifdef CONFIG_DEBUG
#define debug_printf(...) kprintf(__VA_ARGS__)
#else
#define debug_printf(...) ((void)0)
#endif
