/* The kernel console: polled transmit on the board's console UART. */
#pragma once

void serial_init(void);
void serial_putc(char c);
