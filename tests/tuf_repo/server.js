#!/usr/bin/env node
// A TUF repository simulator on 127.0.0.1 for the TUF client tests. Metadata
// is built and signed with @tufjs/models (an implementation independent of
// the client under test); the test drives repository changes, including
// hostile ones, through a control endpoint.
//
//   node server.js
//
// Prints "READY http://127.0.0.1:PORT" once listening; exits when stdin
// closes (so it never outlives its test) or on SIGTERM.
//
//   GET  /metadata/NAME      published metadata (N.root.json, timestamp.json,
//                            N.snapshot.json, N.targets.json, N.ROLE.json, and
//                            the unversioned names of the latest versions)
//   GET  /NAME.json          the same at the top level, as Sigstore lays out
//                            its repositories (metadata at URL/, targets at
//                            URL/targets/)
//   GET  /targets/PATH       target files, also as DIR/HASH.NAME
//   POST /__control          {"ops": [{"op": ..., ...}, ...]} applied in order
//   GET  /__published/NAME   published metadata, without logging the request
//   GET  /__requests         the metadata and target paths requested so far
//   POST /__requests/clear
//
// Operations (roles: root, timestamp, snapshot, targets, or a delegated
// role's name):
//   add_key {role, keytype: ed25519|ecdsa|ecdsa-p384|rsa, sign: true}
//   remove_key {role, keyid? | index?, keep_signer?}
//   rotate_keys {role, keytype?}          all keys replaced by one new key
//   set_threshold {role, threshold}
//   set_expires {role, days}              days from now (negative: past)
//   set_version {role, version}
//   set_field {role, path: [...], value}  raw change of the signed JSON (null deletes)
//   set_consistent_snapshot {value}
//   hashes_in_meta {value}                lengths and hashes in meta entries
//   add_target {role, path, content, custom?}
//   set_artifact {path, content}          served bytes only (metadata unchanged)
//   add_delegation {delegator, name, paths? | path_hash_prefixes?,
//                   terminating?, keytype?}
//   publish {roles, bump: true, also_sign_with?: [keyid], only_sign_with?: [keyid],
//            duplicate_signatures?: bool}
//   bump_root {also_sign_with?, only_sign_with?}   = publish root, bumped
//   update_snapshot                        refresh snapshot meta from the published
//                                          targets roles, bump, publish; then
//                                          update_timestamp
//   update_timestamp                       the same for timestamp
//   override {file, status?, body?, size?} serve this instead of FILE
//                                          (size: that many filler bytes)
//   clear_override {file}
// Answers {"keyids": {role: [...]}} so a test can name keys.
'use strict';

const crypto = require('crypto');
const http = require('http');
const { canonicalize } = require('@tufjs/canonical-json');
const { Metadata, MetadataKind } = require('@tufjs/models');

const TOP_LEVEL = ['root', 'timestamp', 'snapshot', 'targets'];

function expiresIn(days) {
  const t = new Date(Date.now() + days * 86400 * 1000);
  return t.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function newKey(keytype) {
  let pair, key, sign;
  switch (keytype || 'ed25519') {
    case 'ed25519': {
      pair = crypto.generateKeyPairSync('ed25519');
      const raw = pair.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
      key = { keytype: 'ed25519', scheme: 'ed25519', keyval: { public: raw.toString('hex') } };
      sign = (data) => crypto.sign(null, data, pair.privateKey);
      break;
    }
    case 'ecdsa':
    case 'ecdsa-p384': {
      const p384 = keytype === 'ecdsa-p384';
      pair = crypto.generateKeyPairSync('ec', { namedCurve: p384 ? 'P-384' : 'P-256' });
      key = {
        keytype: 'ecdsa',
        scheme: p384 ? 'ecdsa-sha2-nistp384' : 'ecdsa-sha2-nistp256',
        keyval: { public: pair.publicKey.export({ format: 'pem', type: 'spki' }) },
      };
      sign = (data) => crypto.sign(p384 ? 'sha384' : 'sha256', data, pair.privateKey);
      break;
    }
    case 'rsa': {
      pair = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
      key = {
        keytype: 'rsa',
        scheme: 'rsassa-pss-sha256',
        keyval: { public: pair.publicKey.export({ format: 'pem', type: 'spki' }) },
      };
      sign = (data) => crypto.sign('sha256', data, {
        key: pair.privateKey,
        padding: crypto.constants.RSA_PKCS1_PSS_PADDING,
        saltLength: crypto.constants.RSA_PSS_SALTLEN_DIGEST,
      });
      break;
    }
    default:
      throw new Error(`unknown keytype ${keytype}`);
  }
  const keyid = crypto.createHash('sha256').update(canonicalize(key)).digest('hex');
  return { keyid, key, sign };
}

const sha256 = (b) => crypto.createHash('sha256').update(b).digest('hex');
const sha512 = (b) => crypto.createHash('sha512').update(b).digest('hex');

class Repository {
  constructor() {
    this.keystore = new Map();   // keyid -> {key, sign}
    this.signers = {};           // role -> [keyid]
    this.signed = {};            // role -> the "signed" JSON being edited
    this.delegators = {};        // delegated role -> delegating role
    this.published = new Map();  // metadata file name -> Buffer
    this.versions = {};          // role -> last published version
    this.artifacts = new Map();  // target path -> Buffer
    this.overrides = new Map();  // file -> {status, body}
    this.hashesInMeta = false;
    this.requests = [];

    const root = {
      _type: 'root', spec_version: '1.0.31', version: 1, expires: expiresIn(365),
      consistent_snapshot: true, keys: {}, roles: {},
    };
    this.signed.root = root;
    for (const role of TOP_LEVEL) {
      root.roles[role] = { keyids: [], threshold: 1 };
      this.signers[role] = [];
      this.addKey(role, 'ed25519');
    }
    this.signed.targets = { _type: 'targets', spec_version: '1.0.31', version: 1, expires: expiresIn(30), targets: {} };
    this.signed.snapshot = { _type: 'snapshot', spec_version: '1.0.31', version: 1, expires: expiresIn(30), meta: { 'targets.json': { version: 1 } } };
    this.signed.timestamp = { _type: 'timestamp', spec_version: '1.0.31', version: 1, expires: expiresIn(7), meta: { 'snapshot.json': { version: 1 } } };
    this.publish({ roles: ['root', 'targets', 'snapshot', 'timestamp'], bump: false });
  }

  // The object holding a role's keys and its {keyids, threshold} entry.
  roleEntry(role) {
    if (TOP_LEVEL.includes(role)) return { keys: this.signed.root.keys, entry: this.signed.root.roles[role] };
    const delegator = this.delegators[role];
    if (!delegator) throw new Error(`unknown role ${role}`);
    const d = this.signed[delegator].delegations;
    return { keys: d.keys, entry: d.roles.find((r) => r.name === role) };
  }

  addKey(role, keytype, sign = true) {
    const k = newKey(keytype);
    this.keystore.set(k.keyid, k);
    const { keys, entry } = this.roleEntry(role);
    keys[k.keyid] = k.key;
    entry.keyids.push(k.keyid);
    if (sign) this.signers[role].push(k.keyid);
    return k.keyid;
  }

  removeKey(role, keyid, keepSigner) {
    const { entry } = this.roleEntry(role);
    entry.keyids = entry.keyids.filter((id) => id !== keyid);
    if (!keepSigner) this.signers[role] = this.signers[role].filter((id) => id !== keyid);
  }

  // Files are kept under their decoded names ("../x.json" for role "../x");
  // requests are decoded before the lookup.
  fileName(role) {
    return `${role}.json`;
  }

  // Signs the role's current signed JSON with @tufjs/models and stores the
  // bytes under the versioned and the unversioned name.
  publish({ roles, bump = true, also_sign_with = [], only_sign_with, duplicate_signatures = false }) {
    for (const role of roles) {
      const signed = this.signed[role];
      if (bump) signed.version += 1;
      const kind = TOP_LEVEL.includes(role) ? role : 'targets';
      const keyids = only_sign_with || [...this.signers[role], ...also_sign_with];
      let doc;
      try {
        const md = Metadata.fromJSON(kind, { signed: JSON.parse(JSON.stringify(signed)), signatures: [] });
        for (const keyid of new Set(keyids)) {
          const k = this.keystore.get(keyid);
          md.sign((data) => ({ keyID: keyid, sig: k.sign(data).toString('hex') }));
        }
        doc = md.toJSON();
      } catch (e) {
        // Deliberately malformed metadata (set_field) that the models refuse:
        // signed by hand over the same canonical form.
        const data = Buffer.from(canonicalize(signed));
        doc = { signed, signatures: [...new Set(keyids)].map((keyid) => ({ keyid, sig: this.keystore.get(keyid).sign(data).toString('hex') })) };
      }
      if (duplicate_signatures) doc.signatures = doc.signatures.concat(doc.signatures);
      const bytes = Buffer.from(JSON.stringify(doc, null, 2));
      const file = this.fileName(role);
      if (role !== 'timestamp') this.published.set(`${signed.version}.${file}`, bytes);
      this.published.set(file, bytes);
      this.versions[role] = signed.version;
    }
  }

  metaFor(file) {
    const bytes = this.published.get(file);
    const role = file.slice(0, -'.json'.length);
    const meta = { version: this.versions[role] };
    if (this.hashesInMeta) {
      meta.length = bytes.length;
      meta.hashes = { sha256: sha256(bytes) };
    }
    return meta;
  }

  updateTimestamp() {
    this.signed.timestamp.meta = { 'snapshot.json': this.metaFor('snapshot.json') };
    this.publish({ roles: ['timestamp'] });
  }

  updateSnapshot() {
    const meta = { 'targets.json': this.metaFor('targets.json') };
    for (const role of Object.keys(this.delegators)) {
      if (this.versions[role] !== undefined) meta[`${role}.json`] = this.metaFor(this.fileName(role));
    }
    this.signed.snapshot.meta = meta;
    this.publish({ roles: ['snapshot'] });
    this.updateTimestamp();
  }

  addTarget(role, path, content, custom) {
    const bytes = Buffer.from(content);
    this.artifacts.set(path, bytes);
    const entry = { length: bytes.length, hashes: { sha256: sha256(bytes), sha512: sha512(bytes) } };
    if (custom) entry.custom = custom;
    this.signed[role].targets[path] = entry;
  }

  addDelegation(op) {
    const delegator = op.delegator || 'targets';
    const parent = this.signed[delegator];
    if (!parent.delegations) parent.delegations = { keys: {}, roles: [] };
    const role = { name: op.name, keyids: [], threshold: 1, terminating: !!op.terminating };
    if (op.path_hash_prefixes) role.path_hash_prefixes = op.path_hash_prefixes;
    else role.paths = op.paths || ['*'];
    parent.delegations.roles.push(role);
    this.delegators[op.name] = delegator;
    this.signers[op.name] = [];
    this.signed[op.name] = { _type: 'targets', spec_version: '1.0.31', version: 1, expires: expiresIn(30), targets: {} };
    this.addKey(op.name, op.keytype || 'ed25519');
  }

  apply(op) {
    switch (op.op) {
      case 'add_key': return this.addKey(op.role, op.keytype, op.sign !== false);
      case 'remove_key': {
        const { entry } = this.roleEntry(op.role);
        const keyid = op.keyid || entry.keyids[op.index || 0];
        return this.removeKey(op.role, keyid, op.keep_signer);
      }
      case 'rotate_keys': {
        const { entry } = this.roleEntry(op.role);
        for (const keyid of [...entry.keyids]) this.removeKey(op.role, keyid, false);
        return this.addKey(op.role, op.keytype);
      }
      case 'set_threshold': this.roleEntry(op.role).entry.threshold = op.threshold; return;
      case 'set_expires': this.signed[op.role].expires = expiresIn(op.days); return;
      case 'set_version': this.signed[op.role].version = op.version; return;
      case 'set_field': {
        let target = this.signed[op.role];
        for (const p of op.path.slice(0, -1)) target = target[p];
        const last = op.path[op.path.length - 1];
        if (op.value === undefined || op.value === null) delete target[last];
        else target[last] = op.value;
        return;
      }
      case 'set_consistent_snapshot': this.signed.root.consistent_snapshot = op.value; return;
      case 'hashes_in_meta': this.hashesInMeta = op.value; return;
      case 'add_target': return this.addTarget(op.role || 'targets', op.path, op.content, op.custom);
      case 'set_artifact': this.artifacts.set(op.path, Buffer.from(op.content)); return;
      case 'add_delegation': return this.addDelegation(op);
      case 'publish': return this.publish(op);
      case 'bump_root': return this.publish({ ...op, roles: ['root'], bump: true });
      case 'update_snapshot': return this.updateSnapshot();
      case 'update_timestamp': return this.updateTimestamp();
      case 'override': {
        let body = op.body !== undefined ? Buffer.from(op.body) : null;
        if (op.size !== undefined) body = Buffer.alloc(op.size, 0x20);
        this.overrides.set(op.file, { status: op.status || 200, body });
        return;
      }
      case 'clear_override': this.overrides.delete(op.file); return;
      default: throw new Error(`unknown op ${op.op}`);
    }
  }

  keyids() {
    const out = {};
    for (const role of Object.keys(this.signers)) out[role] = this.roleEntry(role).entry.keyids;
    return out;
  }

  // A target file by path, or by DIR/HASH.NAME.
  artifact(path) {
    if (this.artifacts.has(path)) return this.artifacts.get(path);
    const slash = path.lastIndexOf('/');
    const dir = path.slice(0, slash + 1);
    const m = /^[0-9a-f]{64,128}\.(.*)$/.exec(path.slice(slash + 1));
    if (!m) return null;
    return this.artifacts.get(dir + m[1]) || null;
  }
}

function send(res, status, body, type) {
  res.writeHead(status, { 'Content-Type': type || 'application/octet-stream', 'Content-Length': body.length });
  res.end(body);
}

async function main() {
  const repo = new Repository();
  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const url = new URL(req.url, 'http://127.0.0.1');
    const path = decodeURIComponent(url.pathname);
    try {
      if (req.method === 'POST' && path === '/__control') {
        const { ops } = JSON.parse(Buffer.concat(chunks).toString() || '{}');
        const results = (ops || []).map((op) => repo.apply(op));
        return send(res, 200, Buffer.from(JSON.stringify({ results, keyids: repo.keyids() })), 'application/json');
      }
      if (path.startsWith('/__published/')) {
        const bytes = repo.published.get(path.slice('/__published/'.length));
        return bytes ? send(res, 200, bytes, 'application/json') : send(res, 404, Buffer.from('not found'));
      }
      if (path === '/__requests') return send(res, 200, Buffer.from(JSON.stringify(repo.requests)), 'application/json');
      if (path === '/__requests/clear') {
        repo.requests = [];
        return send(res, 200, Buffer.from('[]'), 'application/json');
      }
      repo.requests.push(url.pathname);
      // Metadata under /metadata/, and at the top level as Sigstore's
      // repositories publish it (URL/N.root.json, URL/targets/...).
      const topLevel = /^\/[^/]+\.json$/.test(path);
      if (path.startsWith('/metadata/') || topLevel) {
        const file = topLevel ? path.slice(1) : path.slice('/metadata/'.length);
        const override = repo.overrides.get(file);
        if (override) return send(res, override.status, override.body || Buffer.alloc(0));
        const bytes = repo.published.get(file);
        return bytes ? send(res, 200, bytes, 'application/json') : send(res, 404, Buffer.from('not found'));
      }
      if (path.startsWith('/targets/')) {
        const bytes = repo.artifact(path.slice('/targets/'.length));
        return bytes ? send(res, 200, bytes) : send(res, 404, Buffer.from('not found'));
      }
      return send(res, 404, Buffer.from('not found'));
    } catch (e) {
      return send(res, 400, Buffer.from(String(e && e.stack || e)), 'text/plain');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.stdout.write(`READY http://127.0.0.1:${server.address().port}\n`);
  const stop = () => {
    server.close();
    process.exit(0);
  };
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  process.stderr.write(`${e.stack || e}\n`);
  process.exit(1);
});
