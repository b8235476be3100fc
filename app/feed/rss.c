/* RSS 0.9x / 2.0 and RSS 1.0 (RDF), with the extensions real feeds use: content:encoded,
 * dc:date, dc:creator, enclosure and media:content images, CAP alerts inside items. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LOG_MODULE "feed"
#include "bangtin/log.h"
#include "bangtin/util.h"
#include "feed_priv.h"

/* RSS core elements live in no namespace (0.9x/2.0) or the RSS 1.0/0.90 namespace. */
static bool rss_is(const xmlNode *n, const char *name)
{
    return feed_xml_is(n, name, "") || feed_xml_is(n, name, NS_RSS10) ||
           feed_xml_is(n, name, NS_RSS09) ||
           feed_xml_is(n, name, "http://backend.userland.com/rss2") ||
           feed_xml_is(n, name, "http://backend.userland.com/rss");
}

static xmlNode *rss_child(const xmlNode *parent, const char *name)
{
    for (xmlNode *c = parent->children; c; c = c->next)
        if (rss_is(c, name))
            return c;
    return NULL;
}

/* Text of the first matching child, or NULL when there is none. */
static char *rss_text(const xmlNode *parent, const char *name, const char *ns)
{
    xmlNode *c = ns ? feed_xml_child(parent, name, ns) : rss_child(parent, name);
    return c ? feed_xml_text(c) : NULL;
}

static bool rss_is_image(const char *type, const char *medium, const char *url)
{
    if (medium)
        return !strcasecmp(medium, "image");
    if (type)
        return !strncasecmp(type, "image/", 6);
    if (!url)
        return false;
    const char *dot = strrchr(url, '.');
    return dot &&
           (!strcasecmp(dot, ".jpg") || !strcasecmp(dot, ".jpeg") || !strcasecmp(dot, ".png") ||
            !strcasecmp(dot, ".webp") || !strcasecmp(dot, ".gif"));
}

/* First image among enclosure, media:content, media:thumbnail (also inside media:group). */
static void rss_image(const xmlNode *item, struct feed_raw_item *r)
{
    for (xmlNode *c = item->children; c && !r->image_url; c = c->next) {
        if (feed_xml_is(c, "group", NS_MEDIA)) {
            rss_image(c, r);
            continue;
        }
        bool enclosure = rss_is(c, "enclosure");
        bool media = feed_xml_is(c, "content", NS_MEDIA);
        bool thumb = feed_xml_is(c, "thumbnail", NS_MEDIA);
        if (!enclosure && !media && !thumb)
            continue;
        char *url = feed_xml_attr(c, "url");
        char *type = feed_xml_attr(c, "type");
        char *medium = feed_xml_attr(c, "medium");
        if (url && (thumb || rss_is_image(type, medium, url))) {
            r->image_url = url;
            url = NULL;
            xmlNode *d = feed_xml_child(c, "description", NS_MEDIA);
            if (d)
                r->image_caption = feed_xml_text(d);
        }
        free(url);
        free(type);
        free(medium);
    }
}

static void rss_dates(const xmlNode *item, struct feed_raw_item *r)
{
    static const struct {
        const char *name;
        const char *ns;
    } dates[] = {
        {"pubDate", NULL},
        {"date", NS_DC},
        {"published", NS_ATOM},
        {"updated", NS_ATOM},
        {"issued", "http://purl.org/dc/terms/"},
        {"modified", "http://purl.org/dc/terms/"},
    };
    for (size_t i = 0; i < ARRAY_LEN(dates) && !r->date; i++) {
        char *s = rss_text(item, dates[i].name, dates[i].ns);
        if (s && !feed_parse_date(s, &r->date))
            LOG_DBG("unparsable date \"%s\"", s);
        free(s);
    }
}

static void rss_link(const xmlNode *item, struct feed_raw_item *r)
{
    r->link = rss_text(item, "link", NULL);
    if (!str_empty(r->link))
        return;
    for (xmlNode *c = item->children; c; c = c->next) {
        if (!feed_xml_is(c, "link", NS_ATOM))
            continue;
        char *rel = feed_xml_attr(c, "rel");
        if (!rel || !strcmp(rel, "alternate")) {
            free(r->link);
            r->link = feed_xml_attr(c, "href");
        }
        free(rel);
        if (r->link)
            return;
    }
    /* A guid that is a permalink is the link (the RSS 2.0 default). */
    xmlNode *g = rss_child(item, "guid");
    if (!g)
        return;
    char *perma = feed_xml_attr(g, "isPermaLink");
    char *v = feed_xml_text(g);
    if ((!perma || strcasecmp(perma, "false") != 0) &&
        (str_starts_with(v, "http://") || str_starts_with(v, "https://"))) {
        free(r->link);
        r->link = v;
        v = NULL;
    }
    free(perma);
    free(v);
}

/* The richest body there is: content:encoded, XHTML body, then the various summaries. */
static char *rss_body(xmlNode *item)
{
    static const struct {
        const char *name;
        const char *ns;
        bool inner; /* markup as elements (XHTML body), not escaped text */
    } bodies[] = {
        {"encoded", NS_CONTENT, false},
        {"body", "http://www.w3.org/1999/xhtml", true},
        {"body", NULL, true},
        {"fullitem", NULL, false},
        {"description", NULL, false},
        {"description", NS_DC, false},
        {"summary", "http://www.itunes.com/dtds/podcast-1.0.dtd", false},
        {"summary", "http://www.itunes.com/DTDs/Podcast-1.0.dtd", false},
    };
    for (size_t i = 0; i < ARRAY_LEN(bodies); i++) {
        xmlNode *n = bodies[i].ns ? feed_xml_child(item, bodies[i].name, bodies[i].ns)
                                  : rss_child(item, bodies[i].name);
        if (!n)
            continue;
        char *html = bodies[i].inner ? feed_xml_inner(n) : feed_xml_text(n);
        if (!str_empty(html))
            return html;
        free(html);
    }
    return NULL;
}

static void rss_item(xmlDoc *doc, xmlNode *item, const char *base_url, struct feed *out)
{
    struct feed_raw_item r = {0};
    char *base = feed_xml_base(doc, item, base_url);
    char *title = rss_text(item, "title", NULL);
    if (!title)
        title = rss_text(item, "title", NS_DC);
    if (!title)
        title = rss_text(item, "title", NS_MEDIA);
    r.title = title;
    r.guid = rss_text(item, "guid", NULL);
    if (str_empty(r.guid)) {
        free(r.guid);
        r.guid = (char *)xmlGetNsProp(item, (const xmlChar *)"about", (const xmlChar *)NS_RDF);
        if (r.guid) { /* xmlChar from libxml2: copy into our allocator */
            char *g = xstrdup(r.guid);
            xmlFree(r.guid);
            r.guid = g;
        }
    }
    rss_link(item, &r);
    r.html = rss_body(item);
    r.author = rss_text(item, "creator", NS_DC);
    if (!r.author)
        r.author = rss_text(item, "author", NULL);
    rss_image(item, &r);
    rss_dates(item, &r);
    xmlNode *alert = feed_cap_find(item, 4);
    if (alert)
        feed_cap_fill(alert, &r);
    feed_items_push(out, &r, base);
    free(base);
}

bool feed_rss_parse(xmlDoc *doc, xmlNode *root, const char *base_url, struct feed *out)
{
    xmlNode *channel = rss_child(root, "channel");
    out->format = feed_xml_is(root, "RDF", NS_RDF) ? FEED_FORMAT_RDF : FEED_FORMAT_RSS;
    if (channel) {
        out->title = rss_text(channel, "title", NULL);
        out->link = rss_text(channel, "link", NULL);
    }
    /* Items are children of <channel> in RSS 2.0 and siblings of it in RDF. */
    xmlNode *parents[] = {channel, root};
    for (size_t p = 0; p < ARRAY_LEN(parents); p++) {
        if (!parents[p] || (p == 1 && parents[0] == root))
            continue;
        for (xmlNode *c = parents[p]->children; c; c = c->next)
            if (rss_is(c, "item") && out->n_items < FEED_MAX_ITEMS)
                rss_item(doc, c, base_url, out);
    }
    return true;
}
