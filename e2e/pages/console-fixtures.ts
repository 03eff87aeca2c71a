import { createHmac } from 'node:crypto';
import { expect, request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import { ADMIN, DEMO_SITE, type Account } from './console';

/**
 * A visitor driven through the visitor HTTP API: a profile (so routing sees a language) and
 * messages, without a browser. For what a visitor *sees*, use the widget (`HostPage`).
 */
export class VisitorApi {
  private constructor(
    private readonly request: APIRequestContext,
    readonly token: string,
    readonly conversationId: string,
  ) {}

  /** A new visitor of the demo site; `locale` (e.g. `pt-BR`) is reported before anything else. */
  static async start(
    request: APIRequestContext,
    profile: { locale?: string; name?: string; email?: string; page_url?: string; attributes?: Record<string, string> } = {},
  ): Promise<VisitorApi> {
    const resp = await request.post('/v1/visitor/session', { data: { site_id: DEMO_SITE } });
    expect(resp.status(), await resp.text()).toBe(200);
    const body = await resp.json();
    const visitor = new VisitorApi(request, body.token, body.conversation_id);
    if (Object.keys(profile).length > 0) {
      const p = await request.put('/v1/visitor/profile', { headers: visitor.headers(), data: profile });
      expect(p.ok(), await p.text()).toBe(true);
    }
    return visitor;
  }

  private headers() {
    return { Authorization: `Bearer ${this.token}` };
  }

  /** Posts a message as the visitor. */
  async say(text: string) {
    const resp = await this.request.post('/v1/visitor/messages', {
      headers: this.headers(),
      data: { client_id: `v-${Date.now()}-${Math.floor(Math.random() * 1e9)}`, body: { text } },
    });
    expect(resp.status(), await resp.text()).toBe(200);
  }

  /**
   * Identifies the visitor as the site's logged-in user `id`, signed as a site's backend would:
   * HMAC-SHA256 of the id with the site's secret (the demo site's development secret).
   */
  async identify(id: string, name: string, secret = 'dev-secret-demo-not-for-production') {
    const hash = createHmac('sha256', secret).update(id).digest('hex');
    const resp = await this.request.post('/v1/visitor/identify', {
      headers: this.headers(),
      data: { id, name, hash },
    });
    expect(resp.status(), await resp.text()).toBe(200);
  }

  /** Every item the visitor can read (newest page). */
  async history(): Promise<Array<{ kind: string; body?: { text: string } }>> {
    const resp = await this.request.get('/v1/visitor/history?limit=100', { headers: this.headers() });
    expect(resp.status()).toBe(200);
    return (await resp.json()).items;
  }
}

/** An HTTP client signed in to the console as `account` (holds the session cookie). */
export async function signedIn(baseURL: string, account: Account): Promise<APIRequestContext> {
  const api = await playwrightRequest.newContext({ baseURL });
  const resp = await api.post('/v1/console/login', {
    data: { site_id: DEMO_SITE, email: account.email, password: account.password },
  });
  expect(resp.status(), await resp.text()).toBe(200);
  return api;
}

/**
 * Finishes every live ticket of the demo site (as the admin), so that a journey starts with an
 * empty queue: tickets left by earlier specs would otherwise be offered to the agents signing in
 * and take their capacity.
 */
export async function resetSite(baseURL: string) {
  const admin = await signedIn(baseURL, ADMIN);
  const inbox = await (await admin.get('/v1/console/inbox')).json();
  for (const t of inbox.tickets as Array<{ conversation_id: string }>) {
    const resp = await admin.post(`/v1/agent/conversations/${t.conversation_id}/finish`);
    // A ticket that closed meanwhile is fine.
    expect([200, 409], await resp.text()).toContain(resp.status());
  }
  await expect
    .poll(async () => (await (await admin.get('/v1/console/inbox')).json()).tickets.length)
    .toBe(0);
  await admin.dispose();
}
