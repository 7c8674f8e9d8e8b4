/* Kernel basic types. The kernel is freestanding C: no libc, no allocator. */
#pragma once

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <sel4/simple_types.h>

typedef unsigned int word_t;
typedef signed int sword_t;
typedef word_t paddr_t; /* physical address */
typedef word_t vptr_t;  /* user virtual address */
typedef word_t pptr_t;  /* kernel virtual address (in the kernel window) */
typedef word_t cptr_t;

#define BIT(n)           (1u << (n))
#define MASK(n)          (BIT(n) - 1u)
#define ROUND_DOWN(x, n) ((x) & ~MASK(n))
#define ROUND_UP(x, n)   (((x) + MASK(n)) & ~MASK(n))
#define IS_ALIGNED(x, n) (((x)&MASK(n)) == 0)
#define ARRAY_SIZE(a)    (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)        ((a) < (b) ? (a) : (b))
#define MAX(a, b)        ((a) > (b) ? (a) : (b))

#define UNUSED       __attribute__((unused))
#define NORETURN     __attribute__((noreturn))
#define PACKED       __attribute__((packed))
#define ALIGN(n)     __attribute__((aligned(n)))
#define SECTION(s)   __attribute__((section(s)))
#define likely(x)    __builtin_expect(!!(x), 1)
#define unlikely(x)  __builtin_expect(!!(x), 0)
#define FORCE_INLINE __attribute__((always_inline)) inline

#define STATIC_ASSERT(name, cond) _Static_assert(cond, #name)
