// The demo app served at /: one Switchboard connection (@switchboard/client) shared by five tabs.
import { $ } from "./dom.js";
import { openConnection } from "./connection.js";
import { chatTab } from "./chat.js";
import { docTab } from "./doc.js";
import { llmTab } from "./llm.js";
import { notificationsTab } from "./notifications.js";
import { callTab } from "./call.js";

function tabs() {
  const all = [...document.querySelectorAll('[role="tab"]')];
  for (const tab of all) {
    tab.addEventListener("click", () => {
      for (const other of all) {
        other.setAttribute("aria-selected", String(other === tab));
        $(other.getAttribute("aria-controls")).hidden = other !== tab;
      }
    });
  }
}

async function main() {
  tabs();
  // What this server offers the page: where SSE is served, which model answers /api/v1/chat.
  const settings = await fetch("/demo/settings.json").then((response) => response.json());
  const chat = chatTab();
  const connection = openConnection({ system: chat.system });
  chat.start(connection);
  docTab(connection);
  llmTab(connection, settings);
  notificationsTab(connection, settings);
  callTab(connection);
}

main();
