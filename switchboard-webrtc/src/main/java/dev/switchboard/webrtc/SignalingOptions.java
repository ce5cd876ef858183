package dev.switchboard.webrtc;

import dev.switchboard.limits.RateLimit;
import java.time.Duration;
import java.util.Objects;

/**
 * How the WebRTC signaling relay checks and limits signals, and how big a call may grow.
 *
 * @param mode who may signal whom; default {@link SignalingMode#CALL_ROOMS}
 * @param meshLimit most users in one call room ({@code call:*}), counted over every node; a
 *     {@code room:join} past it is refused with {@code CALL_FULL}; 0: no limit; default
 *     {@value #DEFAULT_MESH_LIMIT}, the largest mesh where every peer still sends its media to every other
 * @param maxSdpLength longest session description text ({@code sdp.sdp}), in characters; default
 *     {@value #DEFAULT_MAX_SDP_LENGTH} (64 KiB; browsers' offers are a few KiB)
 * @param maxCandidateLength longest ICE candidate text ({@code candidate.candidate}), in
 *     characters; default {@value #DEFAULT_MAX_CANDIDATE_LENGTH}
 * @param rate each connection's signaling budget: a signal costs one token plus one per full KiB
 *     of its SDP or candidate text; default {@link #DEFAULT_RATE} (50 per second, bursts of 200:
 *     the ICE candidates of a 4-party mesh trickle in well within it)
 * @param membershipTtl how long a connection reuses a successful check that its target is
 *     reachable (a member of a shared call, connected), so that a burst of candidates costs one
 *     lookup; a user who left a call can still get signals from a former co-member that long;
 *     {@link Duration#ZERO} checks every signal; default 1 s
 */
public record SignalingOptions(SignalingMode mode, int meshLimit, int maxSdpLength, int maxCandidateLength,
    RateLimit rate, Duration membershipTtl) {
  public static final int DEFAULT_MESH_LIMIT = 4;
  public static final int DEFAULT_MAX_SDP_LENGTH = 65_536;
  public static final int DEFAULT_MAX_CANDIDATE_LENGTH = 4_096;
  public static final RateLimit DEFAULT_RATE = new RateLimit(50, 200);
  public static final Duration DEFAULT_MEMBERSHIP_TTL = Duration.ofSeconds(1);

  /** Every default. */
  public static final SignalingOptions DEFAULTS = new SignalingOptions(SignalingMode.CALL_ROOMS, DEFAULT_MESH_LIMIT,
      DEFAULT_MAX_SDP_LENGTH, DEFAULT_MAX_CANDIDATE_LENGTH, DEFAULT_RATE, DEFAULT_MEMBERSHIP_TTL);

  public SignalingOptions {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(rate, "rate");
    Objects.requireNonNull(membershipTtl, "membershipTtl");
    if (meshLimit < 0) {
      throw new IllegalArgumentException("meshLimit must be 0 (no limit) or more");
    }
    if (maxSdpLength < 1 || maxCandidateLength < 1) {
      throw new IllegalArgumentException("maxSdpLength and maxCandidateLength must be at least 1");
    }
    if (membershipTtl.isNegative()) {
      throw new IllegalArgumentException("membershipTtl must not be negative");
    }
  }

  public static Builder builder() {
    return new Builder(DEFAULTS);
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  public SignalingOptions withMode(SignalingMode mode) {
    return toBuilder().mode(mode).build();
  }

  public SignalingOptions withMeshLimit(int meshLimit) {
    return toBuilder().meshLimit(meshLimit).build();
  }

  public SignalingOptions withMaxSdpLength(int maxSdpLength) {
    return toBuilder().maxSdpLength(maxSdpLength).build();
  }

  public SignalingOptions withMaxCandidateLength(int maxCandidateLength) {
    return toBuilder().maxCandidateLength(maxCandidateLength).build();
  }

  public SignalingOptions withRate(RateLimit rate) {
    return toBuilder().rate(rate).build();
  }

  public SignalingOptions withMembershipTtl(Duration membershipTtl) {
    return toBuilder().membershipTtl(membershipTtl).build();
  }

  /** Builds {@link SignalingOptions}; every setter is optional (see the record's defaults). */
  public static final class Builder {
    private SignalingMode mode;
    private int meshLimit;
    private int maxSdpLength;
    private int maxCandidateLength;
    private RateLimit rate;
    private Duration membershipTtl;

    private Builder(SignalingOptions from) {
      this.mode = from.mode;
      this.meshLimit = from.meshLimit;
      this.maxSdpLength = from.maxSdpLength;
      this.maxCandidateLength = from.maxCandidateLength;
      this.rate = from.rate;
      this.membershipTtl = from.membershipTtl;
    }

    public Builder mode(SignalingMode mode) {
      this.mode = mode;
      return this;
    }

    public Builder meshLimit(int meshLimit) {
      this.meshLimit = meshLimit;
      return this;
    }

    public Builder maxSdpLength(int maxSdpLength) {
      this.maxSdpLength = maxSdpLength;
      return this;
    }

    public Builder maxCandidateLength(int maxCandidateLength) {
      this.maxCandidateLength = maxCandidateLength;
      return this;
    }

    public Builder rate(RateLimit rate) {
      this.rate = rate;
      return this;
    }

    public Builder membershipTtl(Duration membershipTtl) {
      this.membershipTtl = membershipTtl;
      return this;
    }

    public SignalingOptions build() {
      return new SignalingOptions(mode, meshLimit, maxSdpLength, maxCandidateLength, rate, membershipTtl);
    }
  }
}
