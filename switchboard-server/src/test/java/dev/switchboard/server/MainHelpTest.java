package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainHelpTest {
  @Test
  void helpListsTheChatModelSettings() {
    String help = new CommandLine(Main.spec()).getUsageMessage();
    assertThat(help).contains("--llm-provider=NAME").contains("Default: echo.")
        .contains("--llm-base-url=URL").contains("--llm-api-key=KEY").contains("SWITCHBOARD_LLM_API_KEY")
        .contains("--llm-model=NAME");
  }
}
