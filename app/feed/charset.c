/* Charsets: sniff what an XML document is in and convert anything but UTF-8 with iconv
 * before libxml2 sees it, so that every legacy Vietnamese encoding takes the same path. */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <string.h>
#include <strings.h>

#define LOG_MODULE "feed"
#include "bangtin/log.h"
#include "bangtin/util.h"
#include "feed_priv.h"

/* TCVN3 (the "ABC" font encoding, TCVN 5712:1993 VN3) is a subset of VN1, which glibc's
 * iconv knows as TCVN5712-1; the lower-case letters share their code points. */
static const char *charset_iconv_name(const char *name)
{
    static const char *tcvn[] = {"tcvn3",    "tcvn-3",    "tcvn",       "vn3",    "abc",
                                 "tcvn5712", "tcvn-5712", "tcvn5712-3", "x-tcvn3"};
    for (size_t i = 0; i < ARRAY_LEN(tcvn); i++)
        if (!strcasecmp(name, tcvn[i]))
            return "TCVN5712-1";
    if (!strcasecmp(name, "x-viet-vps") || !strcasecmp(name, "viscii1.1-1"))
        return "VISCII";
    if (!strcasecmp(name, "cp1258") || !strcasecmp(name, "x-cp1258"))
        return "WINDOWS-1258";
    /* As browsers do (WHATWG Encoding): Latin-1 labels mean windows-1252, whose curly quotes
     * and dashes are what "ISO-8859-1" feeds really contain. */
    static const char *latin1[] = {"iso-8859-1", "iso8859-1", "latin1", "l1",
                                   "iso_8859-1", "cp819",     "ibm819", "iso-ir-100",
                                   "us-ascii",   "ascii"};
    for (size_t i = 0; i < ARRAY_LEN(latin1); i++)
        if (!strcasecmp(name, latin1[i]))
            return "WINDOWS-1252";
    return name;
}

bool feed_charset_is_latin1(const char *name)
{
    return name && !strcmp(charset_iconv_name(name), "WINDOWS-1252");
}

bool feed_charset_is_utf8(const char *name)
{
    return !name || !strcasecmp(name, "utf-8") || !strcasecmp(name, "utf8");
}

/* unit: code unit size, so that a bad UTF-16/32 unit is skipped whole. */
static bool charset_convert(iconv_t cd, const char *data, size_t len, size_t unit, struct buf *out)
{
    char *in = (char *)data, tmp[4096];
    size_t in_left = len;
    while (in_left > 0) {
        char *o = tmp;
        size_t o_left = sizeof(tmp);
        size_t r = iconv(cd, &in, &in_left, &o, &o_left);
        if (!buf_append(out, tmp, (size_t)(o - tmp)))
            return false;
        if (r != (size_t)-1)
            continue;
        if (errno == E2BIG)
            continue;
        /* Invalid or truncated input: mark it and go on, as text_sanitize would. */
        if (!buf_append(out, "\xEF\xBF\xBD", 3))
            return false;
        if (errno == EINVAL || in_left < unit)
            break;
        in += unit;
        in_left -= unit;
    }
    char *o = tmp;
    size_t o_left = sizeof(tmp);
    iconv(cd, NULL, NULL, &o, &o_left); /* flush shift state / pending combining marks */
    return buf_append(out, tmp, (size_t)(o - tmp));
}

bool feed_to_utf8(const char *data, size_t len, const char *charset, char **out, size_t *out_len)
{
    if (!data || !out)
        return false;
    iconv_t cd = iconv_open("UTF-8", charset_iconv_name(charset ? charset : "UTF-8"));
    if (cd == (iconv_t)-1) {
        LOG_WARN("unknown charset \"%s\"", charset);
        return false;
    }
    struct buf b;
    buf_init(&b, (size_t)FEED_MAX_BYTES * 4);
    const char *name = charset ? charset : "";
    size_t unit = !strncasecmp(name, "utf-16", 6) || !strncasecmp(name, "ucs-2", 5)   ? 2
                  : !strncasecmp(name, "utf-32", 6) || !strncasecmp(name, "ucs-4", 5) ? 4
                                                                                      : 1;
    bool ok = charset_convert(cd, data, len, unit, &b);
    iconv_close(cd);
    if (!ok) {
        buf_free(&b);
        return false;
    }
    if (out_len)
        *out_len = b.len;
    *out = buf_steal(&b);
    return true;
}

/* UTF-16 without a BOM: an XML document starts with '<' next to a zero byte. */
static const char *charset_sniff_bom(const unsigned char *d, size_t len)
{
    if (len >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF)
        return "UTF-8";
    if (len >= 2 && d[0] == 0xFF && d[1] == 0xFE)
        return "UTF-16"; /* iconv reads and drops the BOM */
    if (len >= 2 && d[0] == 0xFE && d[1] == 0xFF)
        return "UTF-16";
    size_t i = 0;
    while (i + 1 < len && ((d[i] == 0 && isspace(d[i + 1])) || (isspace(d[i]) && d[i + 1] == 0)))
        i += 2;
    if (i + 1 < len && d[i] == '<' && d[i + 1] == 0)
        return "UTF-16LE";
    if (i + 1 < len && d[i] == 0 && d[i + 1] == '<')
        return "UTF-16BE";
    return NULL;
}

/* encoding="…" inside the XML declaration, when there is one. */
static char *charset_sniff_decl(const char *d, size_t len)
{
    size_t i = 0;
    while (i < len && isspace((unsigned char)d[i]))
        i++;
    if (len - i < 6 || strncmp(d + i, "<?xml", 5) != 0)
        return NULL;
    const char *end = memchr(d + i, '>', len - i < 256 ? len - i : 256);
    if (!end)
        return NULL;
    for (const char *p = d + i; p + 9 < end; p++) {
        if (strncmp(p, "encoding", 8) != 0)
            continue;
        p += 8;
        while (p < end && (isspace((unsigned char)*p) || *p == '='))
            p++;
        if (p >= end || (*p != '"' && *p != '\''))
            return NULL;
        char q = *p++;
        const char *e = memchr(p, q, (size_t)(end - p));
        if (!e || e == p || e - p > 40)
            return NULL;
        return xstrndup(p, (size_t)(e - p));
    }
    return NULL;
}

/* Undeclared bytes that are not UTF-8: if not one valid multi-byte sequence is there, this
 * is a legacy 8-bit text (windows-1252 by the web's rules), not UTF-8 with a few bad bytes. */
static bool charset_looks_legacy(const unsigned char *d, size_t len)
{
    bool high = false;
    for (size_t i = 0; i < len; i++) {
        if (d[i] < 0x80)
            continue;
        high = true;
        size_t n = d[i] >= 0xF0 ? 3 : d[i] >= 0xE0 ? 2 : d[i] >= 0xC2 ? 1 : 0;
        if (n == 0 || i + n >= len)
            continue;
        bool ok = true;
        for (size_t k = 1; k <= n; k++)
            ok = ok && (d[i + k] & 0xC0) == 0x80;
        if (ok)
            return false;
    }
    return high;
}

char *feed_charset_sniff_xml(const char *data, size_t len, const char *hint)
{
    const char *bom = charset_sniff_bom((const unsigned char *)data, len);
    if (bom)
        return xstrdup(bom);
    char *decl = charset_sniff_decl(data, len);
    /* A declaration we could read as ASCII is not in UTF-16/32, whatever it says. */
    if (decl && (!strncasecmp(decl, "utf-16", 6) || !strncasecmp(decl, "utf-32", 6) ||
                 !strncasecmp(decl, "ucs", 3) || !strncasecmp(decl, "utf16", 5))) {
        free(decl);
        return NULL;
    }
    if (decl)
        return decl;
    if (!str_empty(hint))
        return xstrdup(hint);
    if (charset_looks_legacy((const unsigned char *)data, len))
        return xstrdup("windows-1252");
    return NULL;
}
