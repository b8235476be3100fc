/* WordPress REST API posts (/wp-json/wp/v2/posts[?_embed]): an array of post objects whose
 * texts are under "rendered" and whose date_gmt carries no zone. */
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "feed"
#include "bangtin/log.h"
#include "bangtin/util.h"
#include "feed_priv.h"

const char *feed_json_str(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* obj[key].rendered, or obj[key] when it is a plain string. */
static const char *wp_rendered(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    if (json_is_string(v))
        return json_string_value(v);
    return feed_json_str(v, "rendered");
}

static int64_t wp_date(json_t *post, const char *gmt_key, const char *local_key)
{
    int64_t t = 0;
    const char *s = feed_json_str(post, gmt_key);
    if (s && feed_parse_date(s, &t))
        return t;
    /* Without the GMT field the local time is the best there is. */
    s = feed_json_str(post, local_key);
    if (s && !feed_parse_date(s, &t))
        LOG_DBG("unparsable date \"%s\"", s);
    return t;
}

static void wp_embedded(json_t *post, struct feed_raw_item *r)
{
    json_t *emb = json_object_get(post, "_embedded");
    json_t *media = json_array_get(json_object_get(emb, "wp:featuredmedia"), 0);
    if (json_is_object(media)) {
        r->image_url = xstrdup(feed_json_str(media, "source_url"));
        const char *cap = wp_rendered(media, "caption");
        if (cap)
            r->image_caption = feed_html_to_text(cap, strlen(cap));
    }
    json_t *author = json_array_get(json_object_get(emb, "author"), 0);
    r->author = xstrdup(feed_json_str(author, "name"));
}

static void wp_post(json_t *post, const char *base_url, struct feed *out)
{
    struct feed_raw_item r = {0};
    r.title = xstrdup(wp_rendered(post, "title"));
    r.title_html = true;
    const char *html = wp_rendered(post, "content");
    if (str_empty(html))
        html = wp_rendered(post, "excerpt");
    r.html = xstrdup(html);
    r.link = xstrdup(feed_json_str(post, "link"));
    r.guid = xstrdup(wp_rendered(post, "guid"));
    json_t *id = json_object_get(post, "id");
    if (!r.guid && json_is_integer(id))
        r.guid = xasprintf("wp-post:%lld", (long long)json_integer_value(id));
    r.date = wp_date(post, "date_gmt", "date");
    r.updated = wp_date(post, "modified_gmt", "modified");
    wp_embedded(post, &r);
    feed_items_push(out, &r, base_url);
}

/* An array of objects that look like posts: rendered title plus content or excerpt. */
static bool wp_is_post(json_t *p)
{
    return json_is_object(p) && json_object_get(p, "title") &&
           (json_object_get(p, "content") || json_object_get(p, "excerpt") ||
            json_object_get(p, "date_gmt"));
}

bool feed_wpjson_looks_like(json_t *root)
{
    if (wp_is_post(root)) /* /wp/v2/posts/<id>: one post */
        return true;
    if (!json_is_array(root))
        return false;
    if (json_array_size(root) == 0)
        return true; /* a category with no posts */
    return wp_is_post(json_array_get(root, 0));
}

bool feed_wpjson_parse(json_t *root, const char *base_url, struct feed *out)
{
    out->format = FEED_FORMAT_WPJSON;
    if (json_is_object(root)) {
        wp_post(root, base_url, out);
        return true;
    }
    size_t i;
    json_t *post;
    json_array_foreach(root, i, post)
    {
        if (out->n_items >= FEED_MAX_ITEMS)
            break;
        if (json_is_object(post))
            wp_post(post, base_url, out);
    }
    return true;
}
