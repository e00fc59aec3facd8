// An RFC 3161 timestamp authority: @sigstore/mock's TSA, which takes the
// JSON request of Sigstore's timestamp-authority, behind a front that also
// takes standard DER requests (application/timestamp-query). Knob:
// `untrusted: true` answers with a TSA that is not in the trusted root.
'use strict';

const asn1js = require('asn1js');
const pkijs = require('pkijs');
const { initializeTSA, tsaHandler } = require('@sigstore/mock');

const OID_TSA_POLICY = '1.3.6.1.4.1.57264.2';

// The mock encodes nonces as JS numbers; keep the request's exact bytes. And
// whole seconds for genTime: DER drops a fraction's trailing zeros
// (".5Z"), which sigstore-js does not parse.
function adjustTstInfo(tsa) {
  const original = tsa.tstInfo.bind(tsa);
  tsa.tstInfo = (req) => {
    const info = original(req);
    info.genTime = new Date(Math.floor(Date.now() / 1000) * 1000);
    info.nonce = req.nonceBytes
      ? new asn1js.Integer({ valueHex: req.nonceBytes })
      : undefined;
    return info;
  };
  return tsa;
}

function parseDerRequest(body) {
  const req = pkijs.TimeStampReq.fromBER(new Uint8Array(body).buffer);
  const nonce = req.nonce ? Buffer.from(req.nonce.valueBlock.valueHexView) : undefined;
  return {
    artifactHash: Buffer.from(req.messageImprint.hashedMessage.valueBlock.valueHexView),
    hashAlgorithmOID: req.messageImprint.hashAlgorithm.algorithmId,
    nonce: 0,
    nonceBytes: nonce,
    policyOID: req.reqPolicy || OID_TSA_POLICY,
    certReq: req.certReq || false,
  };
}

async function createTsa(service, state, keys) {
  const trusted = adjustTstInfo(await initializeTSA(keys.tsa));
  const untrusted = adjustTstInfo(await initializeTSA(keys.otherTsa));
  const handlers = { trusted: tsaHandler(trusted), untrusted: tsaHandler(untrusted) };

  service.route('POST', '/api/v1/timestamp', async (body, req) => {
    const faults = state.faults.tsa || {};
    const tsa = faults.untrusted ? untrusted : trusted;
    if ((req.headers['content-type'] || '').startsWith('application/json')) {
      return (faults.untrusted ? handlers.untrusted : handlers.trusted).fn(body.toString());
    }
    let request;
    try {
      request = parseDerRequest(body);
    } catch (e) {
      return { statusCode: 400, response: `malformed TimeStampReq: ${e.message}` };
    }
    return {
      statusCode: 200,
      response: await tsa.timestamp(request),
      contentType: 'application/timestamp-reply',
    };
  });
  return trusted;
}

module.exports = { createTsa };
