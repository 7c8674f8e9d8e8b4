/*
 * check.h: the host unit-test harness.
 *
 * A test file defines cases with TEST(id, "description") and lists them in main() through
 * RUN(id). Each case prints one line, "PASS <id> <description>" or "FAIL <id> ...", with the
 * failed check's file, line and both values. main() returns check_summary(), which prints
 * "N passed, N failed" and is non-zero when anything failed, so CTest sees the failure.
 */
#pragma once

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

struct check_state {
    int passed;
    int failed;
    int case_failed;
};

static struct check_state check_state;

#define TEST(id, desc)                                                                             \
    static const char *const id##_desc = desc;                                                     \
    static void id(void)

#define RUN(id)                                                                                    \
    do {                                                                                           \
        check_state.case_failed = 0;                                                               \
        id();                                                                                      \
        if (check_state.case_failed) {                                                             \
            check_state.failed++;                                                                  \
            printf("FAIL %s %s\n", #id, id##_desc);                                                \
        } else {                                                                                   \
            check_state.passed++;                                                                  \
            printf("PASS %s %s\n", #id, id##_desc);                                                \
        }                                                                                          \
    } while (0)

#define CHECK_FAILED(fmt, ...)                                                                     \
    do {                                                                                           \
        printf("  %s:%d: " fmt "\n", __FILE__, __LINE__, __VA_ARGS__);                             \
        check_state.case_failed = 1;                                                               \
    } while (0)

/* Integer equality; both sides are printed on failure. */
#define CHECK_EQ(actual, expected)                                                                 \
    do {                                                                                           \
        intmax_t a_ = (intmax_t)(actual), e_ = (intmax_t)(expected);                               \
        if (a_ != e_)                                                                              \
            CHECK_FAILED("%s == %jd, expected %s == %jd", #actual, a_, #expected, e_);             \
    } while (0)

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            CHECK_FAILED("check failed: %s", #cond);                                               \
    } while (0)

#define CHECK_STR(actual, expected)                                                                \
    do {                                                                                           \
        const char *a_ = (actual), *e_ = (expected);                                               \
        if (a_ == NULL || strcmp(a_, e_) != 0)                                                     \
            CHECK_FAILED("%s == \"%s\", expected \"%s\"", #actual, a_ ? a_ : "(null)", e_);        \
    } while (0)

static inline int check_summary(void)
{
    printf("%d passed, %d failed\n", check_state.passed, check_state.failed);
    return check_state.failed ? 1 : 0;
}
