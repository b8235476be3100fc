/* Private helpers shared by the notify sources. */
#ifndef BANGTIN_NOTIFY_INTERNAL_H
#define BANGTIN_NOTIFY_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bangtin/notify.h"

/* Strict RFC 3339 ("2026-11-27T08:15:00Z", "…+07:00", optional fraction). A signed document
 * has one exact date format; feed_parse_date is deliberately lenient for feeds. */
bool notify_parse_rfc3339(const char *s, int64_t *out);

/* Pinned keys of the config, parsed. Bad keys are logged and skipped (config_validate
 * reports them too). Caller frees with notify_keys_free. */
size_t notify_keys_from_config(const struct config *cfg, struct notify_key **out);
void notify_keys_free(struct notify_key *keys, size_t n);

/* `bangtin notice check` on a notice list: each entry through notify_check_signed (nothing
 * stored; first of its communes when any_commune), printed by print. Returns the exit code. */
struct config;
typedef void (*notify_print_fn)(const char *label, const struct notify_report *r,
                                const struct config *cfg, bool any_commune);
int notify_check_list_entries(struct store *st, struct config *cfg, const char *file,
                              const void *body, size_t len, int64_t now, bool clock_trusted,
                              bool any_commune, notify_print_fn print);

#endif
