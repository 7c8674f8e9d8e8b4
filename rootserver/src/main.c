/*
 * The Keel root server. Today: it finds its boot information as seL4's root task does,
 * reports the memory it was given, and lists the programs in its initrd.
 */
#include <sys/sys.h>
#include <cpio/cpio.h>
#include <elf/elf.h>

extern const char _cpio_archive[], _cpio_archive_end[];

static void print_untyped_summary(const seL4_BootInfo *bi)
{
    uint64_t ram = 0, device = 0;
    unsigned n_ram = 0, n_dev = 0, largest = 0;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[i];
        if (d->isDevice) {
            device += 1ull << d->sizeBits;
            n_dev++;
        } else {
            ram += 1ull << d->sizeBits;
            n_ram++;
            if (d->sizeBits > largest)
                largest = d->sizeBits;
        }
    }
    printf("rootserver: %u RAM untypeds, %u KiB in all (largest 2^%u bytes); "
           "%u device untypeds, %u KiB\n",
           n_ram, (unsigned)(ram >> 10), largest, n_dev, (unsigned)(device >> 10));
    printf("rootserver: %u free slots in a root CNode of 2^%u; initrd %u bytes\n",
           (unsigned)(bi->empty.end - bi->empty.start), (unsigned)bi->initThreadCNodeSizeBits,
           (unsigned)(_cpio_archive_end - _cpio_archive));
}

/* Lists the programs in the initrd, each checked as an ELF executable. */
static void list_initrd(void)
{
    cpio_t archive;
    size_t len = (size_t)(_cpio_archive_end - _cpio_archive);
    cpio_err_t err = cpio_open(&archive, _cpio_archive, len);
    if (err != CPIO_OK) {
        printf("rootserver: the initrd is damaged: %s\n", cpio_strerror(err));
        return;
    }
    size_t cursor = 0;
    cpio_entry_t e;
    while (cpio_next(&archive, &cursor, &e)) {
        elf_file_t elf;
        elf_err_t ee = elf_open(&elf, e.data, e.size);
        if (ee == ELF_OK)
            printf("rootserver: initrd: %s, %u bytes, ELF entry %p (%s), %u loadable segments\n",
                   e.path, (unsigned)e.size, (void *)elf_entry(&elf),
                   elf_entry_is_thumb(&elf) ? "Thumb" : "ARM", (unsigned)elf_load_count(&elf));
        else
            printf("rootserver: initrd: %s, %u bytes, not a program: %s\n", e.path,
                   (unsigned)e.size, elf_strerror(ee));
    }
}

int main(seL4_BootInfo *bi)
{
    printf("rootserver: hello from user mode (boot info at %p, IPC buffer at %p)\n", (void *)bi,
           (void *)bi->ipcBuffer);
    print_untyped_summary(bi);
    list_initrd();
    return 0;
}
