/* fleet_cli: `bangtin fleet --broker URL [--ca-file F] [--username U --password-file P]
 * [--json] [--wait 3s]`: one line per screen and per notice; exit 1 when a screen is offline. */
#include "bangtin/clock.h"
#include "bangtin/log.h"
#include "bangtin/push.h"
#include "bangtin/util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
    fprintf(stderr, "Usage: bangtin fleet --broker mqtt[s]://HOST[:PORT] [--ca-file F]\n"
                    "                     [--username U --password-file P] [--json] [--wait 3s]\n");
}

static const char *hm(int64_t t, char *buf, size_t len)
{
    if (t <= 0)
        return "-";
    struct clock_local l;
    clock_to_local(t, &l);
    snprintf(buf, len, "%04d-%02d-%02d %02d:%02d", l.year, l.month, l.day, l.hour, l.minute);
    return buf;
}

static void print_text(struct push_fleet *f, size_t *offline)
{
    struct push_fleet_screen *s;
    struct push_fleet_notice *n;
    size_t ns = push_fleet_screens(f, &s), nn = push_fleet_notices(f, &n);
    char a[32], b[32];
    printf("%zu screens\n", ns);
    for (size_t i = 0; i < ns; i++) {
        *offline += !s[i].online;
        printf("screen %s  %s/%s %s  %s since %s  last fetch %s  showing %s  error %s\n",
               s[i].device, s[i].province ? s[i].province : "-", s[i].commune ? s[i].commune : "-",
               s[i].office ? s[i].office : "", s[i].online ? "online" : "OFFLINE",
               hm(s[i].since, a, sizeof a), hm(s[i].last_fetch, b, sizeof b),
               s[i].showing ? s[i].showing : "-", s[i].last_error ? s[i].last_error : "-");
    }
    for (size_t i = 0; i < nn; i++) {
        printf("notice %s  shown %zu  refused %zu  cancelled %zu  not answered %zu\n", n[i].id,
               n[i].shown, n[i].refused, n[i].cancelled, n[i].unanswered);
        for (size_t k = 0; k < n[i].refused; k++)
            printf("  refused by %s: %s\n", n[i].refusals[k].device, n[i].refusals[k].reason);
    }
    push_fleet_screens_free(s, ns);
    push_fleet_notices_free(n, nn);
}

int push_fleet_cli_main(int argc, char **argv)
{
    struct push_conn conn = {.keepalive_s = 30};
    bool json = false;
    int64_t wait_s = 3;
    static const struct option opts[] = {
        {"broker", required_argument, 0, 'b'},   {"ca-file", required_argument, 0, 'c'},
        {"username", required_argument, 0, 'u'}, {"password-file", required_argument, 0, 'p'},
        {"json", no_argument, 0, 'j'},           {"wait", required_argument, 0, 'w'},
        {"help", no_argument, 0, 'h'},           {0, 0, 0, 0},
    };
    int o;
    optind = 1;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 'b': conn.broker = optarg; break;
        case 'c': conn.ca_file = optarg; break;
        case 'u': conn.username = optarg; break;
        case 'p': conn.password_file = optarg; break;
        case 'j': json = true; break;
        case 'w':
            if (!str_parse_duration(optarg, &wait_s) || wait_s < 0 || wait_s > 600) {
                fprintf(stderr, "bangtin fleet: --wait expects a duration like 3s\n");
                return 2;
            }
            break;
        case 'h': usage(); return 0;
        default: usage(); return 2;
        }
    }
    if (!conn.broker || optind < argc) {
        usage();
        return 2;
    }
    char err[256];
    struct push_fleet *f = push_fleet_open(&conn, 10000, err, sizeof err);
    if (!f) {
        fprintf(stderr, "bangtin fleet: %s\n", err);
        return 1;
    }
    push_fleet_wait(f, (int)(wait_s * 1000));
    size_t offline = 0;
    if (json) {
        char *text = push_fleet_json(f);
        printf("%s\n", text ? text : "{}");
        free(text);
        struct push_fleet_screen *s;
        size_t ns = push_fleet_screens(f, &s);
        for (size_t i = 0; i < ns; i++)
            offline += !s[i].online;
        push_fleet_screens_free(s, ns);
    } else {
        print_text(f, &offline);
    }
    push_fleet_close(f);
    return offline ? 1 : 0;
}
