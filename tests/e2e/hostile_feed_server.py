#!/usr/bin/env python3
"""Loopback server of hostile behaviours for e2e_hostile.sh. Port printed on stdout.
/good        a real feed            /500, /404   errors        /html   200 with an HTML error page
/empty       200, empty body        /truncated   a feed cut in half (Content-Length honest)
/short       Content-Length larger than the body, then close
/trickle     one byte a second      /hang        accepts, never answers
/bomb        gzip bomb (64 MiB decoded)          /redirect-file   redirect to file:///etc/passwd
/laughs      billion laughs XML
"""
import gzip
import http.server
import socketserver
import sys
import time

FEED = open(sys.argv[1], "rb").read()
LAUGHS = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' + b"".join(
    b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
    for i in range(1, 10)) + b']><rss><channel><item><title>&lol9;</title></item></channel></rss>'
BOMB = gzip.compress(b"<" * (64 << 20), 9)


class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def send(self, code, body, ctype="application/rss+xml", extra=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        p = self.path
        if p == "/good":
            self.send(200, FEED)
        elif p in ("/500", "/404"):
            self.send(int(p[1:]), b"<html><body>error</body></html>", "text/html")
        elif p == "/html":
            self.send(200, b"<!DOCTYPE html><html><body><h1>Trang web dang bao tri</h1>"
                      b"</body></html>", "text/html; charset=utf-8")
        elif p == "/empty":
            self.send(200, b"")
        elif p == "/truncated":
            self.send(200, FEED[: len(FEED) // 2])
        elif p == "/short":
            self.send_response(200)
            self.send_header("Content-Length", str(len(FEED)))
            self.end_headers()
            self.wfile.write(FEED[:100])
            self.wfile.flush()
            self.close_connection = True
        elif p == "/trickle":
            self.send_response(200)
            self.send_header("Content-Length", str(len(FEED)))
            self.end_headers()
            for b in FEED[:60]:
                self.wfile.write(bytes([b]))
                self.wfile.flush()
                time.sleep(1)
        elif p == "/hang":
            time.sleep(60)
        elif p == "/bomb":
            self.send(200, BOMB, extra=[("Content-Encoding", "gzip")])
        elif p == "/redirect-file":
            self.send(302, b"", extra=[("Location", "file:///etc/passwd")])
        elif p == "/laughs":
            self.send(200, LAUGHS, "application/xml")
        else:
            self.send(404, b"")


class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


srv = S(("127.0.0.1", 0), H)
print(srv.server_address[1], flush=True)
sys.stdout.close()
srv.serve_forever()
