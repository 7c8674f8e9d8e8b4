/* The kernel tick (EPIT1) and the free-running cycle clock (A9 global timer). */
#pragma once

#include <types.h>

void tick_timer_init(word_t period_us);
void tick_timer_ack(void);
void global_timer_init(void);
/* 64-bit count at 100 MHz: under icount shift=0 one count is 10 guest instructions. */
uint64_t global_timer_read(void);
