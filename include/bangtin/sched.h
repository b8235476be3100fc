/* sched: which item/page is due when; dwell from reading time; urgent pre-emption.
 * Pure: times are passed in (monotonic milliseconds).
 *
 * Rotation: regular items in order, every page of an item for its own dwell, wrapping after
 * the last item. Items with zero pages are skipped.
 *
 * Urgent notices (a non-empty urgent list):
 *  - a NEW list pre-empts at once: its first page shows from now_ms, and for urgent_takeover_ms
 *    only urgent pages show (all urgent items in turn, wrapping);
 *  - after the takeover, urgent and regular ITEMS alternate: one regular item (all its pages),
 *    then one urgent item (all its pages), then the next regular item, and so on; an urgent item
 *    being shown when the takeover ends is finished first. With no regular items the urgent
 *    items simply loop;
 *  - while the list is non-empty sched_urgent_active() is true: regular pages carry the banner;
 *  - an empty list returns to the rotation at once (to the regular page that was interrupted).
 * A regular page cut short by a pre-emption is shown again, in full, when the rotation resumes.
 *
 * A slot's clock starts when it is entered with a time (sched_tick, sched_next, sched_prev,
 * sched_set_urgent). sched_set_items has no time: a slot it has to change starts at the next
 * sched_tick, and until then sched_deadline() returns 0 ("tick now"). sched_set_items and
 * sched_set_urgent may change the current slot: redraw after calling them. A time of INT64_MAX
 * is taken as "now, unknown": sched_tick(s, INT64_MAX) steps to the next slot if the current
 * one has started, and the slot entered waits for the next real tick to start its clock. */
#ifndef BANGTIN_SCHED_H
#define BANGTIN_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sched_dwell {
    double base_s, per_word_s, min_s, max_s; /* default 2, 0.75, 8, 45 */
};
#define SCHED_DWELL_DEFAULTS                                                                       \
    {                                                                                              \
        .base_s = 2.0, .per_word_s = 0.75, .min_s = 8.0, .max_s = 45.0                             \
    }
/* dwell_s = clamp(base + per_word × (words + digit_words), min, max). d == NULL: defaults. */
double sched_dwell_s(const struct sched_dwell *d, int words, int digit_words);
/* The same in whole milliseconds, ready for sched_set_items. */
int64_t sched_dwell_ms(const struct sched_dwell *d, int words, int digit_words);
/* Count space-separated syllables and tokens containing a digit in UTF-8 text. */
void sched_count_words(const char *text, int *words, int *digit_words);

/* A slot in the rotation: item index + page index. */
struct sched_slot {
    bool urgent; /* an urgent notice page */
    size_t item; /* index into the regular playlist or the urgent list */
    size_t page;
};

struct sched;
struct sched *sched_create(const struct sched_dwell *d, int64_t urgent_takeover_ms);
void sched_destroy(struct sched *s);
/* Replace the regular playlist: pages[i] = number of pages of item i, dwell_ms[i][p] the
 * dwell of each page (dwell_ms or dwell_ms[i] may be NULL: min_s). The arrays are copied.
 * The current position is kept where the same item still exists (keep_item = index of the
 * current item in the new list, or SIZE_MAX): the page on screen keeps its clock (deadline =
 * its start + its new dwell) and the rotation goes on from there at the next page boundary.
 * When the current item is gone, the item now at the same index (or the first) starts. */
void sched_set_items(struct sched *s, size_t n_items, const size_t *n_pages,
                     const int64_t *const *dwell_ms, size_t keep_item);
/* Replace the urgent list (same shape). A new, non-empty urgent list (is_new, or any list
 * after an empty one) pre-empts at once from its first item (put the newest first) and starts
 * the takeover period; a refreshed list with is_new false keeps the position; an empty one
 * returns to the rotation at once. While an urgent page shows, sched_set_items' keep_item
 * names the regular item the rotation will resume with. */
void sched_set_urgent(struct sched *s, size_t n_items, const size_t *n_pages,
                      const int64_t *const *dwell_ms, bool is_new, int64_t now_ms);
/* Current slot; false if there is nothing to show. */
bool sched_current(const struct sched *s, struct sched_slot *out);
/* When the current slot ends (monotonic ms); INT64_MAX with nothing to show, 0 while the
 * slot's clock waits for the next sched_tick. */
int64_t sched_deadline(const struct sched *s);
/* Advance if now_ms >= deadline (returns true if the slot changed). Starts a waiting slot's
 * clock (returning false). */
bool sched_tick(struct sched *s, int64_t now_ms);
/* Staff keys: next/previous page (previous stays in the list being shown: urgent or regular;
 * during the takeover next shows the next urgent page). The new page starts at now_ms. */
void sched_next(struct sched *s, int64_t now_ms);
void sched_prev(struct sched *s, int64_t now_ms);
/* Whether regular pages must carry the urgent banner. */
bool sched_urgent_active(const struct sched *s);

#endif
