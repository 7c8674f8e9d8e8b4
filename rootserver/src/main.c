/*
 * The Keel root server. Today: it finds its boot information as seL4's root task does,
 * and reports the memory it was given.
 */
#include <sys/sys.h>

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

int main(seL4_BootInfo *bi)
{
    printf("rootserver: hello from user mode (boot info at %p, IPC buffer at %p)\n", (void *)bi,
           (void *)bi->ipcBuffer);
    print_untyped_summary(bi);
    return 0;
}
