//! Themes: colors by role (`status_2xx`, `border_focused`), plus the syntect
//! theme for bodies. Dark and light are compiled in; a user file merges
//! over them. Without truecolor, colors fall back to the 16 ANSI ones; with
//! `NO_COLOR`, to none (selection then shows as reversed text).

use std::path::Path;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

pub const DARK_TOML: &str = include_str!("../../themes/dark.toml");
pub const LIGHT_TOML: &str = include_str!("../../themes/light.toml");

macro_rules! roles {
    ($($name:ident),* $(,)?) => {
        /// Colors by role.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct Colors { $(pub $name: Color,)* }

        #[derive(Debug, Default, Deserialize)]
        #[serde(deny_unknown_fields)]
        struct ColorsFile { $($name: Option<String>,)* }

        impl Colors {
            fn merge(&mut self, f: &ColorsFile) -> Result<(), String> {
                $(if let Some(v) = &f.$name {
                    self.$name = parse_color(v).map_err(|e| format!("colors.{}: {e}", stringify!($name)))?;
                })*
                Ok(())
            }

            fn map(&self, f: impl Fn(Color) -> Color) -> Colors {
                Colors { $($name: f(self.$name),)* }
            }
        }
    };
}

roles!(
    fg,
    bg,
    dim,
    border,
    border_focused,
    title,
    selection_bg,
    accent,
    method_get,
    method_post,
    method_put,
    method_patch,
    method_delete,
    method_other,
    status_1xx,
    status_2xx,
    status_3xx,
    status_4xx,
    status_5xx,
    error,
    warning,
    success,
    search_match_bg,
    search_current_bg,
    variable,
    variable_unresolved,
    dirty,
    git_modified,
    git_untracked,
    tab_active,
    tab_inactive,
    escaped,
);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub name: String,
    /// Name of the syntect theme used to highlight bodies.
    pub syntax: String,
    pub colors: Colors,
    /// No colors at all (NO_COLOR): draw with modifiers only.
    pub monochrome: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    name: Option<String>,
    syntax: Option<String>,
    #[serde(default)]
    colors: ColorsFile,
}

/// A problem in a theme file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{path}:{line}:{column}: {message}")]
pub struct ThemeError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

fn parse_color(s: &str) -> Result<Color, String> {
    if s.eq_ignore_ascii_case("reset") || s.eq_ignore_ascii_case("default") {
        return Ok(Color::Reset);
    }
    s.parse::<Color>()
        .map_err(|_| format!("{s:?} is not a color (use \"#rrggbb\", an ANSI name or \"reset\")"))
}

impl Theme {
    fn blank() -> Theme {
        Theme {
            name: String::new(),
            syntax: String::new(),
            colors: Colors {
                fg: Color::Reset,
                bg: Color::Reset,
                dim: Color::Reset,
                border: Color::Reset,
                border_focused: Color::Reset,
                title: Color::Reset,
                selection_bg: Color::Reset,
                accent: Color::Reset,
                method_get: Color::Reset,
                method_post: Color::Reset,
                method_put: Color::Reset,
                method_patch: Color::Reset,
                method_delete: Color::Reset,
                method_other: Color::Reset,
                status_1xx: Color::Reset,
                status_2xx: Color::Reset,
                status_3xx: Color::Reset,
                status_4xx: Color::Reset,
                status_5xx: Color::Reset,
                error: Color::Reset,
                warning: Color::Reset,
                success: Color::Reset,
                search_match_bg: Color::Reset,
                search_current_bg: Color::Reset,
                variable: Color::Reset,
                variable_unresolved: Color::Reset,
                dirty: Color::Reset,
                git_modified: Color::Reset,
                git_untracked: Color::Reset,
                tab_active: Color::Reset,
                tab_inactive: Color::Reset,
                escaped: Color::Reset,
            },
            monochrome: false,
        }
    }

    /// Merges a theme file over `self`; on error `self` is unchanged.
    pub fn merge_toml(&mut self, path: &str, text: &str) -> Result<(), ThemeError> {
        let err = |span: Option<std::ops::Range<usize>>, message: String| {
            let (line, column) = crate::diag::line_col(text, span.map_or(0, |s| s.start));
            ThemeError {
                path: path.to_string(),
                line,
                column,
                message,
            }
        };
        let file: ThemeFile =
            toml::from_str(text).map_err(|e| err(e.span(), e.message().to_string()))?;
        let mut next = self.clone();
        if let Some(n) = file.name {
            next.name = n;
        }
        if let Some(s) = file.syntax {
            next.syntax = s;
        }
        next.colors.merge(&file.colors).map_err(|m| {
            let key = m
                .split(':')
                .next()
                .unwrap_or("")
                .trim_start_matches("colors.");
            let span = text
                .find(&format!("\n{key} "))
                .map(|i| i + 1..i + 1 + key.len());
            err(span, m)
        })?;
        *self = next;
        Ok(())
    }

    pub fn dark() -> Theme {
        let mut t = Theme::blank();
        let _ = t.merge_toml("themes/dark.toml", DARK_TOML);
        t
    }

    pub fn light() -> Theme {
        let mut t = Theme::blank();
        let _ = t.merge_toml("themes/light.toml", LIGHT_TOML);
        t
    }

    /// Adapts to what the terminal can show: 16 colors without truecolor,
    /// none with NO_COLOR.
    pub fn for_terminal(self, truecolor: bool, no_color: bool) -> Theme {
        if no_color {
            return Theme {
                colors: self.colors.map(|_| Color::Reset),
                monochrome: true,
                ..self
            };
        }
        if truecolor {
            return self;
        }
        Theme {
            colors: self.colors.map(to_ansi16),
            ..self
        }
    }

    /// The bundled theme after this one (dark, then light), adapted to the
    /// terminal as this one was: 16 colours unless `truecolor`, none at all
    /// if this one has none (NO_COLOR). For switching while running.
    pub fn next_bundled(&self, truecolor: bool) -> Theme {
        let next = if self.name == "dark" {
            Theme::light()
        } else {
            Theme::dark()
        };
        next.for_terminal(truecolor, self.monochrome)
    }

    pub fn base(&self) -> Style {
        Style::default().fg(self.colors.fg).bg(self.colors.bg)
    }

    pub fn dim(&self) -> Style {
        if self.monochrome {
            Style::default().add_modifier(Modifier::DIM)
        } else {
            Style::default().fg(self.colors.dim)
        }
    }

    pub fn border(&self, focused: bool) -> Style {
        match (focused, self.monochrome) {
            (true, true) => Style::default().add_modifier(Modifier::BOLD),
            (true, false) => Style::default().fg(self.colors.border_focused),
            (false, _) => Style::default().fg(self.colors.border),
        }
    }

    pub fn selection(&self) -> Style {
        if self.monochrome {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default().bg(self.colors.selection_bg)
        }
    }

    /// How a cell of the selected row of a list is drawn, given the
    /// foreground its span chose: always on the selection background (so
    /// no span's background can hide it), in the span's colour only while
    /// that stays readable there, else in the text colour. Without colours,
    /// or without a selection colour, the row is reversed.
    pub fn selected(&self, fg: Color) -> Style {
        let bg = self.colors.selection_bg;
        if self.monochrome || bg == Color::Reset {
            return Style::default().add_modifier(Modifier::REVERSED);
        }
        let readable =
            |c: Color| c != Color::Reset && contrast(c, bg).is_some_and(|r| r >= MIN_CONTRAST);
        let fg = [fg, self.colors.fg]
            .into_iter()
            .find(|c| readable(*c))
            .unwrap_or_else(|| {
                let on = |c| contrast(c, bg).unwrap_or(0.0);
                if on(Color::Black) > on(Color::White) {
                    Color::Black
                } else {
                    Color::White
                }
            });
        Style::default().fg(fg).bg(bg)
    }

    pub fn method(&self, method: &str) -> Style {
        let c = &self.colors;
        let color = match method {
            "GET" => c.method_get,
            "POST" => c.method_post,
            "PUT" => c.method_put,
            "PATCH" => c.method_patch,
            "DELETE" => c.method_delete,
            _ => c.method_other,
        };
        Style::default().fg(color).add_modifier(Modifier::BOLD)
    }

    pub fn status(&self, status: u16) -> Style {
        let c = &self.colors;
        let color = match status {
            100..=199 => c.status_1xx,
            200..=299 => c.status_2xx,
            300..=399 => c.status_3xx,
            400..=499 => c.status_4xx,
            _ => c.status_5xx,
        };
        Style::default().fg(color).add_modifier(Modifier::BOLD)
    }

    pub fn fg(&self, color: Color) -> Style {
        Style::default().fg(color)
    }

    /// How escaped control characters (`\e`, `<U+202E>`) are shown: set apart
    /// from the text so a reader sees they were not really there.
    pub fn escaped(&self) -> Style {
        if self.monochrome {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default().fg(self.colors.escaped)
        }
    }
}

/// The 16 ANSI colors as most terminals show them by default (the real
/// ones are the user's choice; these are what the fallbacks aim at).
const PALETTE: [(Color, (u8, u8, u8)); 16] = [
    (Color::Black, (0, 0, 0)),
    (Color::Red, (205, 49, 49)),
    (Color::Green, (13, 188, 121)),
    (Color::Yellow, (229, 229, 16)),
    (Color::Blue, (36, 114, 200)),
    (Color::Magenta, (188, 63, 188)),
    (Color::Cyan, (17, 168, 205)),
    (Color::Gray, (204, 204, 204)),
    (Color::DarkGray, (102, 102, 102)),
    (Color::LightRed, (241, 76, 76)),
    (Color::LightGreen, (35, 209, 139)),
    (Color::LightYellow, (245, 245, 67)),
    (Color::LightBlue, (59, 142, 234)),
    (Color::LightMagenta, (214, 112, 214)),
    (Color::LightCyan, (41, 184, 219)),
    (Color::White, (229, 229, 229)),
];

/// Nearest of the 16 ANSI colors, for terminals without truecolor.
pub fn to_ansi16(c: Color) -> Color {
    let Color::Rgb(r, g, b) = c else { return c };
    let dist = |(pr, pg, pb): (u8, u8, u8)| {
        let d = |a: u8, b: u8| (i32::from(a) - i32::from(b)).pow(2);
        d(r, pr) + d(g, pg) + d(b, pb)
    };
    PALETTE
        .iter()
        .min_by_key(|(_, rgb)| dist(*rgb))
        .map_or(c, |(col, _)| *col)
}

/// Lowest contrast (WCAG ratio) at which a span keeps its own colour on a
/// selected row: the bundled themes' dim text passes in truecolor, grey on
/// grey in 16 colours does not.
pub const MIN_CONTRAST: f64 = 2.5;

/// The RGB a color shows as, if known (`Reset` is the terminal's choice).
fn approx_rgb(c: Color) -> Option<(u8, u8, u8)> {
    match c {
        Color::Rgb(r, g, b) => Some((r, g, b)),
        Color::Reset => None,
        Color::Indexed(i @ 0..=15) => PALETTE.get(usize::from(i)).map(|(_, rgb)| *rgb),
        Color::Indexed(i @ 16..=231) => {
            let level = |v: u8| if v == 0 { 0 } else { 55 + v * 40 };
            let i = i - 16;
            Some((level(i / 36), level(i / 6 % 6), level(i % 6)))
        }
        Color::Indexed(i) => {
            let v = 8 + (i - 232) * 10;
            Some((v, v, v))
        }
        named => PALETTE
            .iter()
            .find(|(c, _)| *c == named)
            .map(|(_, rgb)| *rgb),
    }
}

/// The WCAG contrast ratio of two colors (1 to 21), if both are known.
pub fn contrast(a: Color, b: Color) -> Option<f64> {
    let luminance = |c: Color| {
        let (r, g, b) = approx_rgb(c)?;
        let lin = |v: u8| {
            let v = f64::from(v) / 255.0;
            if v <= 0.03928 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        Some(0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b))
    };
    let (la, lb) = (luminance(a)?, luminance(b)?);
    Some((la.max(lb) + 0.05) / (la.min(lb) + 0.05))
}

/// Whether the terminal says it shows 24-bit color.
pub fn terminal_has_truecolor() -> bool {
    std::env::var("COLORTERM").is_ok_and(|v| v.contains("truecolor") || v.contains("24bit"))
}

/// The theme to use: `name` (dark/light) merged with the user's
/// `theme.toml` if present. A bad user file is returned beside the default.
pub fn load_user_theme(config_dir: Option<&Path>) -> (Theme, Option<ThemeError>) {
    let base = Theme::dark();
    let Some(dir) = config_dir else {
        return (base, None);
    };
    let path = dir.join("theme.toml");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return (base, None);
    };
    // `name = "light"` in the user file starts from the light theme.
    let start = if text.lines().any(|l| l.replace(' ', "") == "name=\"light\"") {
        Theme::light()
    } else {
        base
    };
    let mut t = start.clone();
    match t.merge_toml(&path.display().to_string(), &text) {
        Ok(()) => (t, None),
        Err(e) => (start, Some(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_themes_parse_fully() {
        for (name, text) in [("dark", DARK_TOML), ("light", LIGHT_TOML)] {
            let mut t = Theme::blank();
            t.merge_toml(name, text).unwrap();
            assert_eq!(t.name, name);
            assert_ne!(t.colors.status_2xx, Color::Reset, "{name}");
        }
    }

    #[test]
    fn a_bad_color_names_the_key_and_line() {
        let mut t = Theme::dark();
        let e = t
            .merge_toml("t.toml", "[colors]\nfg = \"#12\"\n")
            .unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("colors.fg"), "{e}");
        let e = t
            .merge_toml("t.toml", "[colors]\nfgg = \"red\"\n")
            .unwrap_err();
        assert!(e.message.contains("fgg"), "{e}");
        assert_eq!(t, Theme::dark());
    }

    #[test]
    fn fallbacks() {
        let t = Theme::dark().for_terminal(false, false);
        assert!(!matches!(t.colors.status_2xx, Color::Rgb(..)));
        let m = Theme::dark().for_terminal(true, true);
        assert!(m.monochrome && m.colors.error == Color::Reset);
        assert_eq!(to_ansi16(Color::Rgb(250, 10, 10)), Color::Red);
    }

    #[test]
    fn contrast_knows_ansi_and_indexed_colors() {
        let c = |a, b| contrast(a, b).unwrap();
        assert!((c(Color::Black, Color::Rgb(255, 255, 255)) - 21.0).abs() < 0.01);
        assert!((c(Color::DarkGray, Color::DarkGray) - 1.0).abs() < 0.01);
        assert_eq!(
            c(Color::Indexed(8), Color::White),
            c(Color::DarkGray, Color::White)
        );
        assert!(c(Color::Indexed(255), Color::Indexed(16)) > 15.0);
        assert_eq!(contrast(Color::Reset, Color::Black), None);
    }

    #[test]
    fn a_selected_cell_is_readable_in_every_mode() {
        for (t, name) in [
            (Theme::dark(), "dark"),
            (Theme::light(), "light"),
            (Theme::dark().for_terminal(false, false), "dark 16"),
            (Theme::light().for_terminal(false, false), "light 16"),
        ] {
            for fg in [t.colors.dim, t.colors.method_put, t.colors.fg, Color::Reset] {
                let s = t.selected(fg);
                assert_eq!(s.bg, Some(t.colors.selection_bg), "{name}");
                let shown = s.fg.unwrap_or(Color::Reset);
                assert!(contrast(shown, t.colors.selection_bg).unwrap() >= MIN_CONTRAST);
            }
        }
        // Grey on grey in 16 colours: the text colour instead.
        let t = Theme::dark().for_terminal(false, false);
        assert_eq!(t.colors.dim, t.colors.selection_bg);
        assert_eq!(t.selected(t.colors.dim).fg, Some(t.colors.fg));
        // Readable colours are kept.
        let t = Theme::dark();
        assert_eq!(
            t.selected(t.colors.method_get).fg,
            Some(t.colors.method_get)
        );
        let m = Theme::dark().for_terminal(true, true);
        assert!(m
            .selected(Color::Reset)
            .add_modifier
            .contains(Modifier::REVERSED));
        // A theme whose text colour is unreadable there still gets one that is.
        let mut odd = Theme::dark();
        odd.colors.fg = odd.colors.selection_bg;
        let fg = odd.selected(odd.colors.selection_bg).fg.unwrap();
        assert!(contrast(fg, odd.colors.selection_bg).unwrap() >= MIN_CONTRAST);
    }

    #[test]
    fn switching_cycles_the_bundled_themes_and_keeps_the_terminals_limits() {
        let light = Theme::dark().next_bundled(true);
        assert_eq!(light, Theme::light());
        assert_eq!(light.next_bundled(true), Theme::dark());
        let ansi = Theme::dark().for_terminal(false, false).next_bundled(false);
        assert_eq!(ansi.name, "light");
        assert!(!matches!(ansi.colors.status_2xx, Color::Rgb(..)));
        let mono = Theme::dark().for_terminal(true, true).next_bundled(true);
        assert_eq!(mono.name, "light");
        assert!(mono.monochrome && mono.colors.fg == Color::Reset);
    }
}
