/* playlist: the cache → laid-out pages with a dwell each → the scheduler. The one config → dwell
 * conversion, page requests for a slot, and urgent notices taking the screen over, then
 * alternating with the rotation and leaving a banner on regular pages. */
#include "app_fixture.h"
#include "check.h"
#include "render/fixture.h"

#include "bangtin/feed.h"
#include "bangtin/log.h"
#include "bangtin/sched.h"
#include "bangtin/store.h"
#include "glue/ingest.h"
#include "glue/playlist.h"

static void test_dwell_from_config(void)
{
    struct config cfg;
    config_init(&cfg);
    cfg.dwell_base_s = 3;
    cfg.dwell_per_word_s = 0.5;
    cfg.dwell_min_s = 6;
    cfg.dwell_max_s = 30;
    struct sched_dwell d;
    playlist_dwell(&cfg, &d);
    CHECK(d.base_s == 3 && d.per_word_s == 0.5 && d.min_s == 6 && d.max_s == 30);
    /* 3 + 0.5 × 20 = 13 s; the clamps hold at both ends. */
    CHECK_INTEQ(sched_dwell_ms(&d, 20, 0), 13000);
    CHECK_INTEQ(sched_dwell_ms(&d, 1, 0), 6000);
    CHECK_INTEQ(sched_dwell_ms(&d, 1000, 0), 30000);
    config_free(&cfg);
}

static void fill(struct store *st, const struct config *cfg, int n_items, int words)
{
    char err[256];
    struct net_result *r = app_result("tinh", NET_OK, app_rss(1, n_items, words), true, false);
    CHECK_INTEQ(ingest_result(st, cfg, &cfg->sources[0], r, APP_T0, err, sizeof err),
                INGEST_CHANGED);
    net_result_free(r);
}

static void test_items_and_pages(struct fixture *f, struct store *st)
{
    struct playlist pl;
    memset(&pl, 0, sizeof pl);
    playlist_load_items(&pl, st, f->r, &f->cfg, APP_T0, true, SIZE_MAX);
    CHECK_INTEQ(pl.n_items, 4);
    struct sched_dwell d;
    playlist_dwell(&f->cfg, &d);
    bool some_long = false;
    for (size_t i = 0; i < pl.n_items; i++) {
        CHECK(pl.n_pages[i] >= 1 && pl.n_pages[i] == pl.docs[i].n_pages);
        some_long = some_long || pl.n_pages[i] > 1;
        for (size_t p = 0; p < pl.n_pages[i]; p++) {
            const struct layout_page *pg = &pl.docs[i].pages[p];
            /* The dwell of each page is its reading time, within the configured bounds. */
            CHECK_INTEQ(pl.dwell_ms[i][p], sched_dwell_ms(&d, pg->n_words, pg->n_digit_words));
            CHECK(pl.dwell_ms[i][p] >= (int64_t)(d.min_s * 1000) &&
                  pl.dwell_ms[i][p] <= (int64_t)(d.max_s * 1000));
        }
    }
    CHECK_MSG(some_long, "a 400-word body takes more than one page at 1280x720");
    /* Newest first. */
    CHECK(strstr(pl.items[0].title, "số 4") != NULL);
    CHECK_INTEQ(playlist_find_item(&pl, pl.items[2].id), 2);
    CHECK_INTEQ(playlist_find_item(&pl, -5), SIZE_MAX);

    /* Page requests follow the scheduler's slots through every page of every item. */
    struct sched *s = playlist_sched_create(&f->cfg);
    playlist_apply_items(&pl, s, SIZE_MAX);
    size_t total = 0;
    for (size_t i = 0; i < pl.n_items; i++)
        total += pl.n_pages[i];
    int64_t t = 1000;
    sched_tick(s, t);
    for (size_t k = 0; k < total; k++) {
        struct sched_slot slot;
        CHECK(sched_current(s, &slot));
        CHECK(!slot.urgent);
        struct render_page_req req;
        playlist_page_req(&pl, &slot, &req);
        CHECK_INTEQ(req.kind, RENDER_PAGE_ITEM);
        CHECK(req.item == &pl.items[slot.item] && req.doc == &pl.docs[slot.item]);
        CHECK_INTEQ(req.page, slot.page);
        /* The slot lasts exactly its page's dwell. */
        CHECK_INTEQ(sched_deadline(s) - t, pl.dwell_ms[slot.item][slot.page]);
        struct render_frame_info fi;
        memset(&fi, 0, sizeof fi);
        playlist_frame_info(&pl, &slot, &fi);
        CHECK_INTEQ(fi.n_items, pl.n_items);
        CHECK_INTEQ(fi.n_pages, pl.n_pages[slot.item]);
        CHECK(fi.banner == NULL);
        t = sched_deadline(s);
        sched_tick(s, t);
    }
    struct sched_slot back;
    CHECK(sched_current(s, &back) && back.item == 0 && back.page == 0);
    sched_destroy(s);
    playlist_free(&pl);
}

static void test_urgent_interleaving(struct fixture *f, struct store *st)
{
    struct playlist pl;
    memset(&pl, 0, sizeof pl);
    playlist_load_items(&pl, st, f->r, &f->cfg, APP_T0, true, SIZE_MAX);
    CHECK(!playlist_load_urgent(&pl, st, f->r, &f->cfg, APP_T0, true));
    CHECK_INTEQ(pl.n_urgent, 0);
    struct store_urgent u = {
        .id = "local:lu",
        .origin = STORE_URGENT_LOCAL,
        .title = "Cảnh báo lũ trên sông Ngàn Sâu",
        .body = "Người dân vùng trũng di chuyển đến nơi cao ngay.",
        .issuer = "UBND xã",
        .severity = FEED_SEVERITY_EXTREME,
        .issued = APP_T0 - 60,
        .expires = APP_T0 + 7200,
    };
    CHECK(store_urgent_put(st, &u));
    /* A new notice is a change; loading the same set again is not. */
    CHECK(playlist_load_urgent(&pl, st, f->r, &f->cfg, APP_T0, true));
    CHECK(!playlist_load_urgent(&pl, st, f->r, &f->cfg, APP_T0, true));
    CHECK_INTEQ(pl.n_urgent, 1);
    /* Urgent pages are read twice: at least 15 s each. */
    for (size_t p = 0; p < pl.u_pages[0]; p++)
        CHECK(pl.udwell_ms[0][p] >= 15000);

    struct sched *s = playlist_sched_create(&f->cfg);
    playlist_apply_items(&pl, s, SIZE_MAX);
    int64_t t = 1000;
    sched_tick(s, t);
    playlist_apply_urgent(&pl, s, true, t);
    struct sched_slot slot;
    CHECK(sched_current(s, &slot) && slot.urgent);
    struct render_page_req req;
    playlist_page_req(&pl, &slot, &req);
    CHECK_INTEQ(req.kind, RENDER_PAGE_URGENT);
    CHECK(req.urgent == &pl.urgent[0] && req.item == NULL);
    CHECK_INTEQ(req.urgent_count, 1);
    struct render_frame_info fi;
    memset(&fi, 0, sizeof fi);
    playlist_frame_info(&pl, &slot, &fi);
    CHECK(fi.banner == NULL && fi.n_urgent == 1);
    /* After the take-over, regular pages come back, each with the notice's banner, and the
     * notice returns between them. */
    int regular = 0, urgent = 0;
    for (int k = 0; k < 40; k++) {
        t = sched_deadline(s);
        sched_tick(s, t);
        CHECK(sched_current(s, &slot));
        memset(&fi, 0, sizeof fi);
        playlist_frame_info(&pl, &slot, &fi);
        if (slot.urgent) {
            urgent++;
        } else {
            regular++;
            CHECK(fi.banner == &pl.urgent[0]);
        }
    }
    CHECK_MSG(regular > 0 && urgent > 0, "regular %d, urgent %d", regular, urgent);
    /* Cancelled: the set changed, and the rotation is regular again. */
    CHECK(store_urgent_cancel(st, "local:lu"));
    CHECK(playlist_load_urgent(&pl, st, f->r, &f->cfg, APP_T0, true));
    CHECK_INTEQ(pl.n_urgent, 0);
    playlist_apply_urgent(&pl, s, false, t);
    CHECK(sched_current(s, &slot) && !slot.urgent);
    sched_destroy(s);
    playlist_free(&pl);
}

/* The screen lays out the first item, shows it, then the rest: the page on screen keeps its
 * place and the rotation then runs through every item. */
static void test_first_item_first(struct fixture *f, struct store *st)
{
    struct playlist pl;
    memset(&pl, 0, sizeof pl);
    playlist_load_items(&pl, st, f->r, &f->cfg, APP_T0, true, 1);
    CHECK_INTEQ(pl.n_items, 4);
    CHECK_INTEQ(pl.n_laid_out, 1);
    CHECK(pl.n_pages[0] > 1 && pl.docs[0].n_pages == pl.n_pages[0]);
    CHECK(pl.docs[1].n_pages == 0 && pl.dwell_ms[1] == NULL);
    struct sched *s = playlist_sched_create(&f->cfg);
    playlist_apply_items(&pl, s, SIZE_MAX);
    struct sched_slot slot;
    CHECK(sched_current(s, &slot) && !slot.urgent && slot.item == 0 && slot.page == 0);
    /* One page on: then the rest arrives. */
    int64_t t = sched_deadline(s);
    if (!sched_tick(s, t))
        sched_next(s, t);
    CHECK(sched_current(s, &slot) && slot.item == 0 && slot.page == 1);
    CHECK(playlist_lay_out(&pl, f->r, &f->cfg, SIZE_MAX));
    CHECK(!playlist_lay_out(&pl, f->r, &f->cfg, SIZE_MAX));
    CHECK_INTEQ(pl.n_laid_out, 4);
    playlist_apply_items(&pl, s, slot.item);
    CHECK(sched_current(s, &slot) && slot.item == 0 && slot.page == 1);
    /* Every item comes round. */
    bool seen[4] = {false};
    for (int k = 0; k < 40; k++) {
        CHECK(sched_current(s, &slot));
        if (slot.item < 4)
            seen[slot.item] = true;
        t = sched_deadline(s);
        if (!sched_tick(s, t))
            sched_next(s, t);
    }
    CHECK(seen[0] && seen[1] && seen[2] && seen[3]);
    sched_destroy(s);
    playlist_free(&pl);
}

int main(void)
{
    log_init(LOG_LEVEL_WARN);
    test_dwell_from_config();
    char *dir = app_tmpdir("playlist");
    struct fixture f;
    if (!fx_open(&f, 1280, 720, NULL))
        return 1;
    free(f.cfg.data_dir);
    f.cfg.data_dir = xstrdup(dir);
    config_add_source_url(&f.cfg, "https://x.vn/tinh/feed/", false);
    free(f.cfg.sources[0].id);
    f.cfg.sources[0].id = xstrdup("tinh");
    struct store *st = store_open(dir);
    CHECK(st != NULL);
    if (st) {
        fill(st, &f.cfg, 4, 400);
        test_items_and_pages(&f, st);
        test_first_item_first(&f, st);
        test_urgent_interleaving(&f, st);
        store_close(st);
    }
    fx_close(&f);
    app_rmrf(dir);
    free(dir);
    return CHECK_DONE();
}
