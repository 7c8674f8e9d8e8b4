/* Kernel initialisation: the root task and its boot information. */
#pragma once

#include <types.h>

/* Called by head.S with the MMU on, on the kernel stack. */
NORETURN void init_kernel(word_t ram_bytes);

/* Global-timer count when the kernel was entered was zero (head.S starts the timer);
 * this is the count when the root task was about to run. */
extern uint64_t boot_done_ticks;
