//! What OAuth 2.0 asks of the user while a send waits: the authorization
//! URL to open (with a line to paste the redirected URL into, for a browser
//! on another machine), or the device code to type elsewhere, with a QR
//! code of the verification URL when it fits.

use crossterm::event::{KeyCode, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

use crate::http::RequestId;
use crate::oauth2::Prompt;
use crate::tui::action::{Action, KeyContext};
use crate::tui::component::{Component, Cx, DrawCx, Flow, Input, Notice};
use crate::tui::effect::Effect;
use crate::tui::theme::Theme;
use crate::tui::widgets::safe_text::safe_spans;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthPrompt {
    /// The send waiting: esc cancels it.
    pub id: RequestId,
    /// The request's workspace path, for the title.
    pub path: String,
    pub prompt: Prompt,
    /// A redirected URL (or code) being pasted.
    pub input: String,
}

impl OAuthPrompt {
    pub fn new(id: RequestId, path: String, prompt: Prompt) -> OAuthPrompt {
        OAuthPrompt {
            id,
            path,
            prompt,
            input: String::new(),
        }
    }

    /// The URL ctrl-y copies (the device one with the code in it).
    fn url(&self) -> Option<&str> {
        match &self.prompt {
            Prompt::Authorize { url, .. } => Some(url),
            Prompt::Device {
                verification_uri,
                verification_uri_complete,
                ..
            } => Some(
                verification_uri_complete
                    .as_deref()
                    .unwrap_or(verification_uri),
            ),
            Prompt::Finished => None,
        }
    }

    fn takes_paste(&self) -> bool {
        matches!(self.prompt, Prompt::Authorize { .. })
    }

    fn submit(&mut self, cx: &mut Cx) {
        let text = self.input.trim().to_string();
        if !text.is_empty() {
            cx.effect(Effect::SubmitRedirect(text));
            self.input.clear();
        }
    }

    /// The size the popup wants in a `size` screen.
    pub fn area(&self, size: Rect) -> Rect {
        let width = size.width.saturating_sub(4).min(100);
        let inner = width.saturating_sub(2);
        let plan = self.plan(inner, size.height.saturating_sub(4));
        crate::tui::layout::centered(size, width, plan.height + 2)
    }

    /// The QR code of the URL, as rows of half-block cells: (top, bottom)
    /// dark modules. `None` when the URL does not encode.
    fn qr(&self) -> Option<Vec<Vec<(bool, bool)>>> {
        let Prompt::Device { .. } = self.prompt else {
            return None;
        };
        let code = qrcode::QrCode::new(self.url()?.as_bytes()).ok()?;
        let width = code.width();
        let colors = code.to_colors();
        let side = width + 2 * QUIET;
        let dark = |x: usize, y: usize| -> bool {
            let inside = (QUIET..QUIET + width).contains(&x) && (QUIET..QUIET + width).contains(&y);
            inside && colors[(y - QUIET) * width + (x - QUIET)] == qrcode::Color::Dark
        };
        Some(
            (0..side.div_ceil(2))
                .map(|row| {
                    (0..side)
                        .map(|x| (dark(x, 2 * row), dark(x, 2 * row + 1)))
                        .collect()
                })
                .collect(),
        )
    }

    /// The text (without the QR code), before wrapping.
    fn text(&self, theme: &Theme) -> Vec<Line<'static>> {
        // URLs and codes come from settings and servers: shown escaped.
        let safe = |s: &str, style: Style| Line::from(safe_spans(s, style, theme.escaped()));
        let accent = theme.fg(theme.colors.accent).add_modifier(Modifier::BOLD);
        let mut lines = Vec::new();
        match &self.prompt {
            Prompt::Authorize { url, listening } => {
                lines.push(Line::styled(
                    "Open this URL in a browser and approve:",
                    theme.base(),
                ));
                lines.push(safe(url, accent));
                lines.push(Line::default());
                if let Some(at) = listening {
                    lines.push(safe(
                        &format!("postie waits for the redirect on {at}."),
                        theme.dim(),
                    ));
                }
                lines.push(Line::styled(
                    "Browser on another machine (SSH)? Paste the URL it ends on:",
                    theme.base(),
                ));
                let mut input = vec![Span::styled("> ", theme.fg(theme.colors.accent))];
                input.extend(safe_spans(&self.input, theme.base(), theme.escaped()));
                input.push(crate::tui::widgets::cursor::span(theme));
                lines.push(Line::from(input));
                lines.push(Line::default());
                lines.push(Line::styled(
                    "enter submits · ctrl-y copies the URL · esc cancels the request",
                    theme.dim(),
                ));
            }
            Prompt::Device {
                user_code,
                verification_uri,
                expires_in,
                ..
            } => {
                lines.push(Line::styled("On any device, open", theme.base()));
                lines.push(safe(verification_uri, accent));
                lines.push(Line::styled("and enter the code", theme.base()));
                lines.push(safe(user_code, accent));
                lines.push(Line::default());
                lines.push(Line::styled(
                    format!(
                        "waiting for approval (the code expires in {} min)",
                        expires_in.div_ceil(60)
                    ),
                    theme.dim(),
                ));
                lines.push(Line::styled(
                    "ctrl-y copies the URL · esc cancels",
                    theme.dim(),
                ));
            }
            Prompt::Finished => {}
        }
        lines
    }

    /// Where things go in an inner area `width` wide and at most `height`
    /// high: the QR code beside the text, else below it, else left out.
    fn plan(&self, width: u16, height: u16) -> Plan {
        let text = self.text(&Theme::dark());
        // Rows the text takes wrapped at `w` (a close estimate: words
        // wrap a little sooner, which the spare rows absorb).
        let wrapped = |w: u16| -> u16 {
            let w = usize::from(w.max(1));
            (text.iter())
                .map(|l| l.width().max(1).div_ceil(w) as u16)
                .sum::<u16>()
                + 1
        };
        let no_qr = Plan {
            height: wrapped(width),
            qr: None,
        };
        let Some(qr) = self.qr() else {
            return no_qr;
        };
        let (qr_w, qr_h) = (qr.first().map_or(0, Vec::len) as u16, qr.len() as u16);
        let text_width = width.saturating_sub(qr_w + 2);
        if text_width >= MIN_TEXT && qr_h <= height {
            return Plan {
                height: wrapped(text_width).max(qr_h),
                qr: Some(QrAt::Beside { text_width }),
            };
        }
        let below = wrapped(width) + qr_h;
        if qr_w <= width && below <= height {
            return Plan {
                height: below,
                qr: Some(QrAt::Below),
            };
        }
        no_qr
    }
}

/// Modules of light margin around the QR code (scanners want some).
const QUIET: usize = 2;

/// The narrowest text column worth putting a QR code beside.
const MIN_TEXT: u16 = 30;

struct Plan {
    /// Rows the inner area needs.
    height: u16,
    qr: Option<QrAt>,
}

enum QrAt {
    Beside { text_width: u16 },
    Below,
}

/// The QR code's rows as cells: black and white whatever the theme, since
/// a scanner needs the contrast.
fn qr_lines(qr: Vec<Vec<(bool, bool)>>) -> Vec<Line<'static>> {
    let shade = |dark: bool| if dark { Color::Black } else { Color::White };
    (qr.into_iter())
        .map(|row| {
            Line::from(
                (row.into_iter())
                    .map(|(top, bottom)| {
                        Span::styled("▀", Style::default().fg(shade(top)).bg(shade(bottom)))
                    })
                    .collect::<Vec<_>>(),
            )
        })
        .collect()
}

impl Component for OAuthPrompt {
    fn context(&self) -> KeyContext {
        if self.takes_paste() {
            KeyContext::Text
        } else {
            KeyContext::Dialog
        }
    }

    fn actions(&self) -> Vec<Action> {
        if self.takes_paste() {
            vec![Action::Select, Action::Back]
        } else {
            vec![Action::Back]
        }
    }

    fn handle(&mut self, input: &Input, cx: &mut Cx) -> Flow {
        match input {
            Input::Key(k) => match k.code {
                KeyCode::Char('y') if k.modifiers.contains(KeyModifiers::CONTROL) => {
                    if let Some(url) = self.url() {
                        cx.effect(Effect::Copy(url.to_string()));
                        cx.info("copied the URL");
                    }
                }
                KeyCode::Char(c)
                    if self.takes_paste() && !k.modifiers.contains(KeyModifiers::CONTROL) =>
                {
                    self.input.push(c)
                }
                KeyCode::Backspace => {
                    self.input.pop();
                }
                KeyCode::Enter => self.submit(cx),
                _ => {}
            },
            Input::Paste(t) if self.takes_paste() => {
                self.input.push_str(t.lines().next().unwrap_or("").trim())
            }
            Input::Action(Action::Select) => self.submit(cx),
            Input::Action(Action::Back) => {
                cx.effect(Effect::CancelRequest(self.id));
                cx.notice(Notice::CloseOverlay);
            }
            _ => {}
        }
        Flow::Done
    }

    fn draw(&self, frame: &mut Frame, area: Rect, dcx: &DrawCx) {
        let theme = dcx.theme;
        let title = match self.prompt {
            Prompt::Device { .. } => " OAuth 2.0 device sign-in · ",
            _ => " OAuth 2.0 sign-in · ",
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border(true))
            .title(Line::from(vec![
                Span::styled(title, theme.fg(theme.colors.title)),
                Span::styled(format!("{} ", self.path), theme.dim()),
            ]));
        let inner = block.inner(area);
        frame.render_widget(Clear, area);
        frame.render_widget(block, area);
        let text = Paragraph::new(self.text(theme)).wrap(Wrap { trim: false });
        let plan = self.plan(inner.width, inner.height);
        match (plan.qr, self.qr()) {
            (Some(QrAt::Beside { text_width }), Some(qr)) => {
                let [left, _, right] = Layout::horizontal([
                    Constraint::Length(text_width),
                    Constraint::Length(2),
                    Constraint::Min(0),
                ])
                .areas(inner);
                frame.render_widget(text, left);
                frame.render_widget(Paragraph::new(qr_lines(qr)), right);
            }
            (Some(QrAt::Below), Some(qr)) => {
                let qr_h = qr.len() as u16;
                let [top, bottom] =
                    Layout::vertical([Constraint::Min(0), Constraint::Length(qr_h)]).areas(inner);
                frame.render_widget(text, top);
                frame.render_widget(Paragraph::new(qr_lines(qr)), bottom);
            }
            _ => frame.render_widget(text, inner),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::widgets::list_row::testing::draw_with;

    fn key(c: char) -> Input {
        Input::Key(crossterm::event::KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::NONE,
        ))
    }

    fn authorize() -> OAuthPrompt {
        OAuthPrompt::new(
            RequestId(7),
            "api/get".into(),
            Prompt::Authorize {
                url: "http://127.0.0.1:9/authorize?client_id=c&state=s".into(),
                listening: Some("http://127.0.0.1:4567/callback".into()),
            },
        )
    }

    fn device() -> OAuthPrompt {
        OAuthPrompt::new(
            RequestId(7),
            "api/get".into(),
            Prompt::Device {
                user_code: "WDJB-MJHT".into(),
                verification_uri: "https://example.com/device".into(),
                verification_uri_complete: Some(
                    "https://example.com/device?user_code=WDJB-MJHT".into(),
                ),
                expires_in: 900,
            },
        )
    }

    #[test]
    fn a_pasted_url_is_submitted_and_esc_cancels_the_send() {
        let mut p = authorize();
        let mut cx = Cx::default();
        p.handle(
            &Input::Paste("https://app/cb?code=x&state=s\nmore".into()),
            &mut cx,
        );
        p.handle(&key('!'), &mut cx);
        p.handle(&Input::Action(Action::Select), &mut cx);
        assert!(
            matches!(cx.effects.as_slice(), [Effect::SubmitRedirect(t)] if t == "https://app/cb?code=x&state=s!"),
            "{:?}",
            cx.effects
        );
        assert!(p.input.is_empty());
        // Nothing typed: nothing submitted.
        let mut cx = Cx::default();
        p.handle(&Input::Action(Action::Select), &mut cx);
        assert!(cx.effects.is_empty());
        p.handle(&Input::Action(Action::Back), &mut cx);
        assert!(matches!(
            cx.effects.as_slice(),
            [Effect::CancelRequest(RequestId(7))]
        ));
        assert_eq!(cx.notices, [Notice::CloseOverlay]);
    }

    #[test]
    fn the_device_prompt_takes_no_typing_and_copies_the_complete_url() {
        let mut p = device();
        assert_eq!(p.context(), KeyContext::Dialog);
        let mut cx = Cx::default();
        p.handle(&key('x'), &mut cx);
        assert!(p.input.is_empty());
        p.handle(
            &Input::Key(crossterm::event::KeyEvent::new(
                KeyCode::Char('y'),
                KeyModifiers::CONTROL,
            )),
            &mut cx,
        );
        assert!(matches!(
            cx.effects.as_slice(),
            [Effect::Copy(u)] if u == "https://example.com/device?user_code=WDJB-MJHT"
        ));
    }

    #[test]
    fn the_qr_code_is_square_with_a_quiet_zone_and_shows_where_it_fits() {
        let qr = device().qr().unwrap();
        let side = qr[0].len();
        assert!(qr.iter().all(|r| r.len() == side));
        assert_eq!(qr.len(), side.div_ceil(2));
        // The quiet zone is light; the finder pattern's corner is dark.
        assert_eq!(qr[0][0], (false, false));
        assert_eq!(qr[1][2], (true, true));
        let theme = crate::tui::theme::Theme::dark();
        let has_qr = |w, h| {
            let buf = draw_with(&device(), w, h, &theme, true);
            buf.content().iter().any(|c| c.symbol() == "▀")
        };
        assert!(has_qr(80, 24), "beside the text");
        assert!(has_qr(44, 40), "below the text");
        assert!(!has_qr(30, 12), "too small: the text alone");
    }

    #[test]
    fn hostile_text_from_the_server_is_shown_escaped() {
        let mut p = device();
        if let Prompt::Device { user_code, .. } = &mut p.prompt {
            *user_code = "\u{1b}]52;c;aGk=\u{7}CODE\u{202e}".into();
        }
        let theme = crate::tui::theme::Theme::dark();
        let buf = draw_with(&p, 80, 40, &theme, true);
        let text: String = buf.content().iter().map(|c| c.symbol()).collect();
        assert!(!text.contains('\u{1b}'));
        assert!(!text.contains('\u{202e}'));
        assert!(text.contains("CODE"));
    }

    #[test]
    fn tiny_sizes_draw_without_panic() {
        let theme = crate::tui::theme::Theme::dark();
        for p in [authorize(), device()] {
            for (w, h) in [(1u16, 1u16), (2, 2), (10, 4), (40, 10), (80, 24), (200, 60)] {
                let area = p.area(Rect::new(0, 0, w, h));
                assert!(area.width <= w.max(1) && area.height <= h.max(1));
                draw_with(&p, w, h, &theme, true);
            }
        }
    }
}
