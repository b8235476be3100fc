/* sched: which item/page is due when; dwell from reading time; urgent pre-emption.
 * Pure: times are passed in (monotonic milliseconds). */
#ifndef BANGTIN_SCHED_H
#define BANGTIN_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sched_dwell {
    double base_s, per_word_s, min_s, max_s; /* default 2, 0.75, 8, 45 */
};
/* dwell_s = clamp(base + per_word × (words + digit_words), min, max) */
double sched_dwell_s(const struct sched_dwell *d, int words, int digit_words);
/* Count space-separated syllables and tokens containing a digit in UTF-8 text. */
void sched_count_words(const char *text, int *words, int *digit_words);

/* A slot in the rotation: item index + page index. */
struct sched_slot {
    bool urgent;   /* an urgent notice page */
    size_t item;   /* index into the regular playlist or the urgent list */
    size_t page;
};

struct sched;
struct sched *sched_create(const struct sched_dwell *d, int64_t urgent_takeover_ms);
void sched_destroy(struct sched *s);
/* Replace the regular playlist: pages[i] = number of pages of item i, dwell_ms[i][p] the
 * dwell of each page. The current position is kept where the same item still exists
 * (keep_item = index of the current item in the new list, or SIZE_MAX). */
void sched_set_items(struct sched *s, size_t n_items, const size_t *n_pages,
                     const int64_t *const *dwell_ms, size_t keep_item);
/* Replace the urgent list (same shape). A new, non-empty urgent list pre-empts at once and
 * starts the takeover period; an empty one returns to the rotation at once. */
void sched_set_urgent(struct sched *s, size_t n_items, const size_t *n_pages,
                      const int64_t *const *dwell_ms, bool is_new, int64_t now_ms);
/* Current slot; false if there is nothing to show. */
bool sched_current(const struct sched *s, struct sched_slot *out);
/* When the current slot ends (monotonic ms). */
int64_t sched_deadline(const struct sched *s);
/* Advance if now_ms >= deadline (returns true if the slot changed). */
bool sched_tick(struct sched *s, int64_t now_ms);
/* Staff keys: next/previous page. */
void sched_next(struct sched *s, int64_t now_ms);
void sched_prev(struct sched *s, int64_t now_ms);
/* Whether regular pages must carry the urgent banner. */
bool sched_urgent_active(const struct sched *s);

#endif
