/* Items: the one place where raw strings from any format become sanitized feed_items. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "feed"
#include "bangtin/log.h"
#include "bangtin/text.h"
#include "bangtin/util.h"
#include "feed_priv.h"

void feed_set_str(char **dst, const char *s)
{
    free(*dst);
    *dst = xstrdup(s);
}

void feed_cap_free(struct feed_cap *c)
{
    if (!c)
        return;
    free(c->identifier);
    free(c->sender);
    free(c->sender_name);
    for (size_t i = 0; i < c->n_references; i++)
        free(c->references[i]);
    free(c->references);
    free(c->urgency);
    free(c->certainty);
    free(c->event);
    free(c->language);
    free(c->headline);
    free(c->description);
    free(c->instruction);
    free(c->area_desc);
    free(c);
}

void feed_raw_item_clear(struct feed_raw_item *r)
{
    free(r->guid);
    free(r->link);
    free(r->title);
    free(r->author);
    free(r->image_url);
    free(r->image_caption);
    free(r->html);
    free(r->plain);
    feed_cap_free(r->cap);
    memset(r, 0, sizeof(*r));
}

/* Titles are plain text, but RSS titles often carry markup or double-escaped entities
 * ("&amp;#038;"), so entities are decoded once more and any tags are stripped. */
char *feed_sanitize_title(const char *s, bool is_html)
{
    if (!s)
        return xstrdup("");
    const char *lt = strchr(s, '<');
    if (is_html || (lt && strchr(lt, '>'))) {
        char *t = feed_html_to_text(s, strlen(s));
        char *r = text_sanitize_str(t, TEXT_DECODE_ENTITIES);
        free(t);
        return r;
    }
    return text_sanitize_str(s, TEXT_DECODE_ENTITIES);
}

/* NULL for absent or blank values, so that fallbacks apply. */
static char *item_clean(const char *s, unsigned flags)
{
    if (str_empty(s))
        return NULL;
    char *r = text_sanitize_str(s, flags);
    if (!*r) {
        free(r);
        return NULL;
    }
    return r;
}

static char *item_url(const char *s, const char *base_url)
{
    char *clean = item_clean(s, 0);
    if (!clean)
        return NULL;
    char *r = feed_url_resolve(clean, base_url);
    free(clean);
    return r;
}

/* FNV-1a: only needs to be stable, not secret. */
static char *item_hash_guid(const char *title, int64_t date)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (const unsigned char *p = (const unsigned char *)title; *p; p++)
        h = (h ^ *p) * 0x100000001b3ull;
    for (int i = 0; i < 8; i++)
        h = (h ^ (uint8_t)((uint64_t)date >> (8 * i))) * 0x100000001b3ull;
    return xasprintf("hash:%016" PRIx64, h);
}

/* Raw fields are cut generously before the sanitizer and the HTML parser see them (their
 * cost grows with the length; markup and entities shrink in the cleaning), and the clean
 * ones to what a screen can show. Returns how many fields were cut. */
static size_t item_cut_raw(struct feed_raw_item *r)
{
    char *shorts[] = {r->guid, r->link, r->author, r->image_url, r->image_caption};
    size_t n = 0;
    for (size_t i = 0; i < ARRAY_LEN(shorts); i++)
        n += shorts[i] && feed_cut_field(shorts[i], FEED_MAX_SHORT_BYTES);
    n += r->title && feed_cut_field(r->title, FEED_MAX_TITLE_CHARS * 16);
    n += r->html && feed_cut_field(r->html, FEED_MAX_TEXT_BYTES * 8);
    n += r->plain && feed_cut_field(r->plain, FEED_MAX_TEXT_BYTES * 2);
    return n ? 1 : 0;
}

static size_t item_cut_clean(struct feed_item *it)
{
    size_t n = 0, t = feed_chars_prefix(it->title, FEED_MAX_TITLE_CHARS);
    n += it->title[t] && feed_cut_field(it->title, t);
    n += feed_cut_field(it->text, FEED_MAX_TEXT_BYTES);
    return n ? 1 : 0;
}

bool feed_items_push(struct feed *f, struct feed_raw_item *r, const char *base_url)
{
    if (f->n_items >= FEED_MAX_ITEMS) {
        LOG_WARN("feed has more than %u items; the rest are ignored", FEED_MAX_ITEMS);
        feed_raw_item_clear(r);
        return false;
    }
    f->items = xrealloc(f->items, (f->n_items + 1) * sizeof(*f->items));
    struct feed_item *it = &f->items[f->n_items++];
    memset(it, 0, sizeof(*it));
    size_t cut = item_cut_raw(r);
    it->title = feed_sanitize_title(r->title, r->title_html);
    it->link = item_url(r->link, base_url);
    it->image_url = item_url(r->image_url, base_url);
    if (r->html)
        feed_html_extract(r->html, strlen(r->html), base_url, &it->text,
                          it->image_url ? NULL : &it->image_url);
    else
        it->text = text_sanitize_str(r->plain, TEXT_KEEP_NEWLINES);
    f->n_cut += cut | item_cut_clean(it);
    it->image_caption = item_clean(r->image_caption, TEXT_DECODE_ENTITIES);
    it->author = item_clean(r->author, TEXT_DECODE_ENTITIES);
    it->guid = item_clean(r->guid, 0);
    if (!it->guid && it->link)
        it->guid = xstrdup(it->link);
    if (!it->guid)
        it->guid = item_hash_guid(it->title, r->date);
    it->date = r->date;
    it->updated = r->updated;
    it->cap = r->cap;
    r->cap = NULL;
    feed_raw_item_clear(r);
    return true;
}

void feed_free(struct feed *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n_items; i++) {
        struct feed_item *it = &f->items[i];
        free(it->guid);
        free(it->link);
        free(it->title);
        free(it->text);
        free(it->image_url);
        free(it->image_caption);
        free(it->author);
        feed_cap_free(it->cap);
    }
    free(f->items);
    free(f->title);
    free(f->link);
    memset(f, 0, sizeof(*f));
}

size_t feed_append(struct feed *dst, struct feed *src)
{
    size_t moved = 0;
    if (src->n_items) {
        dst->items = xrealloc(dst->items, (dst->n_items + src->n_items) * sizeof(*dst->items));
        size_t n_before = dst->n_items;
        for (size_t i = 0; i < src->n_items; i++) {
            struct feed_item *it = &src->items[i];
            bool seen = false;
            for (size_t k = 0; k < n_before && !seen; k++)
                seen = strcmp(dst->items[k].guid, it->guid) == 0;
            if (seen)
                continue;
            dst->items[dst->n_items++] = *it;
            memset(it, 0, sizeof(*it));
            moved++;
        }
    }
    dst->recovered = dst->recovered || src->recovered;
    dst->n_cut += src->n_cut;
    feed_free(src); /* what is left: the duplicates, zeroed moved slots, the title */
    return moved;
}

const char *feed_format_name(enum feed_format f)
{
    switch (f) {
    case FEED_FORMAT_RSS: return "rss";
    case FEED_FORMAT_RDF: return "rdf";
    case FEED_FORMAT_ATOM: return "atom";
    case FEED_FORMAT_WPJSON: return "wp-json";
    case FEED_FORMAT_JSONFEED: return "jsonfeed";
    case FEED_FORMAT_CAP: return "cap";
    case FEED_FORMAT_UNKNOWN: break;
    }
    return "unknown";
}
