/* i.MX UART transmit, polled. QEMU and U-Boot leave the UART enabled; we only wait for
 * TRDY (transmitter ready) before each character. */
#include <drivers/serial.h>
#include <arch/arm/layout.h>

#define UART_UTXD 0x40
#define UART_USR1 0x94
#define USR1_TRDY (1u << 13)

static inline volatile uint32_t *uart_reg(word_t off)
{
    return (volatile uint32_t *)(KDEV(PHYS_CONSOLE_UART) + off);
}

void serial_init(void)
{
}

void serial_putc(char c)
{
    if (c == '\n')
        serial_putc('\r');
    while (!(*uart_reg(UART_USR1) & USR1_TRDY))
        ;
    *uart_reg(UART_UTXD) = (uint32_t)(unsigned char)c;
}
