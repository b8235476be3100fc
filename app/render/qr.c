/* qr: the article's URL as a QR code (libqrencode), drawn with whole-pixel modules and the
 * 4-module quiet zone the standard asks for, always dark on light whatever the theme. */
#include <string.h>

#include <qrencode.h>

#include "render_internal.h"

#define LOG_MODULE "render"
#include "bangtin/log.h"
#include "bangtin/util.h"

#define QR_QUIET 4

static QRcode *encode(const char *text)
{
    if (str_empty(text) || strlen(text) > RENDER_QR_MAX_TEXT)
        return NULL;
    /* Level M: survives a glare spot on the TV glass, still small for long URLs. */
    QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr)
        LOG_WARN("QR code for %s: cannot encode", text);
    return qr;
}

int render_qr_used(const char *text, int side)
{
    QRcode *qr = encode(text);
    if (!qr)
        return 0;
    int total = qr->width + 2 * QR_QUIET;
    int mod = side / total;
    if (mod < 2)
        LOG_WARN("QR code for %s: %d modules do not fit %d px", text, qr->width, side);
    QRcode_free(qr);
    return mod < 2 ? 0 : mod * total;
}

void render_qr_draw(SDL_Surface *dst, const char *text, SDL_Rect at, SDL_Color dark,
                    SDL_Color light)
{
    QRcode *qr = encode(text);
    if (!qr)
        return;
    int mod = at.w / (qr->width + 2 * QR_QUIET);
    Uint32 d = SDL_MapRGBA(dst->format, dark.r, dark.g, dark.b, 255);
    SDL_FillRect(dst, &at, SDL_MapRGBA(dst->format, light.r, light.g, light.b, 255));
    for (int row = 0; row < qr->width; row++) {
        for (int col = 0; col < qr->width; col++) {
            SDL_Rect m = {at.x + (QR_QUIET + col) * mod, at.y + (QR_QUIET + row) * mod, mod, mod};
            if (qr->data[row * qr->width + col] & 1)
                SDL_FillRect(dst, &m, d);
        }
    }
    QRcode_free(qr);
}
