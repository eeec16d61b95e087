// StartQueryExecution's ClientRequestToken as Athena honours it, for the DuckDB emulator: a request
// that repeats a token with the same parameters gets the query that token started (its result, or
// its failure) and nothing runs again; a token reused with other parameters is refused. A retried
// INSERT INTO task therefore cannot insert twice.
import { AthenaInvalidRequestError, type AthenaStartQueryParameters, type AthenaSyncResult } from './athena-task';

/** Athena's bounds on ClientRequestToken's length. */
const TOKEN_LENGTH = { min: 32, max: 128 };

export class ClientRequestTokens {
  /** Each token seen, with the rest of its request and the outcome of the query it started. */
  private readonly byToken = new Map<string, { request: string; outcome: Promise<AthenaSyncResult> }>();

  /** Runs the request's query unless its token already started one; `run` gets the request without the token. */
  once(parameters: AthenaStartQueryParameters, run: (request: AthenaStartQueryParameters) => Promise<AthenaSyncResult>): Promise<AthenaSyncResult> {
    const { ClientRequestToken: token, ...request } = parameters;
    if (token === undefined) return run(request);
    if (token.length < TOKEN_LENGTH.min || token.length > TOKEN_LENGTH.max) {
      return Promise.reject(new AthenaInvalidRequestError(`ClientRequestToken must be ${TOKEN_LENGTH.min} to ${TOKEN_LENGTH.max} characters, got ${token.length}`));
    }
    const requestText = JSON.stringify(request);
    const earlier = this.byToken.get(token);
    if (earlier) {
      if (earlier.request !== requestText) return Promise.reject(new AthenaInvalidRequestError(`ClientRequestToken ${token} was already used with other parameters`));
      return earlier.outcome;
    }
    const outcome = run(request);
    this.byToken.set(token, { request: requestText, outcome });
    return outcome;
  }
}
