#!/usr/bin/env python3
"""Regenerate the demo images of bangtin from nothing but this script.

    python3 assets/demo/make-images.py            # writes both files next to this script
    python3 assets/demo/make-images.py OUTDIR     # writes OUTDIR/logo.png and OUTDIR/demo/...

Outputs:
  assets/logo.png                 256x256 RGBA office emblem (red disc, gold ring, gold star)
  assets/demo/photo-hop-dan.jpg   800x450 baseline JPEG: a commune meeting hall seen from the
                                  back rows ("họp dân"), drawn procedurally

Only the Python standard library is used (zlib for the PNG, a small baseline JPEG encoder
below), so the images can be rebuilt on any machine and are entirely our own work.
The drawing is deterministic: the same script always gives the same bytes.
"""
import math
import os
import random
import struct
import sys
import zlib

# --------------------------------------------------------------------------- raster


class Canvas:
    """RGB float canvas with anti-aliased shapes (coverage from signed distances)."""

    def __init__(self, w, h):
        self.w, self.h = w, h
        self.px = [0.0] * (w * h * 3)

    def blend(self, x, y, c, a):
        if a <= 0.0 or x < 0 or y < 0 or x >= self.w or y >= self.h:
            return
        if a > 1.0:
            a = 1.0
        i = (y * self.w + x) * 3
        p = self.px
        p[i] += (c[0] - p[i]) * a
        p[i + 1] += (c[1] - p[i + 1]) * a
        p[i + 2] += (c[2] - p[i + 2]) * a

    def vgradient(self, x0, y0, x1, y1, top, bottom):
        for y in range(max(0, y0), min(self.h, y1)):
            t = (y - y0) / max(1, y1 - y0 - 1)
            c = [top[k] + (bottom[k] - top[k]) * t for k in range(3)]
            for x in range(max(0, x0), min(self.w, x1)):
                self.blend(x, y, c, 1.0)

    def sdf_fill(self, bbox, sdf, c, alpha=1.0):
        """Fill where sdf(px_centre) < 0, with one pixel of anti-aliasing."""
        x0, y0, x1, y1 = bbox
        for y in range(max(0, int(y0) - 1), min(self.h, int(y1) + 2)):
            for x in range(max(0, int(x0) - 1), min(self.w, int(x1) + 2)):
                d = sdf(x + 0.5, y + 0.5)
                if d < 0.5:
                    self.blend(x, y, c, alpha * min(1.0, 0.5 - d))

    def rect(self, x0, y0, x1, y1, c, r=0.0, alpha=1.0):
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        hx, hy = (x1 - x0) / 2, (y1 - y0) / 2

        def sdf(x, y):
            qx, qy = abs(x - cx) - hx + r, abs(y - cy) - hy + r
            out = math.hypot(max(qx, 0.0), max(qy, 0.0))
            return out + min(max(qx, qy), 0.0) - r
        self.sdf_fill((x0, y0, x1, y1), sdf, c, alpha)

    def ellipse(self, cx, cy, rx, ry, c, alpha=1.0):
        m = min(rx, ry)

        def sdf(x, y):
            return (math.hypot((x - cx) / rx, (y - cy) / ry) - 1.0) * m
        self.sdf_fill((cx - rx, cy - ry, cx + rx, cy + ry), sdf, c, alpha)

    def polygon(self, pts, c, alpha=1.0, ss=4):
        """Even-odd polygon fill, ss x ss supersampling."""
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        n = len(pts)
        for y in range(max(0, int(min(ys))), min(self.h, int(max(ys)) + 1)):
            for x in range(max(0, int(min(xs))), min(self.w, int(max(xs)) + 1)):
                hits = 0
                for sy in range(ss):
                    py = y + (sy + 0.5) / ss
                    for sx in range(ss):
                        px = x + (sx + 0.5) / ss
                        inside = False
                        j = n - 1
                        for i in range(n):
                            xi, yi = pts[i]
                            xj, yj = pts[j]
                            if (yi > py) != (yj > py) and \
                                    px < (xj - xi) * (py - yi) / (yj - yi) + xi:
                                inside = not inside
                            j = i
                        hits += inside
                if hits:
                    self.blend(x, y, c, alpha * hits / (ss * ss))

    def rgb_bytes(self):
        return bytes(max(0, min(255, int(v + 0.5))) for v in self.px)


def star_points(cx, cy, r_out, r_in, rot=-math.pi / 2):
    pts = []
    for k in range(10):
        r = r_out if k % 2 == 0 else r_in
        a = rot + k * math.pi / 5
        pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    return pts


def hexc(s):
    s = s.lstrip('#')
    return [int(s[i:i + 2], 16) for i in (0, 2, 4)]


# --------------------------------------------------------------------------- the photo

def draw_person(cv, rnd, cx, base, s):
    """A seated villager seen from behind: chair back, shoulders, head, maybe a nón lá."""
    shirts = ['#3b5f8a', '#f2efe6', '#8a3b3b', '#4f7a4a', '#6b5a8e', '#d9c9a3', '#2f2f38',
              '#b56a3a', '#7d8f9c']
    shirt = hexc(rnd.choice(shirts))
    # body (shoulders and back)
    cv.rect(cx - 26 * s, base - 52 * s, cx + 26 * s, base + 10 * s, shirt, r=14 * s)
    # a soft shadow line at the collar
    cv.ellipse(cx, base - 50 * s, 11 * s, 4 * s, [v * 0.7 for v in shirt], 0.6)
    kind = rnd.random()
    hair = hexc('#1c1a19') if kind < 0.55 else hexc('#bdb8b0') if kind < 0.8 else hexc('#4a3b30')
    skin = [200, 160, 130]
    cv.ellipse(cx, base - 54 * s, 8 * s, 7 * s, skin)                    # neck
    cv.ellipse(cx - 15 * s, base - 68 * s, 3.5 * s, 5.5 * s, skin)       # ears
    cv.ellipse(cx + 15 * s, base - 68 * s, 3.5 * s, 5.5 * s, skin)
    cv.ellipse(cx, base - 71 * s, 15 * s, 17 * s, hair)                  # head from behind
    if rnd.random() < 0.22:                                              # conical hat
        cv.polygon([(cx - 30 * s, base - 66 * s), (cx + 30 * s, base - 66 * s),
                    (cx, base - 104 * s)], hexc('#e8d9a8'), ss=3)
        cv.rect(cx - 30 * s, base - 68 * s, cx + 30 * s, base - 65 * s, hexc('#c9b67f'))
    # wooden chair back in front of the lower body
    wood = hexc('#7a4a2a')
    cv.rect(cx - 24 * s, base - 18 * s, cx + 24 * s, base - 8 * s, wood, r=2 * s)
    cv.rect(cx - 24 * s, base - 18 * s, cx - 18 * s, base + 40 * s, wood)
    cv.rect(cx + 18 * s, base - 18 * s, cx + 24 * s, base + 40 * s, wood)


def draw_window(cv, x0, y0, x1, y1):
    cv.vgradient(int(x0), int(y0), int(x1), int(y1), hexc('#9fd0f0'), hexc('#d8eef7'))
    # distant hills and trees seen through the window
    for x in range(int(x0), int(x1)):
        h = y0 + (y1 - y0) * (0.55 + 0.08 * math.sin(x * 0.045) + 0.05 * math.sin(x * 0.13))
        for y in range(int(h), int(y1)):
            cv.blend(x, y, hexc('#5f9a4e'), 1.0)
    for k in range(4):
        tx = x0 + (x1 - x0) * (0.15 + 0.25 * k)
        cv.ellipse(tx, y0 + (y1 - y0) * 0.55, 16, 22, hexc('#3f7a39'))
    frame = hexc('#8b5a2b')
    cv.rect(x0 - 6, y0 - 6, x1 + 6, y0, frame)
    cv.rect(x0 - 6, y1, x1 + 6, y1 + 8, frame)
    cv.rect(x0 - 6, y0 - 6, x0, y1 + 8, frame)
    cv.rect(x1, y0 - 6, x1 + 6, y1 + 8, frame)
    cv.rect((x0 + x1) / 2 - 3, y0, (x0 + x1) / 2 + 3, y1, frame)
    for k in range(1, 4):                                                # window bars
        yy = y0 + (y1 - y0) * k / 4
        cv.rect(x0, yy - 1.5, x1, yy + 1.5, frame)


def make_photo(w=800, h=450):
    rnd = random.Random(20261127)
    cv = Canvas(w, h)
    cv.vgradient(0, 0, w, 300, hexc('#f3e6c8'), hexc('#e9d3a6'))          # back wall
    cv.vgradient(0, 300, w, h, hexc('#b0603f'), hexc('#8a4530'))          # tiled floor
    for k in range(0, w + 400, 64):                                       # floor joints
        cv.polygon([(k - 200 - 1, h), (k - 200 + 1, h), (400 + (k - 400) * 0.35 + 1, 300),
                    (400 + (k - 400) * 0.35 - 1, 300)], hexc('#7a3c2a'), 0.35, ss=2)
    cv.rect(0, 296, w, 302, hexc('#6e4630'))                              # skirting board
    draw_window(cv, 40, 80, 170, 230)
    draw_window(cv, 630, 80, 760, 230)
    # stage backdrop: red cloth with the gold star, a gold fringe on top
    cv.rect(230, 30, 570, 250, hexc('#b3161b'))
    for x in range(232, 570, 18):                                         # cloth folds
        cv.rect(x, 30, x + 6, 250, hexc('#9a1218'), alpha=0.5)
    cv.rect(230, 30, 570, 44, hexc('#e3b23c'))
    cv.polygon(star_points(400, 128, 52, 21), hexc('#ffd84a'))
    # presidium table with a blue cloth, flowers, three officials
    for i, px in enumerate((330, 400, 470)):
        cv.rect(px - 24, 200, px + 24, 250, hexc(['#2c3e66', '#f4f1ea', '#2c3e66'][i]), r=10)
        cv.ellipse(px, 184, 13, 15, [214, 170, 138])
        cv.ellipse(px, 176, 14, 9, hexc('#1c1a19'))
    cv.rect(270, 236, 530, 290, hexc('#2456a8'), r=3)
    cv.rect(270, 236, 530, 244, hexc('#f4f1ea'))
    cv.ellipse(400, 226, 22, 14, hexc('#3f8a3a'))
    for k in range(7):
        cv.ellipse(386 + k * 5, 220 + (k % 3) * 4, 4.5, 4.5,
                   hexc(['#f2c12e', '#e8542f', '#f7f2e0'][k % 3]))
    # three rows of villagers, nearer rows larger and lower in the picture
    for base, s, n, off in ((335, 0.62, 9, 70), (392, 0.82, 7, 52), (458, 1.05, 5, 40)):
        step = (w - 2 * off) / (n - 1)
        for k in range(n):
            cx = off + k * step + rnd.uniform(-8, 8)
            draw_person(cv, rnd, cx, base, s)
    # gentle vignette so the scene reads as a photograph
    for y in range(h):
        for x in range(0, w):
            d = math.hypot((x - w / 2) / (w / 2), (y - h / 2) / (h / 2))
            if d > 0.75:
                cv.blend(x, y, (20, 14, 10), min(0.35, (d - 0.75) * 0.6))
    return cv


# --------------------------------------------------------------------------- the logo

def make_logo(size=256, ss=4):
    """RGBA emblem: red disc, thin gold ring, gold five-pointed star, transparent outside."""
    red, gold = hexc('#c8171e'), hexc('#f5c542')
    c = size / 2
    star = star_points(c, c + 4, 78, 31)
    out = bytearray()

    def in_star(x, y):
        inside = False
        j = len(star) - 1
        for i in range(len(star)):
            xi, yi = star[i]
            xj, yj = star[j]
            if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
                inside = not inside
            j = i
        return inside

    for y in range(size):
        out.append(0)                                                     # PNG filter: none
        for x in range(size):
            acc = [0.0, 0.0, 0.0]
            cov = 0
            for sy in range(ss):
                for sx in range(ss):
                    px, py = x + (sx + 0.5) / ss, y + (sy + 0.5) / ss
                    r = math.hypot(px - c, py - c)
                    if r > 124:
                        continue
                    if 104 <= r <= 110 or (r < 104 and in_star(px, py)):
                        col = gold
                    else:
                        col = red
                    acc = [acc[k] + col[k] for k in range(3)]
                    cov += 1
            if cov:
                out += bytes(int(acc[k] / cov + 0.5) for k in range(3))
                out.append(int(255 * cov / (ss * ss) + 0.5))
            else:
                out += b'\0\0\0\0'
    def chunk(tag, data):
        body = tag + data
        return struct.pack('>I', len(data)) + body + struct.pack('>I', zlib.crc32(body))
    return (b'\x89PNG\r\n\x1a\n' +
            chunk(b'IHDR', struct.pack('>IIBBBBB', size, size, 8, 6, 0, 0, 0)) +
            chunk(b'IDAT', zlib.compress(bytes(out), 9)) + chunk(b'IEND', b''))


# --------------------------------------------------------------------------- baseline JPEG

ZIGZAG = sorted(((x, y) for y in range(8) for x in range(8)),
                key=lambda p: (p[0] + p[1], p[1] if (p[0] + p[1]) % 2 else -p[1]))
ZIGZAG = [y * 8 + x for x, y in ZIGZAG]

Q_LUM = [16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
         14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
         18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
         49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99]
Q_CHR = [17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99,
         24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99] + [99] * 32

# Standard Huffman tables of ITU-T T.81 Annex K.3: (code lengths, symbols).
DC_LUM = ([0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0], list(range(12)))
DC_CHR = ([0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0], list(range(12)))
AC_LUM = ([0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d], bytes.fromhex(
    '01020300041105122131410613516107227114328191a1082342b1c11552d1f0'
    '2433627282090a161718191a25262728292a3435363738393a43444546474849'
    '4a535455565758595a636465666768696a737475767778797a83848586878889'
    '8a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5'
    'c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8'
    'f9fa'))
AC_CHR = ([0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77], bytes.fromhex(
    '000102031104052131061241510761711322328108144291a1b1c109233352f0'
    '156272d10a162434e125f11718191a262728292a35363738393a434445464748'
    '494a535455565758595a636465666768696a737475767778797a828384858687'
    '88898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3'
    'c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae2e3e4e5e6e7e8e9eaf2f3f4f5f6f7f8'
    'f9fa'))


def huff_codes(table):
    bits, vals = table
    assert sum(bits) == len(vals)
    codes, code, k = {}, 0, 0
    for length in range(1, 17):
        for _ in range(bits[length - 1]):
            codes[vals[k]] = (code, length)
            code += 1
            k += 1
        code <<= 1
    return codes


class BitWriter:
    def __init__(self):
        self.out = bytearray()
        self.acc = 0
        self.n = 0

    def put(self, code, length):
        self.acc = (self.acc << length) | (code & ((1 << length) - 1))
        self.n += length
        while self.n >= 8:
            self.n -= 8
            b = (self.acc >> self.n) & 0xFF
            self.out.append(b)
            if b == 0xFF:
                self.out.append(0)                                        # byte stuffing
        self.acc &= (1 << self.n) - 1

    def flush(self):
        if self.n:
            self.put((1 << (8 - self.n)) - 1, 8 - self.n)


COS = [[math.cos((2 * x + 1) * u * math.pi / 16) * (math.sqrt(0.5) if u == 0 else 1.0) / 2
        for x in range(8)] for u in range(8)]


def fdct(block):
    tmp = [[sum(COS[u][x] * block[y * 8 + x] for x in range(8)) for u in range(8)]
           for y in range(8)]
    return [sum(COS[v][y] * tmp[y][u] for y in range(8)) for v in range(8) for u in range(8)]


def encode_jpeg(rgb, w, h, quality=88):
    scale = 5000 / quality if quality < 50 else 200 - 2 * quality
    qt = [[max(1, min(255, int((q * scale + 50) // 100))) for q in base]
          for base in (Q_LUM, Q_CHR)]
    planes = [[0.0] * (w * h) for _ in range(3)]
    for i in range(w * h):
        r, g, b = rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]
        planes[0][i] = 0.299 * r + 0.587 * g + 0.114 * b - 128
        planes[1][i] = -0.168736 * r - 0.331264 * g + 0.5 * b
        planes[2][i] = 0.5 * r - 0.418688 * g - 0.081312 * b
    dc = [huff_codes(DC_LUM), huff_codes(DC_CHR)]
    ac = [huff_codes(AC_LUM), huff_codes(AC_CHR)]
    bw = BitWriter()
    pred = [0, 0, 0]

    def bits_of(v):
        n = abs(v).bit_length()
        return n, (v if v >= 0 else v + (1 << n) - 1)

    for by in range(0, h, 8):
        for bx in range(0, w, 8):
            for comp in range(3):
                t = 0 if comp == 0 else 1
                p = planes[comp]
                blk = [p[min(h - 1, by + y) * w + min(w - 1, bx + x)]
                       for y in range(8) for x in range(8)]
                co = fdct(blk)
                zz = [int(round(co[ZIGZAG[k]] / qt[t][ZIGZAG[k]])) for k in range(64)]
                n, v = bits_of(zz[0] - pred[comp])
                pred[comp] = zz[0]
                bw.put(*dc[t][n])
                if n:
                    bw.put(v, n)
                run = 0
                for k in range(1, 64):
                    if zz[k] == 0:
                        run += 1
                        continue
                    while run > 15:
                        bw.put(*ac[t][0xF0])
                        run -= 16
                    n, v = bits_of(zz[k])
                    bw.put(*ac[t][(run << 4) | n])
                    bw.put(v, n)
                    run = 0
                if run:
                    bw.put(*ac[t][0x00])
    bw.flush()

    def seg(marker, data):
        return struct.pack('>HH', marker, len(data) + 2) + data
    out = b'\xff\xd8'
    out += seg(0xFFE0, b'JFIF\0\x01\x01\x00\x00\x01\x00\x01\x00\x00')
    for i in range(2):
        out += seg(0xFFDB, bytes([i]) + bytes(qt[i][ZIGZAG[k]] for k in range(64)))
    out += seg(0xFFC0, struct.pack('>BHHB', 8, h, w, 3) +
               bytes([1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1]))
    for cls_id, table in ((0x00, DC_LUM), (0x10, AC_LUM), (0x01, DC_CHR), (0x11, AC_CHR)):
        out += seg(0xFFC4, bytes([cls_id]) + bytes(table[0]) + bytes(table[1]))
    out += seg(0xFFDA, bytes([3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]))
    return out + bytes(bw.out) + b'\xff\xd9'


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    assets = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(here)
    os.makedirs(os.path.join(assets, 'demo'), exist_ok=True)
    with open(os.path.join(assets, 'logo.png'), 'wb') as f:
        f.write(make_logo())
    photo = make_photo()
    if os.environ.get('BANGTIN_PPM'):                                     # debugging aid
        with open(os.environ['BANGTIN_PPM'], 'wb') as f:
            f.write(b'P6 %d %d 255\n' % (photo.w, photo.h) + photo.rgb_bytes())
    with open(os.path.join(assets, 'demo', 'photo-hop-dan.jpg'), 'wb') as f:
        f.write(encode_jpeg(photo.rgb_bytes(), photo.w, photo.h))


if __name__ == '__main__':
    main()
