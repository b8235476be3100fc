/* Expected results of the public suites, read into one shape: items with optional title,
 * link, date. gofeed (.json beside .xml), feed-rs (.serde.json) and feedparser (Expect:). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bangtin/feed.h"
#include "bangtin/util.h"
#include "conformance.h"

static char *dup_str(json_t *v)
{
    return json_is_string(v) && *json_string_value(v) ? xstrdup(json_string_value(v)) : NULL;
}

static int64_t json_date(json_t *v)
{
    int64_t t = 0;
    if (json_is_string(v))
        feed_parse_date(json_string_value(v), &t);
    return t;
}

/* href of the alternate (or rel-less) link in a list of {href, rel}. */
static char *json_alt_link(json_t *links)
{
    size_t i;
    json_t *l;
    json_array_foreach(links, i, l)
    {
        json_t *rel = json_object_get(l, "rel");
        if (!json_is_string(rel) || !strcmp(json_string_value(rel), "alternate"))
            return dup_str(json_object_get(l, "href"));
    }
    return NULL;
}

static void expect_add(struct expect *e, struct expect_item *it)
{
    e->items = xrealloc(e->items, (e->n_items + 1) * sizeof(*e->items));
    e->items[e->n_items++] = *it;
}

/* gofeed parser (items/entries) or translator (items) output. */
static void expect_gofeed_item(json_t *it, struct expect *e)
{
    struct expect_item x = {0};
    json_t *title = json_object_get(it, "title");
    x.title = dup_str(title);
    x.title_html = false;
    x.link = dup_str(json_object_get(it, "link"));
    if (!x.link)
        x.link = json_alt_link(json_object_get(it, "links"));
    static const char *dates[] = {"publishedParsed", "pubDateParsed", "updatedParsed"};
    for (size_t k = 0; k < ARRAY_LEN(dates) && !x.date; k++)
        x.date = json_date(json_object_get(it, dates[k]));
    x.check_date = x.date != 0;
    expect_add(e, &x);
}

bool expect_load_gofeed(const char *path, struct expect *e)
{
    json_t *root = json_load_file(path, 0, NULL);
    if (!json_is_object(root)) {
        json_decref(root);
        return false;
    }
    json_t *items = json_object_get(root, "items");
    if (!items)
        items = json_object_get(root, "entries");
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) expect_gofeed_item(it, e);
    json_decref(root);
    return true;
}

bool expect_load_feedrs(const char *path, struct expect *e)
{
    json_t *root = json_load_file(path, 0, NULL);
    if (!json_is_object(root)) {
        json_decref(root);
        return false;
    }
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(root, "entries"), i, it)
    {
        struct expect_item x = {0};
        json_t *title = json_object_get(it, "title");
        x.title = dup_str(json_object_get(title, "content"));
        const char *ct = json_string_value(json_object_get(title, "content_type"));
        x.title_html = ct && strstr(ct, "html");
        x.link = json_alt_link(json_object_get(it, "links"));
        x.date = json_date(json_object_get(it, "published"));
        if (!x.date)
            x.date = json_date(json_object_get(it, "updated"));
        x.check_date = true;
        expect_add(e, &x);
    }
    json_decref(root);
    return true;
}

/* A Python string literal ('…' or "…", optional u prefix) at *p; advances past it. */
static char *py_string(const char **p)
{
    const char *s = *p;
    if (*s == 'u')
        s++;
    char q = *s;
    if (q != '\'' && q != '"')
        return NULL;
    struct buf b;
    buf_init(&b, 0);
    for (s++; *s && *s != q; s++) {
        if (*s != '\\' || !s[1]) {
            buf_append(&b, s, 1);
            continue;
        }
        s++;
        unsigned cp = 0;
        int hex = *s == 'u' ? 4 : *s == 'x' ? 2 : *s == 'U' ? 8 : 0;
        if (hex) {
            for (int i = 1; i <= hex && isxdigit((unsigned char)s[i]); i++)
                cp =
                    cp * 16 + (unsigned)(isdigit((unsigned char)s[i]) ? s[i] - '0'
                                                                      : (tolower(s[i]) - 'a' + 10));
            s += hex;
            char u[4];
            int n =
                cp < 0x80    ? (u[0] = (char)cp, 1)
                : cp < 0x800 ? (u[0] = (char)(0xC0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3F)), 2)
                : cp < 0x10000
                    ? (u[0] = (char)(0xE0 | cp >> 12), u[1] = (char)(0x80 | ((cp >> 6) & 0x3F)),
                       u[2] = (char)(0x80 | (cp & 0x3F)), 3)
                    : (u[0] = (char)(0xF0 | cp >> 18), u[1] = (char)(0x80 | ((cp >> 12) & 0x3F)),
                       u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), u[3] = (char)(0x80 | (cp & 0x3F)),
                       4);
            buf_append(&b, u, (size_t)n);
            continue;
        }
        char c = *s == 'n' ? '\n' : *s == 't' ? '\t' : *s == 'r' ? '\r' : *s;
        buf_append(&b, &c, 1);
    }
    if (*s != q) {
        buf_free(&b);
        return NULL;
    }
    *p = s + 1;
    return buf_steal(&b);
}

static int64_t py_tuple_date(const char *s)
{
    int v[6];
    if (sscanf(s, "(%d, %d, %d, %d, %d, %d", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6)
        return 0;
    char iso[40];
    snprintf(iso, sizeof(iso), "%04d-%02d-%02dT%02d:%02d:%02dZ", v[0], v[1], v[2], v[3], v[4],
             v[5]);
    int64_t t = 0;
    feed_parse_date(iso, &t);
    return t;
}

/* Only the simple forms: "[not bozo and] entries[N]['key'] == <literal>". */
bool expect_load_feedparser(const char *data, struct expect *e)
{
    const char *ex = strstr(data, "Expect:");
    if (!ex)
        return false;
    const char *p = ex + 7;
    while (*p == ' ' || *p == '\t')
        p++;
    if (str_starts_with(p, "not bozo and "))
        p += 13;
    int idx;
    char key[32], sub[32] = "";
    int used = 0;
    if (sscanf(p, "entries[%d]['%31[a-z_]']%n", &idx, key, &used) != 2 || idx < 0 || idx > 50)
        return false;
    p += used;
    if (!strcmp(key, "content") && str_starts_with(p, "[0]['value']"))
        p += 12, strcpy(sub, "value");
    if (!str_starts_with(p, " == "))
        return false;
    p += 4;
    struct expect_item x = {0};
    bool date = str_ends_with(key, "_parsed");
    char *val = date ? NULL : py_string(&p);
    if (!date && (!val || (*p && *p != '\n' && *p != '\r'))) {
        free(val);
        return false;
    }
    if (!strcmp(key, "title"))
        x.title = val, x.title_html = false;
    else if (!strcmp(key, "link"))
        x.link = val;
    else if (!strcmp(key, "id"))
        x.guid = val;
    else if (!strcmp(key, "description") || !strcmp(key, "summary") || sub[0])
        x.text_html = val;
    else if (!strcmp(key, "updated_parsed") || !strcmp(key, "published_parsed"))
        x.date = py_tuple_date(p), x.check_date = x.date != 0, x.date_is_updated = key[0] == 'u';
    else {
        free(val);
        return false;
    }
    if (!x.title && !x.link && !x.guid && !x.text_html && !x.check_date)
        return false;
    e->index = (size_t)idx;
    e->only_index = true;
    expect_add(e, &x);
    return true;
}

void expect_free(struct expect *e)
{
    for (size_t i = 0; i < e->n_items; i++) {
        free(e->items[i].title);
        free(e->items[i].link);
        free(e->items[i].guid);
        free(e->items[i].text_html);
    }
    free(e->items);
    memset(e, 0, sizeof(*e));
}
