/* playlist: what the rotation holds right now — the cached items and active urgent notices,
 * laid out with the real fonts, with a dwell time per page. Rebuilt from the store when the
 * cache changes; applied to the scheduler at a page boundary (urgent: at once). */
#ifndef BANGTIN_GLUE_PLAYLIST_H
#define BANGTIN_GLUE_PLAYLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bangtin/layout.h"

struct config;
struct render;
struct sched;
struct store;
struct store_item;
struct store_urgent;

struct playlist {
    struct store_item *items;
    size_t n_items;
    struct layout_doc *docs;
    int64_t **dwell_ms;
    size_t *n_pages;
    size_t n_laid_out; /* items[0, n_laid_out) have docs, dwell_ms and n_pages */

    struct store_urgent *urgent;
    size_t n_urgent;
    struct layout_doc *udocs;
    int64_t **udwell_ms;
    size_t *u_pages;
};

struct sched_dwell;
/* The config's reading-time constants ([rotation] dwell_*): the one place they are read. */
void playlist_dwell(const struct config *cfg, struct sched_dwell *d);
/* A scheduler with the config's dwell and urgent take-over time. */
struct sched *playlist_sched_create(const struct config *cfg);

/* The rotation's items from the store; the first lay_out of them laid out now (SIZE_MAX:
 * all). Laying out 30 long items takes ~100 ms on a small board: the screen lays out the first
 * one, shows it, then the rest (playlist_lay_out). */
void playlist_load_items(struct playlist *pl, struct store *st, struct render *r,
                         const struct config *cfg, int64_t now, bool clock_trusted, size_t lay_out);
/* Lays out items up to index upto (exclusive, SIZE_MAX: all). True when it laid out any. */
bool playlist_lay_out(struct playlist *pl, struct render *r, const struct config *cfg, size_t upto);
/* Returns true when the set of active notices changed (new ids or removed ones). */
bool playlist_load_urgent(struct playlist *pl, struct store *st, struct render *r,
                          const struct config *cfg, int64_t now, bool clock_trusted);
void playlist_free(struct playlist *pl);
/* Index of the item with this database id, or SIZE_MAX. */
size_t playlist_find_item(const struct playlist *pl, int64_t id);
/* Nothing to show and nothing more to wait for: every news source has answered at least once
 * (or there is none, only urgent sources). Then the empty page says so instead of "loading". */
bool playlist_nothing_expected(struct store *st, const struct config *cfg);
struct render_page_req;
struct render_frame_info;
struct sched_slot;
/* The page request for a slot of this playlist (key left to the caller). */
void playlist_page_req(const struct playlist *pl, const struct sched_slot *slot,
                       struct render_page_req *req);
/* The slot-dependent part of a frame's header/footer: position, banner, urgent count. */
void playlist_frame_info(const struct playlist *pl, const struct sched_slot *slot,
                         struct render_frame_info *fi);
/* The laid-out items to the scheduler; keep_item (when laid out) keeps the page on screen. */
void playlist_apply_items(const struct playlist *pl, struct sched *s, size_t keep_item);
void playlist_apply_urgent(const struct playlist *pl, struct sched *s, bool is_new, int64_t now_ms);

#endif
