#!/usr/bin/python3
"""An RFC 3161 timestamp authority on 127.0.0.1 for tests: `openssl ts
-reply` (an implementation independent of model_signing's) behind a tiny
HTTP front.

    openssl_tsa.py CONFIG    (an `openssl ts` configuration, section [tsa])

POST / with an application/timestamp-query body answers the
application/timestamp-reply `openssl ts -reply` makes. Prints
"READY http://127.0.0.1:PORT" once listening; exits when stdin closes.
"""
import http.server
import os
import subprocess
import sys
import tempfile
import threading

CONFIG = sys.argv[1]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        query = self.rfile.read(length)
        with tempfile.TemporaryDirectory() as tmp:
            query_file = os.path.join(tmp, "query.tsq")
            reply_file = os.path.join(tmp, "reply.tsr")
            with open(query_file, "wb") as f:
                f.write(query)
            run = subprocess.run(["openssl", "ts", "-reply", "-config", CONFIG, "-queryfile", query_file,
                                  "-out", reply_file], capture_output=True)
            if run.returncode != 0:
                self.answer(500, "text/plain", run.stderr)
                return
            with open(reply_file, "rb") as f:
                self.answer(200, "application/timestamp-reply", f.read())

    def answer(self, status, content_type, body):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(f"READY http://127.0.0.1:{server.server_port}", flush=True)

    def stop_when_stdin_closes():
        sys.stdin.read()
        server.shutdown()

    threading.Thread(target=stop_when_stdin_closes, daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
