/* playlist: store → layout docs + dwell times → the scheduler. */
#include "playlist.h"

#include "bangtin/clock.h"
#include "bangtin/config.h"
#include "bangtin/render.h"
#include "bangtin/sched.h"
#include "bangtin/store.h"
#include "bangtin/util.h"

#include <stdlib.h>
#include <string.h>

static void free_docs(struct layout_doc *docs, int64_t **dwell, size_t n)
{
    for (size_t i = 0; docs && i < n; i++) {
        layout_doc_free(&docs[i]);
        free(dwell[i]);
    }
    free(docs);
    free(dwell);
}

void playlist_dwell(const struct config *cfg, struct sched_dwell *d)
{
    d->base_s = cfg->dwell_base_s;
    d->per_word_s = cfg->dwell_per_word_s;
    d->min_s = cfg->dwell_min_s;
    d->max_s = cfg->dwell_max_s;
}

struct sched *playlist_sched_create(const struct config *cfg)
{
    struct sched_dwell d;
    playlist_dwell(cfg, &d);
    return sched_create(&d, (int64_t)cfg->urgent_takeover_s * 1000);
}

/* Dwell of each page from its reading time. */
static int64_t *page_dwell(const struct config *cfg, const struct layout_doc *doc, bool urgent)
{
    struct sched_dwell d;
    playlist_dwell(cfg, &d);
    if (urgent && d.min_s < 15)
        d.min_s = 15; /* an urgent page is read twice: give it time */
    int64_t *ms = xcalloc(doc->n_pages ? doc->n_pages : 1, sizeof *ms);
    for (size_t p = 0; p < doc->n_pages; p++) {
        const struct layout_page *pg = &doc->pages[p];
        ms[p] = sched_dwell_ms(&d, pg->n_words, pg->n_digit_words);
    }
    return ms;
}

void playlist_load_items(struct playlist *pl, struct store *st, struct render *r,
                         const struct config *cfg, int64_t now, bool clock_trusted, size_t lay_out)
{
    store_items_free(pl->items, pl->n_items);
    free_docs(pl->docs, pl->dwell_ms, pl->n_items);
    free(pl->n_pages);
    int64_t max_age = cfg->max_age_days > 0 ? (int64_t)cfg->max_age_days * 86400 : 0;
    pl->n_items =
        store_rotation(st, (size_t)cfg->max_items, max_age, now, clock_trusted, &pl->items);
    if (pl->n_items == 0 && max_age > 0) {
        /* Everything is older than max_age_days (a quiet month, or a source gone silent):
         * old news beats a blank screen. */
        store_items_free(pl->items, 0);
        pl->n_items = store_rotation(st, (size_t)cfg->max_items, 0, now, clock_trusted, &pl->items);
    }
    pl->docs = xcalloc(pl->n_items ? pl->n_items : 1, sizeof *pl->docs);
    pl->dwell_ms = xcalloc(pl->n_items ? pl->n_items : 1, sizeof *pl->dwell_ms);
    pl->n_pages = xcalloc(pl->n_items ? pl->n_items : 1, sizeof *pl->n_pages);
    pl->n_laid_out = 0;
    playlist_lay_out(pl, r, cfg, lay_out);
}

bool playlist_lay_out(struct playlist *pl, struct render *r, const struct config *cfg, size_t upto)
{
    size_t end = upto < pl->n_items ? upto : pl->n_items;
    if (pl->n_laid_out >= end)
        return false;
    for (size_t i = pl->n_laid_out; i < end; i++) {
        render_layout_item(r, &pl->items[i], &pl->docs[i]);
        pl->n_pages[i] = pl->docs[i].n_pages;
        pl->dwell_ms[i] = page_dwell(cfg, &pl->docs[i], false);
    }
    pl->n_laid_out = end;
    return true;
}

static bool same_ids(const struct store_urgent *a, size_t na, const struct store_urgent *b,
                     size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++) {
        if (strcmp(a[i].id, b[i].id) != 0 || a[i].issued != b[i].issued)
            return false;
    }
    return true;
}

bool playlist_load_urgent(struct playlist *pl, struct store *st, struct render *r,
                          const struct config *cfg, int64_t now, bool clock_trusted)
{
    struct store_urgent *u = NULL;
    size_t n = store_urgent_active(st, now, clock_trusted, &u);
    bool changed = !same_ids(pl->urgent, pl->n_urgent, u, n);
    store_urgent_free(pl->urgent, pl->n_urgent);
    free_docs(pl->udocs, pl->udwell_ms, pl->n_urgent);
    free(pl->u_pages);
    pl->urgent = u;
    pl->n_urgent = n;
    pl->udocs = xcalloc(n ? n : 1, sizeof *pl->udocs);
    pl->udwell_ms = xcalloc(n ? n : 1, sizeof *pl->udwell_ms);
    pl->u_pages = xcalloc(n ? n : 1, sizeof *pl->u_pages);
    for (size_t i = 0; i < n; i++) {
        render_layout_urgent(r, &u[i], i, n, &pl->udocs[i]);
        pl->u_pages[i] = pl->udocs[i].n_pages;
        pl->udwell_ms[i] = page_dwell(cfg, &pl->udocs[i], true);
    }
    return changed;
}

void playlist_free(struct playlist *pl)
{
    store_items_free(pl->items, pl->n_items);
    free_docs(pl->docs, pl->dwell_ms, pl->n_items);
    free(pl->n_pages);
    store_urgent_free(pl->urgent, pl->n_urgent);
    free_docs(pl->udocs, pl->udwell_ms, pl->n_urgent);
    free(pl->u_pages);
    memset(pl, 0, sizeof *pl);
}

size_t playlist_find_item(const struct playlist *pl, int64_t id)
{
    for (size_t i = 0; i < pl->n_items; i++) {
        if (pl->items[i].id == id)
            return i;
    }
    return SIZE_MAX;
}

void playlist_apply_items(const struct playlist *pl, struct sched *s, size_t keep_item)
{
    /* Only what is laid out rotates: the rest joins when playlist_lay_out has done it. */
    sched_set_items(s, pl->n_laid_out, pl->n_pages, (const int64_t *const *)pl->dwell_ms,
                    keep_item < pl->n_laid_out ? keep_item : SIZE_MAX);
}

void playlist_apply_urgent(const struct playlist *pl, struct sched *s, bool is_new, int64_t now_ms)
{
    sched_set_urgent(s, pl->n_urgent, pl->u_pages, (const int64_t *const *)pl->udwell_ms, is_new,
                     now_ms);
}

void playlist_page_req(const struct playlist *pl, const struct sched_slot *slot,
                       struct render_page_req *req)
{
    memset(req, 0, sizeof *req);
    req->kind = slot->urgent ? RENDER_PAGE_URGENT : RENDER_PAGE_ITEM;
    req->item = slot->urgent ? NULL : &pl->items[slot->item];
    req->urgent = slot->urgent ? &pl->urgent[slot->item] : NULL;
    req->doc = slot->urgent ? &pl->udocs[slot->item] : &pl->docs[slot->item];
    req->page = slot->page;
    req->now = clock_now();
    req->clock_trusted = clock_is_trusted();
    req->urgent_index = slot->urgent ? slot->item : 0;
    req->urgent_count = slot->urgent ? pl->n_urgent : 0;
}

void playlist_frame_info(const struct playlist *pl, const struct sched_slot *slot,
                         struct render_frame_info *fi)
{
    bool in_range = slot->urgent ? slot->item < pl->n_urgent : slot->item < pl->n_items;
    fi->item_index = slot->item;
    fi->n_items = slot->urgent ? pl->n_urgent : pl->n_items;
    fi->page_index = slot->page;
    fi->n_pages = !in_range ? 0 : slot->urgent ? pl->u_pages[slot->item] : pl->n_pages[slot->item];
    fi->n_urgent = pl->n_urgent;
    /* Regular pages carry the banner of the most severe active notice. */
    fi->banner = !slot->urgent && pl->n_urgent ? &pl->urgent[0] : NULL;
}

bool playlist_nothing_expected(struct store *st, const struct config *cfg)
{
    if (!st || cfg->n_sources == 0)
        return false;
    for (size_t i = 0; i < cfg->n_sources; i++) {
        if (cfg->sources[i].kind != CONFIG_SOURCE_NEWS)
            continue;
        struct store_source_state ss;
        memset(&ss, 0, sizeof ss);
        bool answered = store_source_state_get(st, cfg->sources[i].id, &ss) && ss.last_success > 0;
        store_source_state_free(&ss);
        if (!answered)
            return false;
    }
    return true;
}
