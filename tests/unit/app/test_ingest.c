/* ingest: a fetch result → the cache. Applied, unchanged, partial listings that remove nothing,
 * failures that keep what is cached and say why. */
#include "app_fixture.h"
#include "check.h"

#include "bangtin/clock.h"
#include "bangtin/log.h"
#include "bangtin/store.h"
#include "glue/ingest.h"

static enum ingest_outcome apply(struct store *st, const struct config *cfg, struct net_result *r,
                                 char *err, size_t err_len)
{
    enum ingest_outcome o = ingest_result(st, cfg, &cfg->sources[0], r, APP_T0, err, err_len);
    net_result_free(r);
    return o;
}

static void test_applied_and_unchanged(struct store *st, const struct config *cfg)
{
    char err[256];
    CHECK_INTEQ(
        apply(st, cfg, app_result("tinh", NET_OK, app_rss(1, 5, 20), true, false), err, sizeof err),
        INGEST_CHANGED);
    CHECK_INTEQ(store_count_items(st), 5);
    CHECK_STREQ(err, "");
    /* The same listing again changes nothing. */
    CHECK_INTEQ(
        apply(st, cfg, app_result("tinh", NET_OK, app_rss(1, 5, 20), true, false), err, sizeof err),
        INGEST_UNCHANGED);
    CHECK_INTEQ(
        apply(st, cfg, app_result("tinh", NET_NOT_MODIFIED, NULL, false, false), err, sizeof err),
        INGEST_UNCHANGED);
    CHECK_INTEQ(store_count_items(st), 5);
    int64_t last[1] = {0};
    ingest_last_success(st, cfg, last);
    CHECK(last[0] == APP_T0);
}

static void test_failures_keep_content(struct store *st, const struct config *cfg)
{
    char err[256];
    /* The server fails: nothing cached is touched, the reason is recorded. */
    CHECK_INTEQ(apply(st, cfg, app_result("tinh", NET_RETRY, NULL, false, false), err, sizeof err),
                INGEST_FAILED);
    CHECK(strstr(err, "HTTP 500") != NULL);
    CHECK_INTEQ(store_count_items(st), 5);
    struct store_source_state ss;
    CHECK(store_source_state_get(st, "tinh", &ss));
    CHECK(ss.last_error && strstr(ss.last_error, "HTTP 500"));
    store_source_state_free(&ss);
    /* A body that is no feed: refused with a reason, cache kept. */
    CHECK_INTEQ(
        apply(st, cfg,
              app_result("tinh", NET_OK, xstrdup("<html><body>Bảo trì</body></html>"), true, false),
              err, sizeof err),
        INGEST_FAILED);
    CHECK_MSG(err[0] != '\0', "a refused body says why");
    CHECK_INTEQ(store_count_items(st), 5);
    /* A clock that is not set: TLS cannot be checked; said as such, nothing lost. */
    CHECK_INTEQ(apply(st, cfg, app_result("tinh", NET_WAITING_FOR_TIME, NULL, false, false), err,
                      sizeof err),
                INGEST_FAILED);
    CHECK(strstr(err, "waiting for time") != NULL);
    CHECK_INTEQ(store_count_items(st), 5);
}

static void test_partial_listing(struct store *st, const struct config *cfg)
{
    char err[256];
    /* Page 2 of a listing failed: only items 4–5 arrived. A partial listing proves no removal. */
    CHECK_INTEQ(
        apply(st, cfg, app_result("tinh", NET_OK, app_rss(4, 5, 20), true, true), err, sizeof err),
        INGEST_UNCHANGED);
    CHECK_INTEQ(store_count_items(st), 5);
    /* A conditional 200 (not the full listing) removes nothing either. */
    apply(st, cfg, app_result("tinh", NET_OK, app_rss(4, 6, 20), false, false), err, sizeof err);
    CHECK_INTEQ(store_count_items(st), 6);
    /* The complete, unconditional listing is the truth: items that vanished go. */
    CHECK_INTEQ(
        apply(st, cfg, app_result("tinh", NET_OK, app_rss(4, 6, 20), true, false), err, sizeof err),
        INGEST_CHANGED);
    CHECK_INTEQ(store_count_items(st), 3);
}

static void test_unknown_source_label(void)
{
    struct config cfg;
    config_init(&cfg);
    config_add_source_url(&cfg, "https://a.vn/feed/", false);
    CHECK(config_find_source(&cfg, cfg.sources[0].id) == &cfg.sources[0]);
    CHECK(config_find_source(&cfg, "none") == NULL);
    CHECK(config_find_source(&cfg, NULL) == NULL);
    CHECK_STREQ(config_source_label(&cfg.sources[0]), cfg.sources[0].id);
    cfg.sources[0].name = xstrdup("Cổng TTĐT tỉnh");
    CHECK_STREQ(config_source_label(&cfg.sources[0]), "Cổng TTĐT tỉnh");
    config_free(&cfg);
}

int main(void)
{
    log_init(LOG_LEVEL_WARN);
    char *dir = app_tmpdir("ingest");
    struct config cfg;
    app_config(&cfg, dir);
    struct store *st = store_open(dir);
    CHECK(st != NULL);
    if (st) {
        test_applied_and_unchanged(st, &cfg);
        test_failures_keep_content(st, &cfg);
        test_partial_listing(st, &cfg);
        store_close(st);
    }
    test_unknown_source_label();
    config_free(&cfg);
    app_rmrf(dir);
    free(dir);
    return CHECK_DONE();
}
