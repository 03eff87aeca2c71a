import { expect, type APIRequestContext } from '@playwright/test';

/** The demo site's development agent token (edge/seed/demo.sql); development data only. */
export const DEMO_AGENT_TOKEN = 'pl_dev_demo_alice';

/** An agent answering through the HTTP agent API (the console does not exist yet). */
export class AgentApi {
  constructor(
    private readonly request: APIRequestContext,
    private readonly token = DEMO_AGENT_TOKEN,
  ) {}

  private headers() {
    return { Authorization: `Bearer ${this.token}` };
  }

  /** The live tickets of the agent's site. */
  async tickets(): Promise<Array<{ conversation_id: string; status: string }>> {
    const resp = await this.request.get('/v1/agent/tickets', { headers: this.headers() });
    expect(resp.status()).toBe(200);
    return (await resp.json()).tickets;
  }

  /** Replies in a conversation (which accepts its New ticket). */
  async reply(conversationId: string, text: string) {
    const resp = await this.request.post(`/v1/agent/conversations/${conversationId}/messages`, {
      headers: this.headers(),
      data: { client_id: `e2e-${Date.now()}-${Math.floor(Math.random() * 1e9)}`, body: { text } },
    });
    expect(resp.status(), await resp.text()).toBe(200);
  }

  /** Sets the live ticket's status (`pending`, `on_hold`, `solved`, ...). */
  async setStatus(conversationId: string, to: string) {
    const resp = await this.request.post(`/v1/agent/conversations/${conversationId}/status`, {
      headers: this.headers(),
      data: { to },
    });
    expect(resp.status(), await resp.text()).toBe(200);
  }

  /** "Finish conversation": closes the live ticket at once. */
  async finish(conversationId: string) {
    const resp = await this.request.post(`/v1/agent/conversations/${conversationId}/finish`, {
      headers: this.headers(),
    });
    expect(resp.status(), await resp.text()).toBe(200);
  }

  /** The visitor panel's profile: what agents see of who the visitor is. */
  async visitorProfile(conversationId: string): Promise<{
    name?: string;
    email?: string;
    verified?: boolean;
    verified_id?: string;
    attributes?: Record<string, string>;
  }> {
    const resp = await this.request.get(`/v1/agent/conversations/${conversationId}/visitor`, {
      headers: this.headers(),
    });
    expect(resp.status(), await resp.text()).toBe(200);
    return (await resp.json()).profile;
  }
}

/**
 * An agent's live socket to one conversation, opened from a page on the edge's origin with the
 * development token in the subprotocol list (as the console's own socket would send it). Keeps
 * every frame it receives, for the typing indicator journeys.
 */
export class AgentSocket {
  private constructor(private readonly page: import('@playwright/test').Page) {}

  /** Connects (on `page`, which it navigates to the edge) and waits for the `welcome` frame. */
  static async open(page: import('@playwright/test').Page, conversationId: string, token = DEMO_AGENT_TOKEN) {
    await page.goto('/healthz');
    await page.evaluate(
      ([id, t]) =>
        new Promise<void>((resolve, reject) => {
          const w = window as unknown as { agentWs: WebSocket; agentFrames: unknown[] };
          w.agentFrames = [];
          w.agentWs = new WebSocket(`ws://${location.host}/v1/agent/conversations/${id}/ws`, [
            'porchlight.v1',
            `bearer.${t}`,
          ]);
          w.agentWs.onmessage = (e) => {
            const frame = JSON.parse(e.data);
            w.agentFrames.push(frame);
            if (frame.type === 'welcome') resolve();
          };
          w.agentWs.onclose = () => reject(new Error('agent socket closed'));
        }),
      [conversationId, token],
    );
    return new AgentSocket(page);
  }

  /** Tells the conversation the agent started (or stopped) typing. */
  async typing(on: boolean) {
    await this.page.evaluate((on) => {
      (window as unknown as { agentWs: WebSocket }).agentWs.send(JSON.stringify({ type: 'typing', on }));
    }, on);
  }

  /** The `typing` frames received so far, as `[author kind, on]`. */
  async typingSeen(): Promise<Array<[string, boolean]>> {
    return this.page.evaluate(() =>
      (window as unknown as { agentFrames: Array<{ type: string; author?: { kind: string }; on?: boolean }> }).agentFrames
        .filter((f) => f.type === 'typing')
        .map((f) => [f.author?.kind ?? '', Boolean(f.on)] as [string, boolean]),
    );
  }
}
