package io.macp.issuer.observe;

import java.time.Instant;
import java.util.Set;

/**
 * A client's most recent JWKS fetch: after it, the client holds the document with this ETag (a
 * 200 sent it, a 304 confirmed it) and so the keys {@code kids}.
 *
 * @param client who fetched
 * @param lastFetch when (this replica's clock)
 * @param previousFetch this replica's fetch from the same client before {@code lastFetch}, or
 *     null after its first; with {@code lastFetch} the operator learns the client's refresh
 *     interval (docs/rotation.md "Activation gate")
 * @param etag the strong ETag of the JWKS it holds
 * @param kids the kids in that JWKS (shared with the document's view; never modified)
 * @param fetches how many fetches this replica has seen from it since it was first remembered
 */
public record VerifierFetch(
    VerifierClient client, Instant lastFetch, Instant previousFetch, String etag, Set<String> kids,
    long fetches) {}
