/* A fake font for layout tests: at 40 px every grapheme cluster is `advance` px wide (so a
 * combining sequence costs one cluster, as with a real shaper) and U+0020 costs `space` px;
 * widths scale linearly with the size; ascent is 0.8 × size. Cluster boundaries come from
 * core's text_grapheme_len (utf8proc), not from the layout module under test. */
#ifndef BANGTIN_TEST_FAKE_METRICS_H
#define BANGTIN_TEST_FAKE_METRICS_H

#include <stddef.h>

#include "bangtin/layout.h"
#include "bangtin/text.h"

struct fake_font {
    int advance; /* px per grapheme cluster at 40 px */
    int space;   /* px per U+0020 at 40 px */
    long calls;  /* text_width calls, to keep the breaker honest about cost */
    long bytes;  /* bytes measured in all (what a real shaper's cost follows) */
};

static inline int fake_width_of(const struct fake_font *f, int size_px, const char *s, size_t len)
{
    long w = 0;
    for (size_t i = 0; i < len;) {
        size_t n = text_grapheme_len(s + i, len - i);
        w += s[i] == ' ' ? f->space : f->advance;
        i += n;
    }
    return (int)(w * size_px / 40);
}

static inline int fake_text_width(void *ctx, enum layout_face face, int size_px, const char *s,
                                  size_t len)
{
    struct fake_font *f = ctx;
    f->calls++;
    f->bytes += (long)len;
    return fake_width_of(f, size_px, s, len);
}

static inline int fake_ascent(void *ctx, enum layout_face face, int size_px)
{
    return (int)(0.8 * size_px + 0.5);
}

static inline struct layout_metrics fake_metrics(struct fake_font *f)
{
    return (struct layout_metrics){.ctx = f, .text_width = fake_text_width, .ascent = fake_ascent};
}

#endif
