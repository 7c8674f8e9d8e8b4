/* elf_internal.h: helpers shared by libelf's source files (private). */
#pragma once

#include <elf/elf.h>

#include "elf_format.h"

/* True when [off, off + size) lies inside the file. 64-bit sums cannot overflow for 32-bit
 * fields, and size_t may be 32 bits on the target. */
static inline bool elf_in_file(const elf_file_t *f, uint64_t off, uint64_t size)
{
    return off <= f->len && size <= f->len - off;
}

static inline const uint8_t *elf_phdr(const elf_file_t *f, uint32_t i)
{
    return f->buf + f->phoff + (size_t)i * PHDR_SIZE;
}

static inline const uint8_t *elf_shdr(const elf_file_t *f, uint32_t i)
{
    return f->buf + f->shoff + (size_t)i * SHDR_SIZE;
}
