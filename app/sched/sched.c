/* The rotation state machine: regular items × pages, urgent takeover then alternation.
 * Pure: every time comes from the caller. The rules are in bangtin/sched.h. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/sched.h"
#include "bangtin/util.h"

/* A playlist: pages per item and the dwell of each page, copied from the caller. */
struct sched_list {
    size_t n;
    size_t *pages;
    int64_t **dwell;
};

struct sched_pos {
    size_t item, page;
};

struct sched {
    struct sched_dwell d;
    int64_t takeover_ms;
    struct sched_list reg, urg;
    bool valid; /* cur is a slot being shown */
    struct sched_slot cur;
    bool started; /* cur's clock runs from start */
    int64_t start;
    int64_t takeover_until;
    struct sched_pos reg_next, urg_next; /* the next slot each list will show */
};

static const struct sched_dwell dwell_defaults = SCHED_DWELL_DEFAULTS;

double sched_dwell_s(const struct sched_dwell *d, int words, int digit_words)
{
    if (!d)
        d = &dwell_defaults;
    double v = d->base_s + d->per_word_s * (double)(words + digit_words);
    if (v > d->max_s)
        v = d->max_s;
    if (v < d->min_s) /* min wins over a max set below it */
        v = d->min_s;
    return v;
}

int64_t sched_dwell_ms(const struct sched_dwell *d, int words, int digit_words)
{
    return (int64_t)llround(sched_dwell_s(d, words, digit_words) * 1000.0);
}

void sched_count_words(const char *text, int *words, int *digit_words)
{
    int nw = 0, nd = 0;
    bool in_word = false, digit = false;
    for (const unsigned char *p = (const unsigned char *)(text ? text : "");; p++) {
        /* U+0020, U+00A0 and ASCII whitespace all separate syllables. */
        bool nbsp = p[0] == 0xC2 && p[1] == 0xA0;
        if (*p == 0 || *p == ' ' || *p == '\n' || *p == '\t' || *p == '\r' || nbsp) {
            nw += in_word;
            nd += in_word && digit;
            in_word = digit = false;
            if (*p == 0)
                break;
            p += nbsp;
            continue;
        }
        in_word = true;
        if (*p >= '0' && *p <= '9')
            digit = true;
    }
    if (words)
        *words = nw;
    if (digit_words)
        *digit_words = nd;
}

/* --- playlists ---------------------------------------------------------------------------- */

static void list_clear(struct sched_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->dwell[i]);
    free(l->dwell);
    free(l->pages);
    memset(l, 0, sizeof *l);
}

static void list_set(struct sched_list *l, size_t n, const size_t *n_pages,
                     const int64_t *const *dwell_ms, int64_t fallback_ms)
{
    list_clear(l);
    if (n == 0 || !n_pages)
        return;
    l->n = n;
    l->pages = xcalloc(n, sizeof *l->pages);
    l->dwell = xcalloc(n, sizeof *l->dwell);
    for (size_t i = 0; i < n; i++) {
        l->pages[i] = n_pages[i];
        l->dwell[i] = xcalloc(n_pages[i] ? n_pages[i] : 1, sizeof **l->dwell);
        for (size_t p = 0; p < n_pages[i]; p++) {
            int64_t v = dwell_ms && dwell_ms[i] ? dwell_ms[i][p] : fallback_ms;
            l->dwell[i][p] = v > 0 ? v : fallback_ms;
        }
    }
}

static bool list_empty(const struct sched_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->pages[i] > 0)
            return false;
    return true;
}

static size_t list_pages(const struct sched_list *l, size_t item)
{
    return item < l->n ? l->pages[item] : 0;
}

/* The first valid position at or after pos, wrapping (pos.page past the end: next item). */
static struct sched_pos list_fix(const struct sched_list *l, struct sched_pos pos)
{
    if (pos.item < l->n && pos.page < l->pages[pos.item])
        return pos;
    size_t item = pos.item < l->n ? pos.item + 1 : 0;
    for (size_t k = 0; k < l->n; k++, item++) {
        if (item >= l->n)
            item = 0;
        if (l->pages[item] > 0)
            return (struct sched_pos){item, 0};
    }
    return (struct sched_pos){0, 0};
}

static struct sched_pos list_after(const struct sched_list *l, struct sched_pos pos)
{
    pos.page++;
    return list_fix(l, pos);
}

static struct sched_pos list_before(const struct sched_list *l, struct sched_pos pos)
{
    if (pos.item < l->n && pos.page > 0 && pos.page <= l->pages[pos.item])
        return (struct sched_pos){pos.item, pos.page - 1};
    size_t item = pos.item < l->n ? pos.item : 0;
    for (size_t k = 0; k < l->n; k++) {
        item = item == 0 ? l->n - 1 : item - 1;
        if (l->pages[item] > 0)
            return (struct sched_pos){item, l->pages[item] - 1};
    }
    return (struct sched_pos){0, 0};
}

/* --- the state machine -------------------------------------------------------------------- */

static struct sched_pos pos_of(const struct sched_slot *slot)
{
    return (struct sched_pos){slot->item, slot->page};
}

/* Show pos of the urgent or regular list; its clock starts at now when timed. */
static void sched_enter(struct sched *s, bool urgent, struct sched_pos pos, bool timed, int64_t now)
{
    s->valid = true;
    s->cur = (struct sched_slot){.urgent = urgent, .item = pos.item, .page = pos.page};
    /* INT64_MAX is no real time (callers use it to force a step): wait for the next tick. */
    s->started = timed && now != INT64_MAX;
    s->start = s->started ? now : 0;
    if (urgent)
        s->urg_next = list_after(&s->urg, pos);
    else
        s->reg_next = list_after(&s->reg, pos);
}

/* Whatever should follow the current slot (or start from nothing). */
static void sched_advance(struct sched *s, bool timed, int64_t now)
{
    bool urg_on = !list_empty(&s->urg), reg_on = !list_empty(&s->reg);
    if (!urg_on && !reg_on) {
        s->valid = false;
        return;
    }
    const struct sched_list *cl = s->cur.urgent ? &s->urg : &s->reg;
    bool item_done = !s->valid || s->cur.page + 1 >= list_pages(cl, s->cur.item);
    bool urgent;
    if (!urg_on || !reg_on)
        urgent = urg_on;
    else if (timed && now < s->takeover_until)
        urgent = true;
    else if (!s->valid)
        urgent = false;
    else
        urgent = s->cur.urgent ? !item_done : item_done; /* one item each, in turn */
    if (urgent)
        sched_enter(s, true, list_fix(&s->urg, s->urg_next), timed, now);
    else
        sched_enter(s, false, list_fix(&s->reg, s->reg_next), timed, now);
}

struct sched *sched_create(const struct sched_dwell *d, int64_t urgent_takeover_ms)
{
    struct sched *s = xcalloc(1, sizeof *s);
    s->d = d ? *d : dwell_defaults;
    s->takeover_ms = urgent_takeover_ms > 0 ? urgent_takeover_ms : 0;
    return s;
}

void sched_destroy(struct sched *s)
{
    if (!s)
        return;
    list_clear(&s->reg);
    list_clear(&s->urg);
    free(s);
}

static int64_t fallback_ms(const struct sched *s)
{
    return (int64_t)llround((s->d.min_s > 0 ? s->d.min_s : 8.0) * 1000.0);
}

void sched_set_items(struct sched *s, size_t n_items, const size_t *n_pages,
                     const int64_t *const *dwell_ms, size_t keep_item)
{
    list_set(&s->reg, n_items, n_pages, dwell_ms, fallback_ms(s));
    bool reg_on = !list_empty(&s->reg);
    bool keep = keep_item != SIZE_MAX && list_pages(&s->reg, keep_item) > 0;
    if (s->valid && s->cur.urgent) {
        /* keep_item names the regular item the rotation resumes with. */
        struct sched_pos resume = {keep ? keep_item : s->reg_next.item,
                                   keep ? s->reg_next.page : 0};
        s->reg_next = list_fix(&s->reg, resume);
        return;
    }
    if (s->valid && keep) {
        /* The page on screen keeps its clock; the rotation goes on from it. */
        size_t np = list_pages(&s->reg, keep_item);
        s->cur.item = keep_item;
        if (s->cur.page >= np)
            s->cur.page = np - 1;
        s->reg_next = list_after(&s->reg, pos_of(&s->cur));
        return;
    }
    if (reg_on) {
        struct sched_pos at = {s->valid ? s->cur.item : 0, 0};
        sched_enter(s, false, list_fix(&s->reg, at), false, 0);
        return;
    }
    s->valid = false;
    if (!list_empty(&s->urg))
        sched_advance(s, false, 0);
}

void sched_set_urgent(struct sched *s, size_t n_items, const size_t *n_pages,
                      const int64_t *const *dwell_ms, bool is_new, int64_t now_ms)
{
    bool was_empty = list_empty(&s->urg);
    list_set(&s->urg, n_items, n_pages, dwell_ms, fallback_ms(s));
    if (list_empty(&s->urg)) {
        s->takeover_until = 0;
        if (s->valid && s->cur.urgent) {
            s->valid = false;
            sched_advance(s, true, now_ms);
        }
        return;
    }
    if (is_new || was_empty) {
        s->takeover_until =
            now_ms > INT64_MAX - s->takeover_ms ? INT64_MAX : now_ms + s->takeover_ms;
        if (s->valid && !s->cur.urgent)
            s->reg_next = pos_of(&s->cur); /* the interrupted page is shown again */
        sched_enter(s, true, list_fix(&s->urg, (struct sched_pos){0, 0}), true, now_ms);
        return;
    }
    /* The same notices, refreshed: stay put unless the page on screen is gone. */
    s->urg_next = list_fix(&s->urg, s->urg_next);
    if (!s->valid)
        sched_advance(s, true, now_ms);
    else if (s->cur.urgent && s->cur.page >= list_pages(&s->urg, s->cur.item))
        sched_enter(s, true, list_fix(&s->urg, (struct sched_pos){s->cur.item, 0}), true, now_ms);
}

bool sched_current(const struct sched *s, struct sched_slot *out)
{
    if (!s || !s->valid)
        return false;
    if (out)
        *out = s->cur;
    return true;
}

int64_t sched_deadline(const struct sched *s)
{
    if (!s || !s->valid)
        return INT64_MAX;
    if (!s->started)
        return 0;
    const struct sched_list *l = s->cur.urgent ? &s->urg : &s->reg;
    int64_t dwell = s->cur.page < list_pages(l, s->cur.item) ? l->dwell[s->cur.item][s->cur.page]
                                                             : fallback_ms(s);
    return dwell > INT64_MAX - s->start ? INT64_MAX : s->start + dwell;
}

bool sched_tick(struct sched *s, int64_t now_ms)
{
    if (!s->valid)
        return false;
    if (!s->started) {
        s->started = now_ms != INT64_MAX;
        s->start = s->started ? now_ms : 0;
        return false;
    }
    if (now_ms < sched_deadline(s))
        return false;
    sched_advance(s, true, now_ms);
    return true;
}

void sched_next(struct sched *s, int64_t now_ms)
{
    sched_advance(s, true, now_ms);
}

void sched_prev(struct sched *s, int64_t now_ms)
{
    if (!s->valid)
        return;
    const struct sched_list *l = s->cur.urgent ? &s->urg : &s->reg;
    sched_enter(s, s->cur.urgent, list_before(l, pos_of(&s->cur)), true, now_ms);
}

bool sched_urgent_active(const struct sched *s)
{
    return s && !list_empty(&s->urg);
}
