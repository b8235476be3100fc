/* Conformance test: the expectations shared by the suite readers. */
#ifndef BANGTIN_TEST_CONFORMANCE_H
#define BANGTIN_TEST_CONFORMANCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct expect_item {
    char *title, *link, *guid, *text_html; /* NULL = not checked */
    bool title_html;
    int64_t date;
    bool check_date, date_is_updated;
};

struct expect {
    struct expect_item *items;
    size_t n_items;
    bool only_index; /* feedparser: one assertion about entries[index], count not checked */
    size_t index;
};

bool expect_load_gofeed(const char *path, struct expect *e);
bool expect_load_feedrs(const char *path, struct expect *e);
bool expect_load_feedparser(const char *data, struct expect *e);
void expect_free(struct expect *e);

#endif
