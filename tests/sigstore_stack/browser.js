#!/usr/bin/env node
// A stand-in for the user's browser (installed as `xdg-open` in tests):
// GETs the URL and follows redirects, as a browser does after sign-in.
'use strict';

const http = require('http');

function get(url, hops) {
  if (hops > 5) throw new Error('too many redirects');
  http.get(url, (res) => {
    res.resume();
    if (res.statusCode >= 300 && res.statusCode < 400 && res.headers.location) {
      get(new URL(res.headers.location, url).toString(), hops + 1);
    } else {
      process.exit(res.statusCode === 200 ? 0 : 1);
    }
  }).on('error', (e) => {
    process.stderr.write(`browser: ${e.message}\n`);
    process.exit(1);
  });
}

get(process.argv[2], 0);
