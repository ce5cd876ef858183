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
  throw refusal(answer);
}

/** The SwitchboardError of a refused answer, with the error's other fields copied onto it. */
export function refusal(answer) {
  const { code, message, ...details } = answer?.error ?? {};
  const error = new SwitchboardError(code ?? "INVALID_ANSWER", message ?? `unexpected answer ${JSON.stringify(answer)}`);
  // what else the server said (CALL_FULL's limit and sfu, CONSENT_REQUIRED's notConsented, ...)
  for (const [key, value] of Object.entries(details)) if (!(key in error)) error[key] = value;
  return error;
}
