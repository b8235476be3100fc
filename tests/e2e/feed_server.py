#!/usr/bin/env python3
"""Loopback feed server for the end-to-end tests.

Serves files from --dir on 127.0.0.1 (port 0 = any free port, printed as the first line on
stdout), with ETag and Last-Modified, answering 304 to matching conditional GETs like
WordPress on Apache. Every request is appended to --log as "METHOD PATH STATUS INM IMS".

With --wp-posts FILE (a JSON array of posts) it also answers /wp-json/wp/v2/posts the way
WordPress 6 does (probes.txt §4): `per_page` (default 10, over 100 is a 400) and `page`,
X-WP-Total / X-WP-TotalPages / Link headers, no validators, and a 400 with WordPress's error
object for a page past the end. Files in --dir change its behaviour for the next requests:
  wp-fail-page      a page number that answers 500
  wp-hide-later     N: requests for page 2 and later see the newest N posts gone (posts
                    removed while a client walks the pages)
"""
import argparse
import email.utils
import hashlib
import http.server
import json
import os
import urllib.parse
import sys
import time


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def record(self, status):
        with open(self.server.logpath, "a") as f:
            f.write("%s %s %d %s %s %.3f\n" % (self.command, self.path, status,
                                              self.headers.get("If-None-Match", "-").replace(" ", "_"),
                                              self.headers.get("If-Modified-Since", "-").replace(" ", "_"),
                                              time.time()))

    def knob(self, name):
        try:
            with open(os.path.join(self.server.root, name)) as f:
                return int(f.read().strip())
        except (OSError, ValueError):
            return None

    def reply(self, code, body, ctype, headers=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.record(code)

    def wp_posts(self, query):
        q = urllib.parse.parse_qs(query)
        per_page = int(q.get("per_page", ["10"])[0])
        page = int(q.get("page", ["1"])[0])
        ctype = "application/json; charset=UTF-8"
        if per_page < 1 or per_page > 100 or page < 1:
            err = {"code": "rest_invalid_param", "message": "Invalid parameter(s): per_page",
                   "data": {"status": 400}}
            return self.reply(400, json.dumps(err).encode(), ctype)
        with open(self.server.wp_posts, encoding="utf-8") as f:
            posts = json.load(f)
        hide = self.knob("wp-hide-later")
        if hide and page >= 2:
            posts = posts[hide:]
        if self.knob("wp-fail-page") == page:
            return self.reply(500, b"<html><body>Internal Server Error</body></html>",
                              "text/html")
        total_pages = max(1, -(-len(posts) // per_page))
        if page > total_pages:
            err = {"code": "rest_post_invalid_page_number",
                   "message": "The page number requested is larger than the number of pages "
                              "available.", "data": {"status": 400}}
            return self.reply(400, json.dumps(err, separators=(",", ":")).encode(), ctype)
        body = json.dumps(posts[(page - 1) * per_page:page * per_page],
                          ensure_ascii=False).encode()
        base = "http://%s:%d/wp-json/wp/v2/posts" % self.server.server_address
        links = []
        if page > 1:
            links.append('<%s?per_page=%d&page=%d>; rel="prev"' % (base, per_page, page - 1))
        if page < total_pages:
            links.append('<%s?per_page=%d&page=%d>; rel="next"' % (base, per_page, page + 1))
        hdrs = [("X-WP-Total", str(len(posts))), ("X-WP-TotalPages", str(total_pages))]
        if links:
            hdrs.append(("Link", ", ".join(links)))
        self.reply(200, body, ctype, hdrs)

    def do_GET(self):
        path, _, query = self.path.partition("?")
        if self.server.wp_posts and path == "/wp-json/wp/v2/posts":
            return self.wp_posts(query)
        name = os.path.basename(self.path.split("?")[0])
        path = os.path.join(self.server.root, name)
        if not name or not os.path.isfile(path):
            body = b"<html><body>404</body></html>"
            self.send_response(404)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            self.record(404)
            return
        with open(path, "rb") as f:
            data = f.read()
        etag = '"%s"' % hashlib.md5(data).hexdigest()
        lastmod = email.utils.formatdate(os.path.getmtime(path), usegmt=True)
        if self.headers.get("If-None-Match") == etag or \
                self.headers.get("If-Modified-Since") == lastmod:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", lastmod)
            self.end_headers()
            self.record(304)
            return
        ctype = "application/rss+xml; charset=UTF-8" if name.endswith(".xml") else \
            "application/json" if name.endswith(".json") else "application/octet-stream"
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", lastmod)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        self.record(200)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--wp-posts")
    a = ap.parse_args()
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.root = a.dir
    srv.logpath = a.log
    srv.wp_posts = a.wp_posts
    print(srv.server_address[1], flush=True)
    sys.stdout.close()
    srv.serve_forever()


if __name__ == "__main__":
    main()
