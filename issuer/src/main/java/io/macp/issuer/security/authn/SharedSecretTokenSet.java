package io.macp.issuer.security.authn;

import io.macp.issuer.security.InvalidPolicyException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The token directory of mode SharedSecret as it is now, re-read on every poll independently of
 * the policy file: a token file removed, or the whole directory removed, revokes its tokens at the
 * next poll even while the policy file is invalid (the policy keeps its last good version, the
 * credentials never do). An unreadable directory admits no one. Fails closed.
 */
public final class SharedSecretTokenSet {
  private final Path dir;
  private final Consumer<SharedSecretTokens> onChange;
  private volatile SharedSecretTokens current;

  /**
   * @param loaded the directory's content as the policy was built from it
   * @param onChange reports a changed set (its problems); called from {@link #refresh} only
   */
  public SharedSecretTokenSet(
      Path dir, SharedSecretTokens loaded, Consumer<SharedSecretTokens> onChange) {
    this.dir = dir;
    this.current = loaded;
    this.onChange = onChange;
  }

  /** The tokens in force. */
  public SharedSecretTokens current() {
    return current;
  }

  /** Re-reads the directory; true when the tokens in force changed. */
  public synchronized boolean refresh() {
    SharedSecretTokens next;
    try {
      next = SharedSecretTokens.load(dir);
    } catch (InvalidPolicyException e) {
      next = SharedSecretTokens.unreadable(e.getMessage());
    }
    if (Arrays.equals(next.contentDigest(), current.contentDigest())) {
      return false;
    }
    current = next;
    onChange.accept(next);
    return true;
  }
}
