/* Safe XML reading. libxml2 is driven so that it never touches the network or the file
 * system and never expands an entity: any <!ENTITY declaration stops the parse and the
 * document is refused (billion laughs, quadratic blow-up, XXE all need one). Predefined
 * entities and character references still work: they need no declaration. */
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/uri.h>

#define LOG_MODULE "feed"
#include "bangtin/log.h"
#include "bangtin/quote.h"
#include "bangtin/text.h"
#include "bangtin/util.h"
#include "feed_priv.h"

struct xml_guard {
    bool entity_declared;
};

static void xml_on_entity_decl(void *ctx, const xmlChar *name, int type, const xmlChar *public_id,
                               const xmlChar *system_id, xmlChar *content)
{
    xmlParserCtxtPtr ctxt = ctx;
    struct xml_guard *g = ctxt->_private;
    g->entity_declared = true;
    xmlStopParser(ctxt);
}

static xmlParserInputPtr xml_on_resolve(void *ctx, const xmlChar *public_id,
                                        const xmlChar *system_id)
{
    return NULL; /* never load anything from outside the document */
}

static void xml_on_external_subset(void *ctx, const xmlChar *name, const xmlChar *external_id,
                                   const xmlChar *system_id)
{
}

/* Bytes → UTF-8 without BOM, invalid sequences repaired, XML-illegal controls dropped (real
 * feeds carry stray \x0b or \x1f that would otherwise end the parse). Caller frees. */
static char *xml_prepare(const char *data, size_t len, const char *hint, size_t *out_len, char *err,
                         size_t err_len)
{
    char *cs = feed_charset_sniff_xml(data, len, hint);
    char *u = NULL;
    size_t n = 0;
    /* A Latin-1 or ASCII label on bytes that are valid UTF-8 is a mislabel, not Latin-1. */
    bool utf8 =
        feed_charset_is_utf8(cs) || (feed_charset_is_latin1(cs) && text_is_valid_utf8(data, len));
    if (!utf8) {
        if (!feed_to_utf8(data, len, cs, &u, &n)) {
            LOG_WARN("charset %s unknown, reading as UTF-8", cs);
            u = NULL;
        }
    }
    free(cs);
    if (!u) {
        if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
            data += 3, len -= 3;
        u = text_is_valid_utf8(data, len) ? xstrndup(data, len) : text_repair_utf8(data, len);
        n = strlen(u);
    }
    size_t skip = 0;
    if (n >= 3 && !memcmp(u, "\xEF\xBB\xBF", 3))
        skip = 3;
    while (skip < n && (u[skip] == ' ' || u[skip] == '\t' || u[skip] == '\r' || u[skip] == '\n'))
        skip++;
    memmove(u, u + skip, n - skip + 1);
    n -= skip;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)u[i];
        if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r')
            u[k++] = u[i];
    }
    u[k] = '\0';
    n = k;
    if (n == 0) {
        snprintf(err, err_len, "empty document");
        free(u);
        return NULL;
    }
    *out_len = n;
    return u;
}

/* Whether the document's last end tag closes its root element. A feed cut off in transit
 * parses in recovery mode into fewer items; taken as the source's listing it would delete
 * good content, so it must be told apart from a feed with a stray '&'. */
static bool xml_root_closed(const char *u, size_t n, const xmlNode *root)
{
    while (n > 0 && (u[n - 1] == ' ' || u[n - 1] == '\n' || u[n - 1] == '\r' || u[n - 1] == '\t' ||
                     u[n - 1] == '\0'))
        n--;
    /* "</rss" with the final '>' lost still closes the root: every item is complete. */
    if (n == 0)
        return false;
    const char *last = NULL;
    for (size_t i = n; i-- > 1;) {
        if (u[i - 1] == '<' && u[i] == '/') {
            last = u + i + 1;
            break;
        }
    }
    if (!last)
        return false;
    const char *colon = memchr(last, ':', (size_t)(u + n - last));
    const char *name = (const char *)root->name;
    size_t ln = strlen(name);
    const char *local =
        colon && colon < u + n - 1 && (size_t)(u + n - (colon + 1)) > ln ? colon + 1 : last;
    if ((size_t)(u + n - local) < ln)
        return false;
    return strncmp(local, name, ln) == 0 &&
           (local + ln == u + n || local[ln] == '>' || local[ln] == ' ' || local[ln] == '\n' ||
            local[ln] == '\t' || local[ln] == '\r');
}

xmlDoc *feed_xml_read(const char *data, size_t len, const char *hint_charset, bool *recovered,
                      char *err, size_t err_len)
{
    *recovered = false;
    size_t n;
    char *u = xml_prepare(data, len, hint_charset, &n, err, err_len);
    if (!u)
        return NULL;
    xmlParserCtxtPtr ctxt = xmlCreateMemoryParserCtxt(u, (int)n);
    if (!ctxt) {
        snprintf(err, err_len, "cannot create XML parser");
        free(u);
        return NULL;
    }
    struct xml_guard guard = {0};
    ctxt->_private = &guard;
    ctxt->sax->entityDecl = xml_on_entity_decl;
    ctxt->sax->resolveEntity = xml_on_resolve;
    ctxt->sax->externalSubset = xml_on_external_subset;
    /* No XML_PARSE_NOENT, XML_PARSE_DTDLOAD, XML_PARSE_DTDVALID or XML_PARSE_HUGE: entities
     * stay unexpanded and libxml2's size limits stay on. */
    xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_RECOVER |
                                XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_IGNORE_ENC);
    xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
    xmlParseDocument(ctxt);
    xmlDoc *doc = ctxt->myDoc;
    ctxt->myDoc = NULL;
    if (guard.entity_declared) {
        snprintf(err, err_len, "refused: document declares entities");
        LOG_WARN("XML document declares entities: refused");
        xmlFreeDoc(doc);
        doc = NULL;
    } else if (!doc || !xmlDocGetRootElement(doc)) {
        const xmlError *e = xmlCtxtGetLastError(ctxt);
        char *q = quote_visible_str(e && e->message ? e->message : "no root element");
        size_t qn = strlen(q);
        while (qn >= 6 && strncmp(q + qn - 6, "U+000A", 6) == 0)
            q[qn -= 6] = '\0'; /* libxml2 ends its message with a newline */
        snprintf(err, err_len, "not XML: %s", q);
        free(q);
        xmlFreeDoc(doc);
        doc = NULL;
    } else if (!ctxt->wellFormed) {
        if (!xml_root_closed(u, n, xmlDocGetRootElement(doc))) {
            snprintf(err, err_len, "truncated document: <%s> is never closed",
                     (const char *)xmlDocGetRootElement(doc)->name);
            xmlFreeDoc(doc);
            doc = NULL;
        } else {
            *recovered = true;
        }
    }
    xmlFreeParserCtxt(ctxt);
    free(u);
    return doc;
}

const char *feed_xml_ns(const xmlNode *n)
{
    return n && n->ns && n->ns->href ? (const char *)n->ns->href : NULL;
}

/* ns ending in ':' matches as a prefix (CAP 1.0/1.1/1.2 share "urn:…:cap:"); "" means no
 * namespace at all. */
bool feed_xml_is(const xmlNode *n, const char *name, const char *ns)
{
    if (!n || n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, name) != 0)
        return false;
    if (!ns)
        return true;
    const char *href = feed_xml_ns(n);
    if (!*ns)
        return href == NULL;
    if (!href)
        return false;
    size_t l = strlen(ns);
    return ns[l - 1] == ':' ? strncmp(href, ns, l) == 0 : strcmp(href, ns) == 0;
}

char *feed_xml_text(const xmlNode *n)
{
    xmlChar *c = n ? xmlNodeGetContent(n) : NULL;
    char *s = xstrdup(c ? (const char *)c : "");
    xmlFree(c);
    return s;
}

char *feed_xml_inner(xmlNode *n)
{
    xmlBufferPtr b = xmlBufferCreate();
    for (xmlNode *c = n->children; c; c = c->next)
        xmlNodeDump(b, n->doc, c, 0, 0);
    char *s = xstrdup((const char *)xmlBufferContent(b));
    xmlBufferFree(b);
    return s;
}

char *feed_xml_attr(const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    char *s = v ? xstrdup((const char *)v) : NULL;
    xmlFree(v);
    return s;
}

xmlNode *feed_xml_child(const xmlNode *parent, const char *name, const char *ns)
{
    for (xmlNode *c = parent ? parent->children : NULL; c; c = c->next)
        if (feed_xml_is(c, name, ns))
            return c;
    return NULL;
}

char *feed_url_resolve(const char *url, const char *base)
{
    if (!url)
        return NULL;
    while (*url == ' ' || *url == '\t' || *url == '\n' || *url == '\r')
        url++;
    if (str_empty(base))
        return xstrdup(url);
    xmlChar *r = xmlBuildURI((const xmlChar *)url, (const xmlChar *)base);
    char *s = xstrdup(r ? (const char *)r : url);
    xmlFree(r);
    return s;
}

char *feed_xml_base(xmlDoc *doc, xmlNode *n, const char *base_url)
{
    xmlChar *b = xmlNodeGetBase(doc, n);
    char *s = b ? feed_url_resolve((const char *)b, base_url) : xstrdup(base_url);
    xmlFree(b);
    return s;
}
