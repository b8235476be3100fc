/* Conformance: every file of the public corpus (SHARED_DIR/corpus, never copied into the
 * repository) goes through feed_parse under the sanitizers; where a suite states what it
 * expects, items are compared. A suite's pass rate below what was measured fails the test.
 * CONFORMANCE_VERBOSE=1 prints every mismatch. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bangtin/feed.h"
#include "bangtin/log.h"
#include "bangtin/text.h"
#include "bangtin/util.h"
#include "check.h"
#include "conformance.h"
#include "feed/feed_priv.h"

struct suite {
    const char *name;
    /* Measured on 2026-11-27 (rounded down) so that a regression fails: the pass rate of
     * the compared files and the number of files that parse at all. */
    double min_rate;
    size_t min_parsed;
    size_t files, parsed, compared, passed;
};

static struct suite suites[] = {
    {"feedparser", 0.96, 2090, 0, 0, 0, 0},
    {"gofeed", 0.99, 810, 0, 0, 0, 0},
    {"feed-rs", 0.95, 64, 0, 0, 0, 0},
    /* every file but malformed-simple.xml, which really is cut short (no closing tags): a
     * truncated listing is refused so it can never delete cached items */
    {"wordpress", 1.0, 47, 0, 0, 0, 0},
    {"encodings", 1.0, 3, 0, 0, 0, 0}, /* the three XML files; the .txt ones are checked below */
    {"hostile", 1.0, 0, 0, 0, 0, 0},
    {"cap", 1.0, 36, 0, 0, 0, 0}, /* all but the two .pem and the .url */
    {"simplepie", 1.0, 1, 0, 0, 0, 0},
};

static bool verbose;

static bool same_link(const char *ours, const char *want)
{
    if (!ours)
        return false;
    if (!strcmp(ours, want))
        return true;
    /* Suites that leave relative links unresolved. */
    return !str_starts_with(want, "http") && str_ends_with(ours, want);
}

static bool compare_item(const struct feed_item *it, const struct expect_item *x, const char *path)
{
    bool ok = true;
    if (x->title) {
        char *want = feed_sanitize_title(x->title, x->title_html);
        if (strcmp(it->title, want) != 0) {
            ok = false;
            if (verbose)
                printf("  %s: title \"%s\" want \"%s\"\n", path, it->title, want);
        }
        free(want);
    }
    if (x->link) {
        char *want = text_sanitize_str(x->link, 0);
        if (!same_link(it->link, want)) {
            ok = false;
            if (verbose)
                printf("  %s: link \"%s\" want \"%s\"\n", path, it->link ? it->link : "", want);
        }
        free(want);
    }
    if (x->guid && strcmp(it->guid, x->guid) != 0) {
        ok = false;
        if (verbose)
            printf("  %s: guid \"%s\" want \"%s\"\n", path, it->guid, x->guid);
    }
    if (x->text_html) {
        char *want = feed_html_to_text(x->text_html, strlen(x->text_html));
        if (strcmp(it->text, want) != 0) {
            ok = false;
            if (verbose)
                printf("  %s: text \"%.200s\" want \"%.200s\"\n", path, it->text, want);
        }
        free(want);
    }
    if (x->check_date) {
        int64_t ours = x->date_is_updated && it->updated ? it->updated : it->date;
        if (ours != x->date) {
            ok = false;
            if (verbose)
                printf("  %s: date %lld want %lld\n", path, (long long)ours, (long long)x->date);
        }
    }
    return ok;
}

static bool compare(const struct feed *f, const struct expect *e, const char *path)
{
    if (e->only_index) {
        if (e->index >= f->n_items) {
            if (verbose)
                printf("  %s: no item %zu (have %zu)\n", path, e->index, f->n_items);
            return false;
        }
        return compare_item(&f->items[e->index], &e->items[0], path);
    }
    if (f->n_items != e->n_items) {
        if (verbose)
            printf("  %s: %zu items, want %zu\n", path, f->n_items, e->n_items);
        return false;
    }
    bool ok = true;
    for (size_t i = 0; i < f->n_items; i++)
        ok = compare_item(&f->items[i], &e->items[i], path) && ok;
    return ok;
}

/* Which expectation applies to a file, if any. */
static bool load_expect(const char *suite, const char *path, const char *data, struct expect *e)
{
    char other[1024];
    struct stat st;
    size_t n = strlen(path);
    memset(e, 0, sizeof(*e));
    if (!strcmp(suite, "feedparser"))
        return expect_load_feedparser(data, e);
    if (!strcmp(suite, "gofeed")) {
        if (str_ends_with(path, ".xml"))
            snprintf(other, sizeof(other), "%.*s.json", (int)(n - 4), path);
        else if (str_ends_with(path, ".json") && !str_ends_with(path, "_expected.json"))
            snprintf(other, sizeof(other), "%.*s_expected.json", (int)(n - 5), path);
        else
            return false;
        return stat(other, &st) == 0 && expect_load_gofeed(other, e);
    }
    if (!strcmp(suite, "feed-rs") && !str_ends_with(path, ".serde.json")) {
        const char *dot = strrchr(path, '.');
        snprintf(other, sizeof(other), "%.*s.serde.json", (int)(dot - path), path);
        return stat(other, &st) == 0 && expect_load_feedrs(other, e);
    }
    return false;
}

/* Hostile inputs are refused, or parsed with nothing expanded or read from outside. */
static void check_hostile(const char *path, bool ok, const struct feed *f)
{
    size_t total = 0;
    for (size_t i = 0; ok && i < f->n_items; i++) {
        const struct feed_item *it = &f->items[i];
        total += strlen(it->title) + strlen(it->text);
        CHECK_MSG(!strstr(it->text, "root:x:0") && !strstr(it->title, "root:x:0"), "%s", path);
        CHECK_MSG(!strstr(it->text, "lollollollollollollollol"), "%s expanded", path);
    }
    CHECK_MSG(total < 64 * 1024, "%s: %zu bytes of text", path, total);
}

static void run_file(struct suite *s, const char *path)
{
    char *data;
    size_t len;
    if (!util_read_file(path, 64u << 20, &data, &len))
        return;
    struct feed f;
    char err[256];
    s->files++;
    bool ok = feed_parse(data, len, NULL, NULL, &f, err, sizeof(err));
    s->parsed += ok;
    if (!strcmp(s->name, "hostile"))
        check_hostile(path, ok, &f);
    if (!strcmp(s->name, "cap") &&
        (str_ends_with(path, ".cap") || str_ends_with(path, ".edxlde"))) {
        /* Every alert, valid by the profile or not, becomes an item that carries its CAP. */
        CHECK_MSG(ok && f.n_items >= 1, "%s: %s", path, ok ? "no items" : err);
        for (size_t i = 0; ok && i < f.n_items; i++)
            CHECK_MSG(f.items[i].cap != NULL, "%s: item %zu without CAP", path, i);
    }
    struct expect e;
    if (load_expect(s->name, path, data, &e)) {
        s->compared++;
        bool pass = ok && compare(&f, &e, path);
        if (!ok && verbose)
            printf("  %s: parse failed: %s\n", path, err);
        s->passed += pass;
        expect_free(&e);
    }
    feed_free(&f);
    free(data);
}

static void walk(struct suite *s, const char *dir, int depth)
{
    DIR *d = opendir(dir);
    if (!d || depth > 8) {
        if (d)
            closedir(d);
        return;
    }
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char *p = xasprintf("%s/%s", dir, de->d_name);
        struct stat st;
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
            walk(s, p, depth + 1);
        else if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
            run_file(s, p);
        free(p);
    }
    closedir(d);
}

/* The three Vietnamese samples decode to the same NFC text. */
static void check_vietnamese(const char *corpus)
{
    static const char *names[] = {"vietnamese-utf-8.txt", "vietnamese-viscii.txt",
                                  "vietnamese-windows-1258.txt"};
    static const char *charsets[] = {"UTF-8", "VISCII", "windows-1258"};
    char *texts[3] = {0};
    for (int i = 0; i < 3; i++) {
        char *path = xasprintf("%s/encodings/%s", corpus, names[i]), *data, *u;
        size_t len, ul;
        if (util_read_file(path, 1 << 20, &data, &len)) {
            if (feed_to_utf8(data, len, charsets[i], &u, &ul)) {
                texts[i] = text_sanitize(u, ul, TEXT_KEEP_NEWLINES);
                free(u);
            }
            free(data);
        }
        free(path);
    }
    CHECK(texts[0] && strstr(texts[0], "Quốc ngữ"));
    CHECK_STREQ(texts[1], texts[0]);
    CHECK_STREQ(texts[2], texts[0]);
    for (int i = 0; i < 3; i++)
        free(texts[i]);
}

/* The OASIS specification examples and the validator samples: headline, identifier, msgType
 * and severity exactly as written in the documents. */
static void check_cap_examples(const char *corpus)
{
    static const struct {
        const char *path, *headline, *identifier;
        enum feed_cap_msgtype type;
        enum feed_severity severity;
    } ex[] = {
        {"cap/google-cap-library/validator-examples/43b080713727.cap",
         "Homeland Security Sets Code ORANGE", "43b080713727", FEED_CAP_ALERT,
         FEED_SEVERITY_SEVERE},
        {"cap/google-cap-library/validator-examples/KAR0-0306112239-SW.cap", "AMBER ALERT",
         "KAR0-0306112239-SW", FEED_CAP_ALERT, FEED_SEVERITY_SEVERE},
        {"cap/google-cap-library/validator-examples/thunderstorm.cap",
         "SEVERE THUNDERSTORM WARNING", "KSTO1055887203", FEED_CAP_ALERT, FEED_SEVERITY_SEVERE},
        {"cap/ibm-cap/cap_amber_alert_example.xml", "Amber Alert in Los Angeles County",
         "KAR0-0306112239-SW", FEED_CAP_ALERT, FEED_SEVERITY_SEVERE},
    };
    for (size_t i = 0; i < ARRAY_LEN(ex); i++) {
        char *path = xasprintf("%s/%s", corpus, ex[i].path);
        char *data = NULL;
        size_t len;
        struct feed f;
        char err[256];
        bool ok = util_read_file(path, 1 << 20, &data, &len) &&
                  feed_parse(data, len, NULL, NULL, &f, err, sizeof err);
        CHECK_MSG(ok, "%s does not parse", path);
        if (ok) {
            const struct feed_cap *c = f.n_items ? f.items[0].cap : NULL;
            CHECK_MSG(f.format == FEED_FORMAT_CAP && c, "%s: not read as CAP", path);
            if (c) {
                CHECK_STREQ(c->headline, ex[i].headline);
                CHECK_STREQ(c->identifier, ex[i].identifier);
                CHECK_INTEQ(c->msg_type, ex[i].type);
                CHECK_INTEQ(c->severity, ex[i].severity);
                CHECK_STREQ(f.items[0].title, ex[i].headline);
            }
            feed_free(&f);
        }
        free(data); /* util_read_file sets it (NULL on failure) */
        free(path);
    }
}

int main(void)
{
    const char *corpus = SHARED_DIR "/corpus";
    struct stat st;
    if (stat(corpus, &st) != 0 || !S_ISDIR(st.st_mode)) {
        printf("SKIP: %s not found (the public corpus is not part of the repository)\n", corpus);
        return 0;
    }
    verbose = getenv("CONFORMANCE_VERBOSE") != NULL;
    log_set_level(LOG_LEVEL_ERR); /* thousands of refusals and odd dates are expected */
    for (size_t i = 0; i < ARRAY_LEN(suites); i++) {
        struct suite *s = &suites[i];
        char *dir = xasprintf("%s/%s", corpus, s->name);
        walk(s, dir, 0);
        free(dir);
        double rate = s->compared ? (double)s->passed / (double)s->compared : 1.0;
        printf("%-10s files %4zu  parsed %4zu  compared %4zu  passed %4zu  rate %.1f%%\n", s->name,
               s->files, s->parsed, s->compared, s->passed, rate * 100.0);
        CHECK_MSG(s->files > 0, "suite %s is empty", s->name);
        CHECK_MSG(rate >= s->min_rate, "suite %s: %.3f below %.3f", s->name, rate, s->min_rate);
        CHECK_MSG(s->parsed >= s->min_parsed, "suite %s: %zu parsed, want %zu", s->name, s->parsed,
                  s->min_parsed);
    }
    check_vietnamese(corpus);
    check_cap_examples(corpus);
    return CHECK_DONE();
}
