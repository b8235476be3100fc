/* libFuzzer: the whole ingest path (issue 16) — bytes → feed_parse → the store (upsert as a
 * full listing) → the rotation read back → every item laid out page by page with a fake
 * fixed-advance font, as the kiosk would. A slow layout or a memory blow-up anywhere on the
 * way is a finding (run.sh: -timeout=5 -rss_limit_mb=256). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bangtin/feed.h"
#include "bangtin/layout.h"
#include "bangtin/log.h"
#include "bangtin/store.h"
#include "bangtin/util.h"
#include "unit/layout/fake_metrics.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct store *st;
static int64_t now = 1795742100;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    log_init(LOG_LEVEL_ERR);
    /* tmpfs when there is one: the store fsyncs every commit. */
    char tmpl[] = "/dev/shm/bangtin-fuzz-XXXXXX", tmpl2[] = "/tmp/bangtin-fuzz-XXXXXX";
    char *dir = mkdtemp(tmpl);
    if (!dir)
        dir = mkdtemp(tmpl2);
    st = dir ? store_open(dir) : NULL;
    if (!st)
        abort();
    return 0;
}

static void layout_all(const struct store_item *items, size_t n)
{
    struct fake_font font = {.advance = 20, .space = 10};
    struct layout_metrics m = fake_metrics(&font);
    struct layout_params p = {.box_w = 1200,
                              .box_h = 560,
                              .body_px = 40,
                              .title_px = 56,
                              .max_pages = 6,
                              .first_page_h = 480};
    for (size_t i = 0; i < n; i++) {
        struct layout_doc d = {0};
        layout_article(&m, &p, items[i].title, items[i].text, &d);
        if (d.n_pages == 0 || d.n_pages > 6)
            abort(); /* contract: at least one page, never past the cap */
        layout_doc_free(&d);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct feed f;
    char err[256];
    if (!feed_parse((const char *)data, size, NULL, "http://example.test/feed/", &f, err,
                    sizeof(err)))
        return 0;
    struct store_apply a = {.source_id = "fz",
                            .source_name = "Fuzz",
                            .feed = &f,
                            .full_listing = true,
                            .max_items = 50,
                            .now = now++};
    store_apply_feed(st, &a);
    feed_free(&f);
    struct store_item *items = NULL;
    size_t n = store_rotation(st, 50, 0, now, true, &items);
    layout_all(items, n);
    store_items_free(items, n);
    return 0;
}
