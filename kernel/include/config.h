/*
 * Kernel configuration. Two build variants share the sources:
 *   CONFIG_DEBUG   asserts, error messages, debug syscalls, fault reports;
 *   release        none of those on any path.
 * CONFIG_TEST_EXIT (test images) adds the call that ends QEMU with a status.
 */
#pragma once

/* Root CNode: 2^12 slots, as seL4's default. */
#define CONFIG_ROOT_CNODE_SIZE_BITS 12
/* Kernel tick period in microseconds and the round-robin timeslice in ticks. */
#define CONFIG_TICK_US         1000
#define CONFIG_TIMESLICE_TICKS 5
/* Kernel stack size (one CPU). */
#define CONFIG_KERNEL_STACK_BITS 13
/* Longest debug name of a thread, with its NUL. */
#define CONFIG_THREAD_NAME_LEN 24
