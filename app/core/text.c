/* text: the sanitizer of DESIGN.md §4. Every string that reaches the screen passes here.
 *
 * NFC matters beyond looks: SDL2_ttf 2.20 measures and wraps by glyph count used as a character
 * index, so decomposed (NFD) Vietnamese wraps far too early. */
#include "bangtin/text.h"
#include "bangtin/util.h"

#include <libxml/HTMLparser.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define REPLACEMENT 0xFFFD

static void put_cp(struct buf *b, utf8proc_int32_t cp)
{
    utf8proc_uint8_t tmp[4];
    utf8proc_ssize_t n = utf8proc_encode_char(cp, tmp);
    buf_append(b, tmp, (size_t)n);
}

char *text_repair_utf8(const char *in, size_t len)
{
    struct buf b;
    buf_init(&b, 0);
    buf_append(&b, "", 0);
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)in;
    size_t i = 0;
    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0 || cp == 0) {
            if (n > 0 && cp == 0) {
                i += (size_t)n; /* an embedded NUL would cut the string short: drop it */
                continue;
            }
            put_cp(&b, REPLACEMENT);
            i++;
            continue;
        }
        buf_append(&b, p + i, (size_t)n);
        i += (size_t)n;
    }
    return buf_steal(&b);
}

bool text_is_valid_utf8(const char *in, size_t len)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)in;
    size_t i = 0;
    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0)
            return false;
        i += (size_t)n;
    }
    return true;
}

/* HTML5 maps numeric references 0x80–0x9F through windows-1252 (what authors meant). */
static const uint16_t cp1252_c1[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

/* Decode one entity at s (s[0] == '&'); returns the bytes consumed or 0 if not an entity. */
static size_t decode_entity(const char *s, size_t len, struct buf *out)
{
    size_t i = 1;
    if (i < len && s[i] == '#') {
        i++;
        int base = 10;
        if (i < len && (s[i] == 'x' || s[i] == 'X')) {
            base = 16;
            i++;
        }
        long v = 0;
        size_t digits = 0;
        while (i < len && digits < 8) {
            char c = s[i];
            int d = (c >= '0' && c <= '9')                 ? c - '0'
                    : (base == 16 && c >= 'a' && c <= 'f') ? c - 'a' + 10
                    : (base == 16 && c >= 'A' && c <= 'F') ? c - 'A' + 10
                                                           : -1;
            if (d < 0)
                break;
            v = v * base + d;
            i++;
            digits++;
        }
        if (!digits)
            return 0;
        if (i < len && s[i] == ';')
            i++;
        if (v >= 0x80 && v <= 0x9F)
            v = cp1252_c1[v - 0x80];
        if (v <= 0 || !utf8proc_codepoint_valid((utf8proc_int32_t)v))
            v = REPLACEMENT;
        put_cp(out, (utf8proc_int32_t)v);
        return i;
    }
    char name[32];
    size_t n = 0;
    while (i < len && n < sizeof name - 1 &&
           ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
            (s[i] >= '0' && s[i] <= '9')))
        name[n++] = s[i++];
    name[n] = '\0';
    if (!n || i >= len || s[i] != ';')
        return 0;
    const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *)name);
    if (!e)
        return 0;
    put_cp(out, (utf8proc_int32_t)e->value);
    return i + 1;
}

static char *decode_entities(const char *in, size_t len)
{
    struct buf b;
    buf_init(&b, 0);
    buf_append(&b, "", 0);
    size_t i = 0;
    while (i < len) {
        const char *amp = memchr(in + i, '&', len - i);
        size_t stop = amp ? (size_t)(amp - in) : len;
        buf_append(&b, in + i, stop - i);
        i = stop;
        if (i >= len)
            break;
        size_t used = decode_entity(in + i, len - i, &b);
        if (!used) {
            buf_append(&b, "&", 1);
            used = 1;
        }
        i += used;
    }
    return buf_steal(&b);
}

enum cp_class { CP_KEEP, CP_DROP, CP_SPACE, CP_NBSP, CP_NEWLINE };

static enum cp_class classify(utf8proc_int32_t c)
{
    if (c == '\n' || c == 0x2028 || c == 0x2029 || c == 0x85)
        return CP_NEWLINE;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' ||
        (c >= 0x2000 && c <= 0x200A) || c == 0x3000 || c == 0x205F || c == 0x1680)
        return CP_SPACE;
    if (c == 0xA0 || c == 0x202F || c == 0x2007)
        return CP_NBSP;
    if (c < 0x20 || (c >= 0x7F && c <= 0x9F))
        return CP_DROP; /* C0 and C1 controls */
    if ((c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
        (c >= 0x2060 && c <= 0x206F) || c == 0xFEFF || c == 0x061C || c == 0xAD || c == 0x180E ||
        (c >= 0xFFF9 && c <= 0xFFFB))
        return CP_DROP; /* zero-width, bidi controls and overrides, soft hyphen */
    if ((c >= 0xD800 && c <= 0xDFFF) || c == 0xFFFE || c == 0xFFFF)
        return CP_DROP;
    return CP_KEEP;
}

/* Drop controls and collapse whitespace on NFC text. */
static char *filter_collapse(const char *in, bool keep_newlines)
{
    struct buf b;
    buf_init(&b, 0);
    buf_append(&b, "", 0);
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)in;
    /* pending: 0 none, 1 space, 2 nbsp, 3 newline (strongest wins) */
    int pending = 0;
    bool any = false;
    while (*p) {
        utf8proc_int32_t c;
        utf8proc_ssize_t n = utf8proc_iterate(p, -1, &c);
        if (n <= 0) {
            p++;
            continue;
        }
        p += n;
        enum cp_class k = classify(c);
        if (k == CP_DROP)
            continue;
        if (k == CP_SPACE || (k == CP_NEWLINE && !keep_newlines)) {
            if (pending < 1)
                pending = 1;
            continue;
        }
        if (k == CP_NBSP) {
            if (pending < 2)
                pending = 2;
            continue;
        }
        if (k == CP_NEWLINE) {
            pending = 3;
            continue;
        }
        if (any && pending == 1)
            buf_append(&b, " ", 1);
        else if (any && pending == 2)
            buf_append(&b, "\xc2\xa0", 2);
        else if (any && pending == 3)
            buf_append(&b, "\n", 1);
        pending = 0;
        any = true;
        put_cp(&b, c);
    }
    return buf_steal(&b);
}

char *text_sanitize(const char *in, size_t len, unsigned flags)
{
    if (!in)
        return xstrdup("");
    char *valid = text_repair_utf8(in, len);
    if (flags & TEXT_DECODE_ENTITIES) {
        char *dec = decode_entities(valid, strlen(valid));
        free(valid);
        valid = dec;
    }
    utf8proc_uint8_t *nfc = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)valid, 0, &nfc,
                                      UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    const char *src = n >= 0 ? (const char *)nfc : valid;
    char *out = filter_collapse(src, (flags & TEXT_KEEP_NEWLINES) != 0);
    free(nfc);
    free(valid);
    return out;
}

char *text_sanitize_str(const char *in, unsigned flags)
{
    return text_sanitize(in, in ? strlen(in) : 0, flags);
}

char *text_fold_key(const char *in)
{
    if (!in)
        return xstrdup("");
    char *clean = text_sanitize_str(in, TEXT_DECODE_ENTITIES);
    utf8proc_uint8_t *folded = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)clean, 0, &folded,
                                      UTF8PROC_NULLTERM | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK |
                                          UTF8PROC_CASEFOLD);
    free(clean);
    if (n < 0)
        return xstrdup("");
    struct buf b;
    buf_init(&b, 0);
    buf_append(&b, "", 0);
    const utf8proc_uint8_t *p = folded;
    bool space = false;
    while (*p) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(p, -1, &c);
        if (k <= 0)
            break;
        p += k;
        if (c == 0x111 || c == 0x110)
            c = 'd'; /* đ has no decomposition */
        utf8proc_category_t cat = utf8proc_category(c);
        bool alnum = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
                     (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
        if (!alnum) {
            space = b.len > 0;
            continue;
        }
        if (space)
            buf_append(&b, " ", 1);
        space = false;
        put_cp(&b, c);
    }
    free(folded);
    return buf_steal(&b);
}

size_t text_grapheme_len(const char *s, size_t len)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_int32_t state = 0, prev;
    utf8proc_ssize_t n = utf8proc_iterate(p, (utf8proc_ssize_t)len, &prev);
    if (n <= 0)
        return len ? 1 : 0;
    size_t i = (size_t)n;
    while (i < len) {
        utf8proc_int32_t c;
        n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &c);
        if (n <= 0 || utf8proc_grapheme_break_stateful(prev, c, &state))
            break;
        prev = c;
        i += (size_t)n;
    }
    return i;
}

size_t text_codepoints(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        n += (*p & 0xC0) != 0x80;
    return n;
}
