package dev.switchboard.engineio;

import io.netty.handler.codec.http.HttpHeaders;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The HTTP request that opened an Engine.IO session (the handshake).
 *
 * @param url the request URI, with its query string
 * @param headers the request headers (read-only copy)
 * @param query the decoded query parameters
 * @param remoteAddress the client's address
 * @param secure whether the connection used TLS
 * @param time when the handshake arrived
 */
public record EngineRequest(
    String url,
    HttpHeaders headers,
    Map<String, List<String>> query,
    SocketAddress remoteAddress,
    boolean secure,
    Instant time) {}
