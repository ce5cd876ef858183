package dev.switchboard.bench.scenario;

import dev.switchboard.bench.JsonLine;
import dev.switchboard.bench.cli.Options;
import dev.switchboard.bench.client.ClientGroup;
import dev.switchboard.bench.client.SourceAddresses;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One load-generator child of a spread idle run ({@link IdleWorkers}): opens {@code --connections}
 * at {@code --rate}/s round-robin over the nodes at {@code --ports} (comma-separated), from
 * 127.0.{@code --subnet}.2 on, and prints its tally as a JSON line marked {@code "phase":"ramped"}.
 * Then it follows commands on stdin: {@code hold} (count pings from now), {@code report} (its
 * final tally is the scenario's line). The end of stdin also ends it.
 */
final class IdleWorkerScenario implements Scenario {
  static final String HOLD = "hold";
  static final String REPORT = "report";

  @Override
  public JsonLine run(Options options) {
    int[] ports = Arrays.stream(options.text("ports", "").split(",")).mapToInt(Integer::parseInt).toArray();
    SourceAddresses sources = new SourceAddresses(options.integer("subnet", 1), options.integer("sources", 8));
    try (ClientGroup group = new ClientGroup(ports, options.integer("client-threads", 1), sources)) {
      LocalIdleClients clients = new LocalIdleClients(group, options.integer("connections", 0),
          options.number("rate", 1000), options.integer("max-pending", 256));
      System.out.println(clients.ramp().toJson().put("phase", "ramped"));
      System.out.flush();
      BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String command;
      while ((command = stdin.readLine()) != null && !command.equals(REPORT)) {
        if (command.equals(HOLD)) {
          clients.holdStarts();
        }
      }
      return clients.tally().toJson().put("phase", "report");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read commands from stdin", e);
    }
  }
}
