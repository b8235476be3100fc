/* desk_html: escaping and the page frame. Every text that came from a person or a screen goes
 * through html_esc; nothing else writes markup around user data. */
#ifndef BANGTIN_DESK_HTML_H
#define BANGTIN_DESK_HTML_H

#include <stdbool.h>

#include "bangtin/util.h"

/* Appends s with & < > " ' escaped (NULL appends nothing). */
void html_esc(struct buf *b, const char *s);
/* Appends "<!DOCTYPE …><body>" with the title, the stylesheet and, when user is set, the menu
 * and a logout form carrying csrf. */
void html_begin(struct buf *b, const char *title, const char *user, const char *csrf);
void html_end(struct buf *b);
/* <p class="err">…</p> for each message (escaped). */
void html_errors(struct buf *b, const char *const *msgs, size_t n);
/* <input type="hidden" name="csrf_token" value="…"> */
void html_csrf(struct buf *b, const char *csrf);
/* "06/12/2026 18:05" in local time, or "—" for 0. */
const char *html_time(int64_t t, char *out, size_t len);

#endif
