#!/usr/bin/env python3
"""Loopback HTTP server for the net tests: a WordPress-like feed (validators, mod_deflate's
"-gzip" ETag) and hostile behaviours (trickle, hang, gzip bomb, truncation, redirect tricks).

Binds 127.0.0.1 on a free port, prints the port on stdout, and exits when stdin closes (so it
dies with the test even if the test crashes). GET /_stats/<path> returns what it saw for <path>:
"count=N", "inm=...", "ims=..." lines.

With --tls it also makes a throw-away CA with the openssl command and serves the same routes
over TLS twice: with a valid certificate for 127.0.0.1 and with one not valid before 2099 (a
board whose clock says 1970 sees every certificate like that). The first line is then
"PORT TLS_OK_PORT TLS_FUTURE_PORT CA_PEM_PATH" (TLS ports 0 when openssl is missing).
"""
import gzip
import http.server
import os
import shutil
import socketserver
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from email.utils import formatdate, parsedate_to_datetime
from urllib.parse import parse_qs

WP_ETAG = '"e77a0c329460a8f3df3414deca0ceeb8"'
WP_LM = "Thu, 26 Nov 2026 10:15:00 GMT"
WP_BODY = ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
           + "<title>Thông báo</title>"
           + "".join("<item><title>Tin số %d</title></item>\n" % i for i in range(400))
           + "</channel></rss>\n").encode()
BOMB = gzip.compress(b"\0" * (16 << 20), 9)

LOCK = threading.Lock()
STATS = {}


def record(path, headers):
    with LOCK:
        s = STATS.setdefault(path, {"count": 0, "inm": "", "ims": ""})
        s["count"] += 1
        s["inm"] = headers.get("If-None-Match", "")
        s["ims"] = headers.get("If-Modified-Since", "")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def version_string(self):
        return "Apache/2.4.71 (Debian)"  # so a 304 has the same headers as the real one

    def log_message(self, fmt, *args):
        pass

    def reply(self, code, body=b"", ctype="text/plain; charset=UTF-8", headers=()):
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        if code != 304:
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path.startswith("/_stats/"):
            key = "/" + path[len("/_stats/"):]
            with LOCK:
                s = STATS.get(key, {"count": 0, "inm": "", "ims": ""})
                text = "count=%d\ninm=%s\nims=%s\n" % (s["count"], s["inm"], s["ims"])
            return self.reply(200, text.encode())
        record(path, self.headers)
        name = "route_" + path.strip("/").split("/")[0].replace("-", "_").replace(".", "_")
        handler = getattr(self, name, None)
        if handler is None:
            return self.reply(404, b"<html>not found</html>", "text/html")
        return handler(path)

    # --- well-behaved -------------------------------------------------------------------
    def route_ok(self, path):
        self.reply(200, b"<rss>ok</rss>", "application/rss+xml; charset=UTF-8",
                   [("ETag", '"v1"'), ("Last-Modified", WP_LM)])

    def wp_not_modified(self, both_required):
        """WordPress rules (probes.txt): raw string compare of If-None-Match with the
        identity ETag, If-Modified-Since >= Last-Modified, both must match when both sent."""
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        if inm is None and ims is None:
            return False
        if both_required and (inm is None or ims is None):
            return False
        if inm is not None and inm != WP_ETAG:
            return False
        if ims is not None:
            try:
                if parsedate_to_datetime(ims) < parsedate_to_datetime(WP_LM):
                    return False
            except (TypeError, ValueError):
                return False
        return True

    def route_feed(self, path):
        both = "both=1" in self.path
        if self.wp_not_modified(both):
            return self.reply(304, headers=[("Last-Modified", WP_LM), ("ETag", WP_ETAG)])
        hdrs = [("Last-Modified", WP_LM)]
        body = WP_BODY
        if "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body)
            hdrs += [("ETag", WP_ETAG[:-1] + '-gzip"'), ("Vary", "Accept-Encoding"),
                     ("Content-Encoding", "gzip")]
        else:
            hdrs += [("ETag", WP_ETAG), ("Vary", "Accept-Encoding")]
        self.reply(200, body, "application/rss+xml; charset=UTF-8", hdrs)

    def route_fast(self, path):
        self.route_ok(path)

    def route_wp(self, path):
        self.reply(200, b"[]", "application/json; charset=UTF-8",
                   [("X-WP-Total", "13"), ("X-WP-TotalPages", "3")])

    def route_wpposts(self, path):
        """A WordPress REST listing of `total` posts: per_page/page like WordPress, and knobs
        carried in the query (paging keeps them): fail=K (page K answers 500), shrink=K
        (later pages see K posts removed), pad=N (N bytes of padding per post), slow=S (pages 2…
        answer after S seconds)."""
        q = parse_qs(self.path.partition("?")[2])
        arg = lambda k, d: int(q.get(k, [d])[0])
        total, per_page, page = arg("total", 13), arg("per_page", 10), arg("page", 1)
        if page >= 2:
            total -= arg("shrink", 0)
        if page >= 2 and arg("slow", 0):
            time.sleep(arg("slow", 0))
        if arg("fail", 0) == page:
            return self.reply(500, b"<html>error</html>", "text/html")
        pages = max(1, -(-total // per_page))
        ctype = "application/json; charset=UTF-8"
        if page > pages:
            return self.reply(400, b'{"code":"rest_post_invalid_page_number","message":"The page'
                              b' number requested is larger than the number of pages available.'
                              b'","data":{"status":400}}', ctype)
        first = (page - 1) * per_page
        ids = range(first + 1, min(total, first + per_page) + 1)
        pad = "x" * arg("pad", 0)
        body = "[" + ",".join('{"id":%d,"pad":"%s"}' % (i, pad) for i in ids) + "]"
        self.reply(200, body.encode(), ctype,
                   [("X-WP-Total", str(total)), ("X-WP-TotalPages", str(pages))])

    def route_charset(self, path):
        self.reply(200, "<rss>café</rss>".encode("latin-1"), 'text/xml; Charset="ISO-8859-1"')

    def route_notice_json(self, path):
        self.reply(200, b'{"title":"x"}', "application/json")

    def route_notice_json_minisig(self, path):
        self.reply(200, b"untrusted comment: test\nRWQ...\n", "application/octet-stream")

    def route_nosig_json(self, path):
        self.reply(200, b'{"title":"y"}', "application/json")

    # --- hostile ------------------------------------------------------------------------
    def route_status(self, path):
        code = int(path.rsplit("/", 1)[1])
        self.reply(code, b"<html><body>error</body></html>", "text/html")

    def route_fail(self, path):
        self.reply(500, b"down", "text/plain")

    def route_empty(self, path):
        self.reply(200, b"", "application/rss+xml")

    def route_bomb(self, path):
        self.reply(200, BOMB, "application/rss+xml", [("Content-Encoding", "gzip")])

    def route_big(self, path):
        # announces 100 MB, then trickles: must be refused at the headers, not after 100 s
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(100 << 20))
        self.end_headers()
        try:
            for _ in range(100):
                self.wfile.write(b"x" * 100)
                self.wfile.flush()
                time.sleep(1)
        except OSError:
            pass
        self.close_connection = True

    def route_truncated(self, path):
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", "1000")
        self.end_headers()
        self.wfile.write(b"<rss>short")
        self.wfile.flush()
        self.close_connection = True

    def route_trickle(self, path):
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", "100")
        self.end_headers()
        try:
            for _ in range(100):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(1)
        except OSError:
            pass
        self.close_connection = True

    def route_hang(self, path):
        time.sleep(60)  # accept, read the request, never answer
        self.close_connection = True

    def route_redir_ok(self, path):
        # the redirect carries its own validators: only the final response's may be kept
        self.reply(302, b"", headers=[("Location", "/ok"), ("ETag", '"redirect"'),
                                      ("X-WP-TotalPages", "9")])

    def route_redir_file(self, path):
        self.reply(302, b"", headers=[("Location", "file:///etc/hostname")])

    def route_loop(self, path):
        n = int(path.rsplit("/", 1)[1]) if path.count("/") > 1 else 0
        self.reply(302, b"", headers=[("Location", "/loop/%d" % (n + 1))])


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass  # clients hanging up on the hostile routes is the point


CA_CNF = """[ca]
default_ca = test_ca
[test_ca]
database = index.txt
serial = serial
new_certs_dir = .
certificate = ca.pem
private_key = ca.key
default_md = sha256
policy = any
x509_extensions = leaf_ext
unique_subject = no
[any]
commonName = supplied
[leaf_ext]
subjectAltName = IP:127.0.0.1
"""


def make_certs(d):
    def openssl(*args):
        subprocess.run(["openssl", *args], cwd=d, check=True, capture_output=True)
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
    openssl("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem",
            "-subj", "/CN=bangtin test CA", "-days", "3650")
    openssl("req", *ec, "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=127.0.0.1")
    with open(os.path.join(d, "ca.cnf"), "w") as f:
        f.write(CA_CNF)
    with open(os.path.join(d, "index.txt"), "w") as f:
        pass
    with open(os.path.join(d, "serial"), "w") as f:
        f.write("1000\n")
    # openssl 3.0's "x509 -req" cannot set notBefore; "ca" can
    openssl("ca", "-batch", "-config", "ca.cnf", "-in", "leaf.csr", "-out", "ok.pem", "-notext",
            "-days", "3650")
    openssl("ca", "-batch", "-config", "ca.cnf", "-in", "leaf.csr", "-out", "future.pem",
            "-notext", "-startdate", "20990101000000Z", "-enddate", "20991231000000Z")


def tls_server(d, cert):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(d, cert), os.path.join(d, "leaf.key"))
    srv = Server(("127.0.0.1", 0), Handler)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True, do_handshake_on_connect=False)
    return srv


def main():
    servers = [Server(("127.0.0.1", 0), Handler)]
    tmp = None
    line = str(servers[0].server_address[1])
    if "--tls" in sys.argv:
        tmp = tempfile.mkdtemp(prefix="bangtin-net-tls-")
        try:
            make_certs(tmp)
            servers += [tls_server(tmp, "ok.pem"), tls_server(tmp, "future.pem")]
            line += " %d %d %s" % (servers[1].server_address[1], servers[2].server_address[1],
                                   os.path.join(tmp, "ca.pem"))
        except (OSError, subprocess.CalledProcessError) as e:
            print("no TLS: %s" % e, file=sys.stderr)
            line += " 0 0 -"
    print(line, flush=True)
    for srv in servers:
        threading.Thread(target=srv.serve_forever, daemon=True).start()
    sys.stdin.read()  # EOF: the test is gone
    for srv in servers:
        srv.shutdown()
    if tmp:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
