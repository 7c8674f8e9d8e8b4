/*
 * symbol.c: symbol lookups through .symtab and the string table its sh_link names.
 *
 * elf_open() has already checked that every section's bytes are inside the file; what is checked
 * here is the symbol table's own shape, and each symbol's name offset as it is read. A string
 * table must end in NUL (gABI), so every in-range offset names a string terminated inside it.
 */
#include "elf_internal.h"

typedef struct {
    const uint8_t *syms;
    uint32_t count;
    const char *str;
    uint32_t strsize;
} symtab_t;

static elf_err_t symtab_open(const elf_file_t *f, symtab_t *st)
{
    if (f->symtab == 0)
        return ELF_ERR_NO_SYMTAB;
    const uint8_t *sh = elf_shdr(f, f->symtab);
    uint32_t size = shdr_get_size(sh);
    if (shdr_get_entsize(sh) != SYM_SIZE || size % SYM_SIZE != 0)
        return ELF_ERR_SYMTAB_SIZE;
    uint32_t link = shdr_get_link(sh);
    if (link == SHN_UNDEF || link >= f->shnum || shdr_get_type(elf_shdr(f, link)) != SHT_STRTAB)
        return ELF_ERR_SYMTAB_LINK;
    const uint8_t *strsh = elf_shdr(f, link);
    st->syms = f->buf + shdr_get_offset(sh);
    st->count = size / SYM_SIZE;
    st->str = (const char *)f->buf + shdr_get_offset(strsh);
    st->strsize = shdr_get_size(strsh);
    if (st->strsize == 0 || st->str[st->strsize - 1] != '\0')
        return ELF_ERR_STRTAB;
    return ELF_OK;
}

/* Symbol i as an elf_sym_t, or ELF_ERR_STR_OFFSET if its name is outside the string table. */
static elf_err_t symtab_get(const symtab_t *st, uint32_t i, elf_sym_t *sym)
{
    const uint8_t *s = st->syms + (size_t)i * SYM_SIZE;
    uint32_t name = sym_get_name(s);
    if (name >= st->strsize)
        return ELF_ERR_STR_OFFSET;
    sym->name = st->str + name;
    sym->value = sym_get_value(s);
    sym->size = sym_get_size(s);
    sym->type = (uint8_t)sym_get_type(s);
    sym->bind = (uint8_t)sym_get_bind(s);
    sym->shndx = (uint16_t)sym_get_shndx(s);
    /* AAELF: bit 0 of a function symbol's value says Thumb; it is not part of the address. */
    sym->thumb = sym->type == ELF_STT_FUNC && (sym->value & 1) != 0;
    sym->addr = sym->thumb ? sym->value & ~1u : sym->value;
    return ELF_OK;
}

static bool str_eq(const char *a, const char *b)
{
    while (*a != '\0' && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

static unsigned addr_rank(const elf_sym_t *sym, uint32_t addr)
{
    if (sym->type != ELF_STT_FUNC || sym->shndx == SHN_UNDEF)
        return 0;
    if (sym->size == 0 ? addr != sym->addr : (addr < sym->addr || addr - sym->addr >= sym->size))
        return 0;
    return 1 + (sym->size != 0 ? 2u : 0u) + (sym->bind != ELF_STB_LOCAL ? 1u : 0u);
}

static unsigned name_rank(const elf_sym_t *sym, const char *name)
{
    if (sym->shndx == SHN_UNDEF || sym->name[0] == '\0' || !str_eq(sym->name, name))
        return 0;
    return sym->bind != ELF_STB_LOCAL ? 2 : 1;
}

/* A result with no symbol in it. Field by field rather than "= {0}" and struct copies, so that
 * the freestanding build needs no memset/memcpy. */
static elf_sym_ret_t no_sym(elf_err_t err)
{
    elf_sym_ret_t ret;
    ret.err = err;
    ret.offset = 0;
    ret.sym.name = NULL;
    ret.sym.value = ret.sym.addr = ret.sym.size = 0;
    ret.sym.type = ret.sym.bind = 0;
    ret.sym.shndx = 0;
    ret.sym.thumb = false;
    return ret;
}

/* The walk both lookups share: every symbol's name is checked, and the best-ranked symbol (rank
 * 0 means no match; ties go to the first) is returned. */
static elf_sym_ret_t lookup(const elf_file_t *f, uint32_t addr, const char *name)
{
    symtab_t st;
    elf_sym_ret_t ret = no_sym(f == NULL ? ELF_ERR_ARG : symtab_open(f, &st));
    unsigned best = 0;
    uint32_t best_index = 0;
    for (uint32_t i = 0; ret.err == ELF_OK && i < st.count; i++) {
        elf_sym_t sym;
        ret.err = symtab_get(&st, i, &sym);
        if (ret.err != ELF_OK)
            break;
        unsigned rank = name != NULL ? name_rank(&sym, name) : addr_rank(&sym, addr);
        if (rank > best) {
            best = rank;
            best_index = i;
        }
    }
    if (ret.err == ELF_OK && best == 0)
        ret.err = ELF_ERR_NOT_FOUND;
    if (ret.err == ELF_OK)
        (void)symtab_get(&st, best_index, &ret.sym);
    return ret;
}

elf_sym_ret_t elf_sym_at(const elf_file_t *f, uint32_t index)
{
    symtab_t st;
    elf_sym_ret_t ret = no_sym(f == NULL ? ELF_ERR_ARG : symtab_open(f, &st));
    if (ret.err == ELF_OK && index >= st.count)
        ret.err = ELF_ERR_NOT_FOUND;
    if (ret.err == ELF_OK)
        ret.err = symtab_get(&st, index, &ret.sym);
    return ret;
}

elf_sym_ret_t elf_sym_by_addr(const elf_file_t *f, uint32_t addr)
{
    elf_sym_ret_t ret = lookup(f, addr, NULL);
    if (ret.err == ELF_OK)
        ret.offset = addr - ret.sym.addr;
    return ret;
}

elf_sym_ret_t elf_sym_by_name(const elf_file_t *f, const char *name)
{
    if (name == NULL)
        return no_sym(ELF_ERR_ARG);
    return lookup(f, 0, name);
}
