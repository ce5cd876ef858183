package dev.switchboard.spring.security;

import dev.switchboard.socketio.Socket;
import dev.switchboard.spring.handler.HandlerScope;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;

/**
 * Runs each handler of a socket authenticated by {@link JwtDecoderAuthentication} with the
 * socket's authentication (its {@link Jwt} converted as the resource server converts it) in the
 * {@link SecurityContextHolder}, cleared afterwards: handlers share their threads between sockets.
 * Work a handler hands to other threads does not carry it.
 */
public final class SecurityContextScope implements HandlerScope {
  private final JwtAuthenticationConverter converter;

  public SecurityContextScope(JwtAuthenticationConverter converter) {
    this.converter = converter;
  }

  @Override
  public Object run(Socket socket, Invocation handler) throws Throwable {
    if (!(socket.data().get(JwtDecoderAuthentication.JWT_KEY) instanceof Jwt jwt)) {
      return handler.proceed();
    }
    SecurityContext context = SecurityContextHolder.createEmptyContext();
    context.setAuthentication(converter.convert(jwt));
    SecurityContextHolder.setContext(context);
    try {
      return handler.proceed();
    } finally {
      SecurityContextHolder.clearContext();
    }
  }
}
