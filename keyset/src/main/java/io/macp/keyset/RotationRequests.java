package io.macp.keyset;

import java.util.List;

/**
 * What a person asked for on top of the schedule.
 *
 * @param rotateNow activate the pre-published next key as soon as its lead time allows
 * @param revokeKids keys to withdraw at once (their private parts are deleted)
 */
public record RotationRequests(boolean rotateNow, List<String> revokeKids) {
  public static final RotationRequests NONE = new RotationRequests(false, List.of());

  public RotationRequests {
    revokeKids = List.copyOf(revokeKids);
  }

  public static RotationRequests rotate() {
    return new RotationRequests(true, List.of());
  }

  public static RotationRequests revoke(String... kids) {
    return new RotationRequests(false, List.of(kids));
  }
}
