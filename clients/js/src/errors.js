/** A refusal by the server (`{ok: false, error: {code, message}}`) or by the client itself. */
export class SwitchboardError extends Error {
  constructor(code, message) {
    super(message ? `${code}: ${message}` : code);
    this.name = "SwitchboardError";
    this.code = code;
  }
}

/** The answer when it is `ok`; throws its error otherwise. */
export function unwrap(answer) {
  if (answer?.ok === true) return answer;
  throw new SwitchboardError(answer?.error?.code ?? "INVALID_ANSWER",
    answer?.error?.message ?? `unexpected answer ${JSON.stringify(answer)}`);
}
