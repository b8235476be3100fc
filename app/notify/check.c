/* `bangtin notice check notice.json [--sig FILE] [--key RW…]`: what a screen would do
 * with a signed notice (or a notice list) before it is published. The same checks as the
 * screens (notify_check_signed), nothing stored; the cache, when there is one, is opened
 * read-only to compare the seq. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "notify"
#include "bangtin/clock.h"
#include "bangtin/config.h"
#include "bangtin/log.h"
#include "bangtin/notify.h"
#include "bangtin/store.h"
#include "bangtin/util.h"
#include "notify_internal.h"

#define MAX_FILE (1024 * 1024)

static void usage(FILE *out)
{
    fputs("usage: bangtin notice check notice.json [--sig notice.json.minisig] [--key RW…]\n"
          "                            [--config FILE]\n"
          "Prints what a screen would do with the notice: shown to whom and until when, or\n"
          "refused and why. --key checks against that public key instead of the pinned ones.\n"
          "Exit status: 0 a screen would show (or apply) it, 1 refused, 2 wrong arguments.\n",
          out);
}

static void fmt_time(int64_t t, char *buf, size_t len)
{
    if (t <= 0) {
        snprintf(buf, len, "until cancelled");
        return;
    }
    struct clock_local l;
    clock_to_local(t, &l);
    snprintf(buf, len, "%02d:%02d %02d/%02d/%04d (Vietnam time)", l.hour, l.minute, l.day, l.month,
             l.year);
}

static void print_report(const char *label, const struct notify_report *r, const struct config *cfg,
                         bool any_commune)
{
    char until[64];
    fmt_time(r->expires, until, sizeof until);
    if (r->signer[0])
        printf("%s: signed by \"%s\" (key %s), id %s, seq %lld\n", label, r->signer, r->key_id,
               r->id[0] ? r->id : "?", (long long)r->seq);
    const char *whom = strcmp(r->targets, "all") == 0 ? "every commune" : r->targets;
    switch (r->verdict) {
    case NOTIFY_ACCEPTED:
        printf("%s: SHOWN on the screens of %s%s%s%s, until %s\n", label, whom,
               any_commune ? "" : " (this screen: ", any_commune ? "" : cfg->commune_code,
               any_commune ? "" : ")", until);
        printf("%s: severity %s, title \"%s\"\n", label, notify_severity_name(r->severity),
               r->title);
        break;
    case NOTIFY_CANCELLED:
        printf("%s: CANCELS notice %s on the screens of %s\n", label, r->id, whom);
        break;
    case NOTIFY_UNCHANGED:
        printf("%s: already applied on this screen (%s)\n", label, r->reason);
        break;
    default:
        printf("%s: REFUSED: %s: %s\n", label, notify_verdict_name(r->verdict), r->reason);
        break;
    }
    if (r->verdict == NOTIFY_ACCEPTED || r->verdict == NOTIFY_CANCELLED) {
        if (r->last_seq > 0)
            printf("%s: seq %lld is above %lld, the last this screen accepted from the key\n",
                   label, (long long)r->seq, (long long)r->last_seq);
        else
            printf("%s: seq not compared (no cache in %s)\n", label, cfg->data_dir);
    }
}

static bool verdict_ok(enum notify_verdict v)
{
    return v == NOTIFY_ACCEPTED || v == NOTIFY_CANCELLED || v == NOTIFY_UNCHANGED;
}

int notify_notice_main(int argc, char **argv, const struct config *cfg_in)
{
    const char *file = NULL, *sig_file = NULL, *key = NULL;
    if (argc < 2 || strcmp(argv[1], "check") != 0) {
        if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
            usage(stdout);
            return 0;
        }
        usage(stderr);
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--sig") == 0 && i + 1 < argc) {
            sig_file = argv[++i];
        } else if (strcmp(argv[i], "--key") == 0 && i + 1 < argc) {
            key = argv[++i];
        } else if (strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (argv[i][0] != '-' && !file) {
            file = argv[i];
        } else {
            fprintf(stderr, "bangtin notice: unexpected argument '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    if (!file) {
        usage(stderr);
        return 2;
    }
    struct config cfg = *cfg_in;
    struct config_key k;
    if (key) {
        k.pubkey = (char *)key;
        k.name = (char *)"the key given with --key";
        cfg.keys = &k;
        cfg.n_keys = 1;
    }
    char *msg = NULL, *sig = NULL;
    size_t msg_len = 0, sig_len = 0;
    if (!util_read_file(file, MAX_FILE, &msg, &msg_len)) {
        fprintf(stderr, "bangtin notice: cannot read %s\n", file);
        return 2;
    }
    char *sig_path = sig_file ? xstrdup(sig_file) : xasprintf("%s.minisig", file);
    bool list = notify_is_list(msg, msg_len);
    if (!list && !util_read_file(sig_path, NOTIFY_MAX_SIG_BYTES, &sig, &sig_len)) {
        printf("%s: REFUSED: no signature: cannot read %s (sign it with minisign or "
               "sign-notice)\n",
               file, sig_path);
        free(msg), free(sig_path);
        return 1;
    }
    if (cfg.n_keys == 0)
        fprintf(stderr, "bangtin notice: no key to check with: give --key RW… (the second line "
                        "of minisign.pub) or a --config with [urgent] trusted_key\n");
    struct store *st = store_open_readonly(cfg.data_dir);
    int64_t now = clock_now();
    bool trusted = clock_is_trusted();
    int rc = 0;
    /* Without a commune_code (checking on the signing computer) the question is to whom it
     * would be shown, not whether this machine is one of them. */
    bool any_commune = str_empty(cfg.commune_code);
    if (!list) {
        struct notify_report r;
        if (any_commune)
            cfg.commune_code = (char *)"all";
        notify_check_signed(st, &cfg, msg, msg_len, sig, sig_len, now, trusted, &r);
        if (any_commune && r.verdict == NOTIFY_NOT_TARGETED) {
            /* Targeted at named communes: evaluate as the first of them would. */
            char first[64];
            snprintf(first, sizeof first, "%.*s", (int)strcspn(r.targets, ", "), r.targets);
            cfg.commune_code = first;
            notify_check_signed(st, &cfg, msg, msg_len, sig, sig_len, now, trusted, &r);
        }
        print_report(file, &r, &cfg, any_commune);
        rc = verdict_ok(r.verdict) ? 0 : 1;
    } else {
        printf("%s: a notice list\n", file);
        /* Each entry as its own pair: the same path as the screens, nothing stored. */
        rc = notify_check_list_entries(st, &cfg, file, msg, msg_len, now, trusted, any_commune,
                                       print_report);
    }
    store_close(st);
    free(msg), free(sig), free(sig_path);
    return rc;
}
