package dev.switchboard.webrtc;

/**
 * The codes of refused signals and call joins, answered as {@code {ok:false, error:{code, message}}}.
 * A refused signal is not delivered; one sent without an acknowledgement is dropped without answer.
 */
public enum SignalingError {
  /** The connection has no user id: no token, and in open mode no {@code auth.user.id}. */
  AUTH_REQUIRED,
  /** The payload is not a well-formed signal, or is over a size limit of {@link SignalingOptions}. */
  INVALID_SIGNAL,
  /** The connection sent more signals than {@link SignalingOptions#rate()} allows. */
  RATE_LIMITED,
  /**
   * The sender and the target share no call: the sending connection is in no call room where the
   * target is present. Answered whether or not the target is online, so that only a call member
   * learns it.
   */
  NOT_IN_CALL,
  /**
   * The target is allowed, but no connection of theirs is in their user room {@code user:{id}} on
   * any node, so nobody would receive it (in open mode: the user is not connected).
   */
  UNKNOWN_USER,
  /** The call's members or the target's connections could not be read now; try again. */
  UNAVAILABLE,
  /**
   * A call room has {@link SignalingOptions#meshLimit()} users already; the error carries
   * {@code sfu: true} (switch to an SFU) and {@code limit}.
   */
  CALL_FULL
}
