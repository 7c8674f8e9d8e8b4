/* find.c: path normalisation and lookup by path. */
#include "cpio_internal.h"

bool cpio_str_eq(const char *a, const char *b)
{
    while (*a != '\0' && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

const char *cpio_path(const char *name)
{
    for (;;) {
        if (name[0] == '/')
            name++;
        else if (name[0] == '.' && name[1] == '/')
            name += 2;
        else if (name[0] == '.' && name[1] == '\0')
            name++;
        else
            return name;
    }
}

static void entry_clear(cpio_entry_t *e)
{
    e->name = e->path = NULL;
    e->namelen = 0;
    e->ino = e->mode = e->uid = e->gid = e->nlink = e->mtime = e->size = 0;
    e->devmajor = e->devminor = e->rdevmajor = e->rdevminor = e->check = 0;
    e->data = NULL;
}

/* A header field that cpio_open() has already checked: 8 hex digits, either case. */
static uint32_t checked_hex8(const uint8_t *p)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < NEWC_FIELD_SIZE; i++) {
        uint32_t c = p[i];
        v = v << 4 | (c <= '9' ? c - '0' : (c | 0x20u) - 'a' + 10);
    }
    return v;
}

/*
 * The offset of the last entry named `want`, found by reading only the two sizes that lead
 * from one header to the next (cpio_open() checked every entry of [0, end) in full; the
 * bounds are still checked here, so a cpio_t that did not come from cpio_open() cannot
 * make the scan read outside the buffer: it then reports NOT_FOUND).
 */
static bool scan(const cpio_t *a, const char *want, size_t *found)
{
    bool any = false;
    size_t off = 0;
    if (a->end > a->len)
        return false;
    for (size_t i = 0; i < a->count; i++) {
        if (a->end - off < NEWC_HEADER_SIZE)
            return false;
        const uint8_t *h = a->buf + off;
        uint64_t namesize = checked_hex8(h + NEWC_MAGIC_SIZE + NEWC_NAMESIZE * NEWC_FIELD_SIZE);
        uint64_t size = checked_hex8(h + NEWC_MAGIC_SIZE + NEWC_FILESIZE * NEWC_FIELD_SIZE);
        uint64_t data = (off + NEWC_HEADER_SIZE + namesize + 3) & ~(uint64_t)3;
        uint64_t next = (data + size + 3) & ~(uint64_t)3;
        if (namesize == 0 || next > a->end)
            return false;
        const char *name = (const char *)h + NEWC_HEADER_SIZE;
        if (name[namesize - 1] != '\0')
            return false;
        if (cpio_str_eq(cpio_path(name), want)) {
            any = true;
            *found = off;
        }
        off = (size_t)next;
    }
    return any;
}

cpio_err_t cpio_find(const cpio_t *a, const char *path, cpio_entry_t *e)
{
    if (a == NULL || path == NULL || e == NULL)
        return CPIO_ERR_ARG;
    entry_clear(e);
    size_t found = 0;
    if (!scan(a, cpio_path(path), &found) || !cpio_next(a, &found, e)) {
        entry_clear(e);
        return CPIO_ERR_NOT_FOUND;
    }
    return CPIO_OK;
}
