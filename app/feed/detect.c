/* feed_parse: detect the format from the content (never the URL) and dispatch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#define LOG_MODULE "feed"
#include "bangtin/log.h"
#include "bangtin/quote.h"
#include "bangtin/text.h"
#include "bangtin/util.h"
#include "feed_priv.h"

/* First significant byte, after a UTF-8 BOM and whitespace. */
static char detect_first_byte(const char *data, size_t len)
{
    size_t i = 0;
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
        i = 3;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        i++;
    return i < len ? data[i] : '\0';
}

static bool detect_json(const char *data, size_t len, const char *hint, const char *base_url,
                        struct feed *out, char *err, size_t err_len)
{
    char *conv = NULL;
    size_t n = len;
    /* JSON is UTF-8 (RFC 8259): a charset hint only counts when the bytes are not. */
    bool utf8 = text_is_valid_utf8(data, len);
    if (!utf8 && !feed_charset_is_utf8(hint) && feed_to_utf8(data, len, hint, &conv, &n))
        data = conv;
    else if (!utf8)
        data = conv = text_repair_utf8(data, len), n = strlen(conv);
    if (n >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
        data += 3, n -= 3;
    if (!feed_json_within_budget(data, n, err, err_len)) {
        free(conv);
        return false;
    }
    json_error_t jerr;
    json_t *root = json_loadb(data, n, JSON_ALLOW_NUL, &jerr);
    free(conv);
    if (!root) {
        char *q = quote_visible_str(jerr.text); /* "near '…'" may quote an invisible byte */
        snprintf(err, err_len, "bad JSON at line %d: %s", jerr.line, q);
        free(q);
        return false;
    }
    bool ok = true;
    if (feed_wpjson_looks_like(root)) {
        feed_wpjson_parse(root, base_url, out);
    } else if (feed_jsonfeed_looks_like(root)) {
        feed_jsonfeed_parse(root, base_url, out);
    } else if (feed_json_str(root, "code") && feed_json_str(root, "message")) {
        /* WordPress answers a page past the end with {"code":…,"message":…}. */
        snprintf(err, err_len, "WordPress error %s: %s", feed_json_str(root, "code"),
                 feed_json_str(root, "message"));
        ok = false;
    } else {
        snprintf(err, err_len, "JSON is neither WordPress posts nor JSON Feed");
        ok = false;
    }
    json_decref(root);
    return ok;
}

static bool detect_xml(const char *data, size_t len, const char *hint, const char *base_url,
                       struct feed *out, char *err, size_t err_len)
{
    bool recovered;
    xmlDoc *doc = feed_xml_read(data, len, hint, &recovered, err, err_len);
    if (!doc)
        return false;
    out->recovered = recovered;
    xmlNode *root = xmlDocGetRootElement(doc);
    const char *name = (const char *)root->name;
    bool ok = true;
    if (!strcmp(name, "rss") || feed_xml_is(root, "RDF", NULL) || !strcmp(name, "channel"))
        feed_rss_parse(doc, root, base_url, out);
    else if (feed_xml_is(root, "feed", NULL) || feed_xml_is(root, "entry", NS_ATOM))
        feed_atom_parse(doc, root, base_url, out);
    else if (feed_cap_find(root, 12))
        feed_cap_parse_doc(root, base_url, out);
    else {
        snprintf(err, err_len, "unknown XML document <%.40s>", name);
        ok = false;
    }
    xmlFreeDoc(doc);
    return ok;
}

bool feed_parse(const char *data, size_t len, const char *hint_charset, const char *base_url,
                struct feed *out, char *err, size_t err_len)
{
    char dummy[8];
    if (!err || err_len == 0)
        err = dummy, err_len = sizeof(dummy);
    err[0] = '\0';
    memset(out, 0, sizeof(*out));
    if (!data || len == 0) {
        snprintf(err, err_len, "empty document");
        return false;
    }
    if (len > FEED_MAX_BYTES) {
        snprintf(err, err_len, "document too large (%zu bytes)", len);
        return false;
    }
    char first = detect_first_byte(data, len);
    bool ok = first == '{' || first == '['
                  ? detect_json(data, len, hint_charset, base_url, out, err, err_len)
                  : detect_xml(data, len, hint_charset, base_url, out, err, err_len);
#ifdef __GLIBC__
    /* The trees of a big document are freed by now; glibc keeps freed pages below the top of
     * the heap until asked, and a 512 MB board should not carry them until the next parse. */
    if (len > FEED_TRIM_ABOVE)
        malloc_trim(0);
#endif
    if (!ok) {
        feed_free(out);
        return false;
    }
    if (out->n_cut)
        LOG_WARN("%zu item(s) with a field cut to its bound (title %u characters, text %u KB)",
                 out->n_cut, FEED_MAX_TITLE_CHARS, FEED_MAX_TEXT_BYTES / 1024);
    if (out->title && feed_cut_field(out->title, FEED_MAX_TITLE_CHARS * 4))
        LOG_WARN("feed title cut to %u bytes", FEED_MAX_TITLE_CHARS * 4);
    char *t = out->title ? feed_sanitize_title(out->title, false) : NULL;
    free(out->title);
    out->title = t;
    char *l = out->link ? text_sanitize_str(out->link, 0) : NULL;
    free(out->link);
    out->link = l;
    return true;
}
