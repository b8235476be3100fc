/* JSON Feed 1.0 / 1.1 (https://jsonfeed.org/version/1.1). */
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "feed"
#include "bangtin/log.h"
#include "bangtin/util.h"
#include "feed_priv.h"

static int64_t jf_date(json_t *item, const char *key)
{
    int64_t t = 0;
    const char *s = feed_json_str(item, key);
    if (s && !feed_parse_date(s, &t))
        LOG_DBG("unparsable date \"%s\"", s);
    return t;
}

/* 1.1 has "authors"; 1.0 had "author". */
static char *jf_author(json_t *item)
{
    json_t *a = json_array_get(json_object_get(item, "authors"), 0);
    if (!a)
        a = json_object_get(item, "author");
    return xstrdup(feed_json_str(a, "name"));
}

static void jf_item(json_t *item, const char *base_url, struct feed *out)
{
    struct feed_raw_item r = {0};
    json_t *id = json_object_get(item, "id");
    if (json_is_string(id))
        r.guid = xstrdup(json_string_value(id));
    else if (json_is_integer(id)) /* against the spec, but seen */
        r.guid = xasprintf("%lld", (long long)json_integer_value(id));
    r.link = xstrdup(feed_json_str(item, "url"));
    if (!r.link)
        r.link = xstrdup(feed_json_str(item, "external_url"));
    r.title = xstrdup(feed_json_str(item, "title"));
    const char *html = feed_json_str(item, "content_html");
    if (!str_empty(html))
        r.html = xstrdup(html);
    else if (!str_empty(feed_json_str(item, "content_text")))
        r.plain = xstrdup(feed_json_str(item, "content_text"));
    else
        r.plain = xstrdup(feed_json_str(item, "summary"));
    r.image_url = xstrdup(feed_json_str(item, "image"));
    if (!r.image_url)
        r.image_url = xstrdup(feed_json_str(item, "banner_image"));
    r.author = jf_author(item);
    r.date = jf_date(item, "date_published");
    r.updated = jf_date(item, "date_modified");
    if (!r.date)
        r.date = r.updated;
    feed_items_push(out, &r, base_url);
}

bool feed_jsonfeed_looks_like(json_t *root)
{
    const char *v = feed_json_str(root, "version");
    return json_is_object(root) && ((v && strstr(v, "jsonfeed.org/version/")) ||
                                    json_is_array(json_object_get(root, "items")));
}

bool feed_jsonfeed_parse(json_t *root, const char *base_url, struct feed *out)
{
    out->format = FEED_FORMAT_JSONFEED;
    out->title = xstrdup(feed_json_str(root, "title"));
    out->link = xstrdup(feed_json_str(root, "home_page_url"));
    const char *feed_url = feed_json_str(root, "feed_url");
    const char *base = base_url ? base_url : feed_url;
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(root, "items"), i, item)
    {
        if (out->n_items >= FEED_MAX_ITEMS)
            break;
        if (json_is_object(item))
            jf_item(item, base, out);
    }
    return true;
}
