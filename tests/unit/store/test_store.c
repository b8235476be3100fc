/* store: upsert and counts, ordering, validators and transactions, listings, duplicates,
 * purge, images, two connections. Urgent notices are in test_store_urgent.c. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "store_fixture.h"

static const char *title_at(const struct store_item *v, size_t n, size_t i)
{
    return i < n ? v[i].title : "(missing)";
}

static void test_upsert_counts(void)
{
    char *dir = fx_dir("upsert");
    struct store *s = store_open(dir);
    CHECK(s != NULL);
    CHECK(!store_was_quarantined(s));
    CHECK(store_quarantine_path(s) == NULL);
    struct feed_item it[3] = {
        fx_item("g1", "https://a.vn/1", "Một", T0 - 3 * 3600),
        fx_item("g2", "https://a.vn/2", "Hai", T0 - 2 * 3600),
        fx_item("g3", "https://a.vn/3", "Ba", T0 - 1 * 3600),
    };
    CHECK_INTEQ(fx_apply(s, "a", it, 3, "\"e1\"", false, 0, T0), 3);
    CHECK_INTEQ(store_count_items(s), 3);
    CHECK_INTEQ(fx_apply(s, "a", it, 3, "\"e1\"", false, 0, T0 + 60), 0); /* unchanged */
    it[1].title = (char *)"Hai (sửa)";
    CHECK_INTEQ(fx_apply(s, "a", it, 3, "\"e2\"", false, 0, T0 + 120), 1);
    struct feed_item more[1] = {fx_item("g4", NULL, "Bốn", T0)};
    CHECK_INTEQ(fx_apply(s, "a", more, 1, NULL, false, 0, T0 + 180), 1);
    CHECK_INTEQ(store_count_items(s), 4);

    struct store_item *v = NULL;
    size_t n = store_rotation(s, 0, 0, T0 + 200, true, &v);
    CHECK_INTEQ(n, 4);
    CHECK_STREQ(title_at(v, n, 0), "Bốn");
    CHECK_STREQ(title_at(v, n, 2), "Hai (sửa)");
    if (n == 4) {
        CHECK_INTEQ(v[2].first_seen, T0); /* kept on update */
        CHECK_INTEQ(v[0].first_seen, T0 + 180);
        CHECK_STREQ(v[2].source_name, "a");
        CHECK_STREQ(v[2].text, "Nội dung thông báo.");
        CHECK_STREQ(v[3].link, "https://a.vn/1");
        CHECK(v[0].link == NULL);
        CHECK(v[0].id > 0);
    }
    store_items_free(v, n);

    struct store_source_state st;
    CHECK(store_source_state_get(s, "a", &st));
    CHECK(st.etag == NULL); /* the last 200 had no validators */
    CHECK_INTEQ(st.last_success, T0 + 180);
    CHECK_INTEQ(st.n_items, 4);
    CHECK(st.last_error == NULL);
    store_source_state_free(&st);
    /* No name given: the name falls back to the source id. */
    struct feed_item solo[1] = {fx_item("s1", NULL, "Một mình", T0 - 5 * DAY)};
    struct feed fs = fx_feed(solo, 1);
    struct store_apply an = {.source_id = "noname", .feed = &fs, .now = T0};
    CHECK_INTEQ(store_apply_feed(s, &an), 1);
    n = store_rotation(s, 0, 0, T0, true, &v);
    CHECK_INTEQ(n, 5);
    CHECK_STREQ(n == 5 ? v[4].source_name : NULL, "noname");
    store_items_free(v, n);
    CHECK(store_source_state_get(s, "never", &st));
    CHECK_INTEQ(st.last_success, 0);
    CHECK(st.etag == NULL);
    store_source_state_free(&st);
    store_close(s);
    store_close(NULL);
    free(dir);
}

static void test_ordering(void)
{
    char *dir = fx_dir("order");
    struct store *s = store_open(dir);
    struct feed_item it[4] = {
        fx_item("o1", NULL, "cũ", T0 - 5 * DAY),
        fx_item("o2", NULL, "không ngày", 0), /* first seen at T0 - 2 days */
        fx_item("o3", NULL, "mới", T0 - 1 * DAY),
        fx_item("o4", NULL, "giữa", T0 - 3 * DAY),
    };
    CHECK_INTEQ(fx_apply(s, "x", it, 4, NULL, false, 0, T0 - 2 * DAY), 4);
    struct store_item *v = NULL;
    size_t n = store_rotation(s, 0, 0, T0, true, &v);
    CHECK_INTEQ(n, 4);
    CHECK_STREQ(title_at(v, n, 0), "mới");
    CHECK_STREQ(title_at(v, n, 1), "không ngày");
    CHECK_STREQ(title_at(v, n, 2), "giữa");
    CHECK_STREQ(title_at(v, n, 3), "cũ");
    if (n == 4)
        CHECK_INTEQ(v[1].date, 0);
    store_items_free(v, n);

    /* Age limit only with a trusted clock; the cap always. */
    n = store_rotation(s, 0, 4 * DAY, T0, true, &v);
    CHECK_INTEQ(n, 3);
    store_items_free(v, n);
    n = store_rotation(s, 0, 4 * DAY, T0, false, &v);
    CHECK_INTEQ(n, 4);
    store_items_free(v, n);
    n = store_rotation(s, 0, 4 * DAY, 86400, false, &v); /* 1970 clock: nothing dropped */
    CHECK_INTEQ(n, 4);
    store_items_free(v, n);
    n = store_rotation(s, 2, 0, T0, true, &v);
    CHECK_INTEQ(n, 2);
    CHECK_STREQ(title_at(v, n, 1), "không ngày");
    store_items_free(v, n);
    store_close(s);
    free(dir);
}

static void add_fail_trigger(const char *dir)
{
    char *path = xasprintf("%s/cache.db", dir);
    sqlite3 *db = NULL;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db,
                       "CREATE TRIGGER boom BEFORE INSERT ON items WHEN NEW.guid = 'boom'"
                       " BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
                       NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    free(path);
}

static void test_validators_and_errors(void)
{
    char *dir = fx_dir("validators");
    struct store *s = store_open(dir);
    struct feed_item it[2] = {fx_item("v1", NULL, "Một", T0 - 100),
                              fx_item("v2", NULL, "Hai", T0 - 50)};
    struct feed f = fx_feed(it, 2);
    struct store_apply a = {.source_id = "w",
                            .source_name = "Cổng W",
                            .feed = &f,
                            .etag = "\"A\"",
                            .last_modified = "Fri, 27 Nov 2026 07:00:00 GMT",
                            .now = T0};
    CHECK_INTEQ(store_apply_feed(s, &a), 2);
    add_fail_trigger(dir);

    struct feed_item bad[3] = {fx_item("v3", NULL, "Ba", T0), fx_item("boom", NULL, "X", T0),
                               fx_item("v1", NULL, "Một (sửa)", T0)};
    struct feed fb = fx_feed(bad, 3);
    struct store_apply b = {.source_id = "w",
                            .source_name = "Cổng W",
                            .feed = &fb,
                            .etag = "\"B\"",
                            .last_modified = "Fri, 27 Nov 2026 08:00:00 GMT",
                            .full_listing = true,
                            .now = T0 + 600};
    fx_log_reset();
    CHECK_INTEQ(store_apply_feed(s, &b), -1);
    CHECK(strstr(fx_log, "injected failure") != NULL);
    log_set_sink(NULL, NULL);

    struct store_source_state st;
    CHECK(store_source_state_get(s, "w", &st));
    CHECK_STREQ(st.etag, "\"A\"");
    CHECK_STREQ(st.last_modified, "Fri, 27 Nov 2026 07:00:00 GMT");
    CHECK_INTEQ(st.last_success, T0);
    CHECK_INTEQ(st.n_items, 2);
    store_source_state_free(&st);
    struct store_item *v = NULL;
    size_t n = store_rotation(s, 0, 0, T0, true, &v);
    CHECK_INTEQ(n, 2);
    CHECK_STREQ(title_at(v, n, 1), "Một"); /* the update in the failed batch rolled back */
    CHECK_STREQ(title_at(v, n, 0), "Hai");
    store_items_free(v, n);

    CHECK(store_mark_error(s, "w", "HTTP 503", T0 + 700));
    CHECK(store_mark_error(s, "w", "timeout", T0 + 800));
    CHECK(store_source_state_get(s, "w", &st));
    CHECK_STREQ(st.last_error, "timeout");
    CHECK_INTEQ(st.fail_count, 2);
    CHECK_INTEQ(st.last_attempt, T0 + 800);
    CHECK_INTEQ(st.last_success, T0);
    CHECK_STREQ(st.etag, "\"A\"");
    CHECK_INTEQ(st.n_items, 2);
    store_source_state_free(&st);

    CHECK(store_mark_not_modified(s, "w", T0 + 900));
    CHECK(store_source_state_get(s, "w", &st));
    CHECK(st.last_error == NULL);
    CHECK_INTEQ(st.fail_count, 0);
    CHECK_INTEQ(st.last_success, T0 + 900);
    CHECK_STREQ(st.etag, "\"A\"");
    CHECK_INTEQ(st.last_full_fetch, 0);
    store_source_state_free(&st);

    /* Error on a source never seen: a state row appears, no content. */
    CHECK(store_mark_error(s, "new", "DNS", T0));
    CHECK(store_source_state_get(s, "new", &st));
    CHECK_STREQ(st.last_error, "DNS");
    CHECK_INTEQ(st.n_items, 0);
    store_source_state_free(&st);

    /* Without the poisoned item the same batch goes through, with its validators. */
    bad[1] = fx_item("v4", NULL, "Bốn", T0);
    CHECK_INTEQ(store_apply_feed(s, &b), 4); /* v3, v4 new, v1 changed, v2 removed */
    CHECK(store_source_state_get(s, "w", &st));
    CHECK_STREQ(st.etag, "\"B\"");
    CHECK_INTEQ(st.last_full_fetch, T0 + 600);
    CHECK_INTEQ(st.n_items, 3);
    store_source_state_free(&st);
    store_close(s);
    free(dir);
}

static void test_full_listing_and_cap(void)
{
    char *dir = fx_dir("listing");
    struct store *s = store_open(dir);
    struct feed_item a[3] = {fx_item("a1", NULL, "a1", T0 - 30), fx_item("a2", NULL, "a2", T0 - 20),
                             fx_item("a3", NULL, "a3", T0 - 10)};
    struct feed_item b[1] = {fx_item("b1", NULL, "b1", T0 - 40)};
    CHECK_INTEQ(fx_apply(s, "A", a, 3, NULL, false, 0, T0), 3);
    CHECK_INTEQ(fx_apply(s, "B", b, 1, NULL, false, 0, T0), 1);
    /* A partial (conditional) listing removes nothing. */
    CHECK_INTEQ(fx_apply(s, "A", &a[0], 1, NULL, false, 0, T0), 0);
    CHECK_INTEQ(store_count_items(s), 4);
    /* A full listing without a2: a2 goes, B untouched. */
    struct feed_item keep[2] = {a[0], a[2]};
    CHECK_INTEQ(fx_apply(s, "A", keep, 2, NULL, true, 0, T0), 1);
    CHECK_INTEQ(store_count_items(s), 3);
    struct store_source_state st;
    CHECK(store_source_state_get(s, "A", &st));
    CHECK_INTEQ(st.n_items, 2);
    store_source_state_free(&st);
    /* An empty full listing is treated as a broken page. */
    CHECK_INTEQ(fx_apply(s, "A", NULL, 0, NULL, true, 0, T0), 0);
    CHECK_INTEQ(store_count_items(s), 3);

    /* max_items keeps the newest N of that source only. */
    struct feed_item c[5];
    char guid[5][8];
    for (int i = 0; i < 5; i++) {
        snprintf(guid[i], sizeof guid[i], "c%d", i);
        c[i] = fx_item(guid[i], NULL, guid[i], T0 - 1000 + i * 100);
    }
    CHECK_INTEQ(fx_apply(s, "C", c, 5, NULL, false, 3, T0), 5 + 2);
    CHECK(store_source_state_get(s, "C", &st));
    CHECK_INTEQ(st.n_items, 3);
    store_source_state_free(&st);
    struct store_item *v = NULL;
    size_t n = store_rotation(s, 0, 0, T0, true, &v);
    CHECK_INTEQ(n, 6);
    bool has_c0 = false, has_c4 = false;
    for (size_t i = 0; i < n; i++) {
        has_c0 = has_c0 || strcmp(v[i].guid, "c0") == 0;
        has_c4 = has_c4 || strcmp(v[i].guid, "c4") == 0;
    }
    CHECK(!has_c0);
    CHECK(has_c4);
    store_items_free(v, n);
    CHECK_INTEQ(store_count_items(s), 6);

    /* Sources that left the configuration are forgotten. */
    const char *keep_ids[] = {"A", "C"};
    CHECK_INTEQ(store_retain_sources(s, keep_ids, 0), 0);
    CHECK_INTEQ(store_count_items(s), 6);
    CHECK_INTEQ(store_retain_sources(s, keep_ids, 2), 1);
    CHECK_INTEQ(store_count_items(s), 5);
    store_close(s);
    free(dir);
}

static bool has_title(const struct store_item *v, size_t n, const char *title)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].title, title) == 0)
            return true;
    return false;
}

static void test_duplicates(void)
{
    char *dir = fx_dir("dupes");
    struct store *s = store_open(dir);
    const char *long_title = "Thông báo lịch tiếp công dân tháng 12/2026";
    struct feed_item p[5] = {
        fx_item("http://tinh.gov.vn/?p=11", "http://tinh.gov.vn/?p=11", "tỉnh: guid", T0 - 500),
        fx_item("p2", "https://tinh.gov.vn/tin/abc/", "tỉnh: link", T0 - 400),
        fx_item("p3", "https://tinh.gov.vn/tin/def", long_title, T0 - 300),
        fx_item("1", "https://tinh.gov.vn/ngan", "tỉnh: short guid", T0 - 200),
        fx_item("p5", "https://tinh.gov.vn/tin/ghi", "Thông báo", T0 - 100),
    };
    struct feed_item q[5] = {
        fx_item("https://tinh.gov.vn/?p=11", NULL, "xã: guid", T0 - 450),
        fx_item("q2", "http://www.TINH.gov.vn/tin/abc#top", "xã: link", T0 - 350),
        fx_item("q3", "https://xa.gov.vn/q3", "THÔNG BÁO LỊCH TIẾP CÔNG DÂN - tháng 12/2026",
                T0 - 250),
        fx_item("1", "https://xa.gov.vn/ngan", "xã: short guid", T0 - 150),
        fx_item("q5", "https://xa.gov.vn/q5", "Thông báo", T0 - 50),
    };
    struct feed_item r[1] = {fx_item("r1", "https://huyen.gov.vn/r1", long_title, T0 - 3 * DAY)};
    CHECK_INTEQ(fx_apply(s, "tinh", p, 5, NULL, false, 0, T0), 5);
    CHECK_INTEQ(fx_apply(s, "xa", q, 5, NULL, false, 0, T0), 5);
    CHECK_INTEQ(fx_apply(s, "huyen", r, 1, NULL, false, 0, T0), 1);
    CHECK_INTEQ(store_count_items(s), 11);
    struct store_item *v = NULL;
    size_t n = store_rotation(s, 0, 0, T0, true, &v);
    /* guid pair, link pair, same-day title pair collapse to their newest copy; short GUIDs
     * and short titles do not join items; same title on another day stays. */
    CHECK_INTEQ(n, 8);
    CHECK(has_title(v, n, "xã: guid"));
    CHECK(!has_title(v, n, "tỉnh: guid"));
    CHECK(has_title(v, n, "xã: link"));
    CHECK(!has_title(v, n, "tỉnh: link"));
    CHECK(has_title(v, n, "THÔNG BÁO LỊCH TIẾP CÔNG DÂN - tháng 12/2026"));
    size_t copies = 0;
    for (size_t i = 0; i < n; i++)
        copies += strcmp(v[i].title, long_title) == 0;
    CHECK_INTEQ(copies, 1); /* only the older day's copy */
    CHECK(has_title(v, n, "tỉnh: short guid"));
    CHECK(has_title(v, n, "xã: short guid"));
    CHECK_STREQ(title_at(v, n, n ? n - 1 : 0), long_title);
    CHECK_STREQ(title_at(v, n, 0), "Thông báo");
    CHECK_STREQ(title_at(v, n, 1), "Thông báo");
    /* The cap counts items after collapsing. */
    store_items_free(v, n);
    n = store_rotation(s, 3, 0, T0, true, &v);
    CHECK_INTEQ(n, 3);
    CHECK_STREQ(title_at(v, n, 2), "xã: short guid");
    store_items_free(v, n);
    store_close(s);
    free(dir);
}

static void test_purge(void)
{
    char *dir = fx_dir("purge");
    struct store *s = store_open(dir);
    struct feed_item it[6];
    char guid[6][8];
    for (int i = 0; i < 6; i++) {
        snprintf(guid[i], sizeof guid[i], "p%d", i);
        it[i] = fx_item(guid[i], NULL, guid[i], T0 - (int64_t)(10 - i) * DAY); /* 10..5 days */
    }
    CHECK_INTEQ(fx_apply(s, "P", it, 6, NULL, false, 0, T0), 6);
    struct store_item *v = NULL;
    /* Implausible clocks: nothing at all. */
    CHECK_INTEQ(store_purge(s, DAY, 0, 1000), 0);
    CHECK_INTEQ(store_purge(s, DAY, 0, 0), 0);
    CHECK_INTEQ(store_count_items(s), 6);
    /* Only older than 7 days: p0 (10), p1 (9), p2 (8) qualify. */
    CHECK_INTEQ(store_purge(s, 7 * DAY, 0, T0), 3);
    CHECK_INTEQ(store_count_items(s), 3);
    /* Everything is older than one day, but the newest 2 stay. */
    CHECK_INTEQ(store_purge(s, DAY, 2, T0), 1);
    size_t n = store_rotation(s, 0, 0, T0, false, &v);
    CHECK_INTEQ(n, 2);
    CHECK_STREQ(title_at(v, n, 0), "p5");
    CHECK_STREQ(title_at(v, n, 1), "p4");
    store_items_free(v, n);
    CHECK_INTEQ(store_purge(s, DAY, 2, T0), 0);
    store_close(s);
    free(dir);
}

static void test_images(void)
{
    char *dir = fx_dir("images");
    struct store *s = store_open(dir);
    struct feed_item it[3] = {fx_item("i1", NULL, "i1", T0 - 300),
                              fx_item("i2", NULL, "i2", T0 - 200),
                              fx_item("i3", NULL, "i3", T0 - 100)};
    it[0].image_url = (char *)"https://a.vn/1.jpg";
    it[2].image_url = (char *)"https://a.vn/3.jpg";
    it[2].image_caption = (char *)"Ảnh minh hoạ";
    it[1].image_url = (char *)"";
    CHECK_INTEQ(fx_apply(s, "I", it, 3, NULL, false, 0, T0), 3);
    struct store_item *m = NULL;
    size_t n = store_images_missing(s, 10, &m);
    CHECK_INTEQ(n, 2);
    CHECK_STREQ(n ? m[0].image_url : NULL, "https://a.vn/3.jpg");
    CHECK_STREQ(n ? m[0].image_caption : NULL, "Ảnh minh hoạ");
    int64_t id3 = n ? m[0].id : 0, id1 = n > 1 ? m[1].id : 0;
    store_items_free(m, n);
    n = store_images_missing(s, 1, &m);
    CHECK_INTEQ(n, 1);
    store_items_free(m, n);

    CHECK(store_set_image(s, id3, "/var/cache/bangtin/img/3.jpg"));
    CHECK(store_set_image(s, id1, "")); /* gave up */
    CHECK(!store_set_image(s, 999999, "/x"));
    n = store_images_missing(s, 10, &m);
    CHECK_INTEQ(n, 0);
    CHECK(m == NULL);
    store_items_free(m, n);
    n = store_rotation(s, 0, 0, T0, true, &m);
    CHECK_INTEQ(n, 3);
    CHECK_STREQ(n ? m[0].image_path : NULL, "/var/cache/bangtin/img/3.jpg");
    CHECK(n == 3 && m[2].image_path == NULL);
    CHECK(n == 3 && m[1].image_url == NULL);
    store_items_free(m, n);

    /* Same URL again: the path stays. A new URL: downloaded again. */
    CHECK_INTEQ(fx_apply(s, "I", it, 3, NULL, false, 0, T0 + 10), 0);
    n = store_images_missing(s, 10, &m);
    CHECK_INTEQ(n, 0);
    store_items_free(m, n);
    it[2].image_url = (char *)"https://a.vn/3-new.jpg";
    CHECK_INTEQ(fx_apply(s, "I", it, 3, NULL, false, 0, T0 + 20), 1);
    n = store_images_missing(s, 10, &m);
    CHECK_INTEQ(n, 1);
    CHECK(n == 1 && m[0].id == id3 && m[0].image_path == NULL);
    store_items_free(m, n);
    store_close(s);
    free(dir);
}

static void test_two_connections(void)
{
    char *dir = fx_dir("two");
    struct store *kiosk = store_open(dir);
    struct store *cli = store_open(dir);
    CHECK(kiosk && cli);
    int64_t v0 = store_data_version(kiosk);
    CHECK(v0 >= 0);
    CHECK_INTEQ(store_data_version(kiosk), v0); /* nothing happened */
    struct feed_item it[1] = {fx_item("d1", NULL, "d1", T0)};
    CHECK_INTEQ(fx_apply(kiosk, "D", it, 1, NULL, false, 0, T0), 1);
    CHECK_INTEQ(store_data_version(kiosk), v0); /* own commits do not count */
    struct store_urgent u = {.id = (char *)"local:1",
                             .origin = STORE_URGENT_LOCAL,
                             .title = (char *)"Mất điện",
                             .body = (char *)"Từ 8h đến 11h",
                             .issuer = (char *)"local"};
    CHECK(store_urgent_put(cli, &u));
    int64_t v1 = store_data_version(kiosk);
    CHECK(v1 != v0);
    struct store_urgent *a = NULL;
    size_t n = store_urgent_active(kiosk, T0, true, &a);
    CHECK_INTEQ(n, 1);
    store_urgent_free(a, n);
    CHECK_INTEQ(store_count_items(cli), 1);
    CHECK_INTEQ(store_data_version(kiosk), v1);
    store_close(cli);
    store_close(kiosk);
    free(dir);
}

int main(void)
{
    log_init(LOG_LEVEL_WARN);
    fx_mkroot();
    test_upsert_counts();
    test_ordering();
    test_validators_and_errors();
    test_full_listing_and_cap();
    test_duplicates();
    test_purge();
    test_images();
    test_two_connections();
    fx_rmroot();
    return CHECK_DONE();
}
