/* One JSON object per line per item: the format of `bangtin --dump-feed` and of the tests. */
#include <stdlib.h>
#include <time.h>

#include <jansson.h>

#include "bangtin/util.h"
#include "feed_priv.h"

static json_t *dump_str(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *dump_date(int64_t t)
{
    if (t <= 0)
        return json_null();
    time_t tt = (time_t)t;
    struct tm tm;
    char buf[32];
    if (!gmtime_r(&tt, &tm) || !strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm))
        return json_null();
    return json_string(buf);
}

void feed_dump_jsonl(const struct feed *f, struct buf *out)
{
    for (size_t i = 0; f && i < f->n_items; i++) {
        const struct feed_item *it = &f->items[i];
        json_t *o = json_object();
        json_object_set_new(o, "title", dump_str(it->title));
        json_object_set_new(o, "link", dump_str(it->link));
        json_object_set_new(o, "guid", dump_str(it->guid));
        json_object_set_new(o, "date", dump_date(it->date));
        json_object_set_new(o, "text", dump_str(it->text));
        json_object_set_new(o, "image", dump_str(it->image_url));
        char *line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(o);
        if (line) {
            buf_append_str(out, line);
            buf_append_str(out, "\n");
            free(line);
        }
    }
}
