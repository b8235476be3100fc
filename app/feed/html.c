/* HTML fragment → readable plain text, using libxml2's HTML parser for the tree and the
 * entities. Blocks become paragraphs ('\n'), lists "• " lines, table rows "a | b | c";
 * anything that is not article text (scripts, forms, navigation, share boxes) is dropped. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>

#define LOG_MODULE "feed"
#include "bangtin/log.h"
#include "bangtin/text.h"
#include "bangtin/util.h"
#include "feed_priv.h"

#define HTML_MAX_TEXT  (8u * 1024u * 1024u)
#define HTML_MAX_DEPTH 200
#define HTML_MAX_NODES 60000u
#define HTML_OPTIONS                                                                               \
    (HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER |           \
     HTML_PARSE_NODEFDTD)

static bool html_in(const char *name, const char *const *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcasecmp(name, set[i]))
            return true;
    return false;
}

static bool html_is_dropped(const xmlNode *n)
{
    /* Elements whose content is not article text. Void elements (embed, meta, input …)
     * are not here: libxml2 nests the text after an unclosed one inside it, so they are
     * walked through instead, as are object/applet whose children are fallback content. */
    static const char *const dropped[] = {
        "script", "style", "iframe", "form",   "nav",      "noscript", "button",
        "svg",    "head",  "title",  "select", "textarea", "template", "canvas",
        "audio",  "video", "map",    "math",   "frameset", "dialog",   "param",
    };
    /* Classes WordPress themes and plugins use for navigation and share boxes. */
    static const char *const cruft[] = {
        "post-navigation",  "nav-links",         "nav-previous",       "nav-next",
        "sharedaddy",       "jp-relatedposts",   "screen-reader-text", "sharing",
        "wp-block-buttons", "td-post-next-prev",
    };
    if (html_in((const char *)n->name, dropped, ARRAY_LEN(dropped)))
        return true;
    xmlChar *cls = xmlGetProp(n, (const xmlChar *)"class");
    bool drop = false;
    for (size_t i = 0; cls && i < ARRAY_LEN(cruft) && !drop; i++)
        drop = strstr((const char *)cls, cruft[i]) != NULL;
    xmlFree(cls);
    return drop;
}

static bool html_is_block(const char *name)
{
    static const char *const blocks[] = {
        "p",       "div",   "section", "article",  "header", "footer", "main",       "aside",
        "h1",      "h2",    "h3",      "h4",       "h5",     "h6",     "blockquote", "pre",
        "address", "dl",    "dt",      "dd",       "hr",     "figure", "figcaption", "table",
        "tbody",   "thead", "tfoot",   "ul",       "ol",     "center", "details",    "summary",
        "body",    "html",  "caption", "fieldset", "legend", "tr",
    };
    return html_in(name, blocks, ARRAY_LEN(blocks));
}

struct html_walk {
    bool in_pre;
};

static void html_walk(struct html_walk *w, xmlNode *n, struct buf *out, int depth);

/* Source whitespace is not a line break (outside <pre>): '\n' is reserved for paragraphs. */
static void html_text(struct html_walk *w, const xmlNode *n, struct buf *out)
{
    const char *s = (const char *)n->content;
    if (!s)
        return;
    size_t start = out->len;
    if (!buf_append_str(out, s))
        return;
    for (size_t i = start; i < out->len; i++) {
        char c = out->data[i];
        if (c == '\r' || c == '\t' || (c == '\n' && !w->in_pre))
            out->data[i] = ' ';
    }
}

/* One table row: non-empty cells joined with " | ". */
static void html_row(struct html_walk *w, xmlNode *tr, struct buf *out, int depth)
{
    bool first = true;
    buf_append_str(out, "\n");
    for (xmlNode *c = tr->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || html_is_dropped(c))
            continue;
        struct buf cell;
        buf_init(&cell, HTML_MAX_TEXT);
        html_walk(w, c, &cell, depth + 1);
        char *t = text_sanitize(cell.data ? cell.data : "", cell.len, 0);
        buf_free(&cell);
        if (*t) {
            if (!first)
                buf_append_str(out, " | ");
            buf_append_str(out, t);
            first = false;
        }
        free(t);
    }
    buf_append_str(out, "\n");
}

static void html_element(struct html_walk *w, xmlNode *n, struct buf *out, int depth)
{
    const char *name = (const char *)n->name;
    if (html_is_dropped(n))
        return;
    if (!strcasecmp(name, "br")) {
        buf_append_str(out, "\n");
        return;
    }
    if (!strcasecmp(name, "tr")) {
        html_row(w, n, out, depth);
        return;
    }
    bool block = html_is_block(name), li = !strcasecmp(name, "li");
    bool pre = !strcasecmp(name, "pre"), was_pre = w->in_pre;
    if (block || li)
        buf_append_str(out, "\n");
    if (li)
        buf_append_str(out, "\xE2\x80\xA2 "); /* "• " */
    w->in_pre = was_pre || pre;
    for (xmlNode *c = n->children; c; c = c->next)
        html_walk(w, c, out, depth + 1);
    w->in_pre = was_pre;
    if (block || li)
        buf_append_str(out, "\n");
    else if (!strcasecmp(name, "td") || !strcasecmp(name, "th"))
        buf_append_str(out, " ");
}

static void html_walk(struct html_walk *w, xmlNode *n, struct buf *out, int depth)
{
    if (depth > HTML_MAX_DEPTH)
        return;
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
        html_text(w, n, out);
    else if (n->type == XML_ELEMENT_NODE)
        html_element(w, n, out, depth);
}

/* WordPress cruft that arrives as plain paragraphs: previous/next post links and the
 * "The post … appeared first on …" footer some plugins add to feeds. */
static bool html_is_cruft_line(const char *line, size_t len)
{
    static const char *const prefixes[] = {"Bài trước", "Bài tiếp theo", "Bài sau",
                                           "Bài viết trước", "Bài viết tiếp theo"};
    for (size_t i = 0; i < ARRAY_LEN(prefixes); i++) {
        size_t pl = strlen(prefixes[i]);
        if (len >= pl && !memcmp(line, prefixes[i], pl))
            return true;
    }
    static const char post[] = "The post ", first[] = " appeared first on ";
    if (len >= sizeof(post) - 1 && !memcmp(line, post, sizeof(post) - 1)) {
        char *tmp = xstrndup(line, len);
        bool found = strstr(tmp, first) != NULL;
        free(tmp);
        return found;
    }
    return false;
}

static char *html_drop_cruft(char *text)
{
    struct buf b;
    buf_init(&b, 0);
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (!html_is_cruft_line(p, len)) {
            if (b.len)
                buf_append_str(&b, "\n");
            buf_append(&b, p, len);
        }
        p += len + (nl ? 1 : 0);
    }
    free(text);
    return buf_steal(&b);
}

struct html_guard {
    size_t nodes;
    startElementSAXFunc start_element;
};

/* An article body is bounded like the feed around it (docs/bounds.md): past
 * HTML_MAX_NODES elements the parse stops and the text read so far is kept. */
static void html_on_start_element(void *ctx, const xmlChar *name, const xmlChar **atts)
{
    htmlParserCtxtPtr ctxt = ctx;
    struct html_guard *g = ctxt->_private;
    size_t n = 2;
    for (size_t i = 0; atts && atts[i]; i += 2)
        n += 2;
    g->nodes += n;
    if (g->nodes > HTML_MAX_NODES) {
        xmlStopParser(ctxt);
        return;
    }
    g->start_element(ctx, name, atts);
}

static htmlDocPtr html_read(const char *html, size_t len)
{
    if (!html || len == 0 || len > (size_t)FEED_MAX_BYTES)
        return NULL;
    htmlParserCtxtPtr ctxt = htmlCreateMemoryParserCtxt(html, (int)len);
    if (!ctxt)
        return NULL;
    struct html_guard g = {.start_element = ctxt->sax->startElement};
    ctxt->_private = &g;
    ctxt->sax->startElement = html_on_start_element;
    htmlCtxtUseOptions(ctxt, HTML_OPTIONS);
    xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
    htmlParseDocument(ctxt);
    htmlDocPtr doc = ctxt->myDoc;
    ctxt->myDoc = NULL;
    if (g.nodes > HTML_MAX_NODES)
        LOG_WARN("article HTML with more than %u elements: the rest is left out", HTML_MAX_NODES);
    htmlFreeParserCtxt(ctxt);
    return doc;
}

static char *html_doc_text(htmlDocPtr doc)
{
    struct buf out;
    buf_init(&out, HTML_MAX_TEXT);
    struct html_walk w = {0};
    for (xmlNode *c = doc->children; c; c = c->next)
        html_walk(&w, c, &out, 0);
    char *t = text_sanitize(out.data ? out.data : "", out.len, TEXT_KEEP_NEWLINES);
    buf_free(&out);
    return html_drop_cruft(t);
}

char *feed_html_to_text(const char *html, size_t len)
{
    htmlDocPtr doc = html_read(html, len);
    if (!doc)
        return xstrdup("");
    char *t = html_doc_text(doc);
    xmlFreeDoc(doc);
    return t;
}

static bool html_is_pixel(const xmlNode *img)
{
    xmlChar *w = xmlGetProp(img, (const xmlChar *)"width");
    xmlChar *h = xmlGetProp(img, (const xmlChar *)"height");
    bool tiny = (w && atoi((const char *)w) > 0 && atoi((const char *)w) <= 2) ||
                (h && atoi((const char *)h) > 0 && atoi((const char *)h) <= 2);
    xmlFree(w);
    xmlFree(h);
    return tiny;
}

static const xmlNode *html_find_img(const xmlNode *n, int depth)
{
    for (; n && depth < HTML_MAX_DEPTH; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (!strcasecmp((const char *)n->name, "img") && !html_is_pixel(n)) {
            xmlChar *src = xmlGetProp(n, (const xmlChar *)"src");
            bool ok = src && *src && strncasecmp((const char *)src, "data:", 5) != 0;
            xmlFree(src);
            if (ok)
                return n;
        }
        if (html_is_dropped(n))
            continue;
        const xmlNode *found = html_find_img(n->children, depth + 1);
        if (found)
            return found;
    }
    return NULL;
}

static char *html_doc_image(htmlDocPtr doc, const char *base_url)
{
    const xmlNode *img = html_find_img(doc->children, 0);
    if (!img)
        return NULL;
    xmlChar *src = xmlGetProp(img, (const xmlChar *)"src");
    char *clean = text_sanitize_str((const char *)src, 0);
    char *url = feed_url_resolve(clean, base_url);
    free(clean);
    xmlFree(src);
    return url;
}

char *feed_html_first_image(const char *html, size_t len, const char *base_url)
{
    htmlDocPtr doc = html_read(html, len);
    if (!doc)
        return NULL;
    char *url = html_doc_image(doc, base_url);
    xmlFreeDoc(doc);
    return url;
}

void feed_html_extract(const char *html, size_t len, const char *base_url, char **text,
                       char **image)
{
    htmlDocPtr doc = html_read(html, len);
    *text = doc ? html_doc_text(doc) : xstrdup("");
    if (image)
        *image = doc ? html_doc_image(doc, base_url) : NULL;
    xmlFreeDoc(doc);
}
