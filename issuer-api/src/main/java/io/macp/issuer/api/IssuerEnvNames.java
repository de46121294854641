package io.macp.issuer.api;

/**
 * Every environment variable the issuer reads, by name: the operator writes them into the issuer
 * pod template, the issuer ({@code IssuerConfig}) reads them. Defaults, units and bounds are the
 * issuer's (docs/issuer-http.md); the names follow the MACP reference auth-service.
 */
public final class IssuerEnvNames {
  private IssuerEnvNames() {}

  /** Main port: the mint and everything else (3200; 0 picks a free one). */
  public static final String PORT = "PORT";
  public static final String BIND_ADDRESS = "MACP_AUTH_BIND_ADDRESS";
  /** Second port for the public endpoints only (JWKS, discovery, health, metrics). */
  public static final String PUBLIC_PORT = "MACP_AUTH_PUBLIC_PORT";
  /** Base URL verifiers use for the public port; discovery's {@code jwks_uri} names it. */
  public static final String PUBLIC_URL = "MACP_AUTH_PUBLIC_URL";
  /** The {@code iss} claim. */
  public static final String ISSUER = "MACP_AUTH_ISSUER";
  /** The {@code aud} claim. */
  public static final String AUDIENCE = "MACP_AUTH_AUDIENCE";
  /** Seconds; asked TTLs are clamped to it. */
  public static final String MAX_TTL_SECONDS = "MACP_AUTH_MAX_TTL_SECONDS";
  /** Seconds; the TTL when none is asked. */
  public static final String DEFAULT_TTL_SECONDS = "MACP_AUTH_DEFAULT_TTL_SECONDS";
  /** RS256 or ES256: the algorithm of keys the issuer generates itself. */
  public static final String SIGNING_ALG = "MACP_AUTH_SIGNING_ALG";
  public static final String RSA_KEY_SIZE = "MACP_AUTH_RSA_KEY_SIZE";
  /** A private JWK (the reference's single-key mode); never logged. */
  public static final String SIGNING_KEY_JSON = "MACP_AUTH_SIGNING_KEY_JSON";
  /** The key-set file (an operator-managed Secret's mount, see {@link IssuerMounts}). */
  public static final String KEYSET_FILE = "MACP_AUTH_KEYSET_FILE";
  /** true: the issuer rotates the key-set file itself (standalone). */
  public static final String KEYSET_SELF_MANAGED = "MACP_AUTH_KEYSET_SELF_MANAGED";
  /** Go duration: how often the key-set file is checked. */
  public static final String KEYSET_POLL_INTERVAL = "MACP_AUTH_KEYSET_POLL_INTERVAL";
  /** Rotation policy of a self-managed or env-key issuer (Go durations). */
  public static final String ROTATION_PERIOD = "MACP_AUTH_ROTATION_PERIOD";
  public static final String VERIFIER_CACHE_TTL = "MACP_AUTH_VERIFIER_CACHE_TTL";
  public static final String VERIFIER_STALE_GRACE = "MACP_AUTH_VERIFIER_STALE_GRACE";
  public static final String PROPAGATION_DELAY = "MACP_AUTH_PROPAGATION_DELAY";
  public static final String CLOCK_SKEW = "MACP_AUTH_CLOCK_SKEW";
  /** Go duration: how long shutdown waits for requests in flight. */
  public static final String DRAIN_TIMEOUT = "MACP_AUTH_DRAIN_TIMEOUT";
  /** The mint policy file ({@link MintPolicyDocument}). */
  public static final String MINT_POLICY_FILE = "MACP_AUTH_MINT_POLICY_FILE";
  public static final String TLS_CERT_FILE = "MACP_AUTH_TLS_CERT_FILE";
  public static final String TLS_KEY_FILE = "MACP_AUTH_TLS_KEY_FILE";
  /** Go duration: how often the mint policy, its tokens and the TLS files are checked. */
  public static final String SECURITY_POLL_INTERVAL = "MACP_AUTH_SECURITY_POLL_INTERVAL";
  /** Clients remembered by the JWKS-fetch observation (0 turns it off; docs/verifiers.md). */
  public static final String OBSERVE_MAX_CLIENTS = "MACP_AUTH_OBSERVE_MAX_CLIENTS";
  /** true: name JWKS clients by the first X-Forwarded-For entry (only behind such a proxy). */
  public static final String OBSERVE_FORWARDED_FOR = "MACP_AUTH_OBSERVE_FORWARDED_FOR";
  /** File with the bearer token GET /verifiers (mint port) requires; unset: no such endpoint. */
  public static final String OBSERVER_TOKEN_FILE = "MACP_AUTH_OBSERVER_TOKEN_FILE";
  /** false: keep the JDK's crypto providers instead of the native one. */
  public static final String NATIVE_CRYPTO = "MACP_AUTH_NATIVE_CRYPTO";
}
