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
    bool too_many_nodes;
    size_t nodes; /* what the tree holds so far, see xml_count */
    /* libxml2's SAX2 tree builders, called after counting */
    startElementNsSAX2Func start_element;
    commentSAXFunc comment;
    processingInstructionSAXFunc pi;
    elementDeclSAXFunc element_decl;
    attributeDeclSAXFunc attribute_decl;
};

/* The tree is bounded while it is built: past FEED_MAX_XML_NODES the parser stops, and what
 * was built is freed by the caller. An element counts twice (the text node that may follow
 * it), an attribute twice (its value is a text node), a namespace declaration once. */
static bool xml_count(xmlParserCtxtPtr ctxt, size_t n)
{
    struct xml_guard *g = ctxt->_private;
    g->nodes += n;
    if (g->nodes <= FEED_MAX_XML_NODES)
        return true;
    if (!g->too_many_nodes)
        xmlStopParser(ctxt);
    g->too_many_nodes = true;
    return false;
}

static void xml_on_start_element(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                                 const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                                 int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
    xmlParserCtxtPtr ctxt = ctx;
    struct xml_guard *g = ctxt->_private;
    if (xml_count(ctxt, 2 + (size_t)nb_namespaces + 2 * (size_t)nb_attributes))
        g->start_element(ctx, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes,
                         nb_defaulted, attributes);
}

static void xml_on_comment(void *ctx, const xmlChar *value)
{
    xmlParserCtxtPtr ctxt = ctx;
    struct xml_guard *g = ctxt->_private;
    if (xml_count(ctxt, 1) && g->comment)
        g->comment(ctx, value);
}

static void xml_on_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
    xmlParserCtxtPtr ctxt = ctx;
    struct xml_guard *g = ctxt->_private;
    if (xml_count(ctxt, 1) && g->pi)
        g->pi(ctx, target, data);
}

static void xml_on_element_decl(void *ctx, const xmlChar *name, int type,
                                xmlElementContentPtr content)
{
    xmlParserCtxtPtr ctxt = ctx;
    struct xml_guard *g = ctxt->_private;
    if (xml_count(ctxt, 2) && g->element_decl)
        g->element_decl(ctx, name, type, content);
}

static void xml_on_attribute_decl(void *ctx, const xmlChar *elem, const xmlChar *fullname, int type,
                                  int def, const xmlChar *default_value, xmlEnumerationPtr tree)
{
    xmlParserCtxtPtr ctxt = ctx;
    struct xml_guard *g = ctxt->_private;
    if (xml_count(ctxt, 2) && g->attribute_decl)
        g->attribute_decl(ctx, elem, fullname, type, def, default_value, tree);
    else
        xmlFreeEnumeration(tree); /* ours when not passed on (as in xmlSAX2AttributeDecl) */
}

static void xml_guard_install(xmlParserCtxtPtr ctxt, struct xml_guard *g)
{
    ctxt->_private = g;
    g->start_element = ctxt->sax->startElementNs;
    g->comment = ctxt->sax->comment;
    g->pi = ctxt->sax->processingInstruction;
    g->element_decl = ctxt->sax->elementDecl;
    g->attribute_decl = ctxt->sax->attributeDecl;
    ctxt->sax->startElementNs = xml_on_start_element;
    ctxt->sax->comment = xml_on_comment;
    ctxt->sax->processingInstruction = xml_on_pi;
    ctxt->sax->elementDecl = xml_on_element_decl;
    ctxt->sax->attributeDecl = xml_on_attribute_decl;
}

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

/* The document as UTF-8: the caller's bytes when they already are (no copy: an 8 MiB body
 * should not cost 16), else a converted or repaired copy in *owned. BOM and leading
 * whitespace skipped. */
static bool xml_source(const char *data, size_t len, const char *hint, const char **out,
                       size_t *out_len, char **owned)
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
        if (!text_is_valid_utf8(data, len)) {
            u = text_repair_utf8(data, len);
            n = strlen(u);
        }
    }
    *owned = u;
    if (u)
        data = u, len = n;
    size_t skip = 0;
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
        skip = 3;
    while (skip < len && (data[skip] == ' ' || data[skip] == '\t' || data[skip] == '\r' ||
                          data[skip] == '\n' || data[skip] == '\0'))
        skip++;
    *out = data + skip;
    *out_len = len - skip;
    return *out_len > 0;
}

#define XML_CHUNK 65536

/* Feeds the document to the push parser in chunks, without the XML-illegal C0 controls (real
 * feeds carry stray \x0b or \x1f, and a NUL byte in a title would otherwise end the parse as
 * a truncated document). Returns the number of control bytes dropped, NUL counted apart. */
static size_t xml_push(xmlParserCtxtPtr ctxt, const char *u, size_t n, size_t *nuls)
{
    char *chunk = xmalloc(XML_CHUNK);
    size_t dropped = 0;
    *nuls = 0;
    for (size_t i = 0; i < n && !ctxt->disableSAX;) {
        size_t k = 0;
        for (; i < n && k < XML_CHUNK; i++) {
            unsigned char c = (unsigned char)u[i];
            if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r')
                chunk[k++] = u[i];
            else
                dropped++, *nuls += c == 0;
        }
        xmlParseChunk(ctxt, chunk, (int)k, 0);
    }
    xmlParseChunk(ctxt, NULL, 0, 1);
    free(chunk);
    return dropped;
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
    const char *u;
    size_t n;
    char *owned;
    if (!xml_source(data, len, hint_charset, &u, &n, &owned)) {
        snprintf(err, err_len, "empty document");
        free(owned);
        return NULL;
    }
    /* The push parser reads chunk by chunk: no copy of the whole document inside libxml2. */
    xmlParserCtxtPtr ctxt = xmlCreatePushParserCtxt(NULL, NULL, NULL, 0, NULL);
    if (!ctxt) {
        snprintf(err, err_len, "cannot create XML parser");
        free(owned);
        return NULL;
    }
    struct xml_guard guard = {0};
    xml_guard_install(ctxt, &guard);
    ctxt->sax->entityDecl = xml_on_entity_decl;
    ctxt->sax->resolveEntity = xml_on_resolve;
    ctxt->sax->externalSubset = xml_on_external_subset;
    /* No XML_PARSE_NOENT, XML_PARSE_DTDLOAD, XML_PARSE_DTDVALID or XML_PARSE_HUGE: entities
     * stay unexpanded and libxml2's size limits stay on. */
    xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_RECOVER |
                                XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_IGNORE_ENC);
    xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
    size_t nuls, dropped = xml_push(ctxt, u, n, &nuls);
    if (nuls)
        LOG_WARN("document contains %zu NUL byte(s): removed", nuls);
    if (dropped > nuls)
        LOG_DBG("%zu control byte(s) removed", dropped - nuls);
    xmlDoc *doc = ctxt->myDoc;
    ctxt->myDoc = NULL;
    if (guard.entity_declared) {
        snprintf(err, err_len, "refused: document declares entities");
        LOG_WARN("XML document declares entities: refused");
        xmlFreeDoc(doc);
        doc = NULL;
    } else if (guard.too_many_nodes) {
        snprintf(err, err_len, "refused: more than %u XML nodes (elements, attributes, comments)",
                 FEED_MAX_XML_NODES);
        LOG_WARN("XML document with more than %u nodes: refused", FEED_MAX_XML_NODES);
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
    free(owned);
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

/* Text of the descendants in document order, stopping at max bytes (the raw bound of the
 * longest field: xmlNodeGetContent would copy a whole 8 MiB text node first). */
static bool xml_text_append(const xmlNode *n, struct buf *b, size_t max, int depth)
{
    for (const xmlNode *c = n->children; c && depth < 256; c = c->next) {
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
            size_t l = strlen((const char *)c->content);
            if (b->len + l > max) {
                buf_append(b, c->content, max - b->len);
                return false;
            }
            buf_append(b, c->content, l);
        } else if (c->type == XML_ELEMENT_NODE && !xml_text_append(c, b, max, depth + 1)) {
            return false;
        }
    }
    return true;
}

char *feed_xml_text(const xmlNode *n)
{
    struct buf b;
    buf_init(&b, 0);
    buf_append(&b, "", 0);
    if (n)
        xml_text_append(n, &b, FEED_MAX_TEXT_BYTES * 8, 0);
    return buf_steal(&b);
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
