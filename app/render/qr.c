/* qr: the article's URL as a QR code (libqrencode), drawn with whole-pixel modules and the
 * 4-module quiet zone the standard asks for, always dark on light whatever the theme. */
#include <string.h>

#include <qrencode.h>

#include "render_internal.h"

#define LOG_MODULE "render"
#include "bangtin/log.h"
#include "bangtin/util.h"

#define QR_QUIET 4

bool render_qr(SDL_Surface *dst, const char *text, int x, int y, int side, SDL_Color dark,
               SDL_Color light)
{
    if (str_empty(text) || strlen(text) > RENDER_QR_MAX_TEXT)
        return false;
    /* Level M: survives a glare spot on the TV glass, still small for long URLs. */
    QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr) {
        LOG_WARN("QR code for %s: cannot encode", text);
        return false;
    }
    int total = qr->width + 2 * QR_QUIET;
    int mod = side / total;
    if (mod < 2) {
        LOG_WARN("QR code for %s: %d modules do not fit %d px", text, qr->width, side);
        QRcode_free(qr);
        return false;
    }
    /* Centre the whole-pixel code in the requested square. */
    int used = mod * total;
    int ox = x + (side - used) / 2, oy = y + (side - used) / 2;
    render_fill(dst, ox, oy, used, used, light);
    for (int row = 0; row < qr->width; row++) {
        for (int col = 0; col < qr->width; col++) {
            if (qr->data[row * qr->width + col] & 1)
                render_fill(dst, ox + (QR_QUIET + col) * mod, oy + (QR_QUIET + row) * mod, mod, mod,
                            dark);
        }
    }
    QRcode_free(qr);
    return true;
}
