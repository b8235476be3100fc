/* Atom 1.0 (and the 0.3 draft still found in the wild): text constructs of type
 * text/html/xhtml, xml:base resolution, CAP alerts carried in entries. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LOG_MODULE "feed"
#include "bangtin/log.h"
#include "bangtin/text.h"
#include "bangtin/util.h"
#include "feed_priv.h"

static bool atom_is(const xmlNode *n, const char *name)
{
    return feed_xml_is(n, name, NS_ATOM) || feed_xml_is(n, name, NS_ATOM03) ||
           feed_xml_is(n, name, "");
}

static xmlNode *atom_child(const xmlNode *parent, const char *name)
{
    for (xmlNode *c = parent->children; c; c = c->next)
        if (atom_is(c, name))
            return c;
    return NULL;
}

enum atom_text { ATOM_TEXT, ATOM_HTML, ATOM_XHTML };

/* Atom 0.3 mode="base64", and Atom 1.0 content of a non-text, non-XML media type. */
static bool atom_is_base64(const xmlNode *n)
{
    char *type = feed_xml_attr(n, "type");
    char *mode = feed_xml_attr(n, "mode");
    bool b64 = (mode && !strcasecmp(mode, "base64")) ||
               (!mode && type && strchr(type, '/') && strncasecmp(type, "text/", 5) != 0 &&
                !str_ends_with(type, "xml"));
    free(type);
    free(mode);
    return b64;
}

static int b64_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    return c == '+' || c == '-' ? 62 : c == '/' || c == '_' ? 63 : -1;
}

/* Whitespace and padding are skipped; the result is repaired as UTF-8 by the sanitizer. */
static char *atom_base64_decode(const char *s)
{
    struct buf b;
    buf_init(&b, 0);
    unsigned acc = 0;
    int bits = 0;
    for (; *s; s++) {
        int v = b64_value(*s);
        if (v < 0)
            continue;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            char c = (char)((acc >> bits) & 0xFF);
            if (c)
                buf_append(&b, &c, 1);
        }
    }
    return buf_steal(&b);
}

static enum atom_text atom_text_type(const xmlNode *n)
{
    char *type = feed_xml_attr(n, "type");
    char *mode = feed_xml_attr(n, "mode"); /* Atom 0.3 */
    enum atom_text t = ATOM_TEXT;
    if (type && (!strcasecmp(type, "xhtml") || !strcasecmp(type, "application/xhtml+xml")))
        t = mode && !strcasecmp(mode, "escaped") ? ATOM_HTML : ATOM_XHTML;
    else if (type && (!strcasecmp(type, "html") || !strcasecmp(type, "text/html")))
        t = ATOM_HTML;
    else if (mode && !strcasecmp(mode, "escaped"))
        t = ATOM_HTML;
    free(type);
    free(mode);
    return t;
}

/* A text construct as HTML (html/xhtml types) or plain text; *is_html tells which. */
static char *atom_text_value(xmlNode *n, bool *is_html)
{
    enum atom_text t = atom_text_type(n);
    *is_html = t != ATOM_TEXT;
    if (t == ATOM_XHTML)
        return feed_xml_inner(n);
    char *v = feed_xml_text(n);
    if (atom_is_base64(n)) {
        /* Decoded bytes that are not text mean it was not base64 after all. */
        char *d = atom_base64_decode(v);
        if (*d && text_is_valid_utf8(d, strlen(d))) {
            free(v);
            v = d;
            *is_html = true; /* whatever markup it carries is stripped like HTML */
        } else {
            free(d);
        }
    }
    return v;
}

/* href of the first link with the given rel ("alternate" also matches a missing rel),
 * resolved against its own xml:base. */
static char *atom_link(xmlDoc *doc, xmlNode *parent, const char *want, const char *base_url,
                       bool image_only)
{
    char *found = NULL;
    for (xmlNode *c = parent->children; c && !found; c = c->next) {
        if (!atom_is(c, "link"))
            continue;
        char *rel = feed_xml_attr(c, "rel");
        char *type = feed_xml_attr(c, "type");
        char *href = feed_xml_attr(c, "href");
        bool rel_ok = rel ? !strcmp(rel, want) : !strcmp(want, "alternate");
        bool type_ok = !image_only || (type && !strncasecmp(type, "image/", 6));
        if (rel_ok && type_ok && href) {
            char *base = feed_xml_base(doc, c, base_url);
            found = feed_url_resolve(href, base);
            free(base);
        }
        free(rel);
        free(type);
        free(href);
    }
    return found;
}

static void atom_dates(xmlNode *entry, struct feed_raw_item *r)
{
    static const char *published[] = {"published", "issued", "created"};
    static const char *updated[] = {"updated", "modified"};
    for (size_t i = 0; i < ARRAY_LEN(published) && !r->date; i++) {
        xmlNode *n = atom_child(entry, published[i]);
        char *s = n ? feed_xml_text(n) : NULL;
        if (s && !feed_parse_date(s, &r->date))
            LOG_DBG("unparsable date \"%s\"", s);
        free(s);
    }
    for (size_t i = 0; i < ARRAY_LEN(updated) && !r->updated; i++) {
        xmlNode *n = atom_child(entry, updated[i]);
        char *s = n ? feed_xml_text(n) : NULL;
        if (s && !feed_parse_date(s, &r->updated))
            LOG_DBG("unparsable date \"%s\"", s);
        free(s);
    }
    if (!r->date)
        r->date = r->updated;
}

static void atom_body(xmlNode *entry, struct feed_raw_item *r)
{
    xmlNode *body = atom_child(entry, "content");
    char *src = body ? feed_xml_attr(body, "src") : NULL;
    if (!body || src)
        body = atom_child(entry, "summary");
    free(src);
    if (!body)
        return;
    bool is_html;
    char *v = atom_text_value(body, &is_html);
    if (is_html)
        r->html = v;
    else
        r->plain = v;
}

static void atom_entry(xmlDoc *doc, xmlNode *entry, const char *base_url, struct feed *out)
{
    struct feed_raw_item r = {0};
    char *base = feed_xml_base(doc, entry, base_url);
    xmlNode *t = atom_child(entry, "title");
    if (t)
        r.title = atom_text_value(t, &r.title_html);
    atom_body(entry, &r);
    xmlNode *id = atom_child(entry, "id");
    if (id)
        r.guid = feed_xml_text(id);
    r.link = atom_link(doc, entry, "alternate", base_url, false);
    if (!r.link) /* CAP indexes link the alert itself */
        r.link = atom_link(doc, entry, "related", base_url, false);
    r.image_url = atom_link(doc, entry, "enclosure", base_url, true);
    xmlNode *thumb = feed_xml_child(entry, "thumbnail", NS_MEDIA);
    if (!r.image_url && thumb)
        r.image_url = feed_xml_attr(thumb, "url");
    xmlNode *author = atom_child(entry, "author");
    xmlNode *name = author ? atom_child(author, "name") : NULL;
    if (name)
        r.author = feed_xml_text(name);
    atom_dates(entry, &r);
    xmlNode *alert = feed_cap_find(entry, 4);
    if (alert)
        feed_cap_fill(alert, &r);
    feed_items_push(out, &r, base);
    free(base);
}

bool feed_atom_parse(xmlDoc *doc, xmlNode *root, const char *base_url, struct feed *out)
{
    out->format = FEED_FORMAT_ATOM;
    if (atom_is(root, "entry")) { /* a lone entry document */
        atom_entry(doc, root, base_url, out);
        return true;
    }
    xmlNode *t = atom_child(root, "title");
    if (t)
        out->title = feed_xml_text(t);
    out->link = atom_link(doc, root, "alternate", base_url, false);
    for (xmlNode *c = root->children; c; c = c->next)
        if (atom_is(c, "entry") && out->n_items < FEED_MAX_ITEMS)
            atom_entry(doc, c, base_url, out);
    return true;
}
