/* entry.c: parsing and checking one newc entry. */
#include "cpio_internal.h"

/* Exactly 8 hex digits, either case; nothing else (no sign, no "0x", no spaces). */
static bool parse_hex8(const uint8_t *p, uint32_t *out)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < NEWC_FIELD_SIZE; i++) {
        uint8_t c = p[i];
        uint32_t d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return false;
        v = v << 4 | d;
    }
    *out = v;
    return true;
}

static uint64_t align4(uint64_t x)
{
    return (x + 3) & ~(uint64_t)3;
}

static bool is_magic(const uint8_t *p, char last)
{
    return p[0] == '0' && p[1] == '7' && p[2] == '0' && p[3] == '7' && p[4] == '0' && p[5] == last;
}

static uint32_t sum_bytes(const uint8_t *p, uint32_t n)
{
    uint32_t sum = 0;
    for (uint32_t i = 0; i < n; i++)
        sum += p[i];
    return sum;
}

cpio_err_t cpio_parse(const uint8_t *buf, size_t len, size_t off, bool verify, cpio_entry_t *e,
                      size_t *next)
{
    /* Header: magic and 13 hex fields, all inside the archive. */
    if (off > len || len - off < NEWC_HEADER_SIZE)
        return CPIO_ERR_TRUNCATED_HEADER;
    const uint8_t *h = buf + off;
    bool crc = is_magic(h, '2');
    if (!crc && !is_magic(h, '1'))
        return CPIO_ERR_MAGIC;
    uint32_t field[NEWC_FIELDS];
    for (unsigned i = 0; i < NEWC_FIELDS; i++) {
        if (!parse_hex8(h + NEWC_MAGIC_SIZE + i * NEWC_FIELD_SIZE, &field[i]))
            return CPIO_ERR_HEX;
    }

    /* Name: namesize bytes including the NUL, padded so the data starts 4-byte aligned. */
    uint32_t namesize = field[NEWC_NAMESIZE];
    if (namesize == 0)
        return CPIO_ERR_NAMESIZE;
    uint64_t name_off = (uint64_t)off + NEWC_HEADER_SIZE;
    uint64_t data_off = align4(name_off + namesize);
    if (data_off > len)
        return CPIO_ERR_TRUNCATED_NAME;
    const char *name = (const char *)buf + name_off;
    if (name[namesize - 1] != '\0')
        return CPIO_ERR_NAME_UNTERMINATED;
    for (uint32_t i = 0; i + 1 < namesize; i++) {
        if (name[i] == '\0')
            return CPIO_ERR_NAME_NUL;
    }

    /* Data: filesize bytes, padded so the next header starts 4-byte aligned. */
    uint32_t size = field[NEWC_FILESIZE];
    uint64_t end = align4(data_off + size);
    if (end > len)
        return CPIO_ERR_TRUNCATED_DATA;
    const uint8_t *data = buf + data_off;
    /* GNU cpio sums regular files only (a symlink's check is 0), and verifies only those. */
    bool regular = (field[NEWC_MODE] & CPIO_S_IFMT) == CPIO_S_IFREG;
    if (crc && verify && regular && sum_bytes(data, size) != field[NEWC_CHECK])
        return CPIO_ERR_CHECKSUM;

    e->name = name;
    e->path = cpio_path(name);
    e->namelen = namesize - 1;
    e->ino = field[NEWC_INO];
    e->mode = field[NEWC_MODE];
    e->uid = field[NEWC_UID];
    e->gid = field[NEWC_GID];
    e->nlink = field[NEWC_NLINK];
    e->mtime = field[NEWC_MTIME];
    e->size = size;
    e->devmajor = field[NEWC_DEVMAJOR];
    e->devminor = field[NEWC_DEVMINOR];
    e->rdevmajor = field[NEWC_RDEVMAJOR];
    e->rdevminor = field[NEWC_RDEVMINOR];
    e->check = field[NEWC_CHECK];
    e->data = data;
    *next = (size_t)end;
    return CPIO_OK;
}
