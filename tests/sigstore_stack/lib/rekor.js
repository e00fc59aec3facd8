// Rekor v1 and v2 in front of @sigstore/mock's transparency log, doing what
// the real services do before logging: verify the submitted signature and
// canonicalize the entry (Rekor v1 `dsse` 0.0.1; Rekor v2 `hashedrekord`
// 0.0.2, which for a DSSE envelope records SHA-256(PAE)).
//
// Knobs: `body: 'other'` logs (and returns) an entry for a different body;
// `proof: 'bad'` returns an inclusion proof that does not lead to the root
// of its (validly signed) checkpoint; `conflict: 'once'` logs the entry but
// answers 409 Conflict with its Location, as Rekor does when an equivalent
// entry exists (e.g. a retried POST whose first answer was lost), and
// `conflict: 'no-location'` answers 409 without one. Rekor v1 also serves
// GET /api/v1/log/entries/<uuid> for the entries it logged.
'use strict';

const crypto = require('crypto');
const canonicalize = require('canonicalize');
const { initializeTLog, rekorHandler } = require('@sigstore/mock');
const { json } = require('./service');

const sha256 = (data) => crypto.createHash('sha256').update(data).digest();

function pae(type, payload) {
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${payload.length} `),
    payload,
  ]);
}

// Signs a checkpoint note as a log does (signed-note format; the key hint is
// the first four bytes of the log ID).
function signCheckpoint(origin, treeSize, rootHash, keys) {
  const logID = sha256(keys.publicKey.export({ format: 'der', type: 'spki' }));
  const note = `${origin}\n${treeSize}\n${rootHash.toString('base64')}\n`;
  const sig = crypto.sign('sha256', Buffer.from(note), keys.privateKey);
  const name = origin.split(' ')[0];
  return `${note}\n\u2014 ${name} ${Buffer.concat([logID.subarray(0, 4), sig]).toString('base64')}\n`;
}

// A proof for leaf 0 of a two-leaf tree whose root is not the one the
// leaf and sibling hash to.
function badProof(origin, keys) {
  const root = crypto.randomBytes(32);
  return {
    logIndex: 0,
    treeSize: 2,
    rootHash: root,
    hashes: [crypto.randomBytes(32)],
    checkpoint: signCheckpoint(origin, 2, root, keys),
  };
}

function verifyWithCert(certPem, data, signature) {
  return crypto.verify('sha256', data, new crypto.X509Certificate(certPem).publicKey, signature);
}

async function createRekorV1(service, state, keys) {
  const tlog = await initializeTLog(service.url, keys);
  const mock = rekorHandler(tlog);
  const host = new URL(service.url).host;
  const logged = new Map();  // uuid -> the create answer's entry

  service.route('GET', '/api/v1/log/entries/*', (_body, _req, url) => {
    const uuid = url.pathname.split('/').pop();
    const entry = logged.get(uuid);
    if (!entry) return json(404, { code: 404, message: `no entry ${uuid}` });
    return json(200, { [uuid]: entry });
  });

  service.route('POST', '/api/v1/log/entries', async (body) => {
    let proposed;
    let envelope;
    let certPem;
    try {
      proposed = JSON.parse(body.toString());
      if (proposed.kind === 'hashedrekord' && proposed.apiVersion === '0.0.1') {
        return logHashedRekord(proposed);
      }
      if (proposed.kind !== 'dsse' || proposed.apiVersion !== '0.0.1') {
        return json(400, { code: 400, message: `unsupported entry type ${proposed.kind} ${proposed.apiVersion}` });
      }
      envelope = JSON.parse(proposed.spec.proposedContent.envelope);
      certPem = Buffer.from(proposed.spec.proposedContent.verifiers[0], 'base64').toString();
    } catch (e) {
      return json(400, { code: 400, message: `malformed dsse entry: ${e.message}` });
    }
    const payload = Buffer.from(envelope.payload, 'base64');
    const sig = Buffer.from(envelope.signatures[0].sig, 'base64');
    if (!verifyWithCert(certPem, pae(envelope.payloadType, payload), sig)) {
      return json(400, { code: 400, message: 'signature does not verify with the given verifier' });
    }
    const faults = state.faults.rekor || {};
    const payloadHash = faults.body === 'other' ? sha256('another payload') : sha256(payload);
    const canonical = {
      apiVersion: '0.0.1',
      kind: 'dsse',
      spec: {
        envelopeHash: { algorithm: 'sha256', value: sha256(proposed.spec.proposedContent.envelope).toString('hex') },
        payloadHash: { algorithm: 'sha256', value: payloadHash.toString('hex') },
        signatures: [{ signature: envelope.signatures[0].sig, verifier: Buffer.from(certPem).toString('base64') }],
      },
    };
    return logCanonical(canonical);
  });

  // A signature over an artifact's SHA-256. (Node cannot check ECDSA over a
  // bare digest, so the signature is left to the verifiers.)
  function logHashedRekord(proposed) {
    const spec = proposed.spec;
    const faults = state.faults.rekor || {};
    const value = faults.body === 'other'
      ? sha256('another artifact').toString('hex') : spec.data.hash.value;
    return logCanonical({
      apiVersion: '0.0.1',
      kind: 'hashedrekord',
      spec: {
        data: { hash: { algorithm: spec.data.hash.algorithm, value } },
        signature: { content: spec.signature.content, publicKey: { content: spec.signature.publicKey.content } },
      },
    });
  }

  async function logCanonical(canonical) {
    const faults = state.faults.rekor || {};
    const result = await mock.fn(JSON.stringify(canonical));
    if (result.statusCode === 201) {
      const [uuid, entry] = Object.entries(JSON.parse(result.response))[0];
      logged.set(uuid, entry);
      if (faults.conflict) {
        const conflict = faults.conflict;
        if (conflict === 'once') delete faults.conflict;
        return {
          statusCode: 409,
          headers: conflict === 'no-location' ? {} : { Location: `/api/v1/log/entries/${uuid}` },
          contentType: 'application/json',
          response: JSON.stringify({
            code: 409, message: `An equivalent entry already exists in the transparency log with UUID ${uuid}`,
          }),
        };
      }
    }
    if (result.statusCode !== 201 || faults.proof !== 'bad') return result;
    const response = JSON.parse(result.response);
    const entry = Object.values(response)[0];
    const proof = badProof(`${host} - 1`, keys);
    entry.verification.inclusionProof = {
      logIndex: proof.logIndex,
      treeSize: proof.treeSize,
      rootHash: proof.rootHash.toString('hex'),
      hashes: proof.hashes.map((h) => h.toString('hex')),
      checkpoint: proof.checkpoint,
    };
    return json(201, response);
  }
  return tlog;
}

// RFC 6962 Merkle tree over the leaves this log has accepted, so proofs
// are real paths (not just size-1 trees).
class MerkleLog {
  constructor(seedLeaves) {
    this.leaves = [];
    for (let i = 0; i < seedLeaves; i++) this.leaves.push(this.leafHash(crypto.randomBytes(16)));
  }
  leafHash(data) {
    return sha256(Buffer.concat([Buffer.from([0]), data]));
  }
  nodeHash(l, r) {
    return sha256(Buffer.concat([Buffer.from([1]), l, r]));
  }
  root(from, to) {
    if (to - from === 1) return this.leaves[from];
    const k = largestPowerOfTwoBelow(to - from);
    return this.nodeHash(this.root(from, from + k), this.root(from + k, to));
  }
  // Audit path for leaf `index` in the tree [from, to).
  path(index, from, to) {
    if (to - from === 1) return [];
    const k = largestPowerOfTwoBelow(to - from);
    if (index < from + k) return [...this.path(index, from, from + k), this.root(from + k, to)];
    return [...this.path(index, from + k, to), this.root(from, from + k)];
  }
  append(body) {
    this.leaves.push(this.leafHash(body));
    return this.leaves.length - 1;
  }
}

function largestPowerOfTwoBelow(n) {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

// @sigstore/mock's Rekor v2 records the request rather than the log entry,
// so the v2 log is built here.
async function createRekorV2(service, state, keys) {
  const origin = new URL(service.url).host;
  const log = new MerkleLog(5);
  const logID = sha256(keys.publicKey.export({ format: 'der', type: 'spki' }));

  service.route('POST', '/api/v2/log/entries', async (body) => {
    let spec;
    try {
      spec = JSON.parse(body.toString()).hashedRekordRequestV002;
      if (!spec) return json(400, { code: 3, message: 'only hashedRekordRequestV002 is supported' });
    } catch (e) {
      return json(400, { code: 3, message: `malformed request: ${e.message}` });
    }
    const digest = Buffer.from(spec.digest, 'base64');
    const signature = Buffer.from(spec.signature.content, 'base64');
    const cert = Buffer.from(spec.signature.verifier.x509Certificate.rawBytes, 'base64');
    // Node cannot verify ECDSA over a bare digest, so unlike the real log this
    // one does not check the signature here; the verifiers check it (and the
    // digest) against the bundle.
    if (digest.length !== 32 || signature.length === 0) {
      return json(400, { code: 3, message: 'digest must be 32 bytes and the signature non-empty' });
    }
    try {
      new crypto.X509Certificate(cert);
    } catch (e) {
      return json(400, { code: 3, message: `verifier is not a certificate: ${e.message}` });
    }
    const faults = state.faults.rekor || {};
    const recorded = faults.body === 'other' ? sha256('another artifact') : digest;
    const entryBody = Buffer.from(canonicalize({
      apiVersion: '0.0.2',
      kind: 'hashedrekord',
      spec: {
        hashedRekordV002: {
          data: { algorithm: 'SHA2_256', digest: recorded.toString('base64') },
          signature: {
            content: spec.signature.content,
            verifier: {
              keyDetails: spec.signature.verifier.keyDetails,
              x509Certificate: { rawBytes: spec.signature.verifier.x509Certificate.rawBytes },
            },
          },
        },
      },
    }));
    const index = log.append(entryBody);
    const size = log.leaves.length;
    let proof = {
      logIndex: index,
      treeSize: size,
      rootHash: log.root(0, size),
      hashes: log.path(index, 0, size),
    };
    proof.checkpoint = signCheckpoint(origin, size, proof.rootHash, keys);
    if (faults.proof === 'bad') proof = badProof(origin, keys);
    return json(201, {
      logIndex: String(proof.logIndex),
      logId: { keyId: logID.toString('base64') },
      kindVersion: { kind: 'hashedrekord', version: '0.0.2' },
      canonicalizedBody: entryBody.toString('base64'),
      inclusionProof: {
        logIndex: String(proof.logIndex),
        rootHash: proof.rootHash.toString('base64'),
        treeSize: String(proof.treeSize),
        hashes: proof.hashes.map((h) => h.toString('base64')),
        checkpoint: { envelope: proof.checkpoint },
      },
    });
  });
}

module.exports = { createRekorV1, createRekorV2 };
