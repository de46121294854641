package io.macp.keyset;

/** Where a key stands on its timeline at a given instant. */
public enum KeyPhase {
  /** In the JWKS, not yet signing. */
  Published,
  /** The one key that signs now. */
  Active,
  /** Superseded; still in the JWKS until its removeAt so its tokens keep verifying. */
  Retired,
  /** Past its removeAt: no longer published, about to be pruned. */
  Expired,
  /** Withdrawn by an emergency request: never signs, never published. */
  Revoked
}
