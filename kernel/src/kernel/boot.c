/*
 * Boot: the kernel itself places the root task (there is no separate loader stage).
 * The root server's ELF image is embedded in the kernel image; init_kernel copies its
 * segments into fresh frames, builds its CSpace, VSpace, TCB, IPC buffer and boot info
 * frame, and hands every byte of RAM left over to it as Untyped capabilities, together
 * with the board's device memory as device Untypeds. After this, the kernel allocates
 * nothing.
 */
#include <kernel/boot.h>
#include <kernel/thread.h>
#include <kernel/printf.h>
#include <kernel/panic.h>
#include <kernel/vfp.h>
#include <object/cnode.h>
#include <kernel/cspace.h>
#include <object/objecttype.h>
#include <object/irq.h>
#include <arch/arm/vspace.h>
#include <arch/arm/machine.h>
#include <arch/arm/layout.h>
#include <drivers/serial.h>
#include <drivers/irq.h>
#include <drivers/timer.h>
#include <sel4/bootinfo.h>
#include <sel4/keel.h>

extern char __kernel_start[], __kernel_end[];
extern char rootserver_image_start[], rootserver_image_end[];
extern char arm_vectors[];
void zero_memory(void *p, word_t bytes);

uint64_t boot_done_ticks;
/* The Keel memory chunk of the extra boot info, completed when the root task starts. */
static seL4_KeelMemoryInfo *boot_memory_info;
static word_t boot_alloc_bytes;

/* ------------------------------------------------------------------ free memory --------- */

/* Free physical memory at boot: a few ranges, carved from as objects are placed. */
#define MAX_FREE_REGIONS 16
typedef struct {
    paddr_t start, end;
} region_t;
static region_t free_regions[MAX_FREE_REGIONS];
static word_t n_free_regions;

static void free_region_add(paddr_t start, paddr_t end)
{
    if (start >= end)
        return;
    if (n_free_regions == MAX_FREE_REGIONS)
        panic("boot: too many free memory regions");
    free_regions[n_free_regions].start = start;
    free_regions[n_free_regions].end = end;
    n_free_regions++;
}

/* A zeroed, 2^bits-aligned block of 2^bits bytes, as a kernel pointer. */
static void *boot_alloc(word_t bits)
{
    for (word_t i = 0; i < n_free_regions; i++) {
        region_t *r = &free_regions[i];
        paddr_t a = ROUND_UP(r->start, bits);
        if (a < r->start || a > r->end || r->end - a < BIT(bits))
            continue;
        paddr_t old_start = r->start;
        r->start = a + BIT(bits);
        free_region_add(old_start, a); /* the alignment gap stays free */
        void *p = (void *)ptr_from_paddr(a);
        zero_memory(p, BIT(bits));
        boot_alloc_bytes += BIT(bits);
        return p;
    }
    panic("boot: out of memory for the root task (2^%u bytes)", bits);
}

static pte_t *boot_alloc_pt(void)
{
    return boot_alloc(seL4_PageTableBits);
}

/* ------------------------------------------------------------ root task ELF image --------- */

typedef struct {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version, entry, phoff, shoff, flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
} elf32_ehdr_t;

typedef struct {
    uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
} elf32_phdr_t;

#define PT_LOAD 1

static const elf32_ehdr_t *root_elf(void)
{
    const elf32_ehdr_t *e = (const elf32_ehdr_t *)rootserver_image_start;
    word_t size = rootserver_image_end - rootserver_image_start;
    if (size < sizeof(*e) || e->ident[0] != 0x7f || e->ident[1] != 'E' || e->ident[2] != 'L' ||
        e->ident[3] != 'F' || e->ident[4] != 1 || e->machine != 40 ||
        e->phentsize != sizeof(elf32_phdr_t) || e->phoff > size ||
        (size - e->phoff) / sizeof(elf32_phdr_t) < e->phnum)
        panic("boot: the embedded root server is not an ELF32 ARM executable");
    const elf32_phdr_t *ph = (const elf32_phdr_t *)(rootserver_image_start + e->phoff);
    for (word_t i = 0; i < e->phnum; i++) {
        if (ph[i].type != PT_LOAD)
            continue;
        if (ph[i].offset > size || size - ph[i].offset < ph[i].filesz ||
            ph[i].filesz > ph[i].memsz || ph[i].vaddr >= KERNEL_BASE ||
            KERNEL_BASE - ph[i].vaddr < ph[i].memsz)
            panic("boot: root server segment %u is malformed", i);
    }
    return e;
}

/* The page-aligned range of user addresses the image's loadable segments cover. */
static void image_range(const elf32_ehdr_t *e, vptr_t *start, vptr_t *end)
{
    const elf32_phdr_t *ph = (const elf32_phdr_t *)(rootserver_image_start + e->phoff);
    *start = KERNEL_BASE;
    *end = 0;
    for (word_t i = 0; i < e->phnum; i++) {
        if (ph[i].type != PT_LOAD || ph[i].memsz == 0)
            continue;
        *start = MIN(*start, ROUND_DOWN(ph[i].vaddr, seL4_PageBits));
        *end = MAX(*end, ROUND_UP(ph[i].vaddr + ph[i].memsz, seL4_PageBits));
    }
    if (*start >= *end)
        panic("boot: the root server has nothing to load");
}

/* Copies the bytes of the image that fall in the page at `page` into `dst`. */
static void fill_page(const elf32_ehdr_t *e, vptr_t page, uint8_t *dst)
{
    const elf32_phdr_t *ph = (const elf32_phdr_t *)(rootserver_image_start + e->phoff);
    for (word_t i = 0; i < e->phnum; i++) {
        if (ph[i].type != PT_LOAD)
            continue;
        vptr_t lo = MAX(page, ph[i].vaddr);
        vptr_t hi = MIN(page + BIT(seL4_PageBits), ph[i].vaddr + ph[i].filesz);
        const uint8_t *src = (const uint8_t *)rootserver_image_start + ph[i].offset;
        for (vptr_t v = lo; v < hi; v++)
            dst[v - page] = src[v - ph[i].vaddr];
    }
}

/* ----------------------------------------------------------------- the root task --------- */

typedef struct {
    cte_t *cnode;
    seL4_BootInfo *bi;
    word_t next_slot;
    pde_t *pd;
    cte_t *pd_slot;
} root_build_t;

static cte_t *slot_at(root_build_t *rb, word_t i)
{
    return &rb->cnode[i];
}

static word_t add_cap(root_build_t *rb, cap_t cap)
{
    word_t i = rb->next_slot++;
    if (i >= BIT(CONFIG_ROOT_CNODE_SIZE_BITS))
        panic("boot: the root CNode is full");
    cte_insert_root(cap, slot_at(rb, i), true);
    return i;
}

/* Maps a new frame at `vaddr` in the root VSpace; returns its kernel address. */
static void *map_root_frame(root_build_t *rb, vptr_t vaddr, word_t fixed_slot)
{
    void *frame = boot_alloc(seL4_PageBits);
    paddr_t pa = paddr_from_ptr((pptr_t)frame);
    vspace_boot_map_page(rb->pd, vaddr, pa, VM_READ_WRITE, boot_alloc_pt);
    cap_t fc = cap_frame_cap_new(pa, frame_small, VM_READ_WRITE, false, 1, vaddr);
    if (fixed_slot)
        cte_insert_root(fc, slot_at(rb, fixed_slot), true);
    else
        add_cap(rb, fc);
    return frame;
}

/* Splits [start, end) into aligned power-of-two Untypeds (2^4 .. 2^29 bytes). */
static void add_untypeds(root_build_t *rb, paddr_t start, paddr_t end, bool device)
{
    while (start < end) {
        word_t bits = seL4_MaxUntypedBits;
        while (bits > seL4_MinUntypedBits && (!IS_ALIGNED(start, bits) || end - start < BIT(bits)))
            bits--;
        if (end - start < BIT(seL4_MinUntypedBits))
            return;
        word_t n = rb->bi->untyped.end - rb->bi->untyped.start;
        if (n == CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS) {
            kprintf("boot: untyped list full; %u bytes at %p not given out\n", end - start,
                    (void *)start);
            return;
        }
        add_cap(rb, cap_untyped_cap_new(start, bits, device, 0));
        rb->bi->untypedList[n].paddr = start;
        rb->bi->untypedList[n].sizeBits = bits;
        rb->bi->untypedList[n].isDevice = device;
        rb->bi->untyped.end++;
        start += BIT(bits);
    }
}

/* Device memory the root task may use: the on-chip RAM and the peripheral buses, minus
 * the pages of the devices the kernel drives itself. */
static void add_device_untypeds(root_build_t *rb)
{
    static const region_t devices[] = {
        {0x00900000u, 0x00940000u},         /* OCRAM */
        {PHYS_AIPS1, PHYS_EPIT1},           /* AIPS-1 up to EPIT1 */
        {PHYS_EPIT1 + 0x1000u, PHYS_UART2}, /* ... and from EPIT2 to the console */
        {PHYS_UART2 + 0x1000u, PHYS_AIPS2 + 0x100000u},
    };
    for (word_t i = 0; i < ARRAY_SIZE(devices); i++)
        add_untypeds(rb, devices[i].start, devices[i].end, true);
}

static tcb_t *create_root_task(word_t ram_bytes)
{
    const elf32_ehdr_t *elf = root_elf();
    vptr_t ui_start, ui_end;
    image_range(elf, &ui_start, &ui_end);
    vptr_t ipc_vaddr = ui_end;
    vptr_t bi_vaddr = ui_end + BIT(seL4_PageBits);

    root_build_t rb = {0};
    rb.cnode = boot_alloc(CONFIG_ROOT_CNODE_SIZE_BITS + seL4_SlotBits);
    root_cnode_slots = rb.cnode;
    root_cnode_radix = CONFIG_ROOT_CNODE_SIZE_BITS;
    rb.pd = boot_alloc(seL4_PageDirBits);
    vspace_init_pd(rb.pd);
    asid_pool_t *pool = boot_alloc(seL4_ASIDPoolBits);
    tcb_t *tcb = boot_alloc(seL4_TCBBits);
    seL4_BootInfo *bi = boot_alloc(seL4_PageBits);
    rb.bi = bi;
    asid_table[0] = pool;
    asid_assign(1, rb.pd);

    /* Fixed slots. */
    cap_t cnode_cap = cap_cnode_cap_new((pptr_t)rb.cnode, CONFIG_ROOT_CNODE_SIZE_BITS,
                                        seL4_WordBits - CONFIG_ROOT_CNODE_SIZE_BITS, 0);
    cte_insert_root(cnode_cap, slot_at(&rb, seL4_CapInitThreadCNode), true);
    cte_insert_root(cap_page_directory_cap_new((pptr_t)rb.pd, 1),
                    slot_at(&rb, seL4_CapInitThreadVSpace), true);
    cte_insert_root(cap_irq_control_cap_new(), slot_at(&rb, seL4_CapIRQControl), true);
    cte_insert_root(cap_asid_control_cap_new(), slot_at(&rb, seL4_CapASIDControl), true);
    cte_insert_root(cap_asid_pool_cap_new((pptr_t)pool, 0),
                    slot_at(&rb, seL4_CapInitThreadASIDPool), true);
    rb.next_slot = seL4_NumInitialCaps;

    /* The image, then the IPC buffer and the boot info frame after it. */
    bi->userImageFrames.start = rb.next_slot;
    for (vptr_t v = ui_start; v < ui_end; v += BIT(seL4_PageBits))
        fill_page(elf, v, map_root_frame(&rb, v, 0));
    bi->userImageFrames.end = rb.next_slot;
    map_root_frame(&rb, ipc_vaddr, seL4_CapInitThreadIPCBuffer);
    paddr_t bi_pa = paddr_from_ptr((pptr_t)bi);
    vspace_boot_map_page(rb.pd, bi_vaddr, bi_pa, VM_READ_WRITE, boot_alloc_pt);
    cte_insert_root(cap_frame_cap_new(bi_pa, frame_small, VM_READ_WRITE, false, 1, bi_vaddr),
                    slot_at(&rb, seL4_CapBootInfoFrame), true);
    /* One page of extra boot info after it: the Keel memory chunk. */
    bi->extraBIPages.start = rb.next_slot;
    seL4_BootInfoHeader *hdr = map_root_frame(&rb, bi_vaddr + BIT(seL4_PageBits), 0);
    bi->extraBIPages.end = rb.next_slot;
    bi->extraLen = BIT(seL4_PageBits);
    hdr->id = SEL4_BOOTINFO_HEADER_KEEL_MEMORY;
    hdr->len = sizeof(*hdr) + sizeof(seL4_KeelMemoryInfo);
    boot_memory_info = (seL4_KeelMemoryInfo *)(hdr + 1);
    boot_memory_info->ramBase = PHYS_RAM_BASE;
    boot_memory_info->ramSize = ram_bytes;
    boot_memory_info->kernelStart = paddr_from_ptr((pptr_t)__kernel_start);
    boot_memory_info->kernelEnd = paddr_from_ptr((pptr_t)__kernel_end);

    /* Page tables of the root VSpace, in address order. */
    bi->userImagePaging.start = rb.next_slot;
    for (word_t i = 0; i < KERNEL_PD_INDEX; i++) {
        if ((rb.pd[i] & PDE_TYPE_MASK) == PDE_COARSE)
            add_cap(&rb, cap_page_table_cap_new(ptr_from_paddr(rb.pd[i] & ~MASK(10)), 1, i << 20));
    }
    bi->userImagePaging.end = rb.next_slot;

    /* The TCB. */
    cte_insert_root(cap_thread_cap_new((pptr_t)tcb), slot_at(&rb, seL4_CapInitThreadTCB), true);
    tcb->ctx.regs[CPSR] = CPSR_MODE_USR;
    tcb->timeslice = CONFIG_TIMESLICE_TICKS;
    cte_insert_root(cap_reply_cap_new((pptr_t)tcb, true, true), &tcb->slots[tcb_reply_slot], true);
    cte_insert(cnode_cap, slot_at(&rb, seL4_CapInitThreadCNode), &tcb->slots[tcb_cspace_slot]);
    cte_insert(slot_at(&rb, seL4_CapInitThreadVSpace)->cap, slot_at(&rb, seL4_CapInitThreadVSpace),
               &tcb->slots[tcb_vspace_slot]);
    cte_insert(slot_at(&rb, seL4_CapInitThreadIPCBuffer)->cap,
               slot_at(&rb, seL4_CapInitThreadIPCBuffer), &tcb->slots[tcb_buffer_slot]);
    tcb->ipc_buffer = ipc_vaddr;
    tcb->priority = seL4_MaxPrio;
    tcb->mcp = seL4_MaxPrio;
    word_t entry = elf->entry;
    tcb->ctx.regs[NEXT_PC] = entry & ~1u;
    tcb->ctx.regs[FAULT_PC] = entry & ~1u;
    if (entry & 1u)
        tcb->ctx.regs[CPSR] |= CPSR_THUMB;
    tcb->ctx.regs[R0] = bi_vaddr;
    tcb->ctx.regs[TPIDRURW] = ipc_vaddr;
    const char name[] = "rootserver";
    for (word_t i = 0; i < sizeof(name); i++)
        tcb->name[i] = name[i];
    tcb->state = thread_running;

    /* The embedded image has been copied: its pages are free memory now. */
    free_region_add(ROUND_UP(paddr_from_ptr((pptr_t)rootserver_image_start), seL4_PageBits),
                    ROUND_DOWN(paddr_from_ptr((pptr_t)rootserver_image_end), seL4_PageBits));

    /* Boot info, then all remaining memory as Untypeds. */
    bi->nodeID = 0;
    bi->numNodes = 1;
    bi->ipcBuffer = (seL4_IPCBuffer *)ipc_vaddr;
    bi->initThreadCNodeSizeBits = CONFIG_ROOT_CNODE_SIZE_BITS;
    bi->untyped.start = bi->untyped.end = rb.next_slot;
    for (word_t i = 0; i < n_free_regions; i++)
        add_untypeds(&rb, free_regions[i].start, free_regions[i].end, false);
    n_free_regions = 0;
    word_t window = MIN(ram_bytes, KERNEL_WINDOW_SIZE);
    if (ram_bytes > window) /* RAM the kernel window does not reach: frames only */
        add_untypeds(&rb, PHYS_RAM_BASE + window, PHYS_RAM_BASE + ram_bytes, true);
    add_device_untypeds(&rb);
    bi->empty.start = rb.next_slot;
    bi->empty.end = BIT(CONFIG_ROOT_CNODE_SIZE_BITS);
    boot_memory_info->rootObjectsBytes = boot_alloc_bytes;
    return tcb;
}

NORETURN void init_kernel(word_t ram_bytes)
{
    write_vbar((word_t)arm_vectors);
    vspace_init_kernel();
    serial_init();
#ifdef CONFIG_DEBUG
    const char *variant = "debug";
#else
    const char *variant = "release";
#endif
    kprintf("\nKeel kernel (%s) on i.MX6 Sabre Lite: %u MiB RAM at %p\n", variant, ram_bytes >> 20,
            (void *)PHYS_RAM_BASE);

    vfp_init();
    irq_controller_init();
    irq_state_init();

    word_t window = MIN(ram_bytes, KERNEL_WINDOW_SIZE);
    free_region_add(paddr_from_ptr((pptr_t)__kernel_end), PHYS_RAM_BASE + window);
    tcb_t *root = create_root_task(ram_bytes);

    tick_timer_init(CONFIG_TICK_US);
    irq_unmask(IRQ_KERNEL_TIMER);
    idle_thread_init();
    sched_action = root;
    schedule();

    boot_done_ticks = global_timer_read();
    boot_memory_info->bootInstructions =
        (word_t)(boot_done_ticks * (1000000000ull / GLOBAL_TIMER_HZ));
#ifdef CONFIG_DEBUG
    kprintf("boot: %u guest instructions from kernel entry to the root server\n",
            (word_t)(boot_done_ticks * (1000000000ull / GLOBAL_TIMER_HZ)));
#endif
    activate_and_return();
}
