// Fulcio: @sigstore/mock's CA and CT log behind the checks the real service
// makes first (the identity token's signature, issuer, audience and expiry;
// the CSR's proof of possession). Knobs: `chain: 'untrusted'` issues from a
// CA that is not in the trusted root, `sct: 'missing' | 'invalid'` leaves the
// SCT out or makes its signature fail.
'use strict';

require('reflect-metadata');  // @peculiar/x509 needs it loaded first
const x509 = require('@peculiar/x509');
const { Crypto } = require('@peculiar/webcrypto');
const { fulcioHandler, initializeCA, initializeCTLog } = require('@sigstore/mock');
const { json } = require('./service');

x509.cryptoProvider.set(new Crypto());

// A CT log whose SCTs carry the trusted log's ID but a timestamp that no
// longer matches the signature: well formed, and invalid.
function tamperedCTLog(ctlog) {
  return {
    publicKey: ctlog.publicKey,
    logID: ctlog.logID,
    log: async (cert, issuerID) => {
      const sct = Buffer.from(await ctlog.log(cert, issuerID));
      // length(2) version(1) logID(32) timestamp(8): one millisecond later.
      sct[2 + 1 + 32 + 7] ^= 0x01;
      return sct;
    },
  };
}

async function handlersFor(ca) {
  return {
    sub: fulcioHandler(ca, { subjectClaim: 'sub' }),
    email: fulcioHandler(ca, { subjectClaim: 'email' }),
  };
}

async function createFulcio(service, state, keys, oidc) {
  const ctlog = await initializeCTLog(keys.ctlog);
  const ca = await initializeCA(keys.ca, ctlog);
  const variants = {
    good: await handlersFor(ca),
    untrusted: await handlersFor(await initializeCA(keys.otherCa, ctlog)),
    missingSct: await handlersFor(await initializeCA(keys.ca, undefined)),
    invalidSct: await handlersFor(await initializeCA(keys.ca, tamperedCTLog(ctlog))),
  };

  service.route('POST', '/api/v2/signingCert', async (body, req) => {
    let request;
    try {
      request = JSON.parse(body.toString());
    } catch (e) {
      return json(400, { code: 3, message: 'malformed request' });
    }
    const token = request.credentials && request.credentials.oidcIdentityToken;
    const bearer = (req.headers.authorization || '').replace(/^Bearer /i, '');
    if (!token || (bearer && bearer !== token)) {
      return json(401, { code: 16, message: 'missing or inconsistent identity token' });
    }
    let claims;
    try {
      claims = await oidc.verify(token);
    } catch (e) {
      return json(401, { code: 16, message: `There was an error processing the identity token: ${e.code || e.message}` });
    }
    if (!request.certificateSigningRequest) {
      return json(400, { code: 3, message: 'only certificateSigningRequest is supported' });
    }
    const pem = Buffer.from(request.certificateSigningRequest, 'base64').toString();
    let csr;
    try {
      csr = new x509.Pkcs10CertificateRequest(pem);
    } catch (e) {
      return json(400, { code: 3, message: `invalid CSR: ${e.message}` });
    }
    if (!(await csr.verify())) {
      return json(400, { code: 3, message: 'CSR signature (proof of possession) does not verify' });
    }
    const faults = state.faults.fulcio || {};
    let variant = variants.good;
    if (faults.chain === 'untrusted') variant = variants.untrusted;
    if (faults.sct === 'missing') variant = variants.missingSct;
    if (faults.sct === 'invalid') variant = variants.invalidSct;
    const handler = claims.email ? variant.email : variant.sub;
    const forwarded = JSON.stringify({
      credentials: { oidcIdentityToken: token },
      certificateSigningRequest: pem,
    });
    return handler.fn(forwarded);
  });

  return { ca, ctlog };
}

module.exports = { createFulcio };
