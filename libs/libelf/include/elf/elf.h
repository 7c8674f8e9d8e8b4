/*
 * elf.h: a validating, allocation-free reader for 32-bit little-endian ARM executables.
 *
 * The root server uses it to load the programs in the initrd; the same code is built for the host
 * (unit tests and fuzzers) and freestanding for the target, so it needs nothing beyond the three
 * freestanding headers below. The file stays in the caller's buffer: elf_file_t is a validated view
 * of it, and every pointer handed back points into that buffer.
 *
 * What elf_open() accepts (anything else is rejected with a specific elf_err_t):
 *   - ELFCLASS32, ELFDATA2LSB, EV_CURRENT, EM_ARM (40), EABI version 5 in e_flags;
 *   - ET_EXEC only. ET_DYN (PIE or shared object) is rejected: programs are loaded at their link
 *     addresses and there is no relocator. PT_INTERP and PT_DYNAMIC are rejected for the same reason;
 *   - every program header: file bytes inside the file, p_filesz <= p_memsz, p_vaddr + p_memsz not
 *     past 2^32, p_align 0 or a power of two; for PT_LOAD also p_vaddr == p_offset modulo p_align,
 *     ascending non-overlapping p_vaddr ranges, and at least one of them;
 *   - the section header table inside the file (or absent: e_shoff == 0 and e_shnum == 0), no
 *     extended numbering, e_shstrndx naming a string table, every section but SHT_NOBITS/SHT_NULL
 *     inside the file;
 *   - an entry point inside the file bytes of an executable PT_LOAD segment; bit 0 set means Thumb,
 *     otherwise the entry must be 4-byte aligned. The entry is kept exactly as stored.
 * The symbol table is only needed by the lookups, so it is checked by them, not by elf_open().
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    ELF_OK = 0,
    ELF_ERR_ARG,             /* a NULL pointer argument */
    ELF_ERR_TRUNCATED,       /* shorter than the 52-byte ELF header */
    ELF_ERR_MAGIC,           /* e_ident does not start with 0x7f 'E' 'L' 'F' */
    ELF_ERR_CLASS,           /* not ELFCLASS32 */
    ELF_ERR_DATA,            /* not ELFDATA2LSB */
    ELF_ERR_VERSION,         /* e_ident[EI_VERSION] or e_version is not EV_CURRENT */
    ELF_ERR_TYPE,            /* e_type is not ET_EXEC */
    ELF_ERR_MACHINE,         /* e_machine is not EM_ARM */
    ELF_ERR_ABI,             /* e_flags does not say EABI version 5 */
    ELF_ERR_EHSIZE,          /* e_ehsize is not 52 */
    ELF_ERR_PHENTSIZE,       /* e_phentsize is not 32 */
    ELF_ERR_PHNUM,           /* e_phnum is PN_XNUM (extended numbering is not supported) */
    ELF_ERR_TRUNCATED_PHDRS, /* the program header table runs past the end of the file */
    ELF_ERR_SHENTSIZE,       /* e_shentsize is not 40 */
    ELF_ERR_SHNUM,           /* e_shnum/e_shoff inconsistent, or extended section numbering */
    ELF_ERR_TRUNCATED_SHDRS, /* the section header table runs past the end of the file */
    ELF_ERR_SHSTRNDX,        /* e_shstrndx out of range or not a string table */
    ELF_ERR_SEG_TRUNCATED,   /* a segment's file bytes run past the end of the file */
    ELF_ERR_SEG_FILESZ,      /* a segment's p_filesz exceeds its p_memsz */
    ELF_ERR_SEG_WRAP,        /* a segment's p_vaddr + p_memsz passes 2^32 */
    ELF_ERR_SEG_ALIGN,       /* a segment's p_align is not 0 or a power of two */
    ELF_ERR_SEG_CONGRUENT,   /* a PT_LOAD's p_vaddr and p_offset differ modulo p_align */
    ELF_ERR_SEG_ORDER,       /* PT_LOAD segments not in ascending address order, or overlapping */
    ELF_ERR_INTERP,          /* PT_INTERP or PT_DYNAMIC: needs a dynamic linker */
    ELF_ERR_NO_LOAD,         /* no PT_LOAD segment */
    ELF_ERR_ENTRY,           /* entry point not in an executable segment's file bytes, misaligned */
    ELF_ERR_SECT_TRUNCATED,  /* a section's bytes run past the end of the file */
    ELF_ERR_NO_SYMTAB,       /* lookup: no SHT_SYMTAB section (stripped) */
    ELF_ERR_SYMTAB_SIZE,     /* lookup: sh_entsize is not 16 or sh_size not a multiple of 16 */
    ELF_ERR_SYMTAB_LINK,     /* lookup: the symbol table's sh_link is not a string table */
    ELF_ERR_STRTAB,          /* lookup: the string table is empty or its last byte is not NUL */
    ELF_ERR_STR_OFFSET,      /* lookup: a symbol's st_name is past the end of the string table */
    ELF_ERR_NOT_FOUND,       /* lookup: no such symbol / index; or the headers are in no PT_LOAD */
    ELF_ERR_COUNT            /* number of codes, not an error */
} elf_err_t;

/* Segment permission bits (p_flags). */
#define ELF_PF_X 0x1u
#define ELF_PF_W 0x2u
#define ELF_PF_R 0x4u

/* Symbol types and bindings (ELF32_ST_TYPE / ELF32_ST_BIND of st_info). */
#define ELF_STT_NOTYPE 0
#define ELF_STT_OBJECT 1
#define ELF_STT_FUNC   2
#define ELF_STB_LOCAL  0
#define ELF_STB_GLOBAL 1
#define ELF_STB_WEAK   2

#define ELF_PHENT_SIZE 32u         /* AT_PHENT */
#define ELF_NO_INDEX   0xffffffffu /* elf_file_t.bad_index when no header is at fault */

/*
 * A validated file. Treat the fields as read-only; they are public so that the caller can keep
 * the struct on its stack. After a failed elf_open() every count is zero, so the other calls
 * return nothing rather than reading stale headers.
 */
typedef struct {
    const uint8_t *buf;
    size_t len;
    uint32_t entry;     /* e_entry, Thumb bit included */
    uint32_t phoff;     /* e_phoff */
    uint32_t phnum;     /* e_phnum */
    uint32_t shoff;     /* e_shoff */
    uint32_t shnum;     /* e_shnum */
    uint32_t nload;     /* number of PT_LOAD segments */
    uint32_t symtab;    /* section index of the SHT_SYMTAB section, 0 if none */
    uint32_t bad_index; /* after a failure: the program/section header at fault, or ELF_NO_INDEX */
} elf_file_t;

/* One loadable segment: copy filesz bytes from data to vaddr, zero the rest up to memsz. */
typedef struct {
    uint32_t vaddr;
    uint32_t offset;
    uint32_t filesz;
    uint32_t memsz;
    uint32_t flags;      /* ELF_PF_R | ELF_PF_W | ELF_PF_X, plus any OS/processor bits as stored */
    uint32_t align;      /* 0 or a power of two */
    const uint8_t *data; /* the filesz bytes at offset in the buffer */
} elf_segment_t;

typedef struct {
    const char *name; /* NUL-terminated inside the file's string table */
    uint32_t value;   /* st_value as stored: for a Thumb function bit 0 is set */
    uint32_t addr;    /* st_value with the Thumb bit cleared for functions */
    uint32_t size;
    uint8_t type; /* ELF_STT_* */
    uint8_t bind; /* ELF_STB_* */
    uint16_t shndx;
    bool thumb; /* a function whose code is Thumb */
} elf_sym_t;

typedef struct {
    elf_err_t err;
    elf_sym_t sym;
    uint32_t offset; /* elf_sym_by_addr: the address minus sym.addr; 0 otherwise */
} elf_sym_ret_t;

typedef struct {
    elf_err_t err;
    uint32_t addr;
} elf_addr_ret_t;

/* Validates the len bytes at buf (see the top of this file) and fills *f. Returns ELF_OK or the
 * first problem found; f->bad_index then names the program or section header concerned. */
elf_err_t elf_open(elf_file_t *f, const void *buf, size_t len);

/* The entry point exactly as stored; bit 0 set means the code there is Thumb. */
uint32_t elf_entry(const elf_file_t *f);
bool elf_entry_is_thumb(const elf_file_t *f);

/* Number of PT_LOAD segments. */
uint32_t elf_load_count(const elf_file_t *f);

/* Iterates over the PT_LOAD segments in file order (which is ascending vaddr order). Start with
 * *cursor = 0; each call fills *seg and returns true, or returns false when there are no more. */
bool elf_next_load(const elf_file_t *f, uint32_t *cursor, elf_segment_t *seg);

/* The address at which the program header table is mapped, for AT_PHDR (AT_PHNUM is f->phnum,
 * AT_PHENT is ELF_PHENT_SIZE): the table must lie inside the file bytes of a PT_LOAD segment,
 * otherwise ELF_ERR_NOT_FOUND. */
elf_addr_ret_t elf_phdr_addr(const elf_file_t *f);

/* Symbol number index of .symtab (0 is the null symbol), for walking the whole table: returns
 * ELF_ERR_NOT_FOUND past its end. On ELF_ERR_STR_OFFSET that one entry is unusable, later ones may
 * still be fine. */
elf_sym_ret_t elf_sym_at(const elf_file_t *f, uint32_t index);

/* The function symbol (STT_FUNC, defined) containing addr: addr in [sym.addr, sym.addr + size), or
 * equal to sym.addr for a symbol of size 0. Among several, a sized one beats a size-0 one, then a
 * global or weak one beats a local one, then the first in the table wins. Any symbol with an
 * st_name outside the string table fails the whole lookup with ELF_ERR_STR_OFFSET. */
elf_sym_ret_t elf_sym_by_addr(const elf_file_t *f, uint32_t addr);

/* The defined symbol (st_shndx != SHN_UNDEF) called name; a global or weak one beats a local one,
 * then the first in the table wins. The empty name (that of section symbols) never matches. */
elf_sym_ret_t elf_sym_by_name(const elf_file_t *f, const char *name);

/* A one-line description of err; never NULL, also for values outside the enum. */
const char *elf_strerror(elf_err_t err);
