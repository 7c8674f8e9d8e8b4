/*
 * test_cpio.c: host unit tests for libcpio.
 *
 * Inputs: archives GNU cpio wrote at test-build time (mkarchives.sh; newc and crc formats) from a
 * tree whose contents and metadata are listed in want[] below, archives written here entry by
 * entry, and copies of either damaged in one place each, checked for the exact error code.
 */
#include <cpio/cpio.h>

#include <stdlib.h>

#include "../check.h"

#define LONG_DIR "dir/a_directory_name_long_enough_to_push_the_path_well_past_one_hundred_bytes"
#define MTIME    1500000000u

/* The tree mkarchives.sh archives, in archive order. */
static const struct want {
    const char *name;
    uint32_t mode;
    const char *data; /* NULL for directories */
    uint32_t size;
} want[] = {
    {".", 0040755, NULL, 0},
    {"dir", 0040750, NULL, 0},
    {LONG_DIR, 0040750, NULL, 0},
    {LONG_DIR "/and_one_more_level", 0040750, NULL, 0},
    {LONG_DIR "/and_one_more_level/file_with_a_long_name.txt", 0100644, "deep file\n", 10},
    {"empty", 0100644, "", 0},
    {"exec.sh", 0100755, "#!/bin/sh\necho hi\n", 18},
    {"four.bin", 0100644, "keel", 4},
    {"hello.txt", 0100644, "hello\n", 6},
    {"link", 0120777, "hello.txt", 9},
};
#define NWANT (sizeof want / sizeof want[0])

struct archive {
    uint8_t *buf;
    size_t len;
};

static struct archive newc, crc;

static struct archive load(const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", CPIO_TEST_DIR, name);
    FILE *fp = fopen(path, "rb");
    struct archive a = {NULL, 0};
    if (fp == NULL || fseek(fp, 0, SEEK_END) != 0) {
        printf("cannot read %s\n", path);
        exit(2);
    }
    a.len = (size_t)ftell(fp);
    rewind(fp);
    a.buf = malloc(a.len);
    if (a.buf == NULL || fread(a.buf, 1, a.len, fp) != a.len) {
        printf("cannot read %s\n", path);
        exit(2);
    }
    fclose(fp);
    return a;
}

/* A private copy of exactly len bytes (so that ASan sees any read past the end). */
static uint8_t *copy(const struct archive *a, size_t len)
{
    uint8_t *b = malloc(len ? len : 1);
    memcpy(b, a->buf, len);
    return b;
}

static cpio_err_t open_code(uint8_t *b, size_t len, size_t *bad_offset)
{
    cpio_t a;
    cpio_err_t err = cpio_open(&a, b, len);
    if (bad_offset != NULL)
        *bad_offset = a.bad_offset;
    free(b);
    return err;
}

/* ---- the archive layout, read independently with sscanf -------------------------------------- */

struct layout {
    size_t start;    /* header */
    size_t name_end; /* header + name + padding */
    size_t end;      /* + data + padding */
    char name[256];
};

static size_t up4(size_t x)
{
    return (x + 3) / 4 * 4;
}

static unsigned field(const uint8_t *h, unsigned i)
{
    char text[9];
    unsigned v = 0;
    memcpy(text, h + 6 + 8 * i, 8);
    text[8] = '\0';
    sscanf(text, "%8x", &v);
    return v;
}

/* Splits a well-formed archive into entries, trailer included; returns the count. */
static size_t split(const struct archive *a, struct layout *out, size_t max)
{
    size_t n = 0;
    for (size_t off = 0; n < max;) {
        struct layout *l = &out[n++];
        unsigned namesize = field(a->buf + off, 11), filesize = field(a->buf + off, 6);
        l->start = off;
        l->name_end = up4(off + 110 + namesize);
        l->end = up4(l->name_end + filesize);
        snprintf(l->name, sizeof l->name, "%s", (const char *)a->buf + off + 110);
        if (strcmp(l->name, "TRAILER!!!") == 0)
            break;
        off = l->end;
    }
    return n;
}

/* ---- writing archives -------------------------------------------------------------------------- */

/* Appends one entry at *off of buf; returns the entry's header offset. */
static size_t put(uint8_t *buf, size_t *off, const char *magic, const char *name, uint32_t mode,
                  const char *data)
{
    size_t start = *off;
    uint32_t size = (uint32_t)strlen(data), sum = 0;
    for (uint32_t i = 0; i < size; i++)
        sum += (uint8_t)data[i];
    char h[111];
    snprintf(h, sizeof h, "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", magic, 7u, mode,
             0u, 0u, 1u, MTIME, size, 0u, 0u, 0u, 0u, (unsigned)strlen(name) + 1,
             strcmp(magic, "070702") == 0 ? sum : 0);
    memcpy(buf + *off, h, 110);
    *off += 110;
    memcpy(buf + *off, name, strlen(name) + 1);
    *off += strlen(name) + 1;
    while (*off % 4)
        buf[(*off)++] = 0;
    memcpy(buf + *off, data, size);
    *off += size;
    while (*off % 4)
        buf[(*off)++] = 0;
    return start;
}

static size_t put_trailer(uint8_t *buf, size_t *off)
{
    return put(buf, off, "070701", "TRAILER!!!", 0, "");
}

/* ---- archives from GNU cpio ---------------------------------------------------------------- */

static void check_entries(const struct archive *ar, bool crc_format)
{
    cpio_t a;
    CHECK_EQ(cpio_open(&a, ar->buf, ar->len), CPIO_OK);
    CHECK_EQ(a.count, NWANT);
    size_t cursor = 0, n = 0;
    cpio_entry_t e;
    while (cpio_next(&a, &cursor, &e)) {
        CHECK(n < NWANT);
        if (n >= NWANT)
            break;
        const struct want *w = &want[n++];
        CHECK_STR(e.name, w->name);
        CHECK_EQ(e.namelen, strlen(w->name));
        CHECK_EQ(e.mode, w->mode);
        CHECK_EQ(e.size, w->size);
        CHECK_EQ(e.uid, 0);
        CHECK_EQ(e.gid, 0);
        CHECK_EQ(e.mtime, MTIME);
        CHECK_EQ(e.devmajor, 0); /* --reproducible */
        CHECK_EQ(e.devminor, 0);
        CHECK_EQ(e.rdevmajor, 0);
        CHECK_EQ(e.rdevminor, 0);
        if (w->data == NULL) {
            CHECK(cpio_is_dir(&e));
        } else {
            CHECK(cpio_is_reg(&e) || cpio_is_symlink(&e));
            CHECK_EQ(e.nlink, 1);
            CHECK(memcmp(e.data, w->data, w->size) == 0);
        }
        /* Data inside the archive, 4-aligned from its start. */
        CHECK(e.data >= ar->buf && e.data + e.size <= ar->buf + ar->len);
        CHECK_EQ((e.data - ar->buf) % 4, 0);
        uint32_t sum = 0;
        for (uint32_t i = 0; i < e.size; i++)
            sum += e.data[i];
        /* GNU cpio sums regular files only. */
        CHECK_EQ(e.check, crc_format && cpio_is_reg(&e) ? sum : 0);
    }
    CHECK_EQ(n, NWANT);
    CHECK(!cpio_next(&a, &cursor, &e));
}

TEST(CPIO001, "GNU newc archive: every entry's name, mode, size, owner, mtime and data")
{
    check_entries(&newc, false);
    cpio_t a;
    CHECK_EQ(cpio_open(&a, newc.buf, newc.len), CPIO_OK);
    CHECK_EQ(a.len, newc.len);
    CHECK_EQ(a.len % 512, 0); /* GNU pads to blocks after the trailer */
    CHECK(a.end < a.len);
}

TEST(CPIO002, "GNU crc (070702) archive: same entries, check = sum of the data bytes")
{
    check_entries(&crc, true);
}

TEST(CPIO003, "types: directories, regular files, an executable, a symlink with its target")
{
    cpio_t a;
    cpio_entry_t e;
    CHECK_EQ(cpio_open(&a, newc.buf, newc.len), CPIO_OK);
    CHECK_EQ(cpio_find(&a, "link", &e), CPIO_OK);
    CHECK(cpio_is_symlink(&e) && !cpio_is_reg(&e) && !cpio_is_dir(&e));
    CHECK_EQ(e.size, 9);
    CHECK(memcmp(e.data, "hello.txt", 9) == 0);
    CHECK_EQ(cpio_find(&a, "exec.sh", &e), CPIO_OK);
    CHECK(cpio_is_reg(&e));
    CHECK_EQ(e.mode & 0777, 0755);
    CHECK_EQ(cpio_find(&a, LONG_DIR, &e), CPIO_OK);
    CHECK(cpio_is_dir(&e));
    CHECK(strlen(LONG_DIR "/and_one_more_level/file_with_a_long_name.txt") > 100);
}

TEST(CPIO004, "find: plain, \"./\" and \"/\" prefixes match; the root is \".\", \"\" or \"/\"")
{
    cpio_t a;
    cpio_entry_t e;
    CHECK_EQ(cpio_open(&a, newc.buf, newc.len), CPIO_OK);
    static const char *const hello[] = {"hello.txt", "./hello.txt", "/hello.txt", "/./hello.txt",
                                        "././/hello.txt"};
    for (size_t i = 0; i < sizeof hello / sizeof hello[0]; i++) {
        CHECK_EQ(cpio_find(&a, hello[i], &e), CPIO_OK);
        CHECK_STR(e.name, "hello.txt");
        CHECK_STR(e.path, "hello.txt");
        CHECK_EQ(e.size, 6);
        CHECK(memcmp(e.data, "hello\n", 6) == 0);
    }
    static const char *const root[] = {"", ".", "/", "./", "/."};
    for (size_t i = 0; i < sizeof root / sizeof root[0]; i++) {
        CHECK_EQ(cpio_find(&a, root[i], &e), CPIO_OK);
        CHECK_STR(e.name, ".");
        CHECK_STR(e.path, "");
    }
    const char *deep = LONG_DIR "/and_one_more_level/file_with_a_long_name.txt";
    CHECK_EQ(cpio_find(&a, deep, &e), CPIO_OK);
    CHECK(memcmp(e.data, "deep file\n", 10) == 0);
    CHECK_EQ(cpio_find(&a, "empty", &e), CPIO_OK);
    CHECK_EQ(e.size, 0);
    CHECK(e.data >= newc.buf && e.data <= newc.buf + newc.len);
}

TEST(CPIO005, "find misses: NOT_FOUND (and a cleared entry); nothing else is normalised")
{
    cpio_t a;
    cpio_entry_t e;
    CHECK_EQ(cpio_open(&a, newc.buf, newc.len), CPIO_OK);
    static const char *const miss[] = {
        "hello", "hello.txt/", "hello.txtx",   "Hello.txt",        "dir/",      "dir//",
        "nope",  "TRAILER!!!", "../hello.txt", "dir/../hello.txt", ".hello.txt"};
    for (size_t i = 0; i < sizeof miss / sizeof miss[0]; i++) {
        CHECK_EQ(cpio_find(&a, miss[i], &e), CPIO_ERR_NOT_FOUND);
        CHECK(e.name == NULL && e.data == NULL && e.size == 0);
    }
    CHECK_EQ(cpio_find(&a, NULL, &e), CPIO_ERR_ARG);
    CHECK_EQ(cpio_find(NULL, "hello.txt", &e), CPIO_ERR_ARG);
    CHECK_EQ(cpio_find(&a, "hello.txt", NULL), CPIO_ERR_ARG);
}

TEST(CPIO006, "written here: \"./\" names as other tools emit, duplicates (last wins)")
{
    uint8_t buf[4096];
    size_t off = 0;
    put(buf, &off, "070701", ".", 0040755, "");
    put(buf, &off, "070701", "./bin", 0040755, "");
    put(buf, &off, "070701", "./bin/sh", 0100755, "first");
    put(buf, &off, "070701", "/etc/motd", 0100644, "hi");
    put(buf, &off, "070701", "bin/sh", 0100755, "second!");
    put_trailer(buf, &off);
    cpio_t a;
    cpio_entry_t e;
    CHECK_EQ(cpio_open(&a, buf, off), CPIO_OK);
    CHECK_EQ(a.count, 5);
    CHECK_EQ(a.end, off);
    CHECK_EQ(cpio_find(&a, "bin/sh", &e), CPIO_OK);
    CHECK_STR(e.name, "bin/sh");
    CHECK(memcmp(e.data, "second!", 7) == 0);
    CHECK_EQ(cpio_find(&a, "/bin", &e), CPIO_OK);
    CHECK_STR(e.name, "./bin");
    CHECK_STR(e.path, "bin");
    CHECK_EQ(cpio_find(&a, "etc/motd", &e), CPIO_OK);
    CHECK_STR(e.path, "etc/motd");
    CHECK_EQ(cpio_find(&a, "./etc/motd", &e), CPIO_OK);
    CHECK_EQ(cpio_find(&a, "etc", &e), CPIO_ERR_NOT_FOUND);
}

TEST(CPIO007, "after the trailer anything goes; \"TRAILER!!!x\" is an ordinary entry")
{
    uint8_t buf[4096];
    size_t off = 0;
    put(buf, &off, "070701", "TRAILER!!!x", 0100644, "data");
    put(buf, &off, "070701", "TRAILER!!", 0100644, "");
    put(buf, &off, "070701", "TRAILER!!!", 0100644, "trailer data is allowed");
    size_t end = off;
    memcpy(buf + off, "garbage", 7);
    cpio_t a;
    CHECK_EQ(cpio_open(&a, buf, off + 7), CPIO_OK);
    CHECK_EQ(a.count, 2);
    CHECK_EQ(a.end, end);
    /* A trailer alone is an empty archive. */
    off = 0;
    put_trailer(buf, &off);
    CHECK_EQ(cpio_open(&a, buf, off), CPIO_OK);
    CHECK_EQ(a.count, 0);
    size_t cursor = 0;
    cpio_entry_t e;
    CHECK(!cpio_next(&a, &cursor, &e));
}

TEST(CPIO008, "hex digits in lower case are accepted too (GNU writes upper case)")
{
    uint8_t *b = copy(&newc, newc.len);
    /* The first entry's mode field: "000041ED" -> "000041ed". */
    CHECK(memcmp(b + 6 + 8, "000041ED", 8) == 0);
    memcpy(b + 6 + 8, "000041ed", 8);
    cpio_t a;
    cpio_entry_t e;
    CHECK_EQ(cpio_open(&a, b, newc.len), CPIO_OK);
    CHECK_EQ(cpio_find(&a, ".", &e), CPIO_OK);
    CHECK_EQ(e.mode, 0040755);
    free(b);
}

TEST(CPIO009, "buffer at an odd address: same results (no alignment assumed)")
{
    uint8_t *odd = malloc(newc.len + 1);
    memcpy(odd + 1, newc.buf, newc.len);
    cpio_t a;
    cpio_entry_t e;
    CHECK_EQ(cpio_open(&a, odd + 1, newc.len), CPIO_OK);
    CHECK_EQ(cpio_find(&a, "four.bin", &e), CPIO_OK);
    CHECK(memcmp(e.data, "keel", 4) == 0);
    free(odd);
}

/* ---- damaged archives ------------------------------------------------------------------------ */

TEST(CPIO010, "bad magic in any of the 6 bytes, odc \"070707\", \"070700\": CPIO_ERR_MAGIC")
{
    for (unsigned i = 0; i < 6; i++) {
        uint8_t *b = copy(&newc, newc.len);
        b[i] ^= 0x01;
        CHECK_EQ(open_code(b, newc.len, NULL), CPIO_ERR_MAGIC);
    }
    static const char *const magics[] = {"070707", "070700", "070703", "07070 "};
    for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++) {
        uint8_t *b = copy(&newc, newc.len);
        memcpy(b, magics[i], 6);
        CHECK_EQ(open_code(b, newc.len, NULL), CPIO_ERR_MAGIC);
    }
    /* In a later entry: bad_offset names that entry's header. */
    struct layout l[32];
    split(&newc, l, 32);
    size_t bad;
    uint8_t *b = copy(&newc, newc.len);
    b[l[5].start] = 'x';
    CHECK_EQ(open_code(b, newc.len, &bad), CPIO_ERR_MAGIC);
    CHECK_EQ(bad, l[5].start);
}

TEST(CPIO011, "a non-hex byte in any position of any of the 13 fields: CPIO_ERR_HEX")
{
    static const uint8_t junk[] = {'g', 'G', 'x', ' ', '-', '+', '\0', 0xff, '/', ':', '@', '`'};
    struct layout l[32];
    split(&newc, l, 32);
    for (unsigned pos = 6; pos < 110; pos++) {
        for (size_t j = 0; j < sizeof junk; j++) {
            uint8_t *b = copy(&newc, newc.len);
            size_t bad;
            b[l[2].start + pos] = junk[j];
            cpio_err_t err = open_code(b, newc.len, &bad);
            if (err != CPIO_ERR_HEX || bad != l[2].start) {
                CHECK_EQ(pos, 0); /* report the first failure only */
                CHECK_EQ(err, CPIO_ERR_HEX);
                return;
            }
        }
    }
}

/* Rewrites field i (0 = ino ... 12 = check) of the header at h. */
static void set_field(uint8_t *h, unsigned i, uint32_t v)
{
    char text[9];
    snprintf(text, sizeof text, "%08X", v);
    memcpy(h + 6 + 8 * i, text, 8);
}

TEST(CPIO012, "namesize 0: CPIO_ERR_NAMESIZE")
{
    uint8_t *b = copy(&newc, newc.len);
    set_field(b, 11, 0);
    CHECK_EQ(open_code(b, newc.len, NULL), CPIO_ERR_NAMESIZE);
}

TEST(CPIO013, "name not NUL-terminated at namesize-1: UNTERMINATED; NUL inside: NAME_NUL")
{
    struct layout l[32];
    split(&newc, l, 32);
    size_t h = l[8].start; /* "hello.txt", namesize 10 */
    CHECK_STR(l[8].name, "hello.txt");
    uint8_t *b = copy(&newc, newc.len);
    b[h + 110 + 9] = '!';
    CHECK_EQ(open_code(b, newc.len, NULL), CPIO_ERR_NAME_UNTERMINATED);
    b = copy(&newc, newc.len);
    set_field(b + h, 11, 9); /* one short: byte 8 is 't' */
    CHECK_EQ(open_code(b, newc.len, NULL), CPIO_ERR_NAME_UNTERMINATED);
    /* One long, where that byte is name padding: the real NUL is now inside the name. */
    CHECK_STR(l[7].name, "four.bin");
    b = copy(&newc, newc.len);
    set_field(b + l[7].start, 11, 10);
    CHECK_EQ(open_code(b, newc.len, NULL), CPIO_ERR_NAME_NUL);
    b = copy(&newc, newc.len);
    b[h + 110 + 5] = '\0';
    CHECK_EQ(open_code(b, newc.len, NULL), CPIO_ERR_NAME_NUL);
    b = copy(&newc, newc.len);
    b[h + 110] = '\0'; /* an empty first byte */
    CHECK_EQ(open_code(b, newc.len, NULL), CPIO_ERR_NAME_NUL);
}

TEST(CPIO014, "truncated at every length: header, name, data or trailer missing")
{
    const struct archive *arcs[] = {&newc, &crc};
    for (size_t k = 0; k < 2; k++) {
        const struct archive *ar = arcs[k];
        struct layout l[32];
        size_t n = split(ar, l, 32);
        CHECK_EQ(n, NWANT + 1);
        for (size_t len = 0; len < ar->len; len++) {
            cpio_err_t expect = CPIO_OK;
            size_t at = 0;
            for (size_t i = 0; i < n; i++) {
                if (len >= l[i].end)
                    continue;
                at = l[i].start;
                expect = len == l[i].start        ? CPIO_ERR_NO_TRAILER
                         : len < l[i].start + 110 ? CPIO_ERR_TRUNCATED_HEADER
                         : len < l[i].name_end    ? CPIO_ERR_TRUNCATED_NAME
                                                  : CPIO_ERR_TRUNCATED_DATA;
                break;
            }
            size_t bad;
            cpio_err_t got = open_code(copy(ar, len), len, &bad);
            if (got != expect || (expect != CPIO_OK && bad != at)) {
                CHECK_EQ(len, 0); /* report the first failing length */
                CHECK_EQ(got, expect);
                CHECK_EQ(bad, at);
                break;
            }
        }
    }
}

TEST(CPIO015, "sizes past the end or overflowing: TRUNCATED_NAME / TRUNCATED_DATA")
{
    struct layout l[32];
    split(&newc, l, 32);
    size_t h = l[8].start; /* "hello.txt", 6 bytes */
    static const struct {
        unsigned field;
        uint32_t value;
        cpio_err_t code;
    } cases[] = {
        {6, 0xffffffff, CPIO_ERR_TRUNCATED_DATA},  {6, 0xfffffffc, CPIO_ERR_TRUNCATED_DATA},
        {6, 0x80000000, CPIO_ERR_TRUNCATED_DATA},  {11, 0xffffffff, CPIO_ERR_TRUNCATED_NAME},
        {11, 0xfffffffd, CPIO_ERR_TRUNCATED_NAME}, {11, 0x80000000, CPIO_ERR_TRUNCATED_NAME},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t *b = copy(&newc, newc.len);
        set_field(b + h, cases[i].field, cases[i].value);
        CHECK_EQ(open_code(b, newc.len, NULL), cases[i].code);
    }
    /* Data (with its padding) ending exactly at the end of the buffer is fine; one more byte is
     * not. Built here so that nothing follows the last entry's data. */
    uint8_t buf[1024] = {0};
    size_t off = 0;
    put(buf, &off, "070701", "a", 0100644, "1234");
    size_t t = put_trailer(buf, &off);
    CHECK_EQ(open_code(memcpy(malloc(off), buf, off), off, NULL), CPIO_OK);
    set_field(buf + t, 6, 1); /* the trailer now claims 1 byte (+3 padding) past the end */
    CHECK_EQ(open_code(memcpy(malloc(off), buf, off), off, NULL), CPIO_ERR_TRUNCATED_DATA);
    CHECK_EQ(open_code(memcpy(malloc(off + 4), buf, off + 4), off + 4, NULL), CPIO_OK);
    CHECK_EQ(open_code(memcpy(malloc(off + 3), buf, off + 3), off + 3, NULL),
             CPIO_ERR_TRUNCATED_DATA); /* the padding is required too */
}

TEST(CPIO016, "no trailer: empty input, cut before it, renamed, or running into padding")
{
    cpio_t a;
    uint8_t empty[1] = {0};
    CHECK_EQ(cpio_open(&a, empty, 0), CPIO_ERR_NO_TRAILER);
    struct layout l[32];
    size_t n = split(&newc, l, 32);
    size_t t = l[n - 1].start;
    CHECK_EQ(open_code(copy(&newc, t), t, NULL), CPIO_ERR_NO_TRAILER);
    /* Renamed: the walk goes on into GNU's zero padding, which is no header. */
    uint8_t *b = copy(&newc, newc.len);
    b[t + 110 + 9] = '?';
    size_t bad;
    CHECK_EQ(open_code(b, newc.len, &bad), CPIO_ERR_MAGIC);
    CHECK_EQ(bad, l[n - 1].end);
    /* Renamed, with nothing after it. */
    b = copy(&newc, l[n - 1].end);
    b[t + 110 + 9] = '?';
    CHECK_EQ(open_code(b, l[n - 1].end, &bad), CPIO_ERR_NO_TRAILER);
    CHECK_EQ(bad, l[n - 1].end);
}

TEST(CPIO017, "crc format: a changed data byte or check field gives CPIO_ERR_CHECKSUM")
{
    struct layout l[32];
    split(&crc, l, 32);
    size_t h = l[8].start; /* "hello.txt" */
    uint8_t *b = copy(&crc, crc.len);
    b[l[8].name_end] ^= 0x01;
    size_t bad;
    CHECK_EQ(open_code(b, crc.len, &bad), CPIO_ERR_CHECKSUM);
    CHECK_EQ(bad, h);
    b = copy(&crc, crc.len);
    set_field(b + h, 12, 0);
    CHECK_EQ(open_code(b, crc.len, NULL), CPIO_ERR_CHECKSUM);
    /* Only regular files are summed: the symlink's target may change under the same check. */
    CHECK_STR(l[9].name, "link");
    b = copy(&crc, crc.len);
    b[l[9].name_end] ^= 0x01;
    CHECK_EQ(open_code(b, crc.len, NULL), CPIO_OK);
    /* newc ignores the check field, and has no checksum to break. */
    split(&newc, l, 32);
    b = copy(&newc, newc.len);
    b[l[8].name_end] ^= 0x01;
    set_field(b + l[8].start, 12, 0x12345678);
    CHECK_EQ(open_code(b, newc.len, NULL), CPIO_OK);
    /* Bytes sum modulo 2^32: written here, 0xff * 7 = 0x6f9. */
    uint8_t buf[512];
    size_t off = 0;
    put(buf, &off, "070702", "ff", 0100644, "\xff\xff\xff\xff\xff\xff\xff");
    put_trailer(buf, &off);
    CHECK_EQ(field(buf, 12), 0x6f9);
    cpio_t a;
    CHECK_EQ(cpio_open(&a, buf, off), CPIO_OK);
}

TEST(CPIO018, "NULL arguments: CPIO_ERR_ARG; after a failed open nothing is iterated")
{
    cpio_t a;
    CHECK_EQ(cpio_open(NULL, newc.buf, newc.len), CPIO_ERR_ARG);
    CHECK_EQ(cpio_open(&a, NULL, 0), CPIO_ERR_ARG);
    uint8_t *b = copy(&newc, newc.len);
    b[0] = 'x';
    CHECK_EQ(cpio_open(&a, b, newc.len), CPIO_ERR_MAGIC);
    CHECK_EQ(a.count, 0);
    size_t cursor = 0;
    cpio_entry_t e;
    CHECK(!cpio_next(&a, &cursor, &e));
    CHECK_EQ(cpio_find(&a, "hello.txt", &e), CPIO_ERR_NOT_FOUND);
    free(b);
}

TEST(CPIO019, "cpio_strerror: a distinct message for every code, a fallback for others")
{
    for (int i = 0; i < CPIO_ERR_COUNT; i++) {
        const char *m = cpio_strerror((cpio_err_t)i);
        CHECK(m != NULL && m[0] != '\0');
        CHECK(strcmp(m, cpio_strerror(CPIO_ERR_COUNT)) != 0);
        for (int j = 0; j < i; j++)
            CHECK(strcmp(m, cpio_strerror((cpio_err_t)j)) != 0);
    }
    CHECK_STR(cpio_strerror(CPIO_ERR_COUNT), "unknown cpio error");
    CHECK_STR(cpio_strerror((cpio_err_t)-1), "unknown cpio error");
    CHECK_STR(cpio_strerror(CPIO_OK), "success");
}

int main(void)
{
    newc = load("newc.cpio");
    crc = load("crc.cpio");
    RUN(CPIO001);
    RUN(CPIO002);
    RUN(CPIO003);
    RUN(CPIO004);
    RUN(CPIO005);
    RUN(CPIO006);
    RUN(CPIO007);
    RUN(CPIO008);
    RUN(CPIO009);
    RUN(CPIO010);
    RUN(CPIO011);
    RUN(CPIO012);
    RUN(CPIO013);
    RUN(CPIO014);
    RUN(CPIO015);
    RUN(CPIO016);
    RUN(CPIO017);
    RUN(CPIO018);
    RUN(CPIO019);
    free(newc.buf);
    free(crc.buf);
    return check_summary();
}
