/*
 * fuzz_cpio.c: libFuzzer target for libcpio.
 *
 * Runs the whole API over the input and checks what it returns against the input itself: every
 * entry's name and data lie inside the buffer (before the trailer's end), names end where namelen
 * says, paths are suffixes of names, every entry can be found again by name and by path. Any
 * violation aborts, which libFuzzer reports as a crash. ASan and UBSan catch the rest.
 */
#include <cpio/cpio.h>

#include <stdlib.h>
#include <string.h>

/* How many entries get the (quadratic) lookups; all of them get the cheap checks. */
#define CROSS_CHECKED 64

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

static void check_entry(const cpio_t *a, const cpio_entry_t *e, size_t header, size_t next)
{
    require_inside(e->name, (uint64_t)e->namelen + 1);
    require(e->name[e->namelen] == '\0' && strlen(e->name) == e->namelen);
    require(e->path >= e->name && e->path <= e->name + e->namelen);
    require((const uint8_t *)e->name == lo + header + 110);
    require_inside(e->data, e->size);
    require(e->data + e->size <= lo + next && next <= a->end);
    require((e->data - lo) % 4 == 0 && next % 4 == 0);
    require(strcmp(e->name, "TRAILER!!!") != 0);
    /* The path drops only leading "/" and "./" (and a final "."). */
    for (const char *p = e->name; p < e->path; p++)
        require(*p == '/' || *p == '.');
    require(e->path[0] != '/' && strncmp(e->path, "./", 2) != 0 && strcmp(e->path, ".") != 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lo = data;
    hi = data + size;
    cpio_t a;
    cpio_entry_t e, found;
    size_t cursor = 0;
    cpio_err_t err = cpio_open(&a, data, size);
    const char *msg = cpio_strerror(err);
    require(msg != NULL && msg[0] != '\0');
    require((unsigned)err < CPIO_ERR_COUNT && err != CPIO_ERR_ARG && err != CPIO_ERR_NOT_FOUND);
    if (err != CPIO_OK) {
        require(a.count == 0 && a.end == 0 && a.bad_offset <= size && a.bad_offset % 4 == 0);
        require(!cpio_next(&a, &cursor, &e));
        require(cpio_find(&a, "", &found) == CPIO_ERR_NOT_FOUND);
        return 0;
    }
    require(a.end <= size && a.end >= 112);

    size_t n = 0;
    for (size_t header = cursor; cpio_next(&a, &cursor, &e); header = cursor) {
        check_entry(&a, &e, header, cursor);
        if (n++ >= CROSS_CHECKED)
            continue;
        /* Found again by its stored name and by its path: the last entry with that path. */
        require(cpio_find(&a, e.name, &found) == CPIO_OK);
        require(strcmp(found.path, e.path) == 0);
        require(found.data >= e.data);
        require(cpio_find(&a, e.path, &found) == CPIO_OK);
        require(strcmp(found.path, e.path) == 0);
    }
    require(n == a.count);
    require(!cpio_next(&a, &cursor, &e));
    require(cpio_find(&a, "TRAILER!!!", &found) == CPIO_ERR_NOT_FOUND);
    require(found.name == NULL && found.data == NULL);
    return 0;
}
