//! Where each pane goes, as a pure function of the terminal size, the
//! focus and the zoom: three columns when wide, tree beside stacked editor
//! and response at 80x24, one pane at a time when narrower still.

use ratatui::layout::Rect;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    #[default]
    Tree,
    Editor,
    Response,
}

impl Focus {
    pub fn next(self) -> Focus {
        match self {
            Focus::Tree => Focus::Editor,
            Focus::Editor => Focus::Response,
            Focus::Response => Focus::Tree,
        }
    }

    pub fn prev(self) -> Focus {
        match self {
            Focus::Tree => Focus::Response,
            Focus::Editor => Focus::Tree,
            Focus::Response => Focus::Editor,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Areas {
    pub title: Rect,
    pub tree: Option<Rect>,
    pub editor: Option<Rect>,
    pub response: Option<Rect>,
    pub footer: Rect,
    /// Too small to draw anything useful.
    pub too_small: bool,
}

pub const MIN_WIDTH: u16 = 30;
pub const MIN_HEIGHT: u16 = 8;

pub fn layout(size: Rect, focus: Focus, zoom: bool) -> Areas {
    let mut a = Areas::default();
    if size.width < MIN_WIDTH || size.height < MIN_HEIGHT {
        a.too_small = true;
        a.title = size;
        return a;
    }
    a.title = Rect::new(size.x, size.y, size.width, 1);
    a.footer = Rect::new(size.x, size.y + size.height - 1, size.width, 1);
    let body = Rect::new(size.x, size.y + 1, size.width, size.height - 2);
    let only = |f: Focus, a: &mut Areas| match f {
        Focus::Tree => a.tree = Some(body),
        Focus::Editor => a.editor = Some(body),
        Focus::Response => a.response = Some(body),
    };
    if zoom || size.width < 60 {
        only(focus, &mut a);
        return a;
    }
    if size.width >= 140 {
        let tree_w = (size.width / 5).clamp(28, 40);
        let rest = size.width - tree_w;
        let editor_w = rest / 2;
        a.tree = Some(Rect::new(body.x, body.y, tree_w, body.height));
        a.editor = Some(Rect::new(body.x + tree_w, body.y, editor_w, body.height));
        a.response = Some(Rect::new(
            body.x + tree_w + editor_w,
            body.y,
            rest - editor_w,
            body.height,
        ));
        return a;
    }
    let tree_w = (size.width * 3 / 10).clamp(22, 34);
    let right_w = size.width - tree_w;
    let editor_h = (body.height * 9 / 20)
        .max(4)
        .min(body.height.saturating_sub(3));
    a.tree = Some(Rect::new(body.x, body.y, tree_w, body.height));
    a.editor = Some(Rect::new(body.x + tree_w, body.y, right_w, editor_h));
    a.response = Some(Rect::new(
        body.x + tree_w,
        body.y + editor_h,
        right_w,
        body.height - editor_h,
    ));
    a
}

/// The inner size of a bordered pane.
pub fn inner(r: Rect) -> (u16, u16) {
    (r.width.saturating_sub(2), r.height.saturating_sub(2))
}

/// A centered box for overlays, at most `w`x`h`.
pub fn centered(size: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(size.width.saturating_sub(2)).max(1);
    let h = h.min(size.height.saturating_sub(2)).max(1);
    Rect::new(
        size.x + (size.width - w) / 2,
        size.y + (size.height - h) / 2,
        w,
        h,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adapts_to_the_size() {
        let wide = layout(Rect::new(0, 0, 160, 48), Focus::Tree, false);
        assert!(wide.tree.is_some() && wide.editor.is_some() && wide.response.is_some());
        assert_eq!(
            wide.editor.unwrap().y,
            wide.response.unwrap().y,
            "three columns"
        );
        let small = layout(Rect::new(0, 0, 80, 24), Focus::Tree, false);
        assert!(
            small.editor.unwrap().y < small.response.unwrap().y,
            "stacked"
        );
        let zoomed = layout(Rect::new(0, 0, 80, 24), Focus::Response, true);
        assert!(zoomed.tree.is_none() && zoomed.response.unwrap().width == 80);
        assert!(layout(Rect::new(0, 0, 10, 3), Focus::Tree, false).too_small);
        // Every size lays out without overflow.
        for w in 0..200 {
            for h in (0..60).step_by(7) {
                let a = layout(Rect::new(0, 0, w, h), Focus::Editor, false);
                for r in [a.tree, a.editor, a.response].into_iter().flatten() {
                    assert!(r.right() <= w && r.bottom() <= h, "{w}x{h}");
                }
            }
        }
    }
}
