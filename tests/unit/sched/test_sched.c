/* sched tests: dwell formula, word counting, rotation and deadlines, urgent takeover then
 * alternation, cancel, playlist changes keeping the position, staff keys. Times are fake. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/sched.h"
#include "bangtin/util.h"
#include "check.h"

#define NBSP      "\xc2\xa0"
#define MAX_PAGES 8

/* A playlist whose page p of item i dwells base + 100 × i + 10 × p ms (all distinct). */
struct list {
    size_t n;
    size_t pages[16];
    int64_t rows[16][MAX_PAGES];
    const int64_t *dwell[16];
};

static void list_make(struct list *l, int64_t base, size_t n, const size_t *pages)
{
    memset(l, 0, sizeof *l);
    l->n = n;
    for (size_t i = 0; i < n; i++) {
        l->pages[i] = pages[i];
        for (size_t p = 0; p < MAX_PAGES; p++)
            l->rows[i][p] = base + 100 * (int64_t)i + 10 * (int64_t)p;
        l->dwell[i] = l->rows[i];
    }
}

static void set_items(struct sched *s, const struct list *l, size_t keep)
{
    sched_set_items(s, l->n, l->pages, l->dwell, keep);
}

static void set_urgent(struct sched *s, const struct list *l, bool is_new, int64_t now)
{
    sched_set_urgent(s, l->n, l->pages, l->dwell, is_new, now);
}

static bool at(const struct sched *s, bool urgent, size_t item, size_t page)
{
    struct sched_slot c;
    if (!sched_current(s, &c))
        return false;
    return c.urgent == urgent && c.item == item && c.page == page;
}

#define CHECK_AT(s, u, i, p)                                                                       \
    do {                                                                                           \
        struct sched_slot c_ = {0};                                                                \
        bool ok_ = sched_current((s), &c_);                                                        \
        CHECK_MSG(ok_ &&at((s), (u), (i), (p)), "at %s %zu/%zu, expected %s %zu/%zu",              \
                  c_.urgent ? "urgent" : "regular", c_.item, c_.page, (u) ? "urgent" : "regular",  \
                  (size_t)(i), (size_t)(p));                                                       \
    } while (0)

static void test_dwell(void)
{
    CHECK(sched_dwell_s(NULL, 0, 0) == 8.0);    /* 2 s → floor 8 */
    CHECK(sched_dwell_s(NULL, 10, 0) == 9.5);   /* 2 + 7.5 */
    CHECK(sched_dwell_s(NULL, 10, 2) == 11.0);  /* digits count twice */
    CHECK(sched_dwell_s(NULL, 100, 0) == 45.0); /* ceiling */
    CHECK(sched_dwell_s(NULL, 57, 1) == 45.0);
    CHECK(sched_dwell_s(NULL, 56, 0) == 44.0);
    CHECK_INTEQ(sched_dwell_ms(NULL, 10, 0), 9500);
    struct sched_dwell d = {.base_s = 1, .per_word_s = 0.5, .min_s = 3, .max_s = 10};
    CHECK(sched_dwell_s(&d, 2, 0) == 3.0);
    CHECK(sched_dwell_s(&d, 8, 2) == 6.0);
    CHECK(sched_dwell_s(&d, 30, 0) == 10.0);
    struct sched_dwell dd = SCHED_DWELL_DEFAULTS;
    CHECK(dd.base_s == 2.0 && dd.per_word_s == 0.75 && dd.min_s == 8.0 && dd.max_s == 45.0);
}

static void test_count_words(void)
{
    int w = -1, d = -1;
    sched_count_words("Cắt điện từ 07 giờ 30 ngày 27/11/2026.", &w, &d);
    CHECK_INTEQ(w, 8);
    CHECK_INTEQ(d, 3);
    sched_count_words("  lúc 15" NBSP "giờ" NBSP "30  tại\nxã ", &w, &d);
    CHECK_INTEQ(w, 6);
    CHECK_INTEQ(d, 2);
    sched_count_words("", &w, &d);
    CHECK(w == 0 && d == 0);
    sched_count_words(NULL, &w, &d);
    CHECK(w == 0 && d == 0);
    sched_count_words("06-ĐA/TU Ủy ban", &w, &d);
    CHECK(w == 3 && d == 1);
}

static void test_empty(void)
{
    struct sched *s = sched_create(NULL, 60000);
    struct sched_slot c;
    CHECK(!sched_current(s, &c));
    CHECK(sched_deadline(s) == INT64_MAX);
    CHECK(!sched_tick(s, 1000));
    sched_next(s, 1000);
    sched_prev(s, 1000);
    CHECK(!sched_current(s, &c));
    CHECK(!sched_urgent_active(s));
    /* Items with no pages are nothing to show either. */
    struct list l;
    list_make(&l, 1000, 2, (size_t[]){0, 0});
    set_items(s, &l, SIZE_MAX);
    CHECK(!sched_current(s, &c));
    sched_destroy(s);
    sched_destroy(NULL);
}

static void test_rotation(void)
{
    struct sched *s = sched_create(NULL, 60000);
    struct list l;
    list_make(&l, 1000, 4, (size_t[]){2, 1, 0, 3});
    set_items(s, &l, SIZE_MAX);
    CHECK_AT(s, false, 0, 0);
    CHECK(sched_deadline(s) == 0); /* waits for a time */
    CHECK(!sched_tick(s, 5000));   /* starts the clock */
    CHECK_INTEQ(sched_deadline(s), 6000);
    CHECK(!sched_tick(s, 5999));
    CHECK_AT(s, false, 0, 0);

    static const size_t want[][2] = {{0, 1}, {1, 0}, {3, 0}, {3, 1}, {3, 2}, {0, 0}, {0, 1}};
    int64_t now = 6000;
    for (size_t k = 0; k < ARRAY_LEN(want); k++) {
        CHECK(sched_tick(s, now));
        CHECK_AT(s, false, want[k][0], want[k][1]);
        int64_t dwell = 1000 + 100 * (int64_t)want[k][0] + 10 * (int64_t)want[k][1];
        CHECK_INTEQ(sched_deadline(s), now + dwell);
        CHECK(!sched_tick(s, now + dwell - 1));
        now += dwell;
    }
    /* A late tick starts the next page from the late time, not from the missed deadline. */
    CHECK(sched_tick(s, now + 5000));
    CHECK_INTEQ(sched_deadline(s), now + 5000 + 1100);
    CHECK(!sched_urgent_active(s));
    sched_destroy(s);
}

static void test_next_prev(void)
{
    struct sched *s = sched_create(NULL, 60000);
    struct list l;
    list_make(&l, 1000, 3, (size_t[]){2, 1, 3});
    set_items(s, &l, SIZE_MAX);
    sched_tick(s, 0);
    sched_next(s, 300);
    CHECK_AT(s, false, 0, 1);
    CHECK_INTEQ(sched_deadline(s), 300 + 1010);
    sched_next(s, 400);
    CHECK_AT(s, false, 1, 0);
    sched_prev(s, 500);
    CHECK_AT(s, false, 0, 1);
    CHECK_INTEQ(sched_deadline(s), 500 + 1010);
    sched_prev(s, 600);
    CHECK_AT(s, false, 0, 0);
    sched_prev(s, 700); /* wraps to the last page of the last item */
    CHECK_AT(s, false, 2, 2);
    sched_next(s, 800);
    CHECK_AT(s, false, 0, 0);
    sched_destroy(s);
}

struct shown {
    struct sched_slot slot;
    int64_t at;
};

/* Tick at every deadline until `until`, recording each slot entered. */
static size_t run(struct sched *s, int64_t *now, int64_t until, struct shown *out, size_t max)
{
    size_t n = 0;
    while (n < max) {
        int64_t d = sched_deadline(s);
        if (d > until)
            break;
        *now = d;
        if (sched_tick(s, *now) && sched_current(s, &out[n].slot))
            out[n++].at = *now;
    }
    return n;
}

static void test_urgent(void)
{
    struct sched *s = sched_create(NULL, 60000);
    struct list reg, urg, none;
    list_make(&reg, 1000, 3, (size_t[]){2, 1, 3});
    list_make(&urg, 10000, 2, (size_t[]){1, 2});
    list_make(&none, 0, 0, (size_t[]){0});
    set_items(s, &reg, SIZE_MAX);
    int64_t now = 0;
    sched_tick(s, now);
    sched_next(s, 100); /* (0,1) */
    sched_next(s, 200); /* (1,0) */
    CHECK_AT(s, false, 1, 0);

    /* Takeover at once. */
    now = 500;
    set_urgent(s, &urg, true, now);
    CHECK_AT(s, true, 0, 0);
    CHECK(sched_urgent_active(s));
    CHECK_INTEQ(sched_deadline(s), now + 10000);

    /* For 60 s only urgent pages: u0, u1p0, u1p1, u0, u1p0, u1p1 (each ~10 s). */
    struct shown seq[64];
    size_t n = run(s, &now, 500 + 60000 - 1, seq, ARRAY_LEN(seq));
    CHECK(n >= 5);
    for (size_t i = 0; i < n; i++)
        CHECK_MSG(seq[i].slot.urgent, "regular page at %lld during the takeover",
                  (long long)seq[i].at);
    /* After it: the urgent item on screen finishes, then the interrupted regular page, and from
     * then on one regular item, one urgent item, in turn. */
    n = run(s, &now, now + 200000, seq, ARRAY_LEN(seq));
    CHECK(n > 10);
    size_t first_reg = 0;
    while (first_reg < n && seq[first_reg].slot.urgent)
        first_reg++;
    CHECK(first_reg < n && seq[first_reg].slot.item == 1 && seq[first_reg].slot.page == 0);
    size_t expect_reg_item = 1;
    int regular_items_between = 0;
    for (size_t i = first_reg; i < n; i++) {
        const struct sched_slot *c = &seq[i].slot;
        if (c->urgent) {
            if (c->page == 0) {
                CHECK_INTEQ(regular_items_between, 1);
                regular_items_between = 0;
            }
            continue;
        }
        if (c->page == 0) {
            CHECK_INTEQ(c->item, expect_reg_item);
            regular_items_between++;
            expect_reg_item = (expect_reg_item + 1) % 3;
        }
        CHECK(i + 1 == n || !seq[i + 1].slot.urgent || c->page + 1 == reg.pages[c->item]);
    }
    CHECK(sched_urgent_active(s));

    /* Cancel: back to the rotation at once, banner off. */
    struct sched_slot c;
    while (!(sched_current(s, &c) && c.urgent))
        sched_next(s, now); /* get onto an urgent page */
    now += 1234;
    set_urgent(s, &none, false, now);
    CHECK(!sched_urgent_active(s));
    CHECK(sched_current(s, &c) && !c.urgent);
    CHECK_INTEQ(sched_deadline(s), now + 1000 + 100 * (int64_t)c.item + 10 * (int64_t)c.page);
    n = run(s, &now, now + 30000, seq, ARRAY_LEN(seq));
    for (size_t i = 0; i < n; i++)
        CHECK(!seq[i].slot.urgent);
    sched_destroy(s);
}

/* Urgent only: it loops; a refreshed (not new) list neither restarts nor jumps. */
static void test_urgent_only(void)
{
    struct sched *s = sched_create(NULL, 5000);
    struct list urg;
    list_make(&urg, 3000, 2, (size_t[]){1, 1});
    int64_t now = 1000;
    set_urgent(s, &urg, true, now);
    CHECK_AT(s, true, 0, 0);
    struct shown seq[16];
    size_t n = run(s, &now, 20000, seq, ARRAY_LEN(seq));
    CHECK(n >= 5);
    for (size_t i = 0; i < n; i++)
        CHECK(seq[i].slot.urgent && seq[i].slot.item == (i + 1) % 2);
    struct sched_slot before;
    sched_current(s, &before);
    int64_t dl = sched_deadline(s);
    set_urgent(s, &urg, false, now + 10);
    CHECK_AT(s, true, before.item, before.page);
    CHECK_INTEQ(sched_deadline(s), dl);
    /* A second, new notice pre-empts again from its first page. */
    set_urgent(s, &urg, true, now + 20);
    CHECK_AT(s, true, 0, 0);
    CHECK_INTEQ(sched_deadline(s), now + 20 + 3000);
    sched_destroy(s);
}

static void test_keep_position(void)
{
    struct sched *s = sched_create(NULL, 60000);
    struct list a, b;
    list_make(&a, 1000, 3, (size_t[]){2, 1, 3});
    set_items(s, &a, SIZE_MAX);
    sched_tick(s, 0);
    sched_next(s, 10);
    sched_next(s, 20);
    sched_next(s, 30); /* (2,0) */
    sched_next(s, 40); /* (2,1) */
    CHECK_AT(s, false, 2, 1);
    int64_t dl = sched_deadline(s);

    /* A new item arrives at the front: the current one is now index 1 (same page count). */
    size_t pages_b[] = {1, 3, 2, 1};
    list_make(&b, 1000, 4, pages_b);
    b.rows[1][1] = a.rows[2][1]; /* same dwell for the page on screen */
    set_items(s, &b, 1);
    CHECK_AT(s, false, 1, 1);
    CHECK_INTEQ(sched_deadline(s), dl); /* the page on screen keeps its clock */
    CHECK(sched_tick(s, dl));
    CHECK_AT(s, false, 1, 2);
    CHECK(sched_tick(s, sched_deadline(s)));
    CHECK_AT(s, false, 2, 0);

    /* The current item shrank to one page: clamped, then the rotation goes on. */
    size_t pages_c[] = {1, 3, 1, 1};
    list_make(&b, 1000, 4, pages_c);
    sched_next(s, 5000); /* (2,1) in the old shape */
    CHECK_AT(s, false, 2, 1);
    set_items(s, &b, 2);
    CHECK_AT(s, false, 2, 0);
    CHECK(sched_tick(s, sched_deadline(s)));
    CHECK_AT(s, false, 3, 0);

    /* The current item vanished: the item now at its index starts when next ticked. */
    list_make(&b, 1000, 2, (size_t[]){2, 2});
    set_items(s, &b, SIZE_MAX);
    CHECK_AT(s, false, 0, 0); /* index 3 is past the end: wraps to the first */
    CHECK(sched_deadline(s) == 0);
    CHECK(!sched_tick(s, 9000));
    CHECK_INTEQ(sched_deadline(s), 10000);

    /* Playlist change under an urgent page: the urgent page stays, the rotation resumes at
     * keep_item. */
    struct list urg;
    list_make(&urg, 7000, 1, (size_t[]){1});
    sched_next(s, 9100); /* (0,1) */
    set_urgent(s, &urg, true, 9200);
    CHECK_AT(s, true, 0, 0);
    list_make(&b, 1000, 3, (size_t[]){1, 1, 2});
    set_items(s, &b, 2);
    CHECK_AT(s, true, 0, 0);
    set_urgent(s, &(struct list){0}, false, 9300);
    CHECK_AT(s, false, 2, 1);
    CHECK_INTEQ(sched_deadline(s), 9300 + 1210);

    /* Everything removed: nothing to show. */
    set_items(s, &(struct list){0}, SIZE_MAX);
    CHECK(!sched_current(s, NULL));
    CHECK(sched_deadline(s) == INT64_MAX);
    sched_destroy(s);
}

/* INT64_MAX as a time (a forced step) must neither overflow nor freeze the rotation. */
static void test_forced_step(void)
{
    struct sched *s = sched_create(NULL, 60000);
    struct list l;
    list_make(&l, 1000, 2, (size_t[]){1, 1});
    CHECK(!sched_tick(s, INT64_MAX)); /* nothing to show: nothing happens */
    set_items(s, &l, SIZE_MAX);
    CHECK(!sched_tick(s, INT64_MAX)); /* the first slot still waits for a real time */
    CHECK(sched_deadline(s) == 0);
    CHECK(!sched_tick(s, 100));
    CHECK_INTEQ(sched_deadline(s), 1100);
    CHECK(sched_tick(s, INT64_MAX)); /* forced step */
    CHECK_AT(s, false, 1, 0);
    CHECK(sched_deadline(s) == 0);
    CHECK(!sched_tick(s, 200));
    CHECK_INTEQ(sched_deadline(s), 200 + 1100);
    set_urgent(s, &l, true, INT64_MAX - 5);
    CHECK(sched_deadline(s) == INT64_MAX);
    sched_destroy(s);
}

int main(void)
{
    test_dwell();
    test_count_words();
    test_empty();
    test_rotation();
    test_next_prev();
    test_urgent();
    test_urgent_only();
    test_keep_position();
    test_forced_step();
    return CHECK_DONE();
}
