/* Config: defaults, every value type, strict vs forgiving, file:line: [section].key messages. */
#include "bangtin/config.h"
#include "bangtin/log.h"
#include "bangtin/util.h"
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char logged[8192];

static void sink(void *ctx, enum log_level level, const char *module, const char *msg)
{
    (void)ctx;
    (void)module;
    if (level <= LOG_LEVEL_WARN && strlen(logged) + strlen(msg) + 2 < sizeof logged) {
        strcat(logged, msg);
        strcat(logged, "\n");
    }
}

static char *write_tmp(const char *text)
{
    char *path = xstrdup("/tmp/bangtin-config-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
        abort();
    close(fd);
    return path;
}

static void test_good(void)
{
    const char *ini =
        "[display]\noffice_name = UBND XÃ HƯƠNG KHÊ\nrotate = 90\n"
        "theme = dark\ncolor_text = #101010\ndisplay_on = 06:30-21:00\nrenderer = software\n"
        "[rotation]\ndwell_min_s = 10\n"
        "[network]\npoll_interval = 10m\nmax_feed_size = 2M\n"
        "[urgent]\ncommune_code = 18076\n"
        "trusted_key = RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3 Sở TT&TT\n"
        "[source tinh]\nurl = https://example.gov.vn/feed/\nname = Cổng tỉnh\n"
        "kind = news\nmax_items = 10\n"
        "[source khan]\nurl = https://example.gov.vn/khan/feed/\nkind = urgent\n"
        "poll_interval = 30s\nrequire_signature = yes\n";
    char *path = write_tmp(ini);
    struct config c;
    config_init(&c);
    logged[0] = '\0';
    CHECK(config_load(&c, path, true));
    CHECK_STREQ(logged, "");
    CHECK_STREQ(c.office_name, "UBND XÃ HƯƠNG KHÊ");
    CHECK_INTEQ(c.rotate, 90);
    CHECK_INTEQ(c.theme, CONFIG_THEME_DARK);
    CHECK_INTEQ(c.renderer, CONFIG_RENDERER_SOFTWARE);
    CHECK_INTEQ(c.color_fg, 0x101010);
    CHECK(c.dwell_min_s == 10);
    CHECK_INTEQ(c.poll_s, 600);
    CHECK_INTEQ(c.max_feed_bytes, 2 << 20);
    CHECK_STREQ(c.commune_code, "18076");
    CHECK_INTEQ(c.n_keys, 1);
    CHECK_STREQ(c.keys[0].name, "Sở TT&TT");
    CHECK_INTEQ(c.n_sources, 2);
    CHECK_STREQ(c.sources[0].id, "tinh");
    CHECK_INTEQ(c.sources[0].max_items, 10);
    CHECK_INTEQ(c.sources[1].kind, CONFIG_SOURCE_URGENT);
    CHECK_INTEQ(c.sources[1].poll_s, 30);
    CHECK(c.sources[1].require_signature);
    CHECK_INTEQ(config_validate(&c, true), 0);
    config_free(&c);
    unlink(path);
    free(path);
}

static void test_bad(void)
{
    const char *ini = "[display]\nrotate = 45\nthme = dark\n[nosuch]\nx = 1\n"
                      "[rotation]\nmax_items = lots\n[source a]\nurl = ftp://x\n";
    char *path = write_tmp(ini);
    struct config c;
    config_init(&c);
    logged[0] = '\0';
    CHECK(!config_load(&c, path, true)); /* strict: refuses */
    char want[256];
    snprintf(want, sizeof want, "%s:2: [display].rotate: expected 0, 90, 180 or 270", path);
    CHECK_MSG(strstr(logged, want) != NULL, "log was:\n%s", logged);
    snprintf(want, sizeof want, "%s:3: [display].thme: unknown key", path);
    CHECK_MSG(strstr(logged, want) != NULL, "log was:\n%s", logged);
    snprintf(want, sizeof want, "%s:5: [nosuch].x: unknown section", path);
    CHECK_MSG(strstr(logged, want) != NULL, "log was:\n%s", logged);
    CHECK(strstr(logged, "[rotation].max_items: not a whole number") != NULL);
    CHECK(strstr(logged, "[source a].url: expected an http://") != NULL);
    CHECK_INTEQ(c.rotate, 0);             /* default kept */
    CHECK_INTEQ(c.max_items, 30);         /* default kept */
    CHECK(config_validate(&c, true) > 0); /* the source has no usable url */
    config_free(&c);

    /* forgiving mode: same file loads, defaults kept */
    config_init(&c);
    logged[0] = '\0';
    CHECK(config_load(&c, path, false));
    CHECK(strstr(logged, "(default kept)") != NULL);
    config_free(&c);
    unlink(path);
    free(path);

    config_init(&c);
    CHECK(!config_load(&c, "/nonexistent/bangtin.conf", false));
    config_free(&c);
}

/* [display] renderer: auto (default), gpu, software; anything else refused with the choices. */
static void test_renderer(void)
{
    char *path = write_tmp("[display]\nrenderer = fast\n");
    struct config c;
    config_init(&c);
    CHECK_INTEQ(c.renderer, CONFIG_RENDERER_AUTO);
    logged[0] = '\0';
    CHECK(!config_load(&c, path, true));
    CHECK_MSG(strstr(logged, "[display].renderer: expected auto, gpu or software") != NULL,
              "log was:\n%s", logged);
    CHECK_INTEQ(c.renderer, CONFIG_RENDERER_AUTO);
    config_free(&c);
    unlink(path);
    free(path);
    path = write_tmp("[display]\nrenderer = GPU\n");
    config_init(&c);
    CHECK(config_load(&c, path, true));
    CHECK_INTEQ(c.renderer, CONFIG_RENDERER_GPU);
    config_free(&c);
    unlink(path);
    free(path);
}

static void test_example_config(void)
{
    /* The documented example must pass --check-config as shipped. */
    struct config c;
    config_init(&c);
    logged[0] = '\0';
    CHECK(config_load(&c, SOURCE_DIR "/assets/bangtin.conf", true));
    CHECK_MSG(logged[0] == '\0', "%s", logged);
    config_free(&c);
}

int main(void)
{
    log_init(LOG_LEVEL_ERR);
    log_set_sink(sink, NULL);
    test_good();
    test_bad();
    test_renderer();
    test_example_config();
    int64_t d;
    CHECK(str_parse_duration("2h", &d) && d == 7200);
    CHECK(str_parse_duration("90", &d) && d == 90);
    CHECK(!str_parse_duration("2x", &d));
    int on, off;
    CHECK(config_parse_schedule("06:30-21:00", &on, &off) && on == 390 && off == 1260);
    CHECK(!config_parse_schedule("6-21", &on, &off));
    return CHECK_DONE();
}
