package io.macp.operator.reconciler;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.macp.keyset.InvalidKeySetException;
import io.macp.keyset.KeySet;
import io.macp.keyset.KeySetJson;
import io.macp.operator.model.v1alpha1.MacpIssuer;
import io.macp.operator.resources.IssuerNames;
import io.macp.operator.resources.IssuerOwnerReference;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Reads and writes an issuer's key Secret. Reads go to the API server, not a cache, because every
 * write is a compare-and-swap on the resourceVersion just read: a write based on a stale copy fails
 * with 409 and the caller re-reads and re-plans, never overwriting keys it has not seen.
 *
 * <p>Not final only so tests can play a concurrent writer.
 */
class KeySecretStore {
  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
  /** The last rotate nonce applied, written in the same update as the keys it produced. */
  static final String HANDLED_ROTATE = "macp.io/handled-rotate-nonce";
  /** The last revoke request applied, likewise. */
  static final String HANDLED_REVOKE = "macp.io/handled-revoke";

  /** What the API server holds under the key Secret's name. */
  sealed interface Stored permits Absent, Corrupt, Loaded {}

  record Absent() implements Stored {}

  /** Present but not a key set we may use; it is never overwritten. */
  record Corrupt(Secret secret, String problem) implements Stored {}

  record Loaded(Secret secret, KeySet keySet) implements Stored {
    String annotation(String key) {
      Map<String, String> a = secret.getMetadata().getAnnotations();
      return a == null ? null : a.get(key);
    }
  }

  /** The Secret behind a read, or null when there is none. */
  static Secret secretOf(Stored stored) {
    if (stored instanceof Loaded l) {
      return l.secret();
    }
    return stored instanceof Corrupt c ? c.secret() : null;
  }

  private final KubernetesClient client;

  KeySecretStore(KubernetesClient client) {
    this.client = client;
  }

  Stored read(MacpIssuer issuer) {
    Secret secret = client.secrets()
        .inNamespace(issuer.getMetadata().getNamespace())
        .withName(IssuerNames.keySecret(issuer))
        .get();
    return classify(secret);
  }

  /** Pure: what a Secret read from the API means. */
  static Stored classify(Secret secret) {
    if (secret == null) {
      return new Absent();
    }
    Map<String, String> data = secret.getData();
    String encoded = data == null ? null : data.get(IssuerNames.KEYSET_KEY);
    if (encoded == null) {
      return new Corrupt(secret, "it has no data key " + IssuerNames.KEYSET_KEY);
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      return new Corrupt(secret, IssuerNames.KEYSET_KEY + " is not valid base64");
    }
    try {
      KeySet set = KeySetJson.parse(bytes);
      if (set.keys().isEmpty()) {
        return new Corrupt(secret, IssuerNames.KEYSET_KEY + " holds no keys");
      }
      return new Loaded(secret, set);
    } catch (InvalidKeySetException e) {
      // The exception's message never quotes key material.
      return new Corrupt(secret, e.getMessage());
    }
  }

  /** Creates the Secret; a 409 means someone created it first and the caller must re-read. */
  Secret create(MacpIssuer issuer, boolean retainKeysOnDelete, KeySet keys, String handledRotate,
      String handledRevoke) {
    Secret desired = new SecretBuilder()
        .withMetadata(new ObjectMetaBuilder()
            .withName(IssuerNames.keySecret(issuer))
            .withNamespace(issuer.getMetadata().getNamespace())
            .withLabels(IssuerNames.labels(issuer))
            .withAnnotations(handledAnnotations(null, handledRotate, handledRevoke))
            .withOwnerReferences(
                IssuerOwnerReference.withOwner(null, issuer, !retainKeysOnDelete))
            .build())
        .withType("Opaque")
        .withData(Map.of(IssuerNames.KEYSET_KEY, encode(keys),
            IssuerNames.OBSERVER_TOKEN_KEY, newObserverToken()))
        .build();
    return client.secrets().inNamespace(issuer.getMetadata().getNamespace()).resource(desired).create();
  }

  /**
   * The Secret as it should be, built from the one read: our keys, labels, owner reference and
   * handled-request annotations; everything else (foreign labels, annotations) is kept.
   */
  static Secret desired(Secret current, MacpIssuer issuer, boolean retainKeysOnDelete, KeySet keys,
      String handledRotate, String handledRevoke) {
    Map<String, String> data = new HashMap<>(current.getData());
    data.put(IssuerNames.KEYSET_KEY, encode(keys));
    // Made once and kept: the issuer pods read it from the same mount as the key set.
    data.computeIfAbsent(IssuerNames.OBSERVER_TOKEN_KEY, k -> newObserverToken());
    return new SecretBuilder(current)
        .editMetadata()
        .withLabels(Ownership.withLabels(current.getMetadata().getLabels(), issuer))
        .withAnnotations(
            handledAnnotations(current.getMetadata().getAnnotations(), handledRotate, handledRevoke))
        .withOwnerReferences(IssuerOwnerReference.withOwner(current.getMetadata().getOwnerReferences(), issuer,
            !retainKeysOnDelete))
        .endMetadata()
        .withData(data)
        .build();
  }

  /**
   * A fresh observer bearer token (base64 of the token text, as Secret data): 32 random bytes,
   * base64url, 43 characters. Only the operator and the issuer pods of this issuer read it.
   */
  static String newObserverToken() {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    String token = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    return java.util.Base64.getEncoder().encodeToString(
        token.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  /** Whether the Secret read differs from the one that should be stored. */
  static boolean differs(Secret current, Secret desired) {
    return !Objects.equals(current.getData(), desired.getData())
        || !Objects.equals(current.getMetadata().getLabels(), desired.getMetadata().getLabels())
        || !Objects.equals(
            current.getMetadata().getAnnotations(), desired.getMetadata().getAnnotations())
        || !Objects.equals(
            current.getMetadata().getOwnerReferences(), desired.getMetadata().getOwnerReferences());
  }

  /** Compare-and-swap: fails with 409 when the Secret changed since it was read. */
  Secret replace(Secret desired) {
    return client.secrets()
        .inNamespace(desired.getMetadata().getNamespace())
        .resource(desired)
        .lockResourceVersion(desired.getMetadata().getResourceVersion())
        .update();
  }

  /**
   * Deletes the key Secret only when this issuer owns it, conditional on the resourceVersion read:
   * a foreign Secret of that name, or one changed meanwhile (409), is left alone.
   */
  void deleteIfOwnedBy(MacpIssuer issuer) {
    Secret secret = secretOf(read(issuer));
    if (secret == null || !IssuerOwnerReference.isOwnedBy(secret, issuer)) {
      return;
    }
    try {
      client.secrets()
          .inNamespace(issuer.getMetadata().getNamespace())
          .resource(secret)
          .lockResourceVersion(secret.getMetadata().getResourceVersion())
          .delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  static String encode(KeySet keys) {
    return Base64.getEncoder()
        .encodeToString(KeySetJson.write(keys).getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, String> handledAnnotations(
      Map<String, String> existing, String handledRotate, String handledRevoke) {
    Map<String, String> out = existing == null ? new HashMap<>() : new HashMap<>(existing);
    if (handledRotate != null) {
      out.put(HANDLED_ROTATE, handledRotate);
    }
    if (handledRevoke != null) {
      out.put(HANDLED_REVOKE, handledRevoke);
    }
    return out;
  }
}
