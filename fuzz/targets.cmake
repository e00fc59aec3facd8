# The fuzz targets (fuzz/targets/<name>.cpp), each with the dictionary
# (fuzz/dict/<dict>.dict) it fuzzes with, if any: MS_FUZZ_TARGETS, a list of
# "<name>:<dict>". Read by fuzz/CMakeLists.txt (the libFuzzer programs) and
# tests/fuzz/CMakeLists.txt (the replay in the normal suite).
set(MS_FUZZ_TARGETS
  bundle_parse:bundle
  bundle_verify_key:bundle
  bundle_verify_certificate:bundle
  signed_statement:bundle
  statement:bundle
  sigstore_bundle_verify:bundle
  trusted_root:bundle
  signing_config:bundle
  client_trust_config:bundle
  tlog_entry:bundle
  rekor_body:bundle
  checkpoint:checkpoint
  inclusion_proof:
  rfc3161_timestamp:
  sct:
  pem:
  canonical_json_rfc8785:json
  canonical_json_olpc:json
  json:json
  rfc3339:checkpoint
  tuf_metadata:tuf
  digest_list:digest_list
  oci_manifest:oci
  stat_record:oci
)
if(MS_WITH_SIGSTORE_SIGNING)
  list(APPEND MS_FUZZ_TARGETS jwt:json)
endif()
if(MS_WITH_PKCS11)
  list(APPEND MS_FUZZ_TARGETS pkcs11_uri:pkcs11)
endif()

