// The few DOM helpers every tab uses.

export const $ = (id) => document.getElementById(id);

/** A new element with `props` (properties, `className` included) and text or element children. */
export function el(tag, props = {}, ...children) {
  const element = Object.assign(document.createElement(tag), props);
  element.append(...children);
  return element;
}

/** Appends a chat-style line to `log`: the sender in bold (when given), then the text; scrolls to it. */
export function line(log, text, who, className = "") {
  const div = el("div", { className: "msg " + className });
  if (who) div.append(el("span", { className: "who" }, who));
  div.append(text);
  log.append(div);
  log.scrollTop = log.scrollHeight;
  return div;
}

/** Sets a status pill's text and colour class. */
export function pill(id, text, className = "") {
  $(id).textContent = text;
  $(id).className = "pill " + className;
}

/** Socket.IO delivers binary data as an ArrayBuffer in browsers; Yjs wants a Uint8Array. */
export const bytes = (data) => (data instanceof Uint8Array ? data : new Uint8Array(data));
