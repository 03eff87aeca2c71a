//! The panel's languages: every visible string, per language, in one table. A plain match rather
//! than an i18n crate: four languages of a few dozen short strings cost less than any runtime
//! would, and a missing string is a compile error, not a blank.
//!
//! The language comes from the loader's `data-locale` (the site's choice) when it names one we
//! have, else from the browser's preferred languages, else English.

use porchlight_shared::Status;

/// A language the panel is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// Português (Brasil).
    PtBr,
    /// Español.
    Es,
    /// 简体中文.
    ZhCn,
}

impl Lang {
    /// The language for a BCP 47 tag (`pt-BR`, `pt`, `es-419`, `zh-Hans-CN`; `_` also accepted),
    /// by its primary subtag; `None` if we do not have it.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            // Portuguese from Portugal reads Brazilian Portuguese fine: better than English.
            "pt" => Some(Lang::PtBr),
            "es" => Some(Lang::Es),
            // Only simplified Chinese is written; traditional readers still read it.
            "zh" => Some(Lang::ZhCn),
            _ => None,
        }
    }

    /// The first of `data_locale`, then the browser's languages, that we have; else English.
    pub fn choose<'a>(
        data_locale: Option<&'a str>,
        browser: impl IntoIterator<Item = &'a str>,
    ) -> Lang {
        data_locale
            .into_iter()
            .chain(browser)
            .find_map(Lang::from_tag)
            .unwrap_or(Lang::En)
    }

    /// The BCP 47 tag for the frame document's `lang`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::PtBr => "pt-BR",
            Lang::Es => "es",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// Text direction for the frame document's `dir`. All four are left to right; the layout uses
    /// logical CSS properties so that a right-to-left language only needs a row here.
    pub fn dir(self) -> &'static str {
        "ltr"
    }

    /// Every string of the panel in this language.
    pub fn strings(self) -> &'static Strings {
        match self {
            Lang::En => &EN,
            Lang::PtBr => &PT_BR,
            Lang::Es => &ES,
            Lang::ZhCn => &ZH_CN,
        }
    }
}

/// Every string the panel shows or announces.
#[derive(Debug)]
pub struct Strings {
    /// Panel heading.
    pub title: &'static str,
    /// Label of the close button.
    pub close: &'static str,
    /// Banner while the socket reconnects.
    pub reconnecting: &'static str,
    /// Label of the message log.
    pub messages: &'static str,
    /// Button that loads older history.
    pub earlier: &'static str,
    /// Greeting in an empty thread.
    pub welcome: &'static str,
    /// The other side is typing.
    pub typing: &'static str,
    /// Composer placeholder.
    pub placeholder: &'static str,
    /// Composer label.
    pub message: &'static str,
    /// Label of the send button.
    pub send: &'static str,
    /// Mark of a message on its way.
    pub sending: &'static str,
    /// Mark of a message the edge refused.
    pub not_sent: &'static str,
    /// Ticket divider, before the ticket number.
    pub conversation: &'static str,
    /// Author label of the visitor.
    pub you: &'static str,
    /// Author label of a bot.
    pub assistant: &'static str,
    /// Pre-chat form: the name field's label.
    pub name: &'static str,
    /// Pre-chat form: the email field's label.
    pub email: &'static str,
    /// Pre-chat form: the phone field's label.
    pub phone: &'static str,
    /// Pre-chat form: the consent checkbox's label.
    pub consent: &'static str,
    /// Pre-chat form: the submit button.
    pub start_chat: &'static str,
    /// Pre-chat form: beside an email that is not an address.
    pub bad_email: &'static str,
    /// Pre-chat form: beside a phone number that is not one (or lacks its country code).
    pub bad_phone: &'static str,
    /// Mark of a message the edge stored.
    pub delivered: &'static str,
    /// Mark of a message an agent has read.
    pub read: &'static str,
    /// Label of the button that downloads the conversation's transcript.
    pub transcript: &'static str,
    /// Label of the button that makes the panel bigger.
    pub expand: &'static str,
    /// Label of the same button once the panel is big.
    pub shrink: &'static str,
    /// Shown instead of the composer when the last ticket is closed.
    pub ended: &'static str,
    /// The button that starts a new conversation after that.
    pub new_conversation: &'static str,
    /// Label of a message's group of quick-reply buttons.
    pub quick_replies: &'static str,
    /// Label of the button that attaches files.
    pub attach: &'static str,
    /// An attached file could not be sent (type or size).
    pub attach_failed: &'static str,
    /// Name shown for an attached file that has none.
    pub file: &'static str,
    /// Before the names of the agents online, on the team card.
    pub online_now: &'static str,
    /// Before the date a Solved ticket stops taking replies.
    pub open_until: &'static str,
    /// Author label of an agent whose name the edge did not record.
    pub agent: &'static str,
    /// Status lines, in [`Status::ALL`] order.
    pub statuses: [&'static str; 6],
    /// The CSAT question, when a ticket is solved.
    pub csat_question: &'static str,
    /// The five CSAT answers' words, from 1 to 5.
    pub csat_labels: [&'static str; 5],
    /// The NPS question, where the site asks it.
    pub nps_question: &'static str,
    /// The ends of the NPS scale: 0 and 10.
    pub nps_ends: [&'static str; 2],
    /// Label of the rating's optional comment.
    pub rating_comment: &'static str,
    /// The button that sends the rating.
    pub rate: &'static str,
    /// Said once the rating is sent.
    pub rated: &'static str,
    /// The button that shows the rating form again, to change the answer.
    pub change_rating: &'static str,
}

impl Strings {
    /// The line shown when a ticket moves to `to`.
    pub fn status(&self, to: Status) -> &'static str {
        let i = Status::ALL.iter().position(|s| *s == to).unwrap_or(0);
        self.statuses.get(i).copied().unwrap_or_default()
    }
}

static EN: Strings = Strings {
    title: "Chat with us",
    close: "Close chat",
    reconnecting: "Reconnecting…",
    messages: "Messages",
    earlier: "Earlier messages",
    welcome: "Hi! Ask us anything — we usually answer within minutes.",
    typing: "Typing…",
    placeholder: "Write a message…",
    message: "Message",
    send: "Send",
    sending: "Sending…",
    not_sent: "Not sent",
    conversation: "Conversation",
    you: "You",
    assistant: "Assistant",
    name: "Name",
    email: "Email",
    phone: "Phone",
    consent: "I agree that this conversation and my details are stored.",
    start_chat: "Start chat",
    bad_email: "Enter an email address like name@example.com.",
    bad_phone: "Enter the number with + and the country code, like +1 415 555 0100.",
    delivered: "Delivered",
    read: "Read",
    transcript: "Download transcript",
    expand: "Expand",
    shrink: "Shrink",
    ended: "This conversation has ended.",
    new_conversation: "Start a new conversation",
    quick_replies: "Quick replies",
    attach: "Attach a file",
    attach_failed: "That file could not be sent: images or PDF up to 5 MB.",
    file: "File",
    online_now: "Online now:",
    open_until: "Open for replies until",
    agent: "Support",
    statuses: [
        "Waiting for an agent",
        "An agent is on it",
        "Waiting for your reply",
        "On hold",
        "Marked as solved",
        "Conversation closed",
    ],
    csat_question: "How would you rate this conversation?",
    csat_labels: [
        "Very unsatisfied",
        "Unsatisfied",
        "Neutral",
        "Satisfied",
        "Very satisfied",
    ],
    nps_question: "How likely are you to recommend us to a friend?",
    nps_ends: ["Not at all likely", "Extremely likely"],
    rating_comment: "Anything to add? (optional)",
    rate: "Send rating",
    rated: "Thank you for your rating.",
    change_rating: "Change rating",
};

static PT_BR: Strings = Strings {
    title: "Fale conosco",
    close: "Fechar chat",
    reconnecting: "Reconectando…",
    messages: "Mensagens",
    earlier: "Mensagens anteriores",
    welcome: "Olá! Pergunte o que quiser — costumamos responder em minutos.",
    typing: "Digitando…",
    placeholder: "Escreva uma mensagem…",
    message: "Mensagem",
    send: "Enviar",
    sending: "Enviando…",
    not_sent: "Não enviada",
    conversation: "Conversa",
    you: "Você",
    assistant: "Assistente",
    name: "Nome",
    email: "E-mail",
    phone: "Telefone",
    consent: "Concordo que esta conversa e meus dados sejam armazenados.",
    start_chat: "Iniciar conversa",
    bad_email: "Informe um e-mail como nome@exemplo.com.",
    bad_phone: "Informe o número com + e o código do país, como +55 11 91234 5678.",
    delivered: "Entregue",
    read: "Lida",
    transcript: "Baixar transcrição",
    expand: "Expandir",
    shrink: "Reduzir",
    ended: "Esta conversa foi encerrada.",
    new_conversation: "Iniciar uma nova conversa",
    quick_replies: "Respostas rápidas",
    attach: "Anexar arquivo",
    attach_failed: "Não foi possível enviar o arquivo: imagens ou PDF de até 5 MB.",
    file: "Arquivo",
    online_now: "Online agora:",
    open_until: "Aberta para respostas até",
    agent: "Atendimento",
    statuses: [
        "Aguardando um atendente",
        "Um atendente está cuidando disso",
        "Aguardando sua resposta",
        "Em espera",
        "Marcada como resolvida",
        "Conversa encerrada",
    ],
    csat_question: "Como você avalia este atendimento?",
    csat_labels: [
        "Muito insatisfeito",
        "Insatisfeito",
        "Neutro",
        "Satisfeito",
        "Muito satisfeito",
    ],
    nps_question: "Qual a probabilidade de você nos recomendar a um amigo?",
    nps_ends: ["Nada provável", "Extremamente provável"],
    rating_comment: "Quer acrescentar algo? (opcional)",
    rate: "Enviar avaliação",
    rated: "Obrigado pela sua avaliação.",
    change_rating: "Alterar avaliação",
};

static ES: Strings = Strings {
    title: "Habla con nosotros",
    close: "Cerrar chat",
    reconnecting: "Reconectando…",
    messages: "Mensajes",
    earlier: "Mensajes anteriores",
    welcome: "¡Hola! Pregúntanos lo que quieras: solemos responder en minutos.",
    typing: "Escribiendo…",
    placeholder: "Escribe un mensaje…",
    message: "Mensaje",
    send: "Enviar",
    sending: "Enviando…",
    not_sent: "No enviado",
    conversation: "Conversación",
    you: "Tú",
    assistant: "Asistente",
    name: "Nombre",
    email: "Correo electrónico",
    phone: "Teléfono",
    consent: "Acepto que se guarden esta conversación y mis datos.",
    start_chat: "Iniciar chat",
    bad_email: "Escribe un correo como nombre@ejemplo.com.",
    bad_phone: "Escribe el número con + y el código de país, como +34 612 345 678.",
    delivered: "Entregado",
    read: "Leído",
    transcript: "Descargar transcripción",
    expand: "Ampliar",
    shrink: "Reducir",
    ended: "Esta conversación ha terminado.",
    new_conversation: "Iniciar una nueva conversación",
    quick_replies: "Respuestas rápidas",
    attach: "Adjuntar archivo",
    attach_failed: "No se pudo enviar el archivo: imágenes o PDF de hasta 5 MB.",
    file: "Archivo",
    online_now: "En línea ahora:",
    open_until: "Abierta para respuestas hasta",
    agent: "Soporte",
    statuses: [
        "Esperando a un agente",
        "Un agente se está ocupando",
        "Esperando tu respuesta",
        "En espera",
        "Marcada como resuelta",
        "Conversación cerrada",
    ],
    csat_question: "¿Cómo valoras esta conversación?",
    csat_labels: [
        "Muy insatisfecho",
        "Insatisfecho",
        "Neutral",
        "Satisfecho",
        "Muy satisfecho",
    ],
    nps_question: "¿Qué probabilidad hay de que nos recomiendes a un amigo?",
    nps_ends: ["Nada probable", "Muy probable"],
    rating_comment: "¿Algo que añadir? (opcional)",
    rate: "Enviar valoración",
    rated: "Gracias por tu valoración.",
    change_rating: "Cambiar valoración",
};

static ZH_CN: Strings = Strings {
    title: "与我们聊天",
    close: "关闭聊天",
    reconnecting: "正在重新连接…",
    messages: "消息",
    earlier: "更早的消息",
    welcome: "您好！有任何问题都可以问我们，我们通常几分钟内回复。",
    typing: "正在输入…",
    placeholder: "输入消息…",
    message: "消息内容",
    send: "发送",
    sending: "正在发送…",
    not_sent: "未发送",
    conversation: "会话",
    you: "您",
    assistant: "助手",
    name: "姓名",
    email: "电子邮件",
    phone: "电话",
    consent: "我同意保存此对话和我的信息。",
    start_chat: "开始聊天",
    bad_email: "请输入有效的邮箱地址，例如 name@example.com。",
    bad_phone: "请输入带 + 和国家代码的号码，例如 +86 138 0013 8000。",
    delivered: "已送达",
    read: "已读",
    transcript: "下载聊天记录",
    expand: "展开",
    shrink: "收起",
    ended: "此对话已结束。",
    new_conversation: "开始新的对话",
    quick_replies: "快捷回复",
    attach: "添加附件",
    attach_failed: "无法发送该文件：仅支持 5 MB 以内的图片或 PDF。",
    file: "文件",
    online_now: "当前在线：",
    open_until: "可回复至",
    agent: "客服",
    statuses: [
        "正在等待客服",
        "客服正在处理",
        "等待您的回复",
        "暂时搁置",
        "已标记为解决",
        "会话已结束",
    ],
    csat_question: "您对本次对话的满意度如何？",
    csat_labels: ["非常不满意", "不满意", "一般", "满意", "非常满意"],
    nps_question: "您向朋友推荐我们的可能性有多大？",
    nps_ends: ["完全不可能", "非常可能"],
    rating_comment: "还有什么想说的吗？（可选）",
    rate: "提交评价",
    rated: "感谢您的评价。",
    change_rating: "修改评价",
};

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Lang; 4] = [Lang::En, Lang::PtBr, Lang::Es, Lang::ZhCn];

    #[test]
    fn data_locale_wins_then_the_browser_then_english() {
        assert_eq!(Lang::choose(Some("pt-BR"), ["zh-CN"]), Lang::PtBr);
        assert_eq!(Lang::choose(Some("zh-CN"), ["en-US"]), Lang::ZhCn);
        // A site locale we do not have falls through to the browser's.
        assert_eq!(Lang::choose(Some("fr-FR"), ["de", "es-419"]), Lang::Es);
        assert_eq!(Lang::choose(None, ["pt_PT"]), Lang::PtBr);
        assert_eq!(Lang::choose(None, ["zh-Hant-TW"]), Lang::ZhCn);
        assert_eq!(Lang::choose(None, ["ja", "ko"]), Lang::En);
        assert_eq!(Lang::choose(Some(""), []), Lang::En);
    }

    #[test]
    fn every_language_has_every_string_and_a_round_tripping_tag() {
        for lang in ALL {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
            assert_eq!(lang.dir(), "ltr");
            let s = lang.strings();
            for text in [
                s.title,
                s.close,
                s.reconnecting,
                s.messages,
                s.earlier,
                s.welcome,
                s.typing,
                s.placeholder,
                s.message,
                s.send,
                s.sending,
                s.not_sent,
                s.conversation,
                s.you,
                s.assistant,
                s.name,
                s.email,
                s.phone,
                s.consent,
                s.start_chat,
                s.bad_email,
                s.bad_phone,
                s.delivered,
                s.read,
                s.online_now,
                s.open_until,
                s.agent,
            ]
            .iter()
            .chain(s.statuses.iter())
            {
                assert!(!text.trim().is_empty(), "{lang:?}");
            }
            for st in Status::ALL {
                assert!(!s.status(st).is_empty());
            }
            // Statuses are distinct, so the table's order matters and is not shuffled.
            let mut lines = s.statuses.to_vec();
            lines.sort_unstable();
            lines.dedup();
            assert_eq!(lines.len(), 6, "{lang:?}");
        }
        assert_eq!(Lang::En.strings().status(Status::OnHold), "On hold");
        assert_eq!(
            Lang::PtBr.strings().status(Status::Closed),
            "Conversa encerrada"
        );
    }
}
