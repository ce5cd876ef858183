// The LLM tab: questions to the server's POST /api/v1/chat, whose answers stream into the room
// chat:{conversation}. Every tab on the conversation (the asking one too) reads the room with an
// EventSource, so another tab sees the answer as it is written, and a stream that drops resumes
// from its Last-Event-ID without losing or repeating a chunk.
import { $, line, pill } from "./dom.js";

const CONVERSATION_KEY = "switchboard-demo-conversation";

function notice(llm) {
  if (llm.provider === "echo") {
    return "No LLM upstream is configured: the server's offline echo model answers by repeating your words. "
      + "Start the server with --llm-provider openai (or anthropic), --llm-base-url and SWITCHBOARD_LLM_API_KEY to ask a real model.";
  }
  return "Answers come from " + llm.provider + " (" + llm.model + ").";
}

export function llmTab({ socket, name, token }, settings) {
  $("llm-notice").textContent = notice(settings.llm);
  $("llm-notice").hidden = false;
  const log = $("llm-log");
  let conversation = null;
  let source = null;
  let transcript = [];   // {role, content}, as the model is asked
  let answer = null;     // the answer being written: {text, view}

  const withToken = (query) => (token() ? query + "&token=" + encodeURIComponent(token()) : query);

  function follow(id) {
    conversation = id;
    sessionStorage.setItem(CONVERSATION_KEY, id);
    $("conversation").value = id;
    source?.close();
    log.replaceChildren();
    transcript = [];
    answer = null;
    source = new EventSource(settings.ssePath + withToken("?rooms=" + encodeURIComponent("chat:" + id)));
    pill("llm-stream", "connecting", "busy");
    source.onopen = () => pill("llm-stream", "open", "connected");
    source.onerror = () => pill("llm-stream", "reconnecting", "disconnected");
    source.addEventListener("llm:question", (event) => {
      const question = JSON.parse(event.data);
      transcript.push({ role: "user", content: question.text });
      line(log, question.text, question.name + ":");
      answer = { text: "", view: line(log, "", "model:", "answer") };
    });
    source.addEventListener("chat:delta", (event) => {
      if (!answer) answer = { text: "", view: line(log, "", "model:", "answer") };
      answer.text += JSON.parse(event.data).text;
      answer.view.lastChild.textContent = answer.text;
      log.scrollTop = log.scrollHeight;
    });
    source.addEventListener("chat:done", () => {
      if (answer) transcript.push({ role: "assistant", content: answer.text });
      answer = null;
    });
    source.addEventListener("chat:error", (event) => {
      const { code, message } = JSON.parse(event.data);
      if (answer && answer.text === "") answer.view.remove();
      line(log, code + ": " + message, null, "system error");
      transcript.pop();  // the question stays unanswered: it is asked again with the next one
      answer = null;
    });
  }

  async function ask(text) {
    const id = conversation;
    const messages = [...transcript, { role: "user", content: text }];
    try {
      // The question goes into the room first, so that every tab shows it above its answer.
      await socket.room("chat:" + id).publish("llm:question", { name, text });
      const headers = { "Content-Type": "application/json" };
      if (token()) headers.Authorization = "Bearer " + token();
      const response = await fetch("/api/v1/chat", { method: "POST", headers, body: JSON.stringify({ messages, conversationId: id }) });
      if (!response.ok) {
        const { code, message } = await response.json().catch(() => ({ code: response.status, message: response.statusText }));
        line(log, "refused: " + code + ": " + message, null, "system error");
        return;
      }
      // The answer is shown from the room's stream; this one is read to its end so that the server keeps writing it.
      const reader = response.body.getReader();
      while (!(await reader.read()).done);
    } catch (error) {
      line(log, "could not ask: " + error.message, null, "system error");
    }
  }

  $("conversation").addEventListener("change", () => follow($("conversation").value.trim() || id()));
  $("llm-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("prompt").value.trim();
    if (!text) return;
    $("prompt").value = "";
    ask(text);
  });
  const id = () => "c-" + Math.random().toString(36).slice(2, 8);
  follow(sessionStorage.getItem(CONVERSATION_KEY) || id());
}

