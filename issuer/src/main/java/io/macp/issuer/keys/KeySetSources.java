package io.macp.issuer.keys;

import io.macp.keyset.KeyGenerator;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks the key source the configuration asks for (see docs/issuer-keys.md). */
public final class KeySetSources {
  private static final Logger LOG = LoggerFactory.getLogger(KeySetSources.class);

  private KeySetSources() {}

  /**
   * In order: a self-managed key-set file, an operator-written key-set file, a key from the
   * environment, else an ephemeral key. Throws IllegalArgumentException for a configuration that
   * can't work, with a message that never contains key material.
   */
  public static KeySetSource create(
      KeySourceSettings settings, Clock clock, MeterRegistry registry) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(registry, "registry");
    if (settings.keySetFile() != null) {
      if (settings.signingKeyJson() != null) {
        LOG.warn("MACP_AUTH_SIGNING_KEY_JSON is ignored because MACP_AUTH_KEYSET_FILE is set");
      }
      if (settings.selfManaged()) {
        return new SelfManagedKeySetSource(settings.keySetFile(), settings.policy(),
            settings.keySpec(), KeyGenerator.secure(), clock, settings.pollInterval(), registry);
      }
      return new FileKeySetSource(settings.keySetFile(), clock, settings.pollInterval(), registry);
    }
    if (settings.selfManaged()) {
      // Falling back to an ephemeral key here would silently lose every key at the next restart.
      throw new IllegalArgumentException("MACP_AUTH_KEYSET_SELF_MANAGED needs MACP_AUTH_KEYSET_FILE:"
          + " the path of the key-set file the issuer creates and rotates");
    }
    if (settings.signingKeyJson() != null) {
      return new EnvKeySource(settings.signingKeyJson(), settings.keySpec().algorithm());
    }
    return new EphemeralKeySource(settings.keySpec());
  }
}
