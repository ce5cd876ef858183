package dev.switchboard.webrtc;

import dev.switchboard.auth.RoomAuthorizer;
import dev.switchboard.http.CorsOptions;
import dev.switchboard.http.HttpRoute;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.webrtc.internal.CredentialDesk;
import dev.switchboard.webrtc.internal.CredentialEvents;
import dev.switchboard.webrtc.internal.SfuRoute;
import dev.switchboard.webrtc.internal.TurnRoute;
import java.util.Objects;
import java.util.Optional;

/**
 * TURN credentials and SFU tokens for the users of an application, over HTTP and Socket.IO.
 *
 * <pre>{@code
 * CallCredentials credentials = CallCredentials.builder(Callers.tokens(verifier, authOptions))
 *     .turn(TurnOptions.of(secret, "turn:turn.example.com:3478"))
 *     .sfu(SfuOptions.of(apiKey, apiSecret))
 *     .rooms(authorizer)
 *     .consent(consent)
 *     .build();
 * http.route(CallCredentials.TURN_PATH, credentials.turnRoute()).route(CallCredentials.SFU_PATH, credentials.sfuRoute());
 * credentials.install(io);
 * }</pre>
 *
 * <p>A missing configuration answers {@code 404 TURN_NOT_CONFIGURED} / {@code SFU_NOT_CONFIGURED};
 * a request without a user {@code 401}; an SFU token for a room the user may not join {@code 403
 * FORBIDDEN_ROOM}; a recording token before every participant consented {@code 409 CONSENT_REQUIRED}.
 */
public final class CallCredentials {
  /** Where TURN credentials are served. */
  public static final String TURN_PATH = "/api/v1/turn-credentials";
  /** Where SFU tokens are served. */
  public static final String SFU_PATH = "/api/v1/sfu-token";
  /** The Socket.IO event answering TURN credentials. */
  public static final String TURN_EVENT = "turn:credentials";
  /** The Socket.IO event answering an SFU token. */
  public static final String SFU_EVENT = "sfu:token";

  private final Callers callers;
  private final CorsOptions cors;
  private final CredentialDesk desk;

  private CallCredentials(Builder builder) {
    this.callers = builder.callers;
    this.cors = builder.cors;
    this.desk = new CredentialDesk(
        builder.turn.configured() ? Optional.of(TurnCredentials.create(builder.turn)) : Optional.empty(),
        builder.sfu.configured() ? Optional.of(SfuTokens.create(builder.sfu)) : Optional.empty(),
        builder.rooms, Optional.ofNullable(builder.consent));
  }

  /** Credentials for the users {@code callers} finds. */
  public static Builder builder(Callers callers) {
    return new Builder(callers);
  }

  /** {@code GET} {@link #TURN_PATH}: to mount at that path. */
  public HttpRoute turnRoute() {
    return new TurnRoute(TURN_PATH, cors, callers, desk);
  }

  /** {@code POST} {@link #SFU_PATH}: to mount at that path. */
  public HttpRoute sfuRoute() {
    return new SfuRoute(SFU_PATH, cors, callers, desk);
  }

  /** Answers {@link #TURN_EVENT} and {@link #SFU_EVENT} from every socket of {@code nsp}. */
  public CallCredentials install(Namespace nsp) {
    nsp.onConnection(socket -> CredentialEvents.attach(socket, TURN_EVENT, SFU_EVENT, callers, desk));
    return this;
  }

  /**
   * Builds {@link CallCredentials}; defaults: TURN and SFU not configured ({@link TurnOptions#NONE},
   * {@link SfuOptions#NONE}), every room allowed, no consent (so no recording token), no CORS.
   */
  public static final class Builder {
    private final Callers callers;
    private TurnOptions turn = TurnOptions.NONE;
    private SfuOptions sfu = SfuOptions.NONE;
    private RoomAuthorizer rooms = RoomAuthorizer.ALLOW_ALL;
    private CallConsent consent;
    private CorsOptions cors = CorsOptions.DISABLED;

    private Builder(Callers callers) {
      this.callers = Objects.requireNonNull(callers, "callers");
    }

    public Builder turn(TurnOptions turn) {
      this.turn = Objects.requireNonNull(turn, "turn");
      return this;
    }

    public Builder sfu(SfuOptions sfu) {
      this.sfu = Objects.requireNonNull(sfu, "sfu");
      return this;
    }

    /** Who may get an SFU token for a room: asked as for {@code room:join}. */
    public Builder rooms(RoomAuthorizer rooms) {
      this.rooms = Objects.requireNonNull(rooms, "rooms");
      return this;
    }

    /** The consent recording tokens need. */
    public Builder consent(CallConsent consent) {
      this.consent = Objects.requireNonNull(consent, "consent");
      return this;
    }

    /** Which browser origins may ask (answered with CORS); others get 403 {@code FORBIDDEN_ORIGIN}. */
    public Builder cors(CorsOptions cors) {
      this.cors = Objects.requireNonNull(cors, "cors");
      return this;
    }

    public CallCredentials build() {
      return new CallCredentials(this);
    }
  }
}
