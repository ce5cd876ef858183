package dev.switchboard.webrtc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.webrtc.SignalingOptions;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading signal payloads: what passes, in which shape, at what cost, and why the rest is refused. */
class SignalParserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SignalingOptions OPTIONS = SignalingOptions.DEFAULTS;

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static Parsed parse(SignalKind kind, String payload) {
    return SignalParser.parse(kind, json(payload), "ada", OPTIONS);
  }

  private static String invalid(SignalKind kind, String payload) {
    Parsed parsed = parse(kind, payload);
    assertThat(parsed).as(payload).isInstanceOf(Parsed.Invalid.class);
    return ((Parsed.Invalid) parsed).reason();
  }

  @Test
  void anOfferKeepsItsTypeAndTextOnly() {
    Parsed parsed = parse(SignalKind.OFFER, "{'to':'bob','sdp':{'type':'offer','sdp':'v=0\\r\\n','x':1},'extra':true}");
    assertThat(parsed).isEqualTo(new Parsed.Signal(SignalKind.OFFER, Optional.of("bob"), json("{'type':'offer','sdp':'v=0\\r\\n'}"), 1));
  }

  @Test
  void anAnswerMayBeProvisional() {
    assertThat(parse(SignalKind.ANSWER, "{'to':'bob','sdp':{'type':'pranswer','sdp':'v=0'}}")).isInstanceOf(Parsed.Signal.class);
    assertThat(invalid(SignalKind.ANSWER, "{'to':'bob','sdp':{'type':'offer','sdp':'v=0'}}"))
        .contains("\"answer\" | \"pranswer\"");
  }

  @Test
  void aCandidateKeepsItsStandardFieldsAndMayEndTheCandidates() {
    Parsed parsed = parse(SignalKind.ICE_CANDIDATE,
        "{'to':'bob','candidate':{'candidate':'candidate:1 1 udp 1 10.0.0.1 5000 typ host','sdpMid':'0','sdpMLineIndex':0,"
            + "'usernameFragment':null,'foo':'bar'}}");
    assertThat(((Parsed.Signal) parsed).body()).isEqualTo(json(
        "{'candidate':'candidate:1 1 udp 1 10.0.0.1 5000 typ host','sdpMid':'0','sdpMLineIndex':0,'usernameFragment':null}"));
    assertThat(((Parsed.Signal) parse(SignalKind.ICE_CANDIDATE, "{'to':'bob','candidate':null}")).body().isNull()).isTrue();
    assertThat(parse(SignalKind.ICE_CANDIDATE, "{'to':'bob','candidate':{'candidate':''}}")).isInstanceOf(Parsed.Signal.class);
  }

  @Test
  void aSignalCostsOneTokenPlusOnePerKibOfText() {
    String sdp = "v=0" + "x".repeat(5 * 1024);
    Parsed parsed = SignalParser.parse(SignalKind.OFFER, JSON.createObjectNode().put("to", "bob")
        .set("sdp", JSON.createObjectNode().put("type", "offer").put("sdp", sdp)), "ada", OPTIONS);
    assertThat(((Parsed.Signal) parsed).cost()).isEqualTo(6);
  }

  @Test
  void aSignalWithoutTargetIsForTheCurrentPeer() {
    assertThat(parse(SignalKind.ICE_CANDIDATE, "{'candidate':{'candidate':'c'}}"))
        .isEqualTo(new Parsed.Signal(SignalKind.ICE_CANDIDATE, Optional.empty(), json("{'candidate':'c'}"), 1));
    assertThat(((Parsed.Signal) parse(SignalKind.OFFER, "{'to':null,'sdp':{'type':'offer','sdp':'v=0'}}")).to()).isEmpty();
    assertThat(invalid(SignalKind.OFFER, "{'sdp':{'type':'answer','sdp':'v=0'}}")).startsWith("sdp must be");
  }

  @Test
  void theTargetMustBeAnotherUsersId() {
    assertThat(invalid(SignalKind.OFFER, "{'to':42,'sdp':{'type':'offer','sdp':'v=0'}}")).startsWith("to must be");
    assertThat(invalid(SignalKind.OFFER, "{'to':'','sdp':{'type':'offer','sdp':'v=0'}}")).startsWith("to must be");
    assertThat(invalid(SignalKind.OFFER, "{'to':'ada','sdp':{'type':'offer','sdp':'v=0'}}")).contains("its own user");
  }

  @Test
  void payloadsThatAreNoSignalsAreRefused() {
    for (String payload : new String[] {"'offer'", "42", "null", "[]", "true"}) {
      assertThat(invalid(SignalKind.OFFER, payload)).isEqualTo("expected {to, sdp}");
    }
    assertThat(SignalParser.parse(SignalKind.ICE_CANDIDATE, null, "ada", OPTIONS)).isEqualTo(new Parsed.Invalid("expected {to, candidate}"));
  }

  @Test
  void descriptionsAndCandidatesOfTheWrongShapeAreRefused() {
    invalid(SignalKind.OFFER, "{'to':'bob'}");
    invalid(SignalKind.OFFER, "{'to':'bob','sdp':'v=0'}");
    invalid(SignalKind.OFFER, "{'to':'bob','sdp':{'type':'offer'}}");
    invalid(SignalKind.OFFER, "{'to':'bob','sdp':{'type':'rollback','sdp':''}}");
    assertThat(invalid(SignalKind.OFFER, "{'to':'bob','sdp':{'type':'offer','sdp':'hello'}}")).contains("v=0");
    invalid(SignalKind.ICE_CANDIDATE, "{'to':'bob'}");
    invalid(SignalKind.ICE_CANDIDATE, "{'to':'bob','candidate':'candidate:1'}");
    invalid(SignalKind.ICE_CANDIDATE, "{'to':'bob','candidate':{'sdpMid':'0'}}");
    invalid(SignalKind.ICE_CANDIDATE, "{'to':'bob','candidate':{'candidate':'c','sdpMLineIndex':0.5}}");
    invalid(SignalKind.ICE_CANDIDATE, "{'to':'bob','candidate':{'candidate':'c','sdpMLineIndex':70000}}");
    invalid(SignalKind.ICE_CANDIDATE, "{'to':'bob','candidate':{'candidate':'c','sdpMid':7}}");
  }

  @Test
  void textOverTheLimitsIsRefused() {
    SignalingOptions small = OPTIONS.withMaxSdpLength(10).withMaxCandidateLength(5);
    JsonNode offer = json("{'to':'bob','sdp':{'type':'offer','sdp':'v=0 and more'}}");
    assertThat(((Parsed.Invalid) SignalParser.parse(SignalKind.OFFER, offer, "ada", small)).reason())
        .isEqualTo("sdp.sdp is 12 characters, over the limit of 10");
    JsonNode candidate = json("{'to':'bob','candidate':{'candidate':'123456'}}");
    assertThat(SignalParser.parse(SignalKind.ICE_CANDIDATE, candidate, "ada", small)).isInstanceOf(Parsed.Invalid.class);
    assertThat(SignalParser.parse(SignalKind.OFFER, offer, "ada", OPTIONS)).isInstanceOf(Parsed.Signal.class);
  }
}
