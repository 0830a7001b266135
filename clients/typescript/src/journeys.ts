// One journey per role through the generated TypeScript client, against a running ledger. Run by
// tests/Ledger.IntegrationTests/Clients/GeneratedClientTests.cs with LEDGER_URL and LEDGER_TOKENS (a JSON object of
// role -> bearer token, the customer's token for customer LEDGER_CUSTOMER_ID); prints one line per step and exits 1
// on the first step whose answer is not the expected one.
import { ledgerClient, type LedgerClient, type Schemas } from "./client.js";

const baseUrl = required("LEDGER_URL");
const tokens = JSON.parse(required("LEDGER_TOKENS")) as Record<string, string>;
const customerId = required("LEDGER_CUSTOMER_ID");
const as = (role: string): LedgerClient => ledgerClient(baseUrl, tokens[role] ?? fail(`no token for ${role}`));

function required(name: string): string {
  return process.env[name] ?? fail(`${name} is not set`);
}

function fail(message: string): never {
  throw new Error(message);
}

function expect(step: string, status: number, wanted: number, detail: unknown = ""): void {
  if (status !== wanted) fail(`${step}: answered ${status}, expected ${wanted} ${JSON.stringify(detail)}`);
  console.log(`ok ${step} (${status})`);
}

// A UUID, as docs/integration.md advises: a bare millisecond timestamp is 13 digits, and one in ten of those passes the
// Luhn check, so the ledger refuses it as a card number (422 naming Idempotency-Key) rather than store it.
const key = (what: string) => `ts-${what}-${crypto.randomUUID()}`;

async function csr(): Promise<{ accountId: string; chargeId: string }> {
  const desk = as("csr");
  const opened = await desk.POST("/api/accounts", {
    body: {
      customerId, holderName: "Tess Script", currency: "USD", billingDay: 5,
      address: { line1: "1 Typed Way", line2: null, city: "Springfield", postalCode: "12345", country: "US" },
    },
    params: { header: { "Idempotency-Key": key("open") } },
  });
  expect("csr opens an account", opened.response.status, 201, opened.error);
  const accountId = opened.data!.accountId;

  const charge = await desk.POST("/api/accounts/{accountId}/charges", {
    params: { path: { accountId } },
    body: { amount: 80.25, description: "Monthly plan", category: "plan", serviceFrom: null, serviceTo: null },
  });
  expect("csr posts a charge", charge.response.status, 201, charge.error);
  const chargeId: string = charge.data!.entryId ?? fail("a charge answers its entry id");

  const account = await desk.GET("/api/accounts/{accountId}", { params: { path: { accountId } } });
  expect("csr reads the account", account.response.status, 200, account.error);
  const balance: number = account.data!.balance;
  if (balance !== 80.25) fail(`balance ${balance}, expected 80.25`);
  const etag = account.response.headers.get("ETag") ?? fail("GET account answers an ETag");

  const limits = await desk.GET("/api/me/limits");
  expect("csr reads their limits", limits.response.status, 200, limits.error);
  const credit = await desk.POST("/api/accounts/{accountId}/credits", {
    params: { path: { accountId }, header: { "If-Match": etag } },
    body: { amount: 5, reasonCode: "goodwill", reason: "Late install", overrideReason: null },
  });
  expect("csr credits within limits, If-Match the ETag", credit.response.status, 201, credit.error);

  const stale = await desk.POST("/api/accounts/{accountId}/credits", {
    params: { path: { accountId }, header: { "If-Match": etag } },
    body: { amount: 1, reasonCode: "goodwill", reason: "Stale", overrideReason: null },
  });
  expect("a stale If-Match is refused", stale.response.status, 412, stale.error);
  const problem: Schemas["ProblemDetails"] = stale.error ?? fail("412 carries a problem");
  if (problem.rule !== "version-mismatch") fail(`rule ${problem.rule}`);
  return { accountId, chargeId };
}

async function customer(accountId: string, chargeId: string): Promise<void> {
  const self = as("customer");
  const mine = await self.GET("/api/accounts");
  expect("customer lists their accounts", mine.response.status, 200, mine.error);
  if (!mine.data!.items.some((a) => a.id === accountId)) fail("the customer's account is listed");

  const entries = await self.GET("/api/accounts/{accountId}/entries", { params: { path: { accountId } } });
  expect("customer reads their line items", entries.response.status, 200, entries.error);
  if (!entries.data!.items.some((e) => e.entryId === chargeId)) fail("the charge is listed");

  const dispute = await self.POST("/api/accounts/{accountId}/disputes", {
    params: { path: { accountId } },
    body: { entryId: chargeId, reason: "I never ordered this plan" },
  });
  expect("customer disputes the charge", dispute.response.status, 201, dispute.error);

  const payment = await self.POST("/api/accounts/{accountId}/payments", {
    params: { path: { accountId }, header: { "Idempotency-Key": key("pay") } },
    body: { amount: 20, method: "transfer", reference: null, cardBrand: null, cardLast4: null },
  });
  expect("customer starts a transfer", payment.response.status, 202, payment.error);
  const reference: string = payment.data!.referenceToQuote ?? fail("a transfer answers the reference to quote");
  if (!reference.startsWith("RF")) fail(`reference ${reference}`);

  const other = await self.GET("/api/accounts/{accountId}", { params: { path: { accountId: "00000000-0000-7000-8000-000000000001" } } });
  expect("customer cannot see another account", other.response.status, 404, other.error);
}

async function manager(accountId: string): Promise<void> {
  const desk = as("csr");
  const limits = await desk.GET("/api/me/limits");
  const over: number = (limits.data?.maxSingleCredit ?? fail("limits")) + 1;
  const request = await desk.POST("/api/accounts/{accountId}/credits", {
    params: { path: { accountId } },
    body: { amount: over, reasonCode: "goodwill", reason: "Over the CSR's limit", overrideReason: null },
  });
  expect("csr's credit over the limit awaits approval", request.response.status, 202, request.error);
  const approvalId = (request.data as Schemas["PendingResult"]).approvalId;

  const boss = as("manager");
  const queue = await boss.GET("/api/approvals", { params: { query: { status: "pending", accountId } } });
  expect("manager reads the approval queue", queue.response.status, 200, queue.error);
  if (!queue.data!.items.some((a) => a.id === approvalId)) fail("the request is in the queue");
  const approved = await boss.POST("/api/approvals/{approvalId}/approve", {
    params: { path: { approvalId } },
    body: { note: "Agreed" },
  });
  expect("manager approves it", approved.response.status, 200, approved.error);
}

async function auditor(accountId: string): Promise<void> {
  const audit = as("auditor");
  const history = await audit.GET("/api/accounts/{accountId}/history", { params: { path: { accountId } } });
  expect("auditor reads the account's history", history.response.status, 200, history.error);
  const integrity = await audit.GET("/api/accounts/{accountId}/integrity", { params: { path: { accountId } } });
  expect("auditor verifies its hash chain", integrity.response.status, 200, integrity.error);
  if (integrity.data!.intact !== true) fail("the chain is intact");
  const forbidden = await audit.POST("/api/accounts/{accountId}/charges", {
    params: { path: { accountId } },
    body: { amount: 1, description: "not theirs to post", category: "plan", serviceFrom: null, serviceTo: null },
  });
  expect("auditor may not post", forbidden.response.status, 403, forbidden.error);
}

async function admin(): Promise<void> {
  const ops = as("admin");
  const policy = await ops.GET("/api/policy");
  expect("admin reads the limits policy", policy.response.status, 200, policy.error);
  const etag = policy.response.headers.get("ETag") ?? fail("the policy answers an ETag");
  const limits = policy.data!.limits;
  const changed = await ops.PUT("/api/policy", {
    params: { header: { "If-Match": etag } },
    body: { limits: { ...limits, approvalExpiryHours: limits.approvalExpiryHours === 72 ? 48 : 72 }, reason: "Shorter expiry, set by the TypeScript journey" },
  });
  expect("admin changes it with If-Match", changed.response.status, 200, changed.error);
  const again = await ops.PUT("/api/policy", {
    params: { header: { "If-Match": etag } },
    body: { limits, reason: "From a stale copy" },
  });
  expect("a change from a stale copy is refused", again.response.status, 412, again.error);
  const letters = await ops.GET("/api/operations/dead-letters");
  expect("admin lists dead letters", letters.response.status, 200, letters.error);
}

// An in-house system with client credentials and ledger.* scopes: usage in bulk, a bank feed's credit, a read; no credits.
async function system(accountId: string): Promise<void> {
  const billing = as("system");
  const bulk = await billing.POST("/api/bulk/charges", {
    body: { items: [{ accountId, idempotencyKey: key("usage"), amount: 2.5, description: "Data, 1 GB", category: "data" }] },
  });
  expect("a system posts usage in bulk", bulk.response.status, 200, bulk.error);
  if (bulk.data!.applied !== 1) fail(`bulk applied ${bulk.data!.applied}, expected 1`);
  const credit = await billing.POST("/api/bank-credits", {
    body: { idempotencyKey: key("bank"), accountId, amount: 10, currency: "USD", method: "transfer", bankReference: "NTRY-TS-1" },
  });
  expect("a bank feed applies a credit", credit.response.status, 201, credit.error);
  const account = await billing.GET("/api/accounts/{accountId}", { params: { path: { accountId } } });
  expect("a system reads the account", account.response.status, 200, account.error);
  const refused = await billing.POST("/api/accounts/{accountId}/credits", {
    params: { path: { accountId } },
    body: { amount: 1, reasonCode: "goodwill", reason: "A system's idea" },
  });
  expect("a system may not credit", refused.response.status, 403, refused.error);
}

const { accountId, chargeId } = await csr();
await customer(accountId, chargeId);
await manager(accountId);
await auditor(accountId);
await admin();
await system(accountId);
console.log("all journeys passed");
