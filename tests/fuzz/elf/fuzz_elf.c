/*
 * fuzz_elf.c: libFuzzer target for libelf.
 *
 * Runs the whole API over the input and checks what it returns against the input itself: every
 * pointer and size lies inside the buffer, every name ends inside it, every accepted segment obeys
 * the rules elf_open() promises, and the lookups agree with each other. Any violation aborts, which
 * libFuzzer reports as a crash. ASan and UBSan catch the rest.
 */
#include <elf/elf.h>

#include <stdlib.h>
#include <string.h>

/* How many symbols get the (quadratic) cross-checks; all of them get the cheap ones. */
#define CROSS_CHECKED 16

static const uint8_t *lo, *hi;

static void require(bool ok)
{
    if (!ok)
        abort();
}

static void require_inside(const void *p, uint64_t n)
{
    const uint8_t *b = p;
    require(b >= lo && b <= hi && n <= (uint64_t)(hi - b));
}

/* A name must start inside the buffer and be NUL-terminated before its end. */
static void require_name(const char *name)
{
    require_inside(name, 0);
    require(memchr(name, '\0', (size_t)(hi - (const uint8_t *)name)) != NULL);
}

static bool is_pow2_or_0(uint32_t x)
{
    return (x & (x - 1)) == 0;
}

static bool is_symtab_error(elf_err_t err)
{
    return err == ELF_ERR_NO_SYMTAB || err == ELF_ERR_SYMTAB_SIZE || err == ELF_ERR_SYMTAB_LINK ||
           err == ELF_ERR_STRTAB;
}

static void check_failed_open(const elf_file_t *f)
{
    uint32_t cursor = 0;
    elf_segment_t seg;
    require(elf_load_count(f) == 0);
    require(!elf_next_load(f, &cursor, &seg));
    require(elf_phdr_addr(f).err == ELF_ERR_NOT_FOUND);
    require(elf_sym_by_name(f, "_start").err == ELF_ERR_NO_SYMTAB);
    require(elf_sym_by_addr(f, 0).err == ELF_ERR_NO_SYMTAB);
    require(elf_sym_at(f, 0).err == ELF_ERR_NO_SYMTAB);
}

/* The loadable segments: inside the file, well-formed, ascending; the entry in one of them. */
static void check_segments(const elf_file_t *f)
{
    uint32_t cursor = 0, n = 0;
    uint64_t prev_end = 0;
    bool entry_ok = false;
    uint32_t pc = elf_entry(f) & ~1u;
    elf_segment_t seg;
    while (elf_next_load(f, &cursor, &seg)) {
        require_inside(seg.data, seg.filesz);
        require(seg.data == lo + seg.offset);
        require(seg.filesz <= seg.memsz);
        require((uint64_t)seg.vaddr + seg.memsz <= (uint64_t)1 << 32);
        require(is_pow2_or_0(seg.align));
        require(seg.align <= 1 || ((seg.vaddr ^ seg.offset) & (seg.align - 1)) == 0);
        require(n == 0 || seg.vaddr >= prev_end);
        prev_end = (uint64_t)seg.vaddr + seg.memsz;
        if ((seg.flags & ELF_PF_X) && pc >= seg.vaddr && pc - seg.vaddr < seg.filesz)
            entry_ok = true;
        n++;
    }
    require(n == elf_load_count(f) && n > 0);
    require(entry_ok);
    require(elf_entry_is_thumb(f) == ((elf_entry(f) & 1) != 0));
    require(elf_entry_is_thumb(f) || (elf_entry(f) & 3) == 0);

    elf_addr_ret_t ph = elf_phdr_addr(f);
    require(ph.err == ELF_OK || ph.err == ELF_ERR_NOT_FOUND);
}

static void check_sym(const elf_sym_t *s)
{
    require_name(s->name);
    require(s->thumb == (s->type == ELF_STT_FUNC && (s->value & 1)));
    require(s->addr == (s->thumb ? s->value - 1 : s->value));
}

static void check_by_addr(const elf_file_t *f, uint32_t addr)
{
    elf_sym_ret_t r = elf_sym_by_addr(f, addr);
    if (r.err != ELF_OK) {
        require(r.sym.name == NULL);
        return;
    }
    check_sym(&r.sym);
    require(r.sym.type == ELF_STT_FUNC && r.sym.shndx != 0);
    require(r.offset == addr - r.sym.addr);
    require(r.sym.size == 0 ? r.offset == 0 : r.offset < r.sym.size);
}

static void check_symbols(const elf_file_t *f)
{
    elf_err_t table = elf_sym_by_name(f, "_start").err;
    for (uint32_t i = 0;; i++) {
        elf_sym_ret_t r = elf_sym_at(f, i);
        if (r.err != ELF_OK) {
            require(r.err == ELF_ERR_NOT_FOUND || r.err == ELF_ERR_STR_OFFSET ||
                    (i == 0 && is_symtab_error(r.err)));
            /* A broken table is reported alike by every lookup; a bad name by both walks. */
            if (is_symtab_error(r.err))
                require(table == r.err && elf_sym_by_addr(f, 0).err == r.err);
            if (r.err == ELF_ERR_STR_OFFSET)
                require(table == r.err && elf_sym_by_addr(f, 0).err == r.err);
            if (r.err == ELF_ERR_STR_OFFSET)
                continue;
            break;
        }
        check_sym(&r.sym);
        if (i >= CROSS_CHECKED || table == ELF_ERR_STR_OFFSET)
            continue;
        /* A defined named symbol is found by name (maybe a better-ranked namesake), and a defined
         * function by its address (maybe a better-ranked overlapping function). */
        if (r.sym.shndx != 0 && r.sym.name[0] != '\0') {
            elf_sym_ret_t n = elf_sym_by_name(f, r.sym.name);
            require(n.err == ELF_OK);
            check_sym(&n.sym);
            require(strcmp(n.sym.name, r.sym.name) == 0 && n.sym.shndx != 0);
            require(n.sym.bind != ELF_STB_LOCAL || r.sym.bind == ELF_STB_LOCAL);
        }
        if (r.sym.type == ELF_STT_FUNC && r.sym.shndx != 0) {
            require(elf_sym_by_addr(f, r.sym.addr).err == ELF_OK);
            check_by_addr(f, r.sym.addr);
            if (r.sym.size != 0)
                check_by_addr(f, r.sym.addr + r.sym.size - 1);
        }
    }
    check_by_addr(f, elf_entry(f) & ~1u);
    check_by_addr(f, 0);
    check_by_addr(f, 0xffffffff);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lo = data;
    hi = data + size;
    elf_file_t f;
    elf_err_t err = elf_open(&f, data, size);
    const char *msg = elf_strerror(err);
    require(msg != NULL && msg[0] != '\0');
    require((unsigned)err < ELF_ERR_COUNT && err != ELF_ERR_ARG && !is_symtab_error(err));
    require(err != ELF_ERR_STR_OFFSET && err != ELF_ERR_NOT_FOUND);
    if (err != ELF_OK) {
        check_failed_open(&f);
        return 0;
    }
    require(f.bad_index == ELF_NO_INDEX);
    check_segments(&f);
    check_symbols(&f);
    return 0;
}
