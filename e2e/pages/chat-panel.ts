import { expect, type FrameLocator, type Locator } from '@playwright/test';

/** The panel's strings in one language (widget/src/i18n.rs), as far as the journeys read them. */
export interface PanelStrings {
  title: string;
  close: string;
  welcome: string;
  placeholder: string;
  message: string;
  send: string;
  transcript: string;
  attach: string;
  expand: string;
  shrink: string;
  ended: string;
  newConversation: string;
}

/** The panel's languages; the keys are the tags the frame document gets as `lang`. */
export const PANEL_STRINGS: Record<'en' | 'pt-BR' | 'es' | 'zh-CN', PanelStrings> = {
  en: {
    title: 'Chat with us',
    close: 'Close chat',
    welcome: 'Hi! Ask us anything — we usually answer within minutes.',
    placeholder: 'Write a message…',
    message: 'Message',
    send: 'Send',
    transcript: 'Download transcript',
    attach: 'Attach a file',
    expand: 'Expand',
    shrink: 'Shrink',
    ended: 'This conversation has ended.',
    newConversation: 'Start a new conversation',
  },
  'pt-BR': {
    title: 'Fale conosco',
    close: 'Fechar chat',
    welcome: 'Olá! Pergunte o que quiser — costumamos responder em minutos.',
    placeholder: 'Escreva uma mensagem…',
    message: 'Mensagem',
    send: 'Enviar',
    transcript: 'Baixar transcrição',
    attach: 'Anexar arquivo',
    expand: 'Expandir',
    shrink: 'Reduzir',
    ended: 'Esta conversa foi encerrada.',
    newConversation: 'Iniciar uma nova conversa',
  },
  es: {
    title: 'Habla con nosotros',
    close: 'Cerrar chat',
    welcome: '¡Hola! Pregúntanos lo que quieras: solemos responder en minutos.',
    placeholder: 'Escribe un mensaje…',
    message: 'Mensaje',
    send: 'Enviar',
    transcript: 'Descargar transcripción',
    attach: 'Adjuntar archivo',
    expand: 'Ampliar',
    shrink: 'Reducir',
    ended: 'Esta conversación ha terminado.',
    newConversation: 'Iniciar una nueva conversación',
  },
  'zh-CN': {
    title: '与我们聊天',
    close: '关闭聊天',
    welcome: '您好！有任何问题都可以问我们，我们通常几分钟内回复。',
    placeholder: '输入消息…',
    message: '消息内容',
    send: '发送',
    transcript: '下载聊天记录',
    attach: '添加附件',
    expand: '展开',
    shrink: '收起',
    ended: '此对话已结束。',
    newConversation: '开始新的对话',
  },
};

/** The chat panel inside the widget's frame. */
export class ChatPanel {
  readonly frame: FrameLocator;
  readonly root: Locator;
  readonly title: Locator;
  readonly log: Locator;
  readonly input: Locator;
  readonly sendButton: Locator;
  readonly closeButton: Locator;
  readonly transcriptButton: Locator;
  readonly attachButton: Locator;
  /** The composer's (hidden) file input, which the attach button opens. */
  readonly fileInput: Locator;
  /** The header button that makes the panel bigger (named "shrink" once it has). */
  readonly expandButton: Locator;
  /** What shows instead of the composer once the last ticket is closed. */
  readonly ended: Locator;
  readonly newConversationButton: Locator;

  /** `strings`: the language the panel is expected in (its controls are found by their names). */
  constructor(frame: FrameLocator, readonly strings: PanelStrings = PANEL_STRINGS.en) {
    this.frame = frame;
    this.root = frame.locator('.panel');
    this.title = frame.getByRole('heading', { level: 1 });
    this.log = frame.getByRole('log');
    this.input = frame.getByRole('textbox', { name: strings.message, exact: true });
    this.sendButton = frame.getByRole('button', { name: strings.send, exact: true });
    this.closeButton = frame.getByRole('button', { name: strings.close, exact: true });
    this.transcriptButton = frame.getByRole('button', { name: strings.transcript, exact: true });
    this.attachButton = frame.getByRole('button', { name: strings.attach, exact: true });
    this.fileInput = frame.locator('.composer input[type="file"]');
    this.expandButton = frame.locator('.head button.expand');
    this.ended = frame.getByText(strings.ended, { exact: true });
    this.newConversationButton = frame.getByRole('button', {
      name: strings.newConversation,
      exact: true,
    });
  }

  /** The frame document's root element (which carries `lang` and `dir`). */
  documentRoot(): Locator {
    return this.frame.locator('html');
  }

  /** Types `text` and presses Enter. */
  async send(text: string) {
    await this.input.fill(text);
    await this.input.press('Enter');
  }

  /** The visitor's own messages (right side). */
  mine(): Locator {
    return this.log.locator('.msg.mine .bubble');
  }

  /** Messages from the site's side (left side). */
  theirs(): Locator {
    return this.log.locator('.msg.theirs .bubble');
  }

  /** The quick-reply buttons under the site's message that says `text`. */
  choices(text: string): Locator {
    return this.log.locator('.msg.theirs').filter({ hasText: text }).locator('.choices button');
  }

  /** The "typing…" line under the log (empty while nobody types). */
  typingLine(): Locator {
    return this.frame.locator('.typing');
  }

  /** Waits until the socket is connected and in sync. */
  async expectLive() {
    await expect(this.root).toHaveAttribute('data-connection', 'live');
  }

  /** Waits until the visitor's message `text` is stored by the edge (it has a sequence number). */
  async expectStored(text: string) {
    await expect(
      this.log.locator('.msg.mine[data-delivery="sent"]').filter({ hasText: text }),
    ).toHaveCount(1);
  }

  /** The conversation id the edge gave this visitor. */
  async conversationId(): Promise<string> {
    await expect(this.root).toHaveAttribute('data-conversation', /^cv_/);
    return (await this.root.getAttribute('data-conversation')) ?? '';
  }
}
