// The typed client: openapi-fetch over the paths that openapi-typescript generates from clients/openapi/v1.json.
// Every request and answer is typed by the document, so a client built against an older document fails to compile.
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema.js";

export type Schemas = components["schemas"];
export type LedgerClient = ReturnType<typeof createClient<paths>>;

/** A client of the ledger at `baseUrl` whose requests carry `token` as their bearer token. */
export function ledgerClient(baseUrl: string, token: string): LedgerClient {
  const client = createClient<paths>({ baseUrl });
  const bearer: Middleware = {
    onRequest({ request }) {
      request.headers.set("Authorization", `Bearer ${token}`);
      return request;
    },
  };
  client.use(bearer);
  return client;
}
