#include <arch/arm/cache.h>
#include <arch/arm/machine.h>
#include <arch/arm/layout.h>

void cache_op_phys(word_t kind, paddr_t pa, word_t len)
{
    if (len == 0 || !paddr_in_window(pa, len))
        return;
    word_t line = BIT(L1_CACHE_LINE_BITS);
    pptr_t start = ROUND_DOWN(ptr_from_paddr(pa), L1_CACHE_LINE_BITS);
    pptr_t end = ptr_from_paddr(pa) + len;
    for (pptr_t a = start; a < end; a += line) {
        switch (kind) {
        case cache_clean:
            write_dccmvac(a);
            break;
        case cache_invalidate:
            write_dcimvac(a);
            break;
        case cache_clean_invalidate:
            write_dccimvac(a);
            break;
        default:
            write_dccmvau(a);
            break;
        }
    }
    dsb();
    if (kind == cache_unify) {
        write_iciallu(0);
        write_bpiall(0);
        dsb();
        isb();
    }
}
