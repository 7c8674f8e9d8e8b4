/*
 * The boot cpio archive (the project's initrd, linked in by initrd.S) read with libcpio, and the
 * program "hello" in it opened with libelf, checked against readelf's view of the same file
 * (hello_expect.h, made at build time by elf_expect.py).
 */
#include "env.h"
#include <cpio/cpio.h>
#include <elf/elf.h>
#include <hello_expect.h>

extern const uint8_t _cpio_archive[], _cpio_archive_end[];

static cpio_err_t open_initrd(cpio_t *a)
{
    return cpio_open(a, _cpio_archive, (size_t)(_cpio_archive_end - _cpio_archive));
}

KTEST(hello_segments, "USERLIBS0030",
      "initrd: libcpio finds hello, libelf walks its segments exactly as readelf lists them")
{
    cpio_t a;
    KREQUIRE_EQ(open_initrd(&a), CPIO_OK);
    KCHECK(a.count >= 1);
    KCHECK(a.end <= a.len);

    cpio_entry_t e;
    KREQUIRE_EQ(cpio_find(&a, "hello", &e), CPIO_OK);
    KCHECK_EQ(strcmp(e.path, "hello"), 0);
    KCHECK_EQ(cpio_is_reg(&e), true);
    KCHECK_EQ(e.uid, 0); /* tools/mkinitrd.sh packs as root */
    KCHECK_EQ(e.gid, 0);
    KCHECK_EQ(e.size, HELLO_SIZE);
    KCHECK(e.data > _cpio_archive && e.data + e.size <= _cpio_archive_end);
    uint32_t sum = 0;
    for (uint32_t i = 0; i < e.size; i++)
        sum += e.data[i];
    KCHECK_EQ(sum, HELLO_SUM);
    /* The same entry under the other spellings of its path. */
    cpio_entry_t e2;
    KCHECK_EQ(cpio_find(&a, "./hello", &e2), CPIO_OK);
    KCHECK_EQ(e2.data, e.data);
    KCHECK_EQ(cpio_find(&a, "/hello", &e2), CPIO_OK);
    KCHECK_EQ(e2.data, e.data);

    elf_file_t f;
    KREQUIRE_EQ(elf_open(&f, e.data, e.size), ELF_OK);
    KCHECK_EQ(f.phnum, HELLO_PHNUM);
    KCHECK_EQ(elf_load_count(&f), HELLO_NLOAD);
    KCHECK_EQ(elf_entry(&f), HELLO_ENTRY);
    KCHECK_EQ(HELLO_ENTRY & 1, 1); /* musl's static _start is Thumb code */
    KCHECK_EQ(elf_entry_is_thumb(&f), true);

    uint32_t cursor = 0, n = 0;
    elf_segment_t seg;
    while (elf_next_load(&f, &cursor, &seg)) {
        if (n >= HELLO_NLOAD) {
            n++;
            continue;
        }
        KCHECK_EQ(seg.offset, hello_loads[n].offset);
        KCHECK_EQ(seg.vaddr, hello_loads[n].vaddr);
        KCHECK_EQ(seg.filesz, hello_loads[n].filesz);
        KCHECK_EQ(seg.memsz, hello_loads[n].memsz);
        KCHECK_EQ(seg.flags & (ELF_PF_R | ELF_PF_W | ELF_PF_X), hello_loads[n].flags);
        KCHECK_EQ(seg.align, hello_loads[n].align);
        KCHECK(seg.filesz <= seg.memsz);
        KCHECK_EQ(seg.data, e.data + hello_loads[n].offset);
        n++;
    }
    KCHECK_EQ(n, HELLO_NLOAD);
    /* The entry is in the first, executable segment. */
    KCHECK_EQ(hello_loads[0].flags, ELF_PF_R | ELF_PF_X);
    KCHECK((HELLO_ENTRY & ~1u) >= hello_loads[0].vaddr &&
           (HELLO_ENTRY & ~1u) < hello_loads[0].vaddr + hello_loads[0].filesz);
}

KTEST(missing_name, "USERLIBS0031",
      "initrd: names not in it are CPIO_ERR_NOT_FOUND with the entry cleared; no ELF at 0")
{
    cpio_t a;
    KREQUIRE_EQ(open_initrd(&a), CPIO_OK);
    const char *missing[] = {"no-such-program", "hell", "hello/", "hello2", "bin/hello", ""};
    for (size_t i = 0; i < sizeof(missing) / sizeof(missing[0]); i++) {
        cpio_entry_t e;
        memset(&e, 0xa5, sizeof(e));
        KCHECK_EQ(cpio_find(&a, missing[i], &e), CPIO_ERR_NOT_FOUND);
        KCHECK_EQ(e.name, NULL);
        KCHECK_EQ(e.path, NULL);
        KCHECK_EQ(e.data, NULL);
        KCHECK_EQ(e.size, 0);
        KCHECK_EQ(e.mode, 0);
    }
    KCHECK_EQ(cpio_find(&a, NULL, NULL), CPIO_ERR_ARG);
    elf_file_t f;
    KCHECK_EQ(elf_open(&f, _cpio_archive, 110), ELF_ERR_MAGIC); /* a cpio header is no ELF */
}
