#include <fmt/fmt.h>
#include <stdint.h>
#include <stdbool.h>

struct spec {
    bool left;
    bool zero;
    int width;
    int precision; /* -1: none */
};

static int emit(fmt_putc_fn out, void *arg, char c)
{
    out(c, arg);
    return 1;
}

static int pad(fmt_putc_fn out, void *arg, char c, int n)
{
    int count = 0;
    while (n-- > 0)
        count += emit(out, arg, c);
    return count;
}

/* Prints `len` characters of `s` inside the field described by `sp`. */
static int field(fmt_putc_fn out, void *arg, const struct spec *sp, const char *s, int len,
                 bool sign_first)
{
    int count = 0;
    int gap = sp->width > len ? sp->width - len : 0;
    if (!sp->left && !sp->zero)
        count += pad(out, arg, ' ', gap);
    if (sign_first && len > 0 && sp->zero && !sp->left) {
        count += emit(out, arg, *s++);
        len--;
    }
    if (!sp->left && sp->zero)
        count += pad(out, arg, '0', gap);
    for (int i = 0; i < len; i++)
        count += emit(out, arg, s[i]);
    if (sp->left)
        count += pad(out, arg, ' ', gap);
    return count;
}

static int number(fmt_putc_fn out, void *arg, const struct spec *sp, uint64_t v, unsigned base,
                  bool upper, bool negative)
{
    char buf[24];
    int i = (int)sizeof(buf);
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        buf[--i] = digits[v % base];
        v /= base;
    } while (v != 0);
    if (negative)
        buf[--i] = '-';
    return field(out, arg, sp, &buf[i], (int)sizeof(buf) - i, negative);
}

int fmt_vformat(fmt_putc_fn out, void *arg, const char *fmt, va_list ap)
{
    int count = 0;
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            count += emit(out, arg, *p);
            continue;
        }
        struct spec sp = {false, false, 0, -1};
        p++;
        for (;; p++) {
            if (*p == '-')
                sp.left = true;
            else if (*p == '0')
                sp.zero = true;
            else
                break;
        }
        if (*p == '*') {
            sp.width = va_arg(ap, int);
            p++;
        }
        while (*p >= '0' && *p <= '9')
            sp.width = sp.width * 10 + (*p++ - '0');
        if (*p == '.') {
            sp.precision = 0;
            p++;
            if (*p == '*') {
                sp.precision = va_arg(ap, int);
                p++;
            }
            while (*p >= '0' && *p <= '9')
                sp.precision = sp.precision * 10 + (*p++ - '0');
        }
        int longs = 0;
        while (*p == 'l' || *p == 'z' || *p == 'h') {
            if (*p == 'l')
                longs++;
            else if (*p == 'z' && sizeof(size_t) > sizeof(int))
                longs++;
            p++;
        }
        switch (*p) {
        case 'd':
        case 'i': {
            int64_t v = longs >= 2   ? va_arg(ap, long long)
                        : longs == 1 ? va_arg(ap, long)
                                     : va_arg(ap, int);
            bool neg = v < 0;
            uint64_t mag = neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
            count += number(out, arg, &sp, mag, 10, false, neg);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
        case 'o': {
            uint64_t v = longs >= 2   ? va_arg(ap, unsigned long long)
                         : longs == 1 ? va_arg(ap, unsigned long)
                                      : va_arg(ap, unsigned int);
            unsigned base = *p == 'u' ? 10 : *p == 'o' ? 8 : 16;
            count += number(out, arg, &sp, v, base, *p == 'X', false);
            break;
        }
        case 'p': {
            uintptr_t v = (uintptr_t)va_arg(ap, void *);
            count += emit(out, arg, '0') + emit(out, arg, 'x');
            struct spec ps = {false, true, (int)(2 * sizeof(void *)), -1};
            count += number(out, arg, &ps, v, 16, false, false);
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            int len = 0;
            while (s[len] && (sp.precision < 0 || len < sp.precision))
                len++;
            sp.zero = false;
            count += field(out, arg, &sp, s, len, false);
            break;
        }
        case 'c': {
            char c = (char)va_arg(ap, int);
            sp.zero = false;
            count += field(out, arg, &sp, &c, 1, false);
            break;
        }
        case '%':
            count += emit(out, arg, '%');
            break;
        case '\0':
            return count;
        default:
            count += emit(out, arg, '%') + emit(out, arg, *p);
            break;
        }
    }
    return count;
}

struct sink {
    char *buf;
    size_t size;
    size_t len;
};

static void sink_putc(char c, void *arg)
{
    struct sink *s = arg;
    if (s->len + 1 < s->size)
        s->buf[s->len] = c;
    s->len++;
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct sink s = {buf, size, 0};
    int n = fmt_vformat(sink_putc, &s, fmt, ap);
    if (size > 0)
        buf[s.len < size ? s.len : size - 1] = '\0';
    return n;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
