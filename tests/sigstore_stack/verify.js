#!/usr/bin/env node
// sigstore-js (@sigstore/verify, the verification library of the `sigstore`
// npm package) as a second, independent verifier of our bundles.
//
//   node verify.js --bundle FILE --trusted-root FILE --identity SAN --issuer URL
//                  [--artifact FILE]   (required for message-signature bundles)
//
// Prints "sigstore-js: OK <identity>" and exits 0, or prints the reason and
// exits 1.
'use strict';

const fs = require('fs');
const { bundleFromJSON } = require('@sigstore/bundle');
const { TrustedRoot } = require('@sigstore/protobuf-specs');
const { Verifier, toSignedEntity, toTrustMaterial } = require('@sigstore/verify');

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) args[argv[i].replace(/^--/, '')] = argv[i + 1];
  for (const name of ['bundle', 'trusted-root', 'identity', 'issuer']) {
    if (!args[name]) throw new Error(`--${name} is required`);
  }
  return args;
}

try {
  const args = parseArgs(process.argv.slice(2));
  const bundle = bundleFromJSON(JSON.parse(fs.readFileSync(args.bundle, 'utf8')));
  const root = TrustedRoot.fromJSON(JSON.parse(fs.readFileSync(args['trusted-root'], 'utf8')));
  const verifier = new Verifier(toTrustMaterial(root), {
    tlogThreshold: 1,
    ctlogThreshold: 1,
    timestampThreshold: 1,
  });
  const artifact = args.artifact ? fs.readFileSync(args.artifact) : undefined;
  const signer = verifier.verify(toSignedEntity(bundle, artifact), {
    subjectAlternativeName: args.identity,
    extensions: { issuer: args.issuer },
  });
  process.stdout.write(`sigstore-js: OK ${signer.identity.subjectAlternativeName}\n`);
} catch (e) {
  process.stdout.write(`sigstore-js: FAILED ${e.code || ''} ${e.message}\n`);
  process.exit(1);
}
