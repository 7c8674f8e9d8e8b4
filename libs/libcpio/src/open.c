/* open.c: cpio_open(), which walks and checks the whole archive once, and cpio_next(). */
#include "cpio_internal.h"

static bool is_trailer(const cpio_entry_t *e)
{
    return cpio_str_eq(e->name, "TRAILER!!!");
}

cpio_err_t cpio_open(cpio_t *a, const void *buf, size_t len)
{
    if (a == NULL)
        return CPIO_ERR_ARG;
    a->buf = buf;
    a->len = len;
    a->end = 0;
    a->count = 0;
    a->bad_offset = 0;
    if (buf == NULL)
        return CPIO_ERR_ARG;

    /* Every entry takes at least 112 bytes, so the walk ends. */
    size_t off = 0;
    size_t count = 0;
    for (;;) {
        cpio_entry_t e;
        size_t next = 0;
        cpio_err_t err = CPIO_ERR_NO_TRAILER;
        if (off != len)
            err = cpio_parse(buf, len, off, true, &e, &next);
        if (err != CPIO_OK) {
            a->bad_offset = off;
            return err;
        }
        if (is_trailer(&e)) {
            a->end = next;
            a->count = count;
            return CPIO_OK;
        }
        count++;
        off = next;
    }
}

bool cpio_next(const cpio_t *a, size_t *cursor, cpio_entry_t *e)
{
    size_t next;
    /* Parsing within [0, end) again cannot fail for offsets that cpio_open() walked; for any
     * other cursor it is still bounds-checked. */
    if (*cursor >= a->end || cpio_parse(a->buf, a->end, *cursor, false, e, &next) != CPIO_OK ||
        is_trailer(e))
        return false;
    *cursor = next;
    return true;
}
