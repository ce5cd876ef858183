package dev.switchboard.spring.cluster;

import dev.switchboard.socketio.Socket;
import dev.switchboard.spring.handler.OnEvent;
import dev.switchboard.spring.handler.SocketController;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** An application whose controller relays what a socket says to its room, on every node of a cluster. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class RelayApplication {

  record Join(String room) {}

  record Say(String room, String text) {}

  @SocketController("/relay")
  static class RelayController {
    @OnEvent("join")
    boolean join(Socket socket, Join request) {
      socket.join(request.room());
      // Blocking is fine on a handler's virtual thread: answer once the other nodes' broadcasts reach this one.
      socket.roomReady(request.room()).join();
      return true;
    }

    @OnEvent("say")
    void say(Socket socket, Say request) {
      socket.namespace().to(request.room()).emit("said", request.text());
    }
  }
}
