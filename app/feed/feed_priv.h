/* Private to the feed module: helpers shared by the format parsers. */
#ifndef BANGTIN_FEED_PRIV_H
#define BANGTIN_FEED_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <libxml/tree.h>

#include "bangtin/feed.h"

/* Hard caps: a feed larger than this is refused before parsing, and no feed yields more
 * items than FEED_MAX_ITEMS (the screen shows a handful; the rest is waste). */
#define FEED_MAX_BYTES (32u * 1024u * 1024u)
#define FEED_MAX_ITEMS 2000u

/* Bounds on what a document may make the parsers build (docs/bounds.md): a body within the
 * size cap can still describe millions of empty nodes at ~100–250 bytes each. XML: elements,
 * attributes, namespace declarations, comments, PIs and DTD declarations counted as libxml2
 * builds them; the parse stops at the cap. JSON: a pre-scan estimates what jansson would
 * allocate and refuses the document beyond the budget, before any tree exists. Real feeds use
 * a tenth of either (the largest in the corpus: ~13 nodes per KB). */
#define FEED_MAX_XML_NODES   150000u
#define FEED_MAX_JSON_BUDGET (24u * 1024u * 1024u)
/* Field lengths, applied before sanitizing (the raw cut) and after (the visible cut). */
#define FEED_MAX_TITLE_CHARS 1000u
#define FEED_MAX_TEXT_BYTES  (200u * 1024u)
#define FEED_MAX_SHORT_BYTES 4096u /* guid, link, image URL, author, caption */
/* Documents larger than this return their freed heap to the system after the parse. */
#define FEED_TRIM_ABOVE (256u * 1024u)

/* Raw (unsanitized) strings collected for one item; finished by feed_items_push(). */
struct feed_raw_item {
    char *guid, *link, *title, *author, *image_url, *image_caption;
    char *html;      /* HTML body (converted to text), or NULL */
    char *plain;     /* plain text body, used when html is NULL */
    bool title_html; /* title is HTML markup (Atom type="html"/"xhtml") */
    int64_t date, updated;
    struct feed_cap *cap; /* owned; moved into the item */
};

/* bounds.c */
/* Refuses (false + reason) a JSON document whose tree would exceed FEED_MAX_JSON_BUDGET. */
bool feed_json_within_budget(const char *data, size_t len, char *err, size_t err_len);
/* Cuts s (NUL-terminated UTF-8, owned) in place to at most max_bytes, at the last space
 * before the limit when there is one in the last quarter, else at a code point boundary, and
 * appends "…". Returns true when it cut. */
bool feed_cut_field(char *s, size_t max_bytes);
/* The byte length of the first max_chars code points of s (all of s when shorter). */
size_t feed_chars_prefix(const char *s, size_t max_chars);

/* item.c */
void feed_raw_item_clear(struct feed_raw_item *r);
/* Sanitizes everything, resolves guid fallbacks and appends to f (false at FEED_MAX_ITEMS).
 * r is cleared either way. */
bool feed_items_push(struct feed *f, struct feed_raw_item *r, const char *base_url);
void feed_cap_free(struct feed_cap *c);
char *feed_sanitize_title(const char *s, bool is_html);
/* Replace *dst with a copy of s (frees the old value). */
void feed_set_str(char **dst, const char *s);

/* xml.c: safe parsing. Returns NULL and fills err on refusal or failure. */
xmlDoc *feed_xml_read(const char *data, size_t len, const char *hint_charset, bool *recovered,
                      char *err, size_t err_len);
/* Namespace-aware node tests. ns may be NULL to accept any namespace. */
bool feed_xml_is(const xmlNode *n, const char *name, const char *ns);
const char *feed_xml_ns(const xmlNode *n);
/* Text content of an element (caller frees, never NULL). */
char *feed_xml_text(const xmlNode *n);
/* Serialised children (inner XML) of an element, for xhtml content. Caller frees. */
char *feed_xml_inner(xmlNode *n);
char *feed_xml_attr(const xmlNode *n, const char *name); /* caller frees; NULL if absent */
xmlNode *feed_xml_child(const xmlNode *parent, const char *name, const char *ns);
/* The base URL in effect at n (xml:base chain) resolved against base_url; caller frees. */
char *feed_xml_base(xmlDoc *doc, xmlNode *n, const char *base_url);

/* Namespaces. */
#define NS_ATOM       "http://www.w3.org/2005/Atom"
#define NS_ATOM03     "http://purl.org/atom/ns#"
#define NS_RDF        "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define NS_RSS10      "http://purl.org/rss/1.0/"
#define NS_RSS09      "http://my.netscape.com/rdf/simple/0.9/"
#define NS_CONTENT    "http://purl.org/rss/1.0/modules/content/"
#define NS_DC         "http://purl.org/dc/elements/1.1/"
#define NS_MEDIA      "http://search.yahoo.com/mrss/"
#define NS_CAP_PREFIX "urn:oasis:names:tc:emergency:cap:"
#define NS_EDXL       "urn:oasis:names:tc:emergency:EDXL:DE:1.0"

/* rss.c, atom.c, cap.c */
bool feed_rss_parse(xmlDoc *doc, xmlNode *root, const char *base_url, struct feed *out);
bool feed_atom_parse(xmlDoc *doc, xmlNode *root, const char *base_url, struct feed *out);
bool feed_cap_is_alert(const xmlNode *n);
/* Finds a CAP <alert> among n's descendants (n itself included); NULL if none. */
xmlNode *feed_cap_find(xmlNode *n, int depth);
/* Fills r->cap, r->title, r->plain and the rest from an <alert> element. */
void feed_cap_fill(xmlNode *alert, struct feed_raw_item *r);
/* A CAP document (alert or EDXL-DE): one item per alert. */
bool feed_cap_parse_doc(xmlNode *root, const char *base_url, struct feed *out);

/* wpjson.c, jsonfeed.c */
bool feed_wpjson_looks_like(json_t *root);
bool feed_jsonfeed_looks_like(json_t *root);
bool feed_wpjson_parse(json_t *root, const char *base_url, struct feed *out);
bool feed_jsonfeed_parse(json_t *root, const char *base_url, struct feed *out);
const char *feed_json_str(json_t *obj, const char *key);

/* xml.c: url relative to base (xmlBuildURI) */
char *feed_url_resolve(const char *url, const char *base); /* caller frees; NULL if url NULL */

/* html.c: text and (when image is not NULL) first image, from one parse. */
void feed_html_extract(const char *html, size_t len, const char *base_url, char **text,
                       char **image);

/* charset.c */
/* Name of the encoding of an XML document: BOM, then declaration, then hint, else NULL
 * (UTF-8). Caller frees. */
char *feed_charset_sniff_xml(const char *data, size_t len, const char *hint);
bool feed_charset_is_utf8(const char *name);
/* Latin-1/ASCII labels (decoded as windows-1252). */
bool feed_charset_is_latin1(const char *name);

#endif
