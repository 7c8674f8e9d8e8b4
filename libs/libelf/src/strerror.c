/* strerror.c: one line of text per elf_err_t. */
#include <elf/elf.h>

static const char *const messages[ELF_ERR_COUNT] = {
    [ELF_OK] = "success",
    [ELF_ERR_ARG] = "NULL argument",
    [ELF_ERR_TRUNCATED] = "file shorter than the ELF header",
    [ELF_ERR_MAGIC] = "not an ELF file (bad magic)",
    [ELF_ERR_CLASS] = "not a 32-bit ELF file",
    [ELF_ERR_DATA] = "not a little-endian ELF file",
    [ELF_ERR_VERSION] = "unknown ELF version",
    [ELF_ERR_TYPE] = "not a static executable (ET_EXEC)",
    [ELF_ERR_MACHINE] = "not an ARM ELF file",
    [ELF_ERR_ABI] = "not an ARM EABI version 5 file",
    [ELF_ERR_EHSIZE] = "bad ELF header size",
    [ELF_ERR_PHENTSIZE] = "bad program header entry size",
    [ELF_ERR_PHNUM] = "extended program header numbering not supported",
    [ELF_ERR_TRUNCATED_PHDRS] = "program header table past end of file",
    [ELF_ERR_SHENTSIZE] = "bad section header entry size",
    [ELF_ERR_SHNUM] = "bad or extended section header count",
    [ELF_ERR_TRUNCATED_SHDRS] = "section header table past end of file",
    [ELF_ERR_SHSTRNDX] = "bad section name string table index",
    [ELF_ERR_SEG_TRUNCATED] = "segment data past end of file",
    [ELF_ERR_SEG_FILESZ] = "segment file size larger than memory size",
    [ELF_ERR_SEG_WRAP] = "segment wraps around the address space",
    [ELF_ERR_SEG_ALIGN] = "segment alignment not a power of two",
    [ELF_ERR_SEG_CONGRUENT] = "segment address and offset disagree modulo alignment",
    [ELF_ERR_SEG_ORDER] = "loadable segments overlap or are out of order",
    [ELF_ERR_INTERP] = "dynamically linked (PT_INTERP or PT_DYNAMIC)",
    [ELF_ERR_NO_LOAD] = "no loadable segment",
    [ELF_ERR_ENTRY] = "entry point not in executable code",
    [ELF_ERR_SECT_TRUNCATED] = "section data past end of file",
    [ELF_ERR_NO_SYMTAB] = "no symbol table",
    [ELF_ERR_SYMTAB_SIZE] = "bad symbol table entry size or size",
    [ELF_ERR_SYMTAB_LINK] = "symbol table not linked to a string table",
    [ELF_ERR_STRTAB] = "string table empty or not NUL-terminated",
    [ELF_ERR_STR_OFFSET] = "symbol name offset past end of string table",
    [ELF_ERR_NOT_FOUND] = "not found",
};

const char *elf_strerror(elf_err_t err)
{
    if ((unsigned)err >= ELF_ERR_COUNT || messages[err] == NULL)
        return "unknown ELF error";
    return messages[err];
}
