/*
 * open.c: elf_open(), which validates everything a loader relies on, so that the iteration calls
 * afterwards cannot fail and cannot read outside the buffer.
 */
#include "elf_internal.h"

static elf_err_t check_ident(const uint8_t *e)
{
    if (e[0] != 0x7f || e[1] != 'E' || e[2] != 'L' || e[3] != 'F')
        return ELF_ERR_MAGIC;
    if (e[EI_CLASS] != ELFCLASS32)
        return ELF_ERR_CLASS;
    if (e[EI_DATA] != ELFDATA2LSB)
        return ELF_ERR_DATA;
    if (e[EI_VERSION] != EV_CURRENT)
        return ELF_ERR_VERSION;
    return ELF_OK;
}

/* The fixed part of the header, then where the two tables are and that they fit in the file. */
static elf_err_t check_ehdr(elf_file_t *f)
{
    const uint8_t *e = f->buf;
    if (f->len < EHDR_SIZE)
        return ELF_ERR_TRUNCATED;
    elf_err_t err = check_ident(e);
    if (err != ELF_OK)
        return err;
    if (ehdr_get_type(e) != ET_EXEC)
        return ELF_ERR_TYPE;
    if (ehdr_get_machine(e) != EM_ARM)
        return ELF_ERR_MACHINE;
    if (ehdr_get_version(e) != EV_CURRENT)
        return ELF_ERR_VERSION;
    if ((ehdr_get_flags(e) & EF_ARM_EABIMASK) != EF_ARM_EABI_VER5)
        return ELF_ERR_ABI;
    if (ehdr_get_ehsize(e) != EHDR_SIZE)
        return ELF_ERR_EHSIZE;

    uint32_t phnum = ehdr_get_phnum(e);
    if (phnum == PN_XNUM)
        return ELF_ERR_PHNUM;
    if (phnum != 0) {
        if (ehdr_get_phentsize(e) != PHDR_SIZE)
            return ELF_ERR_PHENTSIZE;
        if (!elf_in_file(f, ehdr_get_phoff(e), (uint64_t)phnum * PHDR_SIZE))
            return ELF_ERR_TRUNCATED_PHDRS;
    }

    /* No section table at all is fine (e_shoff == 0); e_shnum == 0 with a table is extended
     * numbering, where the real count is in section 0, which we do not support. */
    uint32_t shoff = ehdr_get_shoff(e);
    uint32_t shnum = ehdr_get_shnum(e);
    if ((shoff == 0) != (shnum == 0))
        return ELF_ERR_SHNUM;
    if (shnum != 0) {
        if (ehdr_get_shentsize(e) != SHDR_SIZE)
            return ELF_ERR_SHENTSIZE;
        if (!elf_in_file(f, shoff, (uint64_t)shnum * SHDR_SIZE))
            return ELF_ERR_TRUNCATED_SHDRS;
    }
    if (ehdr_get_shstrndx(e) != SHN_UNDEF && ehdr_get_shstrndx(e) >= shnum)
        return ELF_ERR_SHSTRNDX;

    f->entry = ehdr_get_entry(e);
    f->phoff = ehdr_get_phoff(e);
    f->phnum = phnum;
    f->shoff = shoff;
    f->shnum = shnum;
    return ELF_OK;
}

/* One program header, any type: what every user of a segment relies on. */
static elf_err_t check_segment(const elf_file_t *f, const uint8_t *p)
{
    uint32_t type = phdr_get_type(p);
    uint32_t align = phdr_get_align(p);
    if (!elf_in_file(f, phdr_get_offset(p), phdr_get_filesz(p)))
        return ELF_ERR_SEG_TRUNCATED;
    if (phdr_get_filesz(p) > phdr_get_memsz(p))
        return ELF_ERR_SEG_FILESZ;
    if ((uint64_t)phdr_get_vaddr(p) + phdr_get_memsz(p) > (uint64_t)1 << 32)
        return ELF_ERR_SEG_WRAP;
    if ((align & (align - 1)) != 0)
        return ELF_ERR_SEG_ALIGN;
    if (type == PT_INTERP || type == PT_DYNAMIC)
        return ELF_ERR_INTERP;
    if (type == PT_LOAD && align > 1 &&
        ((phdr_get_vaddr(p) ^ phdr_get_offset(p)) & (align - 1)) != 0)
        return ELF_ERR_SEG_CONGRUENT;
    return ELF_OK;
}

/* All program headers; PT_LOADs must also come in ascending, disjoint address order (the gABI
 * requires the order; disjointness lets a loader copy each segment without looking at others). */
static elf_err_t check_segments(elf_file_t *f)
{
    uint64_t prev_end = 0;
    for (uint32_t i = 0; i < f->phnum; i++) {
        const uint8_t *p = elf_phdr(f, i);
        elf_err_t err = check_segment(f, p);
        if (err == ELF_OK && phdr_get_type(p) == PT_LOAD) {
            if (f->nload > 0 && phdr_get_vaddr(p) < prev_end)
                err = ELF_ERR_SEG_ORDER;
            prev_end = (uint64_t)phdr_get_vaddr(p) + phdr_get_memsz(p);
            f->nload++;
        }
        if (err != ELF_OK) {
            f->bad_index = i;
            return err;
        }
    }
    return f->nload == 0 ? ELF_ERR_NO_LOAD : ELF_OK;
}

/* Every section with bytes in the file must be inside it; remember the (first) symbol table. */
static elf_err_t check_sections(elf_file_t *f)
{
    for (uint32_t i = 0; i < f->shnum; i++) {
        const uint8_t *s = elf_shdr(f, i);
        uint32_t type = shdr_get_type(s);
        if (type == SHT_NULL || type == SHT_NOBITS)
            continue;
        if (!elf_in_file(f, shdr_get_offset(s), shdr_get_size(s))) {
            f->bad_index = i;
            return ELF_ERR_SECT_TRUNCATED;
        }
        if (type == SHT_SYMTAB && i != SHN_UNDEF && f->symtab == 0)
            f->symtab = i;
    }
    uint32_t shstrndx = ehdr_get_shstrndx(f->buf);
    if (shstrndx != SHN_UNDEF && shdr_get_type(elf_shdr(f, shstrndx)) != SHT_STRTAB) {
        f->bad_index = shstrndx;
        return ELF_ERR_SHSTRNDX;
    }
    return ELF_OK;
}

/* The entry must be the start of an instruction in the file bytes of an executable PT_LOAD. */
static elf_err_t check_entry(const elf_file_t *f)
{
    bool thumb = (f->entry & 1) != 0;
    uint32_t pc = f->entry & ~1u;
    uint32_t insn = thumb ? 2 : 4;
    if (!thumb && (pc & 3) != 0)
        return ELF_ERR_ENTRY;
    for (uint32_t i = 0; i < f->phnum; i++) {
        const uint8_t *p = elf_phdr(f, i);
        if (phdr_get_type(p) != PT_LOAD || (phdr_get_flags(p) & ELF_PF_X) == 0)
            continue;
        uint32_t vaddr = phdr_get_vaddr(p);
        if (pc >= vaddr && (uint64_t)pc + insn <= (uint64_t)vaddr + phdr_get_filesz(p))
            return ELF_OK;
    }
    return ELF_ERR_ENTRY;
}

elf_err_t elf_open(elf_file_t *f, const void *buf, size_t len)
{
    if (f == NULL)
        return ELF_ERR_ARG;
    f->buf = buf;
    f->len = len;
    f->entry = 0;
    f->phoff = f->phnum = 0;
    f->shoff = f->shnum = 0;
    f->nload = 0;
    f->symtab = 0;
    f->bad_index = ELF_NO_INDEX;

    elf_err_t err = buf == NULL ? ELF_ERR_ARG : check_ehdr(f);
    if (err == ELF_OK)
        err = check_segments(f);
    if (err == ELF_OK)
        err = check_sections(f);
    if (err == ELF_OK)
        err = check_entry(f);
    if (err != ELF_OK) {
        /* Leave nothing a careless caller could iterate over. */
        f->phnum = f->shnum = f->nload = f->symtab = 0;
    }
    return err;
}
