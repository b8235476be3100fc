/* CAP 1.x (Common Alerting Protocol): single alerts, alerts carried in Atom entries or RSS
 * items, and EDXL-DE distributions. The info block in Vietnamese is preferred. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LOG_MODULE "feed"
#include "bangtin/log.h"
#include "bangtin/text.h"
#include "bangtin/util.h"
#include "feed_priv.h"

#define CAP_MAX_REFERENCES 64
#define CAP_MAX_DEPTH      12

bool feed_cap_is_alert(const xmlNode *n)
{
    return feed_xml_is(n, "alert", NS_CAP_PREFIX) ||
           feed_xml_is(n, "alert", "http://www.incident.com/cap/1.0");
}

xmlNode *feed_cap_find(xmlNode *n, int depth)
{
    if (!n || depth < 0)
        return NULL;
    if (feed_cap_is_alert(n))
        return n;
    for (xmlNode *c = n->children; c; c = c->next) {
        xmlNode *a = c->type == XML_ELEMENT_NODE ? feed_cap_find(c, depth - 1) : NULL;
        if (a)
            return a;
    }
    return NULL;
}

/* Children share the alert's namespace; NULL when absent or blank. */
static char *cap_text(const xmlNode *parent, const char *name)
{
    for (xmlNode *c = parent->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, name) &&
            c->ns == parent->ns) {
            char *s = feed_xml_text(c);
            str_trim(s);
            if (*s)
                return s;
            free(s);
            return NULL;
        }
    }
    return NULL;
}

static int64_t cap_date(const xmlNode *parent, const char *name)
{
    char *s = cap_text(parent, name);
    int64_t t = 0;
    if (s && !feed_parse_date(s, &t))
        LOG_DBG("CAP %s unparsable: \"%s\"", name, s);
    free(s);
    return t;
}

static int cap_lookup(const char *s, const char *const *names, size_t n, int dflt)
{
    for (size_t i = 0; s && i < n; i++)
        if (!strcasecmp(s, names[i]))
            return (int)i;
    return dflt;
}

static void cap_enums(const xmlNode *alert, struct feed_cap *c)
{
    static const char *const types[] = {"Alert", "Update", "Cancel", "Ack", "Error"};
    static const char *const statuses[] = {"Actual", "Exercise", "System", "Test", "Draft"};
    char *t = cap_text(alert, "msgType");
    char *s = cap_text(alert, "status");
    /* Unknown or missing values must never make a message urgent: an unknown type reads
     * as Error and an unknown status as Test (both are not shown as alerts). */
    c->msg_type = (enum feed_cap_msgtype)cap_lookup(t, types, ARRAY_LEN(types), FEED_CAP_ERROR);
    c->status = (enum feed_cap_status)cap_lookup(s, statuses, ARRAY_LEN(statuses), FEED_CAP_TEST);
    free(t);
    free(s);
}

/* "sender,identifier,sent" triples separated by whitespace; we keep the identifiers. */
static void cap_references(const xmlNode *alert, struct feed_cap *c)
{
    char *refs = cap_text(alert, "references");
    char *save = NULL;
    for (char *tok = refs ? strtok_r(refs, " \t\r\n", &save) : NULL; tok;
         tok = strtok_r(NULL, " \t\r\n", &save)) {
        char *a = strchr(tok, ',');
        char *b = a ? strchr(a + 1, ',') : NULL;
        if (!a || !b || b == a + 1) {
            LOG_DBG("CAP reference without identifier: \"%s\"", tok);
            continue;
        }
        if (c->n_references >= CAP_MAX_REFERENCES)
            break;
        c->references = xrealloc(c->references, (c->n_references + 1) * sizeof(char *));
        c->references[c->n_references++] = text_sanitize(a + 1, (size_t)(b - a - 1), 0);
    }
    free(refs);
}

static bool cap_is_vietnamese(const xmlNode *info)
{
    char *lang = cap_text(info, "language");
    bool vi = lang && (!strcasecmp(lang, "vi") || !strncasecmp(lang, "vi-", 3));
    free(lang);
    return vi;
}

static const xmlNode *cap_pick_info(const xmlNode *alert)
{
    const xmlNode *first = NULL;
    for (xmlNode *c = alert->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "info") != 0 ||
            c->ns != alert->ns)
            continue;
        if (cap_is_vietnamese(c))
            return c;
        if (!first)
            first = c;
    }
    return first;
}

static enum feed_severity cap_severity(const char *s)
{
    static const char *const names[] = {"Unknown", "Minor", "Moderate", "Severe", "Extreme"};
    return (enum feed_severity)cap_lookup(s, names, ARRAY_LEN(names), FEED_SEVERITY_UNKNOWN);
}

/* All areaDesc of the info block, joined with ", ". */
static char *cap_areas(const xmlNode *info)
{
    struct buf b;
    buf_init(&b, 64 * 1024);
    for (xmlNode *a = info->children; a; a = a->next) {
        if (a->type != XML_ELEMENT_NODE || strcmp((const char *)a->name, "area") != 0)
            continue;
        char *d = cap_text(a, "areaDesc");
        if (d && (b.len == 0 || buf_append_str(&b, ", ")))
            buf_append_str(&b, d);
        free(d);
    }
    if (b.len == 0) {
        buf_free(&b);
        return NULL;
    }
    return buf_steal(&b);
}

static void cap_info(const xmlNode *info, struct feed_cap *c, struct feed_raw_item *r)
{
    char *sev = cap_text(info, "severity");
    c->severity = cap_severity(sev);
    free(sev);
    c->language = cap_text(info, "language");
    c->event = cap_text(info, "event");
    c->urgency = cap_text(info, "urgency");
    c->certainty = cap_text(info, "certainty");
    c->sender_name = cap_text(info, "senderName");
    c->headline = cap_text(info, "headline");
    c->description = cap_text(info, "description");
    c->instruction = cap_text(info, "instruction");
    c->area_desc = cap_areas(info);
    c->effective = cap_date(info, "effective");
    c->expires = cap_date(info, "expires");
    char *web = cap_text(info, "web");
    if (web && str_empty(r->link))
        feed_set_str(&r->link, web);
    free(web);
}

/* Every string sanitized here, since feed_items_push only sanitizes item fields. */
static void cap_sanitize(struct feed_cap *c)
{
    char **fields[] = {&c->identifier,  &c->sender,      &c->sender_name, &c->urgency,
                       &c->certainty,   &c->event,       &c->language,    &c->headline,
                       &c->description, &c->instruction, &c->area_desc};
    for (size_t i = 0; i < ARRAY_LEN(fields); i++) {
        if (!*fields[i])
            continue;
        bool body = fields[i] == &c->description || fields[i] == &c->instruction;
        char *s;
        /* CAP says plain text, but real alerts carry <br /> and escaped entities. */
        if (body && strpbrk(*fields[i], "<&"))
            s = feed_html_to_text(*fields[i], strlen(*fields[i]));
        else
            s = text_sanitize_str(*fields[i], body ? TEXT_KEEP_NEWLINES : 0);
        free(*fields[i]);
        *fields[i] = s;
    }
}

void feed_cap_fill(xmlNode *alert, struct feed_raw_item *r)
{
    struct feed_cap *c = xcalloc(1, sizeof(*c));
    c->identifier = cap_text(alert, "identifier");
    c->sender = cap_text(alert, "sender");
    c->sent = cap_date(alert, "sent");
    cap_enums(alert, c);
    cap_references(alert, c);
    const xmlNode *info = cap_pick_info(alert);
    if (info)
        cap_info(info, c, r);
    cap_sanitize(c);
    /* The alert's own fields win over those of an Atom entry or RSS item carrying it. */
    if (c->headline || c->event)
        feed_set_str(&r->title, c->headline ? c->headline : c->event);
    r->title_html = false;
    free(r->html);
    r->html = NULL;
    free(r->plain);
    r->plain = xasprintf("%s%s%s", c->description ? c->description : "",
                         c->description && c->instruction ? "\n" : "",
                         c->instruction ? c->instruction : "");
    if (c->identifier)
        feed_set_str(&r->guid, c->identifier);
    if (c->sent || c->effective)
        r->date = c->sent ? c->sent : c->effective;
    feed_cap_free(r->cap);
    r->cap = c;
}

static void cap_collect(xmlNode *n, int depth, const char *base_url, struct feed *out)
{
    if (depth > CAP_MAX_DEPTH || out->n_items >= FEED_MAX_ITEMS)
        return;
    if (feed_cap_is_alert(n)) {
        struct feed_raw_item r = {0};
        feed_cap_fill(n, &r);
        feed_items_push(out, &r, base_url);
        return;
    }
    for (xmlNode *c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            cap_collect(c, depth + 1, base_url, out);
}

bool feed_cap_parse_doc(xmlNode *root, const char *base_url, struct feed *out)
{
    out->format = FEED_FORMAT_CAP;
    cap_collect(root, 0, base_url, out);
    return true;
}
