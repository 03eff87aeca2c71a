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
}
