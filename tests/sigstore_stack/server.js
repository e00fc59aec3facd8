#!/usr/bin/env node
// A local Sigstore stack for tests: Fulcio (with its CT log), Rekor v1,
// Rekor v2, an RFC 3161 TSA and an OIDC provider, each on its own port on
// 127.0.0.1, built on @sigstore/mock.
//
//   node server.js --dir DIR [--rekor v1|v2|both] [--selector ANY|ALL] [--no-tsa]
//
// Writes DIR/trusted_root.json, DIR/signing_config.json,
// DIR/trust_config.json (client trust config) and DIR/stack.json (URLs and
// test secrets), then prints "READY" on stdout. It exits when stdin closes
// (so it never outlives the test that started it) or on SIGTERM.
//
// Every port also answers the control endpoints:
//   POST /__faults   {"fulcio": {...}, "rekor": {...}, ...} replaces the knobs
//   GET  /__requests the requests seen so far
//   GET  /__token?sub=&email=&aud=&exp_offset=  a signed identity token
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { Service, json } = require('./lib/service');
const { OidcProvider } = require('./lib/oidc');
const { createFulcio } = require('./lib/fulcio');
const { createRekorV1, createRekorV2 } = require('./lib/rekor');
const { createTsa } = require('./lib/tsa');
const trust = require('./lib/trust');

function parseArgs(argv) {
  const args = { rekor: 'v1', selector: 'ANY', tsa: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--dir') args.dir = argv[++i];
    else if (a === '--rekor') args.rekor = argv[++i];
    else if (a === '--selector') args.selector = argv[++i];
    else if (a === '--no-tsa') args.tsa = false;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!args.dir) throw new Error('--dir is required');
  return args;
}

const newKeys = () => crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const state = { faults: {}, requests: [] };
  const names = ['oidc', 'fulcio', 'rekor1', 'rekor2', 'tsa'];
  const services = {};
  for (const name of names) services[name] = await new Service(name, state).listen();
  state.services = Object.values(services);

  const oidc = new OidcProvider(services.oidc, state);
  state.control = async (method, url, body) => {
    if (method === 'POST' && url.pathname === '/__faults') {
      state.faults = JSON.parse(body.toString() || '{}');
      return json(200, state.faults);
    }
    if (method === 'GET' && url.pathname === '/__requests') return json(200, state.requests);
    if (method === 'GET' && url.pathname === '/__token') {
      const q = url.searchParams;
      const claims = { sub: q.get('sub') || oidc.githubSubject };
      if (q.get('email')) claims.email = q.get('email');
      const token = await oidc.mint(claims, {
        aud: q.get('aud') || undefined,
        expOffset: q.get('exp_offset') || undefined,
      });
      return { statusCode: 200, response: token, contentType: 'text/plain' };
    }
    return json(404, { message: 'unknown control endpoint' });
  };

  const keys = {
    ca: newKeys(), otherCa: newKeys(), ctlog: newKeys(),
    rekor1: newKeys(), rekor2: newKeys(), tsa: newKeys(), otherTsa: newKeys(),
  };
  const { ca } = await createFulcio(services.fulcio, state, keys, oidc);
  const useV1 = args.rekor === 'v1' || args.rekor === 'both';
  const useV2 = args.rekor === 'v2' || args.rekor === 'both';
  await createRekorV1(services.rekor1, state, keys.rekor1);
  await createRekorV2(services.rekor2, state, keys.rekor2);
  const tsaAuthority = await createTsa(services.tsa, state, keys);

  const start = new Date(Date.now() - 60 * 1000).toISOString();
  const described = {
    start,
    selector: args.selector,
    fulcio: services.fulcio,
    fulcioRoot: ca.rootCertificate,
    ctlogKey: keys.ctlog.publicKey,
    oidc: services.oidc,
    rekorV1: useV1 ? { url: services.rekor1.url, keys: keys.rekor1 } : null,
    rekorV2: useV2 ? { url: services.rekor2.url, keys: keys.rekor2 } : null,
    tsa: args.tsa ? { url: services.tsa.url, authority: tsaAuthority } : null,
  };
  const root = trust.trustedRoot(described);
  const signing = trust.signingConfig(described);
  fs.mkdirSync(args.dir, { recursive: true });
  const write = (name, value) =>
    fs.writeFileSync(path.join(args.dir, name), JSON.stringify(value, null, 2));
  write('trusted_root.json', root);
  write('signing_config.json', signing);
  write('trust_config.json', trust.clientTrustConfig(root, signing));
  const urls = {};
  for (const name of names) urls[name] = services[name].url;
  write('stack.json', {
    urls,
    issuer: oidc.issuer,
    interactiveIdentity: oidc.user.email,
    githubRequestToken: oidc.githubRequestToken,
    githubSubject: oidc.githubSubject,
    gcpSubject: oidc.gcpSubject,
    gcpImpersonated: oidc.gcpImpersonated,
  });

  const stop = () => {
    for (const s of Object.values(services)) s.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
  process.stdout.write('READY\n');
}

main().catch((e) => {
  process.stderr.write(`sigstore stack failed to start: ${e.stack || e}\n`);
  process.exit(1);
});
