package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainHelpTest {
  @Test
  void helpListsTheChatModelSettings() {
    // Whitespace folded: where a description wraps depends on the widest option.
    String help = new CommandLine(Main.spec()).getUsageMessage().replaceAll("\\s+", " ");
    assertThat(help).contains("--llm-provider=NAME").contains("Default: echo.")
        .contains("--llm-base-url=URL").contains("--llm-api-key=KEY").contains("SWITCHBOARD_LLM_API_KEY")
        .contains("--llm-model=NAME")
        .contains("--chat-rate=N").contains("--chat-max-streams=N").contains("--jwt-require-exp=BOOL");
  }
}
