#!/usr/bin/env python3
"""Loopback feed server for the end-to-end tests.

Serves files from --dir on 127.0.0.1 (port 0 = any free port, printed as the first line on
stdout), with ETag and Last-Modified, answering 304 to matching conditional GETs like
WordPress on Apache. Every request is appended to --log as "METHOD PATH STATUS INM IMS".
"""
import argparse
import email.utils
import hashlib
import http.server
import os
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

    def do_GET(self):
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
    a = ap.parse_args()
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.root = a.dir
    srv.logpath = a.log
    print(srv.server_address[1], flush=True)
    sys.stdout.close()
    srv.serve_forever()


if __name__ == "__main__":
    main()
