/* Urgent feeds → notices: CAP msgType/references/status rules on hand-made feeds, then the
 * CAP 1.2 documents in tests/data/cap parsed by the feed module and replayed through a real
 * store as successive polls (Alert → shown, Update → replaced, Cancel → gone, Test →
 * ignored), and plain items of an urgent category feed. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bangtin/config.h"
#include "bangtin/feed.h"
#include "bangtin/notify.h"
#include "bangtin/store.h"
#include "bangtin/util.h"
#include "check.h"
#include "notify_test.h"

#define NOW 1795741200 /* 2026-11-27 08:00 +07:00 */

static struct config_source src_urgent = {
    .id = "pctt", .name = "PCTT tỉnh", .kind = CONFIG_SOURCE_URGENT};

static void cap_item(struct feed_item *it, const char *ident, enum feed_cap_msgtype type,
                     enum feed_cap_status status, const char *ref)
{
    memset(it, 0, sizeof(*it));
    it->guid = xstrdup(ident);
    it->title = xstrdup("");
    it->text = xstrdup("");
    struct feed_cap *c = it->cap = xcalloc(1, sizeof(*c));
    c->identifier = xstrdup(ident);
    c->sender = xstrdup("canhbao@example.gov.vn");
    c->msg_type = type;
    c->status = status;
    c->severity = FEED_SEVERITY_SEVERE;
    c->headline = xasprintf("Tiêu đề %s", ident);
    c->description = xstrdup("Mô tả");
    c->area_desc = xstrdup("Xã Minh Tân");
    c->sent = NOW - 600;
    c->expires = NOW + 3600;
    if (ref) {
        c->references = xcalloc(1, sizeof(char *));
        c->references[0] = xstrdup(ref);
        c->n_references = 1;
    }
}

static void free_items(struct feed_item *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct feed_cap *c = items[i].cap;
        if (c) {
            for (size_t r = 0; r < c->n_references; r++)
                free(c->references[r]);
            free(c->references), free(c->identifier), free(c->sender), free(c->headline);
            free(c->description), free(c->area_desc), free(c->sender_name), free(c->event);
            free(c);
        }
        free(items[i].guid), free(items[i].title), free(items[i].text);
    }
}

/* The ids of notify_from_feed's result, space-separated; caller frees. */
static char *ids_of(const struct config *cfg, const struct config_source *src,
                    struct feed_item *items, size_t n)
{
    struct feed f = {.format = FEED_FORMAT_CAP, .items = items, .n_items = n};
    struct store_urgent *out;
    size_t got = notify_from_feed(cfg, src, &f, NOW, &out);
    struct buf b;
    buf_init(&b, 0);
    buf_append_str(&b, "");
    for (size_t i = 0; i < got; i++)
        buf_printf(&b, "%s%s", i ? " " : "", out[i].id);
    store_urgent_free(out, got);
    return buf_steal(&b);
}

#define CHECK_IDS(cfg, src, items, n, want)                                                        \
    do {                                                                                           \
        char *got_ = ids_of(cfg, src, items, n);                                                   \
        CHECK_STREQ(got_, want);                                                                   \
        free(got_);                                                                                \
    } while (0)

static void test_cap_rules(void)
{
    struct config cfg = {0};
    struct feed_item it[6];
    cap_item(&it[0], "A1", FEED_CAP_ALERT, FEED_CAP_ACTUAL, NULL);
    cap_item(&it[1], "A2", FEED_CAP_UPDATE, FEED_CAP_ACTUAL, "A1");
    cap_item(&it[2], "A3", FEED_CAP_CANCEL, FEED_CAP_ACTUAL, "A2");
    cap_item(&it[3], "T1", FEED_CAP_ALERT, FEED_CAP_TEST, NULL);
    cap_item(&it[4], "X1", FEED_CAP_ALERT, FEED_CAP_EXERCISE, NULL);
    cap_item(&it[5], "D1", FEED_CAP_ALERT, FEED_CAP_DRAFT, NULL);
    CHECK_IDS(&cfg, &src_urgent, it, 1, "cap:pctt:A1");
    CHECK_IDS(&cfg, &src_urgent, it, 2, "cap:pctt:A2");
    CHECK_IDS(&cfg, &src_urgent, &it[1], 1, "cap:pctt:A2");
    CHECK_IDS(&cfg, &src_urgent, it, 3, "");
    CHECK_IDS(&cfg, &src_urgent, &it[1], 2, "");
    CHECK_IDS(&cfg, &src_urgent, &it[3], 3, "");
    /* The Cancel listed before what it cancels: order in the feed does not matter. */
    struct feed_item swapped[2] = {it[2], it[1]};
    CHECK_IDS(&cfg, &src_urgent, swapped, 2, "");
    cfg.show_test_alerts = true;
    CHECK_IDS(&cfg, &src_urgent, &it[3], 3, "cap:pctt:T1 cap:pctt:X1");
    /* A test Cancel only counts when tests are shown. */
    it[2].cap->status = FEED_CAP_TEST;
    CHECK_IDS(&cfg, &src_urgent, &it[1], 2, "");
    cfg.show_test_alerts = false;
    CHECK_IDS(&cfg, &src_urgent, &it[1], 2, "cap:pctt:A2");
    /* Listed twice (an Atom and an RSS wrapper of the same alert): one notice. */
    struct feed_item twice[2] = {it[0], it[0]};
    CHECK_IDS(&cfg, &src_urgent, twice, 2, "cap:pctt:A1");

    struct feed f = {.items = it, .n_items = 1};
    struct store_urgent *out;
    CHECK_INTEQ(notify_from_feed(&cfg, &src_urgent, &f, NOW, &out), 1);
    CHECK_STREQ(out[0].title, "Tiêu đề A1");
    CHECK_STREQ(out[0].body, "Mô tả");
    CHECK_STREQ(out[0].area, "Xã Minh Tân");
    CHECK_STREQ(out[0].issuer, "canhbao@example.gov.vn"); /* no senderName */
    CHECK_STREQ(out[0].source_id, "pctt");
    CHECK_INTEQ(out[0].origin, STORE_URGENT_CAP);
    CHECK_INTEQ(out[0].severity, FEED_SEVERITY_SEVERE);
    CHECK_INTEQ(out[0].issued, NOW - 600);
    CHECK_INTEQ(out[0].expires, NOW + 3600);
    CHECK(!out[0].verified);
    store_urgent_free(out, 1);

    struct config_source signed_src = src_urgent;
    signed_src.require_signature = true;
    log_capture_reset();
    CHECK_INTEQ(notify_from_feed(&cfg, &signed_src, &f, NOW, &out), 0);
    CHECK(out == NULL);
    CHECK(strstr(log_captured(), "requires signed") != NULL);
    struct config_source news = src_urgent;
    news.kind = CONFIG_SOURCE_NEWS;
    CHECK_INTEQ(notify_from_feed(&cfg, &news, &f, NOW, &out), 0);
    free_items(it, ARRAY_LEN(it));
}

static void rss_item(struct feed_item *it, const char *guid, int64_t date)
{
    memset(it, 0, sizeof(*it));
    it->guid = xstrdup(guid);
    it->title = xasprintf("Thông báo %s", guid);
    it->text = xstrdup("Nội dung");
    it->date = date;
}

static void test_plain_items(void)
{
    struct config cfg = {0};
    struct feed_item it[4];
    rss_item(&it[0], "g1", NOW - 3600);
    rss_item(&it[1], "g2", 0);
    rss_item(&it[2], "g3", NOW + 3 * 86400);
    rss_item(&it[3], "g4", NOW - 3 * 86400);
    struct feed f = {.format = FEED_FORMAT_RSS, .items = it, .n_items = 4};
    struct store_urgent *out;
    log_capture_reset();
    size_t n = notify_from_feed(&cfg, &src_urgent, &f, NOW, &out);
    CHECK_INTEQ(n, 2);
    CHECK(strstr(log_captured(), "without a date") != NULL);
    CHECK(strstr(log_captured(), "future") != NULL);
    if (n == 2) {
        CHECK_STREQ(out[0].id, "feed:pctt:g1");
        CHECK_INTEQ(out[0].expires, NOW - 3600 + NOTIFY_FEED_TTL_S);
        CHECK_STREQ(out[0].issuer, "PCTT tỉnh");
        CHECK_STREQ(out[0].title, "Thông báo g1");
        CHECK_INTEQ(out[0].origin, STORE_URGENT_FEED);
        CHECK_STREQ(out[1].id, "feed:pctt:g4"); /* kept; the store's expiry hides it */
    }
    store_urgent_free(out, n);
    free_items(it, ARRAY_LEN(it));
}

/* One poll: parse the file, turn it into notices, replace the source's set in the store. */
static size_t poll_file(struct store *s, const struct config *cfg, const char *file)
{
    char *path = xasprintf("%s/%s", TEST_DATA_DIR, file);
    size_t len, n = 0;
    char *data = test_read(path, &len), err[256];
    struct feed f;
    CHECK_MSG(feed_parse(data, len, NULL, NULL, &f, err, sizeof(err)), "%s: %s", file, err);
    struct store_urgent *out;
    n = notify_from_feed(cfg, &src_urgent, &f, NOW, &out);
    CHECK(store_urgent_replace_source(s, "pctt", out, n, NULL, NULL, NOW));
    store_urgent_free(out, n);
    feed_free(&f);
    free(data), free(path);
    return n;
}

static void test_cap_store(void)
{
    struct config cfg = {0};
    char *dir = test_tmpdir("notify-cap");
    struct store *s = store_open(dir);
    CHECK(s != NULL);
    if (!s)
        goto out;
    struct store_urgent *list;
    CHECK_INTEQ(poll_file(s, &cfg, "cap/alert.xml"), 1);
    size_t n = store_urgent_active(s, NOW, true, &list);
    CHECK_INTEQ(n, 1);
    if (n == 1) {
        CHECK_STREQ(list[0].id, "cap:pctt:PCTT-2026-001");
        CHECK_STREQ(list[0].title, "Cảnh báo lũ quét khẩn cấp");
        CHECK_STREQ(list[0].issuer, "Ban Chỉ huy PCTT tỉnh");
        CHECK_STREQ(list[0].area, "Xã Minh Tân");
        CHECK(list[0].instruction && strstr(list[0].instruction, "ngầm tràn"));
        CHECK_INTEQ(list[0].severity, FEED_SEVERITY_EXTREME);
    }
    store_urgent_free(list, n);
    char *ids;
    CHECK_INTEQ(poll_file(s, &cfg, "cap/update.xml"), 1);
    CHECK_STREQ((ids = test_active_ids(s, NOW)), "cap:pctt:PCTT-2026-002");
    free(ids);
    CHECK_INTEQ(poll_file(s, &cfg, "cap/cancel.xml"), 0);
    CHECK_STREQ((ids = test_active_ids(s, NOW)), "");
    free(ids);
    CHECK_INTEQ(poll_file(s, &cfg, "cap/test.xml"), 0);
    CHECK_STREQ((ids = test_active_ids(s, NOW)), "");
    free(ids);
    CHECK_INTEQ(poll_file(s, &cfg, "cap/atom-alert-update.xml"), 1);
    CHECK_STREQ((ids = test_active_ids(s, NOW)), "cap:pctt:PCTT-2026-002");
    free(ids);
    /* Cancelled on the device (bangtin notify --cancel): the next poll, which still lists
     * it, does not bring it back. */
    CHECK(store_urgent_cancel(s, "cap:pctt:PCTT-2026-002"));
    CHECK_INTEQ(poll_file(s, &cfg, "cap/atom-alert-update.xml"), 1);
    CHECK_STREQ((ids = test_active_ids(s, NOW)), "");
    free(ids);
    /* Expired: stored, hidden by the active query only while the clock is trusted. */
    CHECK_INTEQ(poll_file(s, &cfg, "cap/expired.xml"), 1);
    CHECK_STREQ((ids = test_active_ids(s, NOW)), "");
    free(ids);
    n = store_urgent_active(s, NOW, false, &list);
    CHECK_INTEQ(n, 1);
    store_urgent_free(list, n);
    cfg.show_test_alerts = true;
    CHECK_INTEQ(poll_file(s, &cfg, "cap/test.xml"), 1);
    CHECK_STREQ((ids = test_active_ids(s, NOW)), "cap:pctt:PCTT-2026-900");
    free(ids);
out:
    store_close(s);
    test_rmtree(dir);
    free(dir);
}

/* The real WordPress "Thông báo khẩn" category feed as an urgent source. */
static void test_category_feed(void)
{
    struct config cfg = {0};
    size_t len;
    char *data = test_read(TEST_DATA_DIR "/wordpress/feed-category-thong-bao-khan.xml", &len);
    char err[256];
    struct feed f;
    CHECK(feed_parse(data, len, NULL, NULL, &f, err, sizeof(err)));
    CHECK(f.n_items > 0);
    struct store_urgent *out;
    size_t n = notify_from_feed(&cfg, &src_urgent, &f, (int64_t)time(NULL), &out);
    size_t dated = 0;
    for (size_t i = 0; i < f.n_items; i++)
        dated += f.items[i].date != 0;
    CHECK(dated > 0);
    CHECK_INTEQ(n, dated);
    for (size_t i = 0; i < n; i++) {
        CHECK(str_starts_with(out[i].id, "feed:pctt:"));
        CHECK(out[i].title[0] != '\0');
        CHECK_INTEQ(out[i].expires - out[i].issued, NOTIFY_FEED_TTL_S);
    }
    store_urgent_free(out, n);
    feed_free(&f);
    free(data);
}

int main(void)
{
    log_capture_start();
    test_cap_rules();
    test_plain_items();
    test_cap_store();
    test_category_feed();
    log_capture_stop();
    return CHECK_DONE();
}
