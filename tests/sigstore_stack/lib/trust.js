// The trust material describing the stack: a trusted root (what verifiers
// trust), a signing config v0.2 (which services signers use) and the client
// trust config that bundles both.
'use strict';

const crypto = require('crypto');

const b64 = (buf) => Buffer.from(buf).toString('base64');
const spki = (publicKey) => publicKey.export({ format: 'der', type: 'spki' });
const keyId = (publicKey) => b64(crypto.createHash('sha256').update(spki(publicKey)).digest());

function logEntry(url, publicKey, start) {
  return {
    baseUrl: url,
    hashAlgorithm: 'SHA2_256',
    publicKey: {
      rawBytes: b64(spki(publicKey)),
      keyDetails: 'PKIX_ECDSA_P256_SHA_256',
      validFor: { start },
    },
    logId: { keyId: keyId(publicKey) },
  };
}

function trustedRoot({ start, fulcio, fulcioRoot, ctlogKey, rekorV1, rekorV2, tsa }) {
  const tlogs = [];
  if (rekorV1) tlogs.push(logEntry(rekorV1.url, rekorV1.keys.publicKey, start));
  if (rekorV2) tlogs.push(logEntry(rekorV2.url, rekorV2.keys.publicKey, start));
  return {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs,
    certificateAuthorities: [{
      subject: { organization: 'sigstore.mock', commonName: 'sigstore' },
      uri: fulcio.url,
      certChain: { certificates: [{ rawBytes: b64(fulcioRoot) }] },
      validFor: { start },
    }],
    ctlogs: [logEntry('http://ctlog.invalid', ctlogKey, start)],
    timestampAuthorities: tsa ? [{
      subject: { organization: 'sigstore.mock', commonName: 'tsa' },
      uri: `${tsa.url}/api/v1/timestamp`,
      certChain: {
        certificates: [{ rawBytes: b64(tsa.authority.intCertificate) },
          { rawBytes: b64(tsa.authority.rootCertificate) }],
      },
      validFor: { start },
    }] : [],
  };
}

function service(url, majorApiVersion, start, operator) {
  return { url, majorApiVersion, validFor: { start }, operator: operator || 'stack.local' };
}

function signingConfig({ start, fulcio, oidc, rekorV1, rekorV2, tsa, selector }) {
  const rekorTlogUrls = [];
  // Separate operators, so that selector ALL picks both logs.
  if (rekorV2) rekorTlogUrls.push(service(rekorV2.url, 2, start, 'rekor-v2.stack.local'));
  if (rekorV1) rekorTlogUrls.push(service(rekorV1.url, 1, start, 'rekor-v1.stack.local'));
  return {
    mediaType: 'application/vnd.dev.sigstore.signingconfig.v0.2+json',
    caUrls: [service(fulcio.url, 1, start)],
    oidcUrls: [service(oidc.url, 1, start)],
    rekorTlogUrls,
    tsaUrls: tsa ? [service(`${tsa.url}/api/v1/timestamp`, 1, start)] : [],
    rekorTlogConfig: { selector: selector || 'ANY' },
    tsaConfig: { selector: 'ANY' },
  };
}

function clientTrustConfig(root, signing) {
  return {
    mediaType: 'application/vnd.dev.sigstore.clienttrustconfig.v0.1+json',
    trustedRoot: root,
    signingConfig: signing,
  };
}

module.exports = { trustedRoot, signingConfig, clientTrustConfig };
