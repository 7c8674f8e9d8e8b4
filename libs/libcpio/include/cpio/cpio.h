/*
 * cpio.h: a validating, allocation-free reader for "newc" cpio archives (the initrd format).
 *
 * Freestanding like libelf: the archive stays in the caller's buffer, and every pointer handed
 * back points into it.
 *
 * Format accepted. Each entry is a 110-byte ASCII header, the name, NUL padding to a multiple of
 * 4 bytes (counted from the start of the archive), the file data and NUL padding to a multiple of
 * 4 again. The header is a 6-byte magic and 13 fields of exactly 8 hex digits (either case; GNU
 * cpio writes upper case): ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor,
 * rdevmajor, rdevminor, namesize, check.
 *   - magic "070701" (newc; check is ignored) or "070702" (newc with checksum: for a regular file
 *     check must equal the 32-bit sum of its data bytes, and is verified; GNU cpio writes 0 for
 *     other types, so it is not checked for them). The old binary and "070707" (odc) formats
 *     are rejected;
 *   - namesize counts the terminating NUL: it must be >= 1, byte namesize-1 must be NUL and no
 *     earlier byte may be;
 *   - the archive ends with an entry named "TRAILER!!!"; whatever follows it (GNU cpio pads to a
 *     512-byte block) is ignored. Padding bytes are skipped, not checked;
 *   - hard links are not resolved: an entry's data is what that entry holds.
 *
 * Paths. Archive names are kept as stored (cpio_entry_t.name). For lookups, and in
 * cpio_entry_t.path, a name is taken without its leading "/" and "./" prefixes (any number, in
 * any order), and a name that is then "." or empty is the root, path "". So "./bin/sh", "/bin/sh"
 * and "bin/sh" all match each other; nothing else is normalised ("a//b", "a/../b" and a trailing
 * "/" are compared as they are).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    CPIO_OK = 0,
    CPIO_ERR_ARG,               /* a NULL pointer argument */
    CPIO_ERR_TRUNCATED_HEADER,  /* fewer than 110 bytes left for an entry header */
    CPIO_ERR_MAGIC,             /* magic is not "070701" or "070702" */
    CPIO_ERR_HEX,               /* a header field is not exactly 8 hex digits */
    CPIO_ERR_NAMESIZE,          /* namesize is 0 */
    CPIO_ERR_TRUNCATED_NAME,    /* the name or its padding runs past the end of the archive */
    CPIO_ERR_NAME_UNTERMINATED, /* byte namesize-1 of the name is not NUL */
    CPIO_ERR_NAME_NUL,          /* a NUL inside the name before byte namesize-1 */
    CPIO_ERR_TRUNCATED_DATA,    /* the file data or its padding runs past the end */
    CPIO_ERR_CHECKSUM,          /* "070702" entry whose data does not sum to its check field */
    CPIO_ERR_NO_TRAILER,        /* the archive ends without a "TRAILER!!!" entry */
    CPIO_ERR_NOT_FOUND,         /* cpio_find: no entry with that path */
    CPIO_ERR_COUNT              /* number of codes, not an error */
} cpio_err_t;

/* File type bits of cpio_entry_t.mode (as in st_mode). */
#define CPIO_S_IFMT  0170000u
#define CPIO_S_IFDIR 0040000u
#define CPIO_S_IFREG 0100000u
#define CPIO_S_IFLNK 0120000u

/*
 * A validated archive: cpio_open() has walked every entry up to the trailer. Treat the fields as
 * read-only. After a failed cpio_open() end and count are zero, so iteration yields nothing.
 */
typedef struct {
    const uint8_t *buf;
    size_t len;
    size_t end;        /* offset just past the trailer entry */
    size_t count;      /* entries before the trailer */
    size_t bad_offset; /* after a failure: offset of the header of the entry at fault */
} cpio_t;

typedef struct {
    const char *name; /* as stored, NUL-terminated inside the archive */
    const char *path; /* name without leading "/" and "./"; "" for the root (see above) */
    size_t namelen;   /* strlen(name), namesize - 1 */
    uint32_t ino;
    uint32_t mode;
    uint32_t uid;
    uint32_t gid;
    uint32_t nlink;
    uint32_t mtime;
    uint32_t size; /* bytes of data */
    uint32_t devmajor;
    uint32_t devminor;
    uint32_t rdevmajor;
    uint32_t rdevminor;
    uint32_t check;
    const uint8_t *data; /* size bytes inside the archive */
} cpio_entry_t;

/* Validates the whole archive of len bytes at buf (see the top of this file). Returns CPIO_OK or
 * the first problem found; a->bad_offset then is the offset of the entry concerned. */
cpio_err_t cpio_open(cpio_t *a, const void *buf, size_t len);

/* Iterates over the entries before the trailer, in archive order. Start with *cursor = 0; each
 * call fills *e and returns true, or returns false when there are no more. */
bool cpio_next(const cpio_t *a, size_t *cursor, cpio_entry_t *e);

/* Fills *e with the entry whose path (see above) equals path after the same prefix removal and
 * returns CPIO_OK, or returns CPIO_ERR_NOT_FOUND (and clears *e). If several match, the last one
 * wins, as when unpacking. (An out-parameter rather than a returned {err, entry} struct: the
 * entry is large, and returning it would make the compiler call memcpy, which a freestanding
 * library should not need.) */
cpio_err_t cpio_find(const cpio_t *a, const char *path, cpio_entry_t *e);

static inline bool cpio_is_dir(const cpio_entry_t *e)
{
    return (e->mode & CPIO_S_IFMT) == CPIO_S_IFDIR;
}

static inline bool cpio_is_reg(const cpio_entry_t *e)
{
    return (e->mode & CPIO_S_IFMT) == CPIO_S_IFREG;
}

static inline bool cpio_is_symlink(const cpio_entry_t *e)
{
    return (e->mode & CPIO_S_IFMT) == CPIO_S_IFLNK;
}

/* A one-line description of err; never NULL, also for values outside the enum. */
const char *cpio_strerror(cpio_err_t err);
