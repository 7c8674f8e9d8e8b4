/*
 * elf_format.h: the ELF32 on-disk layout, in one place (private to libelf).
 *
 * Fields are read byte by byte as little-endian, so the buffer needs no particular alignment and
 * the code is the same on any host. Callers must have bounds-checked the whole structure first:
 * these accessors do not check.
 */
#pragma once

#include <stdint.h>

/* Sizes of the three structures (e_ehsize, e_phentsize, e_shentsize, sh_entsize of .symtab). */
#define EHDR_SIZE 52u
#define PHDR_SIZE 32u
#define SHDR_SIZE 40u
#define SYM_SIZE  16u

/* e_ident, e_type, e_machine, e_flags, e_phnum */
#define EI_CLASS         4
#define EI_DATA          5
#define EI_VERSION       6
#define ELFCLASS32       1
#define ELFDATA2LSB      1
#define EV_CURRENT       1
#define ET_EXEC          2
#define EM_ARM           40
#define EF_ARM_EABIMASK  0xff000000u
#define EF_ARM_EABI_VER5 0x05000000u
#define PN_XNUM          0xffffu

/* p_type */
#define PT_NULL    0
#define PT_LOAD    1
#define PT_DYNAMIC 2
#define PT_INTERP  3

/* sh_type, special section indices */
#define SHT_NULL   0
#define SHT_SYMTAB 2
#define SHT_STRTAB 3
#define SHT_NOBITS 8
#define SHN_UNDEF  0

static inline uint32_t rd16(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static inline uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Elf32_Ehdr */
static inline uint32_t ehdr_get_type(const uint8_t *e)
{
    return rd16(e + 16);
}
static inline uint32_t ehdr_get_machine(const uint8_t *e)
{
    return rd16(e + 18);
}
static inline uint32_t ehdr_get_version(const uint8_t *e)
{
    return rd32(e + 20);
}
static inline uint32_t ehdr_get_entry(const uint8_t *e)
{
    return rd32(e + 24);
}
static inline uint32_t ehdr_get_phoff(const uint8_t *e)
{
    return rd32(e + 28);
}
static inline uint32_t ehdr_get_shoff(const uint8_t *e)
{
    return rd32(e + 32);
}
static inline uint32_t ehdr_get_flags(const uint8_t *e)
{
    return rd32(e + 36);
}
static inline uint32_t ehdr_get_ehsize(const uint8_t *e)
{
    return rd16(e + 40);
}
static inline uint32_t ehdr_get_phentsize(const uint8_t *e)
{
    return rd16(e + 42);
}
static inline uint32_t ehdr_get_phnum(const uint8_t *e)
{
    return rd16(e + 44);
}
static inline uint32_t ehdr_get_shentsize(const uint8_t *e)
{
    return rd16(e + 46);
}
static inline uint32_t ehdr_get_shnum(const uint8_t *e)
{
    return rd16(e + 48);
}
static inline uint32_t ehdr_get_shstrndx(const uint8_t *e)
{
    return rd16(e + 50);
}

/* Elf32_Phdr */
static inline uint32_t phdr_get_type(const uint8_t *p)
{
    return rd32(p + 0);
}
static inline uint32_t phdr_get_offset(const uint8_t *p)
{
    return rd32(p + 4);
}
static inline uint32_t phdr_get_vaddr(const uint8_t *p)
{
    return rd32(p + 8);
}
static inline uint32_t phdr_get_filesz(const uint8_t *p)
{
    return rd32(p + 16);
}
static inline uint32_t phdr_get_memsz(const uint8_t *p)
{
    return rd32(p + 20);
}
static inline uint32_t phdr_get_flags(const uint8_t *p)
{
    return rd32(p + 24);
}
static inline uint32_t phdr_get_align(const uint8_t *p)
{
    return rd32(p + 28);
}

/* Elf32_Shdr */
static inline uint32_t shdr_get_type(const uint8_t *s)
{
    return rd32(s + 4);
}
static inline uint32_t shdr_get_offset(const uint8_t *s)
{
    return rd32(s + 16);
}
static inline uint32_t shdr_get_size(const uint8_t *s)
{
    return rd32(s + 20);
}
static inline uint32_t shdr_get_link(const uint8_t *s)
{
    return rd32(s + 24);
}
static inline uint32_t shdr_get_entsize(const uint8_t *s)
{
    return rd32(s + 36);
}

/* Elf32_Sym */
static inline uint32_t sym_get_name(const uint8_t *s)
{
    return rd32(s + 0);
}
static inline uint32_t sym_get_value(const uint8_t *s)
{
    return rd32(s + 4);
}
static inline uint32_t sym_get_size(const uint8_t *s)
{
    return rd32(s + 8);
}
static inline uint32_t sym_get_type(const uint8_t *s)
{
    return s[12] & 0xfu;
}
static inline uint32_t sym_get_bind(const uint8_t *s)
{
    return s[12] >> 4;
}
static inline uint32_t sym_get_shndx(const uint8_t *s)
{
    return rd16(s + 14);
}
