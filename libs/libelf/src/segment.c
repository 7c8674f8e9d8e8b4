/* segment.c: the entry point and the loadable segments of a file accepted by elf_open(). */
#include "elf_internal.h"

uint32_t elf_entry(const elf_file_t *f)
{
    return f->entry;
}

bool elf_entry_is_thumb(const elf_file_t *f)
{
    return (f->entry & 1) != 0;
}

uint32_t elf_load_count(const elf_file_t *f)
{
    return f->nload;
}

bool elf_next_load(const elf_file_t *f, uint32_t *cursor, elf_segment_t *seg)
{
    while (*cursor < f->phnum) {
        const uint8_t *p = elf_phdr(f, (*cursor)++);
        if (phdr_get_type(p) != PT_LOAD)
            continue;
        seg->vaddr = phdr_get_vaddr(p);
        seg->offset = phdr_get_offset(p);
        seg->filesz = phdr_get_filesz(p);
        seg->memsz = phdr_get_memsz(p);
        seg->flags = phdr_get_flags(p);
        seg->align = phdr_get_align(p);
        seg->data = f->buf + seg->offset;
        return true;
    }
    return false;
}

elf_addr_ret_t elf_phdr_addr(const elf_file_t *f)
{
    elf_addr_ret_t ret = {ELF_ERR_NOT_FOUND, 0};
    uint64_t start = f->phoff;
    uint64_t end = start + (uint64_t)f->phnum * PHDR_SIZE;
    uint32_t cursor = 0;
    elf_segment_t seg;
    while (f->phnum != 0 && elf_next_load(f, &cursor, &seg)) {
        if (start >= seg.offset && end <= (uint64_t)seg.offset + seg.filesz) {
            ret.err = ELF_OK;
            ret.addr = seg.vaddr + (uint32_t)(start - seg.offset);
            break;
        }
    }
    return ret;
}
