// One HTTP listener on 127.0.0.1 per service, routing requests to handlers
// shaped like @sigstore/mock's ({path, fn(body) -> {statusCode, response,
// contentType}}), with the failure knobs every service shares: a forced
// status for the next N requests and a response delay.
'use strict';

const http = require('http');

// faults: {status, count, delayMs}; count < 0 (or absent) means "always".
function takeFault(faults) {
  if (!faults || !faults.status) return null;
  if (faults.count === 0) return null;
  if (faults.count > 0) faults.count -= 1;
  return faults.status;
}

class Service {
  // name: label for the request log; state: the shared stack state.
  constructor(name, state) {
    this.name = name;
    this.state = state;
    this.routes = [];  // {method, path, fn(req, body) -> result}
    this.server = http.createServer((req, res) => this.dispatch(req, res));
    this.sockets = new Set();
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  // fn(body, req) returns {statusCode, response, contentType, headers}.
  route(method, path, fn) {
    this.routes.push({ method, path, fn });
  }

  // A @sigstore/mock handler, served on POST.
  mockHandler(handler, path) {
    this.route('POST', path || handler.path, (body) => handler.fn(body));
  }

  async listen() {
    await new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = this.server.address().port;
    this.url = `http://127.0.0.1:${this.port}`;
    return this;
  }

  close() {
    for (const s of this.sockets) s.destroy();
    this.server.close();
  }

  faults() {
    return this.state.faults[this.name] || {};
  }

  async dispatch(req, res) {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url, this.url);
    const proxied = /^https?:/.test(req.url);
    // Absolute-form request lines arrive through a forward proxy (http_proxy):
    // every port also acts as one, handing the request to the service it names.
    const target = proxied && url.host !== new URL(this.url).host
      ? this.state.services.find((s) => new URL(s.url).host === url.host)
      : this;
    if (!target) return send(res, { statusCode: 502, response: `proxy: unknown host ${url.host}` });
    this.state.requests.push({
      service: target.name,
      method: req.method,
      path: url.pathname,
      proxied,
      authorization: req.headers.authorization ? 'present' : 'absent',
    });
    return target.handle(req, res, url, body);
  }

  async handle(req, res, url, body) {
    try {
      if (url.pathname.startsWith('/__')) {
        return send(res, await this.state.control(req.method, url, body));
      }
      // A path ending in '/*' matches everything below it.
      const route = this.routes.find((r) => r.method === req.method && (r.path.endsWith('/*')
        ? url.pathname.startsWith(r.path.slice(0, -1)) : r.path === url.pathname));
      if (!route) return send(res, { statusCode: 404, response: 'not found' });
      const faults = this.faults();
      if (faults.delayMs) await new Promise((r) => setTimeout(r, faults.delayMs));
      const status = takeFault(faults);
      if (status) {
        return send(res, {
          statusCode: status,
          response: JSON.stringify({ code: status, message: `injected ${this.name} failure` }),
          contentType: 'application/json',
        });
      }
      send(res, await route.fn(body, req, url));
    } catch (e) {
      send(res, { statusCode: 500, response: `stack error: ${e.stack || e}` });
    }
  }
}

function send(res, result) {
  if (res.destroyed) return;
  const headers = Object.assign({}, result.headers || {});
  if (result.contentType) headers['Content-Type'] = result.contentType;
  res.writeHead(result.statusCode, headers);
  res.end(result.response === undefined ? '' : result.response);
}

function json(statusCode, value) {
  return { statusCode, response: JSON.stringify(value), contentType: 'application/json' };
}

module.exports = { Service, json };
