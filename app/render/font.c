/* font: the two faces (regular, bold) at any size, their Vietnamese coverage check, and the
 * layout_metrics the layout module measures with. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "render_internal.h"

#define LOG_MODULE "render"
#include "bangtin/log.h"
#include "bangtin/util.h"

#define FONT_MAX_BYTES (32u << 20)

/* Every Vietnamese letter, lower then upper case (tests/data/vi_letters.txt, NFC). */
static const uint32_t vi_letters[] = {
    0x0061, 0x00E0, 0x00E1, 0x1EA3, 0x00E3, 0x1EA1, 0x0103, 0x1EB1, 0x1EAF, 0x1EB3, 0x1EB5, 0x1EB7,
    0x00E2, 0x1EA7, 0x1EA5, 0x1EA9, 0x1EAB, 0x1EAD, 0x0062, 0x0063, 0x0064, 0x0111, 0x0065, 0x00E8,
    0x00E9, 0x1EBB, 0x1EBD, 0x1EB9, 0x00EA, 0x1EC1, 0x1EBF, 0x1EC3, 0x1EC5, 0x1EC7, 0x0067, 0x0068,
    0x0069, 0x00EC, 0x00ED, 0x1EC9, 0x0129, 0x1ECB, 0x006B, 0x006C, 0x006D, 0x006E, 0x006F, 0x00F2,
    0x00F3, 0x1ECF, 0x00F5, 0x1ECD, 0x00F4, 0x1ED3, 0x1ED1, 0x1ED5, 0x1ED7, 0x1ED9, 0x01A1, 0x1EDD,
    0x1EDB, 0x1EDF, 0x1EE1, 0x1EE3, 0x0070, 0x0071, 0x0072, 0x0073, 0x0074, 0x0075, 0x00F9, 0x00FA,
    0x1EE7, 0x0169, 0x1EE5, 0x01B0, 0x1EEB, 0x1EE9, 0x1EED, 0x1EEF, 0x1EF1, 0x0076, 0x0078, 0x0079,
    0x1EF3, 0x00FD, 0x1EF7, 0x1EF9, 0x1EF5, 0x0041, 0x00C0, 0x00C1, 0x1EA2, 0x00C3, 0x1EA0, 0x0102,
    0x1EB0, 0x1EAE, 0x1EB2, 0x1EB4, 0x1EB6, 0x00C2, 0x1EA6, 0x1EA4, 0x1EA8, 0x1EAA, 0x1EAC, 0x0042,
    0x0043, 0x0044, 0x0110, 0x0045, 0x00C8, 0x00C9, 0x1EBA, 0x1EBC, 0x1EB8, 0x00CA, 0x1EC0, 0x1EBE,
    0x1EC2, 0x1EC4, 0x1EC6, 0x0047, 0x0048, 0x0049, 0x00CC, 0x00CD, 0x1EC8, 0x0128, 0x1ECA, 0x004B,
    0x004C, 0x004D, 0x004E, 0x004F, 0x00D2, 0x00D3, 0x1ECE, 0x00D5, 0x1ECC, 0x00D4, 0x1ED2, 0x1ED0,
    0x1ED4, 0x1ED6, 0x1ED8, 0x01A0, 0x1EDC, 0x1EDA, 0x1EDE, 0x1EE0, 0x1EE2, 0x0050, 0x0051, 0x0052,
    0x0053, 0x0054, 0x0055, 0x00D9, 0x00DA, 0x1EE6, 0x0168, 0x1EE4, 0x01AF, 0x1EEA, 0x1EE8, 0x1EEC,
    0x1EEE, 0x1EF0, 0x0056, 0x0058, 0x0059, 0x1EF2, 0x00DD, 0x1EF6, 0x1EF8, 0x1EF4,
};

size_t render_vi_letters(const uint32_t **out)
{
    *out = vi_letters;
    return ARRAY_LEN(vi_letters);
}

int render_font_missing_letters(TTF_Font *font, const char *name)
{
    int missing = 0;
    for (size_t i = 0; i < ARRAY_LEN(vi_letters); i++) {
        if (!TTF_GlyphIsProvided32(font, vi_letters[i])) {
            if (missing < 8)
                LOG_WARN("%s: no glyph for U+%04X", name, (unsigned)vi_letters[i]);
            missing++;
        }
    }
    if (missing > 0)
        LOG_WARN("%s: lacks %d of %zu Vietnamese letters", name, missing, ARRAY_LEN(vi_letters));
    return missing;
}

static TTF_Font *font_open_mem(const unsigned char *data, size_t len, int size_px)
{
    SDL_RWops *rw = SDL_RWFromConstMem(data, (int)len);
    if (!rw)
        return NULL;
    TTF_Font *font = TTF_OpenFontRW(rw, 1, size_px);
    if (!font)
        return NULL;
    /* Shape as Latin: Vietnamese stacked marks then compose like the designers intended. */
    if (TTF_SetFontScriptName(font, "Latn") != 0)
        LOG_DBG("TTF_SetFontScriptName: %s", TTF_GetError());
    TTF_SetFontHinting(font, TTF_HINTING_LIGHT);
    return font;
}

/* The font file mapped read-only: FreeType reads it in place, and only the pages it touches
 * (the tables, the glyphs drawn) are in memory — clean file pages the kernel may drop, not
 * 0.5 MiB of heap per face. (dpkg replaces a file by renaming a new one over it, so the mapped
 * one stays whole.) NULL when it cannot be opened or is empty or too large. */
static char *font_map(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    void *p = MAP_FAILED;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        (unsigned long long)st.st_size <= FONT_MAX_BYTES)
        p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED)
        return NULL;
    *len = (size_t)st.st_size;
    return p;
}

/* Read one candidate file and accept it only if it shows every Vietnamese letter. */
static bool font_try(struct render_fonts *f, int face, const char *path)
{
    size_t len = 0;
    char *data = font_map(path, &len);
    if (!data) {
        LOG_DBG("font %s: cannot read it", path);
        return false;
    }
    TTF_Font *probe = font_open_mem((unsigned char *)data, len, 32);
    if (!probe) {
        LOG_WARN("font %s: not a usable font: %s", path, TTF_GetError());
        munmap(data, len);
        return false;
    }
    int missing = render_font_missing_letters(probe, path);
    TTF_CloseFont(probe);
    if (missing > 0) {
        LOG_ERR("font %s refused: it lacks Vietnamese letters", path);
        munmap(data, len);
        return false;
    }
    f->data[face] = (unsigned char *)data;
    f->len[face] = len;
    f->path[face] = xstrdup(path);
    LOG_INFO("font %s: %s", face == LAYOUT_FACE_BOLD ? "bold" : "regular", path);
    return true;
}

/* The directory `up` levels above the running program, + "/fonts": finds the bundled fonts of
 * the source tree when running from a build directory inside it, without compiling the build
 * machine's paths into the binary. NULL when unknown. */
static char *font_dir_near_exe(int up)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    for (int i = 0; i <= up; i++) {
        char *slash = strrchr(exe, '/');
        if (!slash)
            return NULL;
        *slash = '\0';
    }
    return xasprintf("%s/fonts", exe);
}

static bool font_try_dir(struct render_fonts *f, int face, const char *dir, const char *file)
{
    if (!dir)
        return false;
    char *path = xasprintf("%s/%s", dir, file);
    bool ok = font_try(f, face, path);
    free(path);
    return ok;
}

static bool font_load_face(struct render_fonts *f, int face, const char *configured)
{
    const char *file = face == LAYOUT_FACE_BOLD ? "NotoSans-Bold.ttf" : "NotoSans-Regular.ttf";
    if (!str_empty(configured)) {
        if (font_try(f, face, configured))
            return true;
        LOG_WARN("configured font %s unusable; falling back to Noto Sans", configured);
    }
    if (font_try_dir(f, face, BANGTIN_DATADIR "/fonts", file))
        return true;
    for (int up = 0; up <= 3; up++) {
        char *dir = font_dir_near_exe(up);
        bool ok = font_try_dir(f, face, dir, file);
        free(dir);
        if (ok)
            return true;
    }
    if (font_try_dir(f, face, "/usr/share/fonts/truetype/noto", file))
        return true;
    LOG_ERR("no usable %s font with every Vietnamese letter (install fonts-noto-core)",
            face == LAYOUT_FACE_BOLD ? "bold" : "regular");
    return false;
}

bool render_fonts_load(struct render_fonts *f, const char *regular, const char *bold)
{
    memset(f, 0, sizeof(*f));
    if (!TTF_WasInit() && TTF_Init() != 0) {
        LOG_ERR("TTF_Init: %s", TTF_GetError());
        return false;
    }
    if (!font_load_face(f, LAYOUT_FACE_REGULAR, regular) ||
        !font_load_face(f, LAYOUT_FACE_BOLD, bold)) {
        render_fonts_free(f);
        return false;
    }
    return true;
}

void render_fonts_free(struct render_fonts *f)
{
    for (size_t i = 0; i < f->n_cache; i++)
        TTF_CloseFont(f->cache[i].font);
    for (int i = 0; i < 2; i++) {
        if (f->data[i])
            munmap(f->data[i], f->len[i]);
        free(f->path[i]);
    }
    memset(f, 0, sizeof(*f));
}

void render_fonts_trim(struct render_fonts *f)
{
    for (size_t i = 0; i < f->n_cache; i++)
        TTF_CloseFont(f->cache[i].font);
    f->n_cache = 0;
    f->next_evict = 0;
}

TTF_Font *render_font(struct render_fonts *f, enum layout_face face, int size_px)
{
    int fi = face == LAYOUT_FACE_BOLD ? 1 : 0;
    if (size_px < 4)
        size_px = 4;
    for (size_t i = 0; i < f->n_cache; i++)
        if (f->cache[i].face == fi && f->cache[i].size == size_px)
            return f->cache[i].font;
    if (!f->data[fi])
        return NULL;
    TTF_Font *font = font_open_mem(f->data[fi], f->len[fi], size_px);
    if (!font) {
        LOG_ERR("font %s at %d px: %s", f->path[fi], size_px, TTF_GetError());
        return NULL;
    }
    size_t slot = f->n_cache;
    if (slot == RENDER_FONT_CACHE_MAX) {
        /* Sizes are few and fixed per screen; a full cache only happens when a caller walks
         * through sizes (shrinking a title), so plain round-robin is enough. */
        slot = f->next_evict++ % RENDER_FONT_CACHE_MAX;
        TTF_CloseFont(f->cache[slot].font);
    } else {
        f->n_cache++;
    }
    f->cache[slot].face = fi;
    f->cache[slot].size = size_px;
    f->cache[slot].font = font;
    return font;
}

static int metrics_width(void *ctx, enum layout_face face, int size_px, const char *utf8,
                         size_t len)
{
    TTF_Font *font = render_font(ctx, face, size_px);
    if (!font || len == 0)
        return 0;
    char stackbuf[512];
    char *s = len < sizeof(stackbuf) ? stackbuf : xmalloc(len + 1);
    memcpy(s, utf8, len);
    s[len] = '\0';
    int w = 0, h = 0;
    if (TTF_SizeUTF8(font, s, &w, &h) != 0)
        w = 0;
    if (s != stackbuf)
        free(s);
    return w;
}

static int metrics_ascent(void *ctx, enum layout_face face, int size_px)
{
    TTF_Font *font = render_font(ctx, face, size_px);
    return font ? TTF_FontAscent(font) : size_px;
}

void render_fonts_metrics(struct render_fonts *f, struct layout_metrics *out)
{
    out->ctx = f;
    out->text_width = metrics_width;
    out->ascent = metrics_ascent;
}
