package io.macp.devcluster.e2e;

import java.time.Instant;

/**
 * A revoke the run made, as the tally judges it.
 *
 * @param requestedAt when the annotation was patched: until then every verifier must accept
 * @param refusedFrom from when every verifier must refuse the key's tokens
 */
record Revocation(String kid, Instant requestedAt, Instant refusedFrom) {}
