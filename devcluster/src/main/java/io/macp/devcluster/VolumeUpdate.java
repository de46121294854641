package io.macp.devcluster;

import java.time.Duration;
import java.time.Instant;

/**
 * One Secret or ConfigMap change reaching one replica's files, recorded so tests can check the
 * delays.
 *
 * @param source "Secret/name" or "ConfigMap/name"
 * @param resourceVersion the version the sync wrote (the latest when it fired)
 * @param observedAt when the simulator saw the change
 * @param delay the delay drawn for this replica and update, within the declared bound
 * @param maxDelay the bound in force when the delay was drawn
 * @param writtenAt when the files were swapped, or null when the content was already current
 */
public record VolumeUpdate(
    ReplicaRef replica,
    String pod,
    String source,
    String resourceVersion,
    Instant observedAt,
    Duration delay,
    Duration maxDelay,
    Instant writtenAt) {}
