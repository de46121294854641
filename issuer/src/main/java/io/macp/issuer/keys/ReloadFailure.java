package io.macp.issuer.keys;

import java.util.Arrays;
import java.util.Optional;

/** Why a key-set update was refused; {@link #tag()} is the {@code reason} tag of the failure metric. */
public enum ReloadFailure {
  /** The file (or the symlink chain leading to it) does not exist. */
  MISSING("missing"),
  /** The file exists but can't be read (permissions, a directory, an I/O error). */
  UNREADABLE("unreadable"),
  /** The bytes are not a valid key-set document. */
  INVALID("invalid"),
  /** A valid key set, but no key may sign at the current instant. */
  NO_SIGNER("no_signer"),
  /** The self-managed source could not write its planned key set to disk. */
  UNWRITABLE("unwritable"),
  /**
   * The self-managed source's planner refused to plan from the key set in force or in the file
   * ({@link io.macp.keyset.PlanRefusedException}); nothing is written.
   */
  PLAN_REFUSED("plan_refused");

  private final String tag;

  ReloadFailure(String tag) {
    this.tag = tag;
  }

  public String tag() {
    return tag;
  }

  /** The failure with this tag, if any. */
  public static Optional<ReloadFailure> ofTag(String tag) {
    return Arrays.stream(values()).filter(f -> f.tag.equals(tag)).findFirst();
  }
}
