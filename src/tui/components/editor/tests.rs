//! Update tests (inputs in, request out) and screen tests.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

use super::*;
use crate::model::{Auth, KeyValue, Part, RawKind};
use crate::tui::theme::Theme;
use crate::vars::ScopeKind;

fn get_with_params() -> Request {
    let mut r = Request::new("GET", "{{base_url}}/users");
    r.name = Some("List users".into());
    r.params = vec![
        KeyValue::new("page", "2"),
        KeyValue {
            enabled: false,
            description: Some("only admins".into()),
            ..KeyValue::new("role", "admin")
        },
        KeyValue::new("q", "a b"),
    ];
    r.headers = vec![KeyValue::new("Accept", "application/json")];
    r
}

fn post_json() -> Request {
    let mut r = Request::new("POST", "{{base_url}}/users");
    r.name = Some("Create user".into());
    r.headers = vec![KeyValue::new("Idempotency-Key", "{{$guid}}")];
    r.body.body = Body::Raw {
        kind: RawKind::Json,
        text: "{\n  \"name\": \"Ada\",\n  \"token\": \"{{missing}}\"\n}".into(),
    };
    r.auth.auth = Auth::Bearer {
        token: "{{api_token}}".into(),
    };
    r
}

fn pane(r: Request) -> EditorPane {
    let mut p = EditorPane::new();
    p.open("users/list".into(), r);
    p
}

fn scopes() -> Scopes {
    let mut s = Scopes::new();
    s.push(
        ScopeKind::Environment,
        "environment `dev`",
        vec![("base_url".into(), "https://api.test".into())],
    );
    s
}

fn act(p: &mut EditorPane, a: Action) -> Cx {
    let mut cx = Cx::default();
    p.handle(&Input::Action(a), &mut cx);
    cx
}

fn acts(p: &mut EditorPane, actions: &[Action]) {
    for a in actions {
        act(p, *a);
    }
}

fn press(p: &mut EditorPane, code: KeyCode) -> Flow {
    p.handle(
        &Input::Key(KeyEvent::new(code, KeyModifiers::empty())),
        &mut Cx::default(),
    )
}

fn typ(p: &mut EditorPane, s: &str) {
    for c in s.chars() {
        press(p, KeyCode::Char(c));
    }
}

use crate::tui::test_util::buffer_text as text;

fn render(p: &EditorPane, w: u16, h: u16) -> Buffer {
    crate::tui::test_util::draw_component(p, w, h)
}

fn req(p: &EditorPane) -> &Request {
    p.request().unwrap()
}

fn snapshot(p: &mut EditorPane, w: u16, h: u16) -> String {
    p.set_viewport(w, h);
    text(&render(p, w, h))
}

/// Position of the first cell starting `needle` on screen.
fn find(buf: &Buffer, needle: &str) -> Option<(u16, u16)> {
    let a = buf.area;
    let first = needle.chars().next()?.to_string();
    for y in 0..a.height {
        for x in 0..a.width {
            if buf[(x, y)].symbol() == first {
                let s: String = (x..a.width.min(x + needle.chars().count() as u16))
                    .map(|i| buf[(i, y)].symbol().to_string())
                    .collect();
                if s == needle {
                    return Some((x, y));
                }
            }
        }
    }
    None
}

// ---- update tests --------------------------------------------------------

#[test]
fn typing_into_a_header_value_changes_the_request() {
    let mut p = pane(get_with_params());
    acts(
        &mut p,
        &[Action::NextTab, Action::Down, Action::Right, Action::Right],
    );
    act(&mut p, Action::Edit);
    assert_eq!(p.context(), KeyContext::Text);
    press(&mut p, KeyCode::Backspace);
    typ(&mut p, "n; charset=utf-8");
    // The request follows every keystroke, before the box is even closed.
    assert_eq!(req(&p).headers[0].value, "application/json; charset=utf-8");
    press(&mut p, KeyCode::Enter);
    assert_eq!(p.context(), KeyContext::Editor);
    assert_eq!(req(&p).headers[0].value, "application/json; charset=utf-8");
}

#[test]
fn esc_keeps_what_was_typed() {
    let mut p = pane(get_with_params());
    act(&mut p, Action::Edit); // the URL
    typ(&mut p, "/42");
    act(&mut p, Action::Back);
    assert!(!p.is_editing());
    assert_eq!(req(&p).url, "{{base_url}}/users");
    // The caret started after the query: the typed text joined the last value.
    assert_eq!(req(&p).params.last().unwrap().value, "a b/42");
}

#[test]
fn toggling_a_param_shows_or_hides_it_in_the_url() {
    let mut p = pane(get_with_params());
    assert_eq!(p.display_url(), "{{base_url}}/users?page=2&q=a%20b");
    act(&mut p, Action::Down); // into the params table
    act(&mut p, Action::ToggleRow);
    assert!(!req(&p).params[0].enabled);
    assert_eq!(p.display_url(), "{{base_url}}/users?q=a%20b");
    acts(&mut p, &[Action::Down, Action::ToggleRow]);
    assert_eq!(p.display_url(), "{{base_url}}/users?role=admin&q=a%20b");
}

#[test]
fn url_query_moves_into_params_and_params_edits_rebuild_the_url() {
    let mut p = pane(Request::new("GET", "h/s"));
    act(&mut p, Action::Edit);
    typ(&mut p, "?x=1%202&y=a+b");
    press(&mut p, KeyCode::Enter);
    assert_eq!(req(&p).url, "h/s");
    assert_eq!(
        req(&p).params,
        vec![KeyValue::new("x", "1 2"), KeyValue::new("y", "a b")]
    );
    // The other way: edit a value in the table.
    acts(
        &mut p,
        &[Action::Down, Action::Down, Action::Right, Action::Right],
    );
    act(&mut p, Action::Edit);
    typ(&mut p, "&=");
    press(&mut p, KeyCode::Enter);
    assert_eq!(req(&p).params[1].value, "a b&=");
    assert_eq!(p.display_url(), "h/s?x=1%202&y=a%20b%26%3D");
}

#[test]
fn editing_the_url_keeps_disabled_params() {
    let mut p = pane(get_with_params());
    act(&mut p, Action::Edit);
    // Delete the whole query: enabled params go, the disabled one stays.
    for _ in 0.."?page=2&q=a%20b".len() {
        press(&mut p, KeyCode::Backspace);
    }
    press(&mut p, KeyCode::Enter);
    assert_eq!(req(&p).url, "{{base_url}}/users");
    assert_eq!(req(&p).params.len(), 1);
    assert_eq!(req(&p).params[0].name, "role");
    assert!(!req(&p).params[0].enabled);
}

#[test]
fn rows_are_added_edited_with_tab_and_deleted() {
    let mut p = pane(Request::new("GET", "h"));
    act(&mut p, Action::NextTab);
    act(&mut p, Action::Down);
    // Deleting in an empty table is harmless.
    act(&mut p, Action::DeleteRow);
    act(&mut p, Action::AddRow);
    assert!(p.is_editing());
    typ(&mut p, "X-Trace");
    press(&mut p, KeyCode::Tab);
    typ(&mut p, "on");
    press(&mut p, KeyCode::Tab);
    typ(&mut p, "debug only");
    act(&mut p, Action::Back);
    let h = &req(&p).headers;
    assert_eq!(h.len(), 1);
    assert_eq!((h[0].name.as_str(), h[0].value.as_str()), ("X-Trace", "on"));
    assert_eq!(h[0].description.as_deref(), Some("debug only"));
    act(&mut p, Action::AddRow);
    typ(&mut p, "Second");
    press(&mut p, KeyCode::Enter);
    assert_eq!(req(&p).headers.len(), 2);
    act(&mut p, Action::Up);
    act(&mut p, Action::DeleteRow);
    assert_eq!(req(&p).headers.len(), 1);
    assert_eq!(req(&p).headers[0].name, "Second");
    act(&mut p, Action::DeleteRow);
    assert!(req(&p).headers.is_empty());
}

#[test]
fn body_type_changes_keep_text_between_raw_kinds_and_restore_it_later() {
    let mut p = pane(post_json());
    acts(&mut p, &[Action::NextTab, Action::NextTab, Action::Down]);
    act(&mut p, Action::Select);
    assert!(matches!(
        &req(&p).body.body,
        Body::Raw { kind: RawKind::Text, text } if text.contains("Ada")
    ));
    // On through xml, html, javascript to form: the text waits.
    acts(&mut p, &[Action::Select; 4]);
    assert_eq!(req(&p).body.body.type_name(), "form");
    acts(&mut p, &[Action::Down, Action::AddRow]);
    typ(&mut p, "field");
    press(&mut p, KeyCode::Enter);
    assert!(matches!(&req(&p).body.body, Body::Form(f) if f[0].name == "field"));
    // Back to the selector and around to json again.
    act(&mut p, Action::Up);
    acts(&mut p, &[Action::Left; 5]);
    assert_eq!(req(&p).body.body.type_name(), "json");
    assert_eq!(req(&p).body.body, post_json().body.body);
    acts(&mut p, &[Action::Right; 5]);
    assert!(matches!(&req(&p).body.body, Body::Form(f) if f[0].name == "field"));
}

#[test]
fn multipart_cells_take_a_value_or_an_at_file() {
    let mut r = Request::new("POST", "h");
    r.body.body = Body::Multipart(Vec::new());
    let mut p = pane(r);
    acts(
        &mut p,
        &[Action::NextTab, Action::NextTab, Action::Down, Action::Down],
    );
    act(&mut p, Action::AddRow);
    typ(&mut p, "avatar");
    press(&mut p, KeyCode::Tab);
    typ(&mut p, "@img/a.png");
    press(&mut p, KeyCode::Tab);
    typ(&mut p, "image/png");
    press(&mut p, KeyCode::Enter);
    let Body::Multipart(parts) = &req(&p).body.body else {
        panic!("not multipart")
    };
    assert_eq!(
        parts[0],
        Part {
            file: Some("img/a.png".into()),
            value: None,
            content_type: Some("image/png".into()),
            ..parts[0].clone()
        }
    );
    assert_eq!(parts[0].name, "avatar");
}

#[test]
fn the_body_text_is_edited_in_a_textarea_and_externally() {
    let mut p = pane(post_json());
    acts(
        &mut p,
        &[Action::NextTab, Action::NextTab, Action::Down, Action::Down],
    );
    let cx = act(&mut p, Action::ExternalEditor);
    match cx.effects.as_slice() {
        [Effect::EditExternally {
            target: EditTarget::Body,
            text,
            extension,
        }] => {
            assert!(text.contains("Ada"));
            assert_eq!(extension, "json");
        }
        other => panic!("{other:?}"),
    }
    p.apply_external_edit(EditTarget::Body, "{}\n".into());
    assert!(matches!(&req(&p).body.body, Body::Raw { text, .. } if text == "{}\n"));
    act(&mut p, Action::Edit);
    press(&mut p, KeyCode::End);
    press(&mut p, KeyCode::Enter);
    typ(&mut p, "x");
    act(&mut p, Action::Back);
    assert!(matches!(&req(&p).body.body, Body::Raw { text, .. } if text == "{}\nx\n"));
}

#[test]
fn scripts_go_to_the_editor_as_js_and_come_back() {
    let mut p = pane(post_json());
    acts(&mut p, &[Action::PrevTab, Action::PrevTab, Action::PrevTab]);
    assert_eq!(p.tab(), Tab::Scripts);
    acts(&mut p, &[Action::Down, Action::Down]); // pre-request, then test
    let cx = act(&mut p, Action::ExternalEditor);
    assert!(matches!(
        cx.effects.as_slice(),
        [Effect::EditExternally { target: EditTarget::Test, extension, .. }] if extension == "js"
    ));
    p.apply_external_edit(EditTarget::Test, "pm.test('ok')".into());
    assert_eq!(req(&p).test.as_deref(), Some("pm.test('ok')"));
    assert!(p.is_dirty());
}

#[test]
fn dirty_follows_edits_and_saves_and_cursor_moves_do_not_dirty() {
    let mut p = pane(post_json());
    assert!(!p.is_dirty());
    acts(
        &mut p,
        &[Action::NextTab, Action::NextTab, Action::Down, Action::Down],
    );
    act(&mut p, Action::Edit);
    press(&mut p, KeyCode::Down);
    press(&mut p, KeyCode::End);
    act(&mut p, Action::Back);
    assert!(!p.is_editing());
    assert!(!p.is_dirty(), "moving the caret changed nothing");
    act(&mut p, Action::CycleMethod);
    assert_eq!(req(&p).method, "PUT");
    assert!(p.is_dirty());
    p.mark_saved();
    assert!(!p.is_dirty());
    // Cycling all the way round is the same request again.
    acts(&mut p, &[Action::CycleMethod; METHODS.len()]);
    assert_eq!(req(&p).method, "PUT");
    assert!(!p.is_dirty());
}

#[test]
fn the_method_can_be_any_typed_token() {
    let mut p = pane(get_with_params());
    acts(&mut p, &[Action::Left, Action::Edit]);
    for _ in 0..3 {
        press(&mut p, KeyCode::Backspace);
    }
    typ(&mut p, " PURGE ");
    press(&mut p, KeyCode::Enter);
    assert_eq!(req(&p).method, "PURGE");
    // Left empty, it goes back to what it was.
    act(&mut p, Action::Edit);
    for _ in 0..5 {
        press(&mut p, KeyCode::Backspace);
    }
    act(&mut p, Action::Back);
    assert_eq!(req(&p).method, "PURGE");
    act(&mut p, Action::CycleMethod);
    assert_eq!(req(&p).method, "GET");
}

#[test]
fn auth_types_cycle_without_losing_fields() {
    let mut p = pane(post_json());
    acts(
        &mut p,
        &[
            Action::NextTab,
            Action::NextTab,
            Action::NextTab,
            Action::Down,
        ],
    );
    assert_eq!(p.tab(), Tab::Auth);
    act(&mut p, Action::Select); // bearer -> apikey
    assert_eq!(req(&p).auth.auth.type_name(), "apikey");
    acts(&mut p, &[Action::Down, Action::Edit]);
    typ(&mut p, "X-Key");
    press(&mut p, KeyCode::Enter);
    acts(&mut p, &[Action::Down, Action::Down, Action::Select]);
    assert_eq!(
        req(&p).auth.auth,
        Auth::ApiKey {
            key: "X-Key".into(),
            value: String::new(),
            location: crate::model::ApiKeyLocation::Query
        }
    );
    acts(&mut p, &[Action::Up, Action::Up, Action::Up, Action::Left]);
    assert_eq!(req(&p).auth.auth, post_json().auth.auth);
}

#[test]
fn settings_take_numbers_choices_and_inheritance() {
    let mut p = pane(get_with_params());
    acts(&mut p, &[Action::PrevTab, Action::PrevTab, Action::Down]);
    assert_eq!(p.tab(), Tab::Settings);
    act(&mut p, Action::Edit);
    typ(&mut p, "abc");
    let mut cx = Cx::default();
    p.handle(&Input::Action(Action::Back), &mut cx);
    assert!(p.is_editing(), "a bad number stays in its box");
    assert!(cx.status.is_some_and(|s| s.is_error));
    for _ in 0..3 {
        press(&mut p, KeyCode::Backspace);
    }
    typ(&mut p, "5000");
    press(&mut p, KeyCode::Enter);
    assert_eq!(req(&p).settings.timeout_ms, Some(5000));
    acts(&mut p, &[Action::Down, Action::Select, Action::Select]);
    assert_eq!(req(&p).settings.follow_redirects, Some(false));
    act(&mut p, Action::Select);
    assert_eq!(req(&p).settings.follow_redirects, None);
    acts(&mut p, &[Action::Up, Action::DeleteRow]);
    assert!(req(&p).settings.is_empty());
}

#[test]
fn pasting_into_a_one_line_field_keeps_one_line() {
    let mut p = pane(Request::new("GET", ""));
    act(&mut p, Action::Edit);
    p.handle(
        &Input::Paste("https://x.test/a\nb\n".into()),
        &mut Cx::default(),
    );
    act(&mut p, Action::Back);
    assert_eq!(req(&p).url, "https://x.test/a b");
}

#[test]
fn reloading_from_disk_keeps_the_cursor() {
    let mut p = pane(get_with_params());
    acts(&mut p, &[Action::Down, Action::Down, Action::Right]);
    let mut changed = get_with_params();
    changed.params[1].value = "owner".into();
    p.replace_from_disk(changed.clone());
    assert!(!p.is_dirty());
    assert_eq!(req(&p), &changed);
    act(&mut p, Action::Edit);
    typ(&mut p, "!");
    press(&mut p, KeyCode::Enter);
    assert_eq!(req(&p).params[1].name, "role!");
}

#[test]
fn the_resolved_preview_shows_values_or_errors() {
    let mut p = pane(get_with_params());
    p.set_scopes(scopes());
    act(&mut p, Action::ShowResolved);
    assert_eq!(
        p.resolved,
        Some(Ok("https://api.test/users?page=2&q=a%20b".into()))
    );
    let mut r = get_with_params();
    r.url = "{{nope}}/x".into();
    p.replace_from_disk(r);
    assert!(matches!(&p.resolved, Some(Err(e)) if e.contains("nope")));
    let s = snapshot(&mut p, 80, 6);
    assert!(s.contains("undefined variable `nope`"), "{s}");
}

#[test]
fn raw_keys_outside_a_text_box_bubble() {
    let mut p = pane(get_with_params());
    assert_eq!(press(&mut p, KeyCode::Char('x')), Flow::Bubble);
    assert_eq!(act(&mut p, Action::Save).effects.len(), 0);
    let mut cx = Cx::default();
    assert_eq!(
        p.handle(&Input::Action(Action::Send), &mut cx),
        Flow::Bubble
    );
    let empty = EditorPane::new();
    assert!(empty.actions().is_empty());
}

#[test]
fn actions_follow_the_state() {
    let mut p = pane(get_with_params());
    assert!(p.actions().contains(&Action::Edit));
    assert!(!p.actions().contains(&Action::ToggleRow));
    act(&mut p, Action::Down);
    assert!(p.actions().contains(&Action::AddRow));
    assert!(p.actions().contains(&Action::ToggleRow));
    acts(&mut p, &[Action::Right, Action::Edit]);
    assert_eq!(p.actions(), vec![Action::Back]);
}

// ---- screen tests --------------------------------------------------------

#[test]
fn screen_get_with_params() {
    let mut p = pane(get_with_params());
    p.set_scopes(scopes());
    act(&mut p, Action::Down);
    insta::assert_snapshot!("get_with_params_80x24", snapshot(&mut p, 80, 24));
    insta::assert_snapshot!("get_with_params_160x48", snapshot(&mut p, 160, 48));
}

#[test]
fn screen_post_with_a_json_body() {
    let mut p = pane(post_json());
    p.set_scopes(scopes());
    acts(
        &mut p,
        &[Action::NextTab, Action::NextTab, Action::Down, Action::Down],
    );
    insta::assert_snapshot!("post_json_80x24", snapshot(&mut p, 80, 24));
    insta::assert_snapshot!("post_json_160x48", snapshot(&mut p, 160, 48));
}

#[test]
fn screen_auth_tab() {
    let mut p = pane(post_json());
    p.set_scopes(scopes());
    acts(
        &mut p,
        &[
            Action::NextTab,
            Action::NextTab,
            Action::NextTab,
            Action::Down,
        ],
    );
    insta::assert_snapshot!("auth_80x24", snapshot(&mut p, 80, 24));
    let mut inherit = pane(get_with_params());
    inherit.set_inherited_auth(Some("bearer from users/collection.json".into()));
    acts(
        &mut inherit,
        &[Action::NextTab, Action::NextTab, Action::NextTab],
    );
    insta::assert_snapshot!("auth_inherit_80x24", snapshot(&mut inherit, 80, 24));
}

#[test]
fn screen_jwt_auth_cycles_its_algorithm_and_placement() {
    let mut r = get_with_params();
    r.auth.auth = Auth::Jwt(Box::new(crate::model::JwtAuth {
        secret: "{{jwt_secret}}".into(),
        private_key: "{{private_key}}".into(),
        payload: r#"{"sub": "{{user_id}}"}"#.into(),
        header: r#"{"kid": "k1"}"#.into(),
        ..Default::default()
    }));
    let mut p = pane(r);
    p.set_scopes(scopes());
    acts(
        &mut p,
        &[
            Action::NextTab,
            Action::NextTab,
            Action::NextTab,
            Action::Down,
            Action::Down,
        ],
    );
    // HS256 → … → ES256: the secret rows give way to the private key.
    for _ in 0..9 {
        act(&mut p, Action::Select);
    }
    acts(&mut p, &[Action::Down; 5]);
    act(&mut p, Action::Select);
    let Some(Auth::Jwt(j)) = p.request.as_ref().map(|r| &r.auth.auth) else {
        panic!("not jwt")
    };
    assert_eq!((j.algorithm.as_str(), j.in_query), ("ES256", true));
    insta::assert_snapshot!("auth_jwt_80x24", snapshot(&mut p, 80, 24));
}

#[test]
fn screen_editing_a_cell() {
    let mut p = pane(get_with_params());
    p.set_scopes(scopes());
    acts(
        &mut p,
        &[Action::Down, Action::Down, Action::Right, Action::Right],
    );
    act(&mut p, Action::Edit);
    typ(&mut p, "-x");
    insta::assert_snapshot!("editing_a_cell_80x24", snapshot(&mut p, 80, 24));
    insta::assert_snapshot!("editing_a_cell_160x48", snapshot(&mut p, 160, 48));
}

#[test]
fn the_method_badge_and_an_unresolved_variable_have_their_colors() {
    let theme = Theme::dark();
    let mut r = post_json();
    r.url = "{{base_url}}/{{nope}}".into();
    let mut p = pane(r);
    p.set_scopes(scopes());
    act(&mut p, Action::Down); // focus away from the URL line
    let buf = render(&p, 80, 24);
    let (x, y) = find(&buf, "POST").unwrap();
    assert_eq!(buf[(x, y)].fg, theme.colors.method_post);
    let (x, y) = find(&buf, "{{nope}}").unwrap();
    assert_eq!(buf[(x + 2, y)].fg, theme.colors.variable_unresolved);
    assert!(buf[(x + 2, y)].modifier.contains(Modifier::UNDERLINED));
    let (x, y) = find(&buf, "{{base_url}}").unwrap();
    assert_eq!(buf[(x + 2, y)].fg, theme.colors.variable);
    assert!(!buf[(x + 2, y)].modifier.contains(Modifier::UNDERLINED));
    assert_ne!(theme.colors.variable, Color::Reset);
}

#[test]
fn control_characters_in_a_header_value_are_shown_escaped() {
    let mut r = Request::new("GET", "h");
    r.headers = vec![KeyValue::new("X-Evil", "a\u{1b}[2Jb\u{202e}c")];
    let mut p = pane(r);
    act(&mut p, Action::NextTab);
    let buf = render(&p, 80, 10);
    let screen = text(&buf);
    assert!(screen.contains("a\\e[2Jb<U+202E>c"), "{screen}");
    // Even inside the text box nothing raw reaches the buffer.
    acts(
        &mut p,
        &[Action::Down, Action::Right, Action::Right, Action::Edit],
    );
    let buf = render(&p, 80, 10);
    let raw = buf
        .content()
        .iter()
        .any(|c| c.symbol().contains(['\u{1b}', '\u{202e}']));
    assert!(!raw, "{}", text(&buf));
}

#[test]
fn drawing_never_panics_at_any_size() {
    let mut big = post_json();
    big.body.body = Body::Raw {
        kind: RawKind::Text,
        text: "line\n".repeat(1000),
    };
    big.params = (0..200)
        .map(|i| KeyValue::new(format!("p{i}"), "v"))
        .collect();
    let mut states: Vec<EditorPane> = Vec::new();
    states.push(EditorPane::new());
    for tab in 0..Tab::ALL.len() {
        let mut p = pane(big.clone());
        for _ in 0..tab {
            act(&mut p, Action::NextTab);
        }
        acts(&mut p, &[Action::Down, Action::Down, Action::PageDown]);
        states.push(p);
    }
    let mut editing = pane(big.clone());
    acts(
        &mut editing,
        &[Action::Down, Action::Bottom, Action::Right, Action::Edit],
    );
    states.push(editing);
    let mut body = pane(big);
    acts(
        &mut body,
        &[Action::NextTab, Action::NextTab, Action::Down, Action::Down],
    );
    acts(&mut body, &[Action::Bottom, Action::Edit]);
    states.push(body);
    for p in &mut states {
        for w in (1..=200).step_by(37).chain([2, 10]) {
            for h in (1..=60).step_by(13).chain([2, 3]) {
                p.set_viewport(w, h);
                render(p, w, h);
            }
        }
    }
}

#[test]
fn long_tables_scroll_to_keep_the_cursor_visible() {
    let mut r = Request::new("GET", "h");
    r.params = (0..100)
        .map(|i| KeyValue::new(format!("p{i}"), "v"))
        .collect();
    let mut p = pane(r);
    p.set_viewport(80, 12);
    act(&mut p, Action::Down);
    let top = text(&render(&p, 80, 12));
    assert!(top.contains("p0 ") && !top.contains("p99"), "{top}");
    act(&mut p, Action::Bottom);
    let bottom = text(&render(&p, 80, 12));
    assert!(
        bottom.contains("p99") && !bottom.contains("p0 "),
        "{bottom}"
    );
    acts(&mut p, &[Action::PageUp, Action::ToggleRow]);
    let row = 99 - p.page_rows();
    assert!(!req(&p).params[row].enabled);
    let page = text(&render(&p, 80, 12));
    assert!(page.contains(&format!("[ ] p{row}")), "{page}");
}

// ---- the URL's own query and the Params tab ------------------------------

fn imported() -> Request {
    // What `postie import curl 'http://127.0.0.1:8080/things?x=1'` saves.
    Request::new("GET", "http://127.0.0.1:8080/things?x=1")
}

#[test]
fn a_query_in_the_saved_url_shows_in_params_when_the_request_opens() {
    let mut p = pane(imported());
    assert!(!p.is_dirty(), "opening changes nothing");
    assert_eq!(req(&p), &imported(), "the request is as saved");
    let screen = snapshot(&mut p, 80, 10);
    assert!(screen.contains("Params 1"), "{screen}");
    assert!(!screen.contains("no rows"), "{screen}");
    let (x, y) = find(&render(&p, 80, 10), "x ").unwrap();
    let row: String = (x..80)
        .map(|i| render(&p, 80, 10)[(i, y)].symbol().to_string())
        .collect();
    assert!(row.contains(" 1"), "{row}");
    // So too after a reload from disk or a pasted curl (open again).
    let mut p = pane(get_with_params());
    let mut r = get_with_params();
    r.url = "{{base_url}}/users?sort=name".into();
    p.replace_from_disk(r.clone());
    assert!(!p.is_dirty());
    act(&mut p, Action::Down);
    assert_eq!(p.tables[TableId::Params as usize].row, 0);
    let screen = snapshot(&mut p, 80, 10);
    assert!(screen.contains("Params 3"), "{screen}");
    assert!(screen.contains("sort"), "{screen}");
}

#[test]
fn what_is_sent_is_unchanged_until_the_params_are_edited() {
    let mut r = get_with_params();
    r.url = "h/s?a=1+2&flag".into();
    let mut p = pane(r.clone());
    assert_eq!(p.display_url(), "h/s?a=1+2&flag&page=2&q=a%20b");
    // Moving about the table and opening a cell without typing changes nothing.
    acts(
        &mut p,
        &[Action::Down, Action::Right, Action::Edit, Action::Back],
    );
    acts(&mut p, &[Action::Edit]);
    press(&mut p, KeyCode::Left);
    press(&mut p, KeyCode::Enter);
    assert!(!p.is_dirty());
    assert_eq!(req(&p), &r);
    // Rows in order: the URL's pairs, then the stored params.
    let names: Vec<String> = TableId::Params
        .rows(req(&p))
        .into_iter()
        .map(|(_, c)| c[0].clone())
        .collect();
    assert_eq!(names, ["a", "flag", "page", "role", "q"]);
    // Toggling a URL pair moves the query into params, in the same order.
    act(&mut p, Action::ToggleRow);
    assert_eq!(req(&p).url, "h/s");
    assert_eq!(req(&p).params.len(), 5);
    assert_eq!(req(&p).params[0].value, "1 2");
    assert!(!req(&p).params[0].enabled);
    assert_eq!(req(&p).params[1].name, "flag");
    assert_eq!(p.display_url(), "h/s?flag=&page=2&q=a%20b");
}

#[test]
fn editing_a_url_with_its_own_query_keeps_the_rows_in_place() {
    let mut r = get_with_params();
    r.url = "h?x=1".into();
    let mut p = pane(r);
    act(&mut p, Action::Edit);
    // Moving the caret is not an edit.
    press(&mut p, KeyCode::Home);
    assert!(!p.is_dirty());
    press(&mut p, KeyCode::End);
    typ(&mut p, "&y=2");
    press(&mut p, KeyCode::Enter);
    assert_eq!(req(&p).url, "h");
    let names: Vec<&str> = req(&p).params.iter().map(|k| k.name.as_str()).collect();
    assert_eq!(names, ["x", "page", "role", "q", "y"]);
}

// ---- hints offer keys that work where they are shown ---------------------

/// Draws `p` as the app does when another pane has the focus.
fn render_unfocused(p: &EditorPane, w: u16, h: u16) -> Buffer {
    let theme = Theme::dark();
    let keymap = crate::tui::keymap::Keymap::defaults();
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    term.draw(|f| {
        let dcx = DrawCx {
            theme: &theme,
            focused: false,
            keymap: &keymap,
        };
        p.draw(f, f.area(), &dcx);
    })
    .unwrap();
    term.backend().buffer().clone()
}

#[test]
fn a_on_the_url_row_adds_a_row_to_the_table_the_hint_is_under() {
    for (tabs, focus_method) in [(0, false), (1, false), (1, true)] {
        let mut p = pane(Request::new("GET", "h"));
        for _ in 0..tabs {
            act(&mut p, Action::NextTab);
        }
        if focus_method {
            act(&mut p, Action::Left);
        }
        let screen = snapshot(&mut p, 80, 10);
        assert!(screen.contains("no rows: a adds one"), "{screen}");
        assert!(p.actions().contains(&Action::AddRow));
        act(&mut p, Action::AddRow);
        assert!(p.is_editing(), "the new row's name is being edited");
        typ(&mut p, "k");
        press(&mut p, KeyCode::Enter);
        let table = if tabs == 0 {
            &req(&p).params
        } else {
            &req(&p).headers
        };
        assert_eq!(table.len(), 1);
        assert_eq!(table[0].name, "k");
        assert_eq!(p.focus, Focus::Content, "the cursor is on the new row");
    }
}

#[test]
fn a_on_the_body_type_adds_a_form_field_or_part() {
    for body in [Body::Form(Vec::new()), Body::Multipart(Vec::new())] {
        let mut r = Request::new("POST", "h");
        r.body.body = body;
        let mut p = pane(r);
        acts(&mut p, &[Action::NextTab, Action::NextTab, Action::Down]);
        let screen = snapshot(&mut p, 80, 10);
        assert!(screen.contains("no rows: a adds one"), "{screen}");
        assert!(p.actions().contains(&Action::AddRow));
        act(&mut p, Action::AddRow);
        typ(&mut p, "f");
        press(&mut p, KeyCode::Enter);
        assert_eq!(TableId::Form.len(req(&p)) + TableId::Parts.len(req(&p)), 1);
        assert_eq!(p.body_row, 1);
    }
}

#[test]
fn hints_name_keys_only_where_those_keys_work() {
    let mut p = pane(Request::new("GET", "h"));
    // Another pane has the focus, or a text box takes the keys: no keys offered.
    let s = text(&render_unfocused(&p, 80, 10));
    assert!(s.contains("no rows") && !s.contains("adds one"), "{s}");
    act(&mut p, Action::Edit);
    let s = snapshot(&mut p, 80, 10);
    assert!(s.contains("no rows") && !s.contains("adds one"), "{s}");
    act(&mut p, Action::Back);
    // An empty text offers its keys when it has the cursor, and they work.
    acts(&mut p, &[Action::PrevTab]);
    assert_eq!(p.tab(), Tab::Docs);
    let s = snapshot(&mut p, 80, 10);
    assert!(s.contains("empty") && !s.contains("ctrl-o"), "{s}");
    act(&mut p, Action::Down);
    let s = snapshot(&mut p, 80, 10);
    assert!(s.contains("empty: e writes, ctrl-o opens $EDITOR"), "{s}");
    let cx = act(&mut p, Action::ExternalEditor);
    assert!(matches!(
        cx.effects.as_slice(),
        [Effect::EditExternally {
            target: EditTarget::Description,
            ..
        }]
    ));
    act(&mut p, Action::Edit);
    assert!(p.is_editing());
}

/// Makes a pane in one state, afresh each time.
type MakePane = Box<dyn Fn() -> EditorPane>;

/// Panes in many states, each made fresh by its closure.
fn states() -> Vec<(&'static str, MakePane)> {
    fn at(r: Request, actions: &'static [Action]) -> MakePane {
        Box::new(move || {
            let mut p = pane(r.clone());
            acts(&mut p, actions);
            p
        })
    }
    use Action::*;
    let mut form = Request::new("POST", "h");
    form.body.body = Body::Form(vec![KeyValue::new("a", "1")]);
    let mut empty_form = Request::new("POST", "h");
    empty_form.body.body = Body::Form(Vec::new());
    let mut binary = Request::new("POST", "h");
    binary.body.body = Body::Binary {
        file: "a.bin".into(),
    };
    let mut gql = Request::new("POST", "h");
    gql.body.body = Body::GraphQl {
        query: "{ a }".into(),
        variables: "{}".into(),
    };
    let mut apikey = Request::new("GET", "h");
    apikey.auth.auth = Auth::ApiKey {
        key: "k".into(),
        value: "v".into(),
        location: crate::model::ApiKeyLocation::Header,
    };
    let empty = Request::new("GET", "h");
    vec![
        ("url", at(get_with_params(), &[])),
        ("method", at(get_with_params(), &[Left])),
        ("url, empty headers", at(empty.clone(), &[NextTab])),
        ("url, docs", at(empty.clone(), &[PrevTab])),
        ("params", at(get_with_params(), &[Down])),
        ("empty params", at(empty.clone(), &[Down])),
        ("body type", at(post_json(), &[NextTab, NextTab, Down])),
        (
            "body text",
            at(post_json(), &[NextTab, NextTab, Down, Down]),
        ),
        ("no body", at(empty.clone(), &[NextTab, NextTab, Down])),
        ("form type", at(form.clone(), &[NextTab, NextTab, Down])),
        ("empty form type", at(empty_form, &[NextTab, NextTab, Down])),
        ("form rows", at(form, &[NextTab, NextTab, Down, Down])),
        ("binary", at(binary, &[NextTab, NextTab, Down, Down])),
        (
            "graphql vars",
            at(gql, &[NextTab, NextTab, Down, Down, Down]),
        ),
        (
            "auth type",
            at(post_json(), &[PrevTab, PrevTab, PrevTab, PrevTab, Down]),
        ),
        (
            "auth field",
            at(
                post_json(),
                &[PrevTab, PrevTab, PrevTab, PrevTab, Down, Down],
            ),
        ),
        (
            "apikey choice",
            at(apikey, &[PrevTab, PrevTab, PrevTab, PrevTab, Down, Bottom]),
        ),
        (
            "inherit",
            at(empty.clone(), &[PrevTab, PrevTab, PrevTab, PrevTab, Down]),
        ),
        (
            "scripts",
            at(post_json(), &[PrevTab, PrevTab, PrevTab, Down]),
        ),
        ("settings", at(empty.clone(), &[PrevTab, PrevTab, Down])),
        ("docs", at(empty, &[PrevTab, Down])),
    ]
}

#[test]
fn every_action_the_pane_offers_is_handled_where_it_is_offered() {
    for (name, make) in states() {
        let offered = make().actions();
        assert!(!offered.is_empty(), "{name}");
        for a in offered {
            let mut p = make();
            let mut cx = Cx::default();
            let flow = p.handle(&Input::Action(a), &mut cx);
            assert_eq!(flow, Flow::Done, "{name}: {a:?} is offered but not handled");
        }
    }
}

#[test]
fn up_down_top_and_bottom_move_between_rows_and_fields() {
    use Action::*;
    let mut p = pane(get_with_params());
    // From the URL line, Bottom goes to the last row, Top back to the first.
    act(&mut p, Bottom);
    assert_eq!((p.focus, p.tables[0].row), (Focus::Content, 2));
    act(&mut p, Top);
    assert_eq!(p.tables[0].row, 0);
    act(&mut p, Up);
    assert_eq!(p.focus, Focus::Url);
    // Auth: the type, then its fields.
    let mut p = pane(post_json());
    acts(&mut p, &[PrevTab, PrevTab, PrevTab, PrevTab, Bottom]);
    assert_eq!(p.tab(), Tab::Auth);
    assert_eq!(p.auth_row, 1);
    act(&mut p, Top);
    assert_eq!(p.auth_row, 0);
    // Body: Bottom from the type goes to the last line of the text.
    acts(&mut p, &[PrevTab, Up, Down]);
    assert_eq!((p.tab(), p.body_row), (Tab::Body, 0));
    act(&mut p, Bottom);
    assert_eq!(p.body_row, 1);
    assert_eq!(p.texts[TextId::Body.index()].line, 3);
    act(&mut p, Top);
    assert_eq!(p.texts[TextId::Body.index()].line, 0);
    // None of it is an edit.
    assert!(!p.is_dirty());
}

// ---- narrow widths show what is cut off ----------------------------------

fn long_url() -> Request {
    let mut r = get_with_params();
    r.url = "{{base_url}}/organisations/{{org}}/projects/{{project}}/members".into();
    r.headers = vec![KeyValue::new(
        "Authorization",
        "Bearer a-very-long-token-that-does-not-fit-anywhere",
    )];
    r.body.body = Body::Raw {
        kind: RawKind::Json,
        text: "{}".into(),
    };
    r
}

/// The symbols of row `y` between the borders.
fn row(buf: &Buffer, y: u16) -> String {
    (1..buf.area.width - 1)
        .map(|x| buf[(x, y)].symbol().to_string())
        .collect()
}

#[test]
fn a_cut_url_and_tab_bar_end_in_a_mark() {
    for (w, h) in [(40, 12), (60, 20)] {
        let mut p = pane(long_url());
        p.set_viewport(w, h);
        let buf = render(&p, w, h);
        let url = row(&buf, 1);
        assert!(url.ends_with('…'), "{w}: {url}");
        let tabs = row(&buf, 2);
        assert!(tabs.starts_with("Params"), "{w}: {tabs}");
        assert!(tabs.ends_with('›'), "{w}: {tabs}");
        // The active tab stays in view, with a mark for what is before it.
        act(&mut p, Action::PrevTab);
        let buf = render(&p, w, h);
        let tabs = row(&buf, 2);
        assert!(tabs.starts_with('‹'), "{w}: {tabs}");
        assert!(tabs.trim_end().ends_with("Docs"), "{w}: {tabs}");
        act(&mut p, Action::PrevTab);
        act(&mut p, Action::PrevTab);
        let buf = render(&p, w, h);
        let tabs = row(&buf, 2);
        assert!(tabs.contains("Scripts"), "{w}: {tabs}");
    }
    // Wide enough, nothing is marked.
    let p = pane(get_with_params());
    let buf = render(&p, 160, 10);
    assert!(!row(&buf, 1).contains('…') && !row(&buf, 2).contains('›'));
}

#[test]
fn a_cut_table_cell_ends_in_a_mark() {
    let mut p = pane(long_url());
    act(&mut p, Action::NextTab);
    let buf = render(&p, 60, 10);
    let header = row(&buf, 4);
    assert!(header.contains("Bearer a-very-long-to…"), "{header}");
    let cell = find(&buf, "…").unwrap();
    assert_eq!(buf[cell].fg, Theme::dark().colors.dim);
}

#[test]
fn screen_narrow_widths() {
    let mut p = pane(long_url());
    p.set_scopes(scopes());
    insta::assert_snapshot!("long_url_80x24", snapshot(&mut p, 80, 24));
    insta::assert_snapshot!("long_url_60x20", snapshot(&mut p, 60, 20));
    act(&mut p, Action::PrevTab);
    insta::assert_snapshot!("long_url_docs_40x12", snapshot(&mut p, 40, 12));
}

// ---- sideways: the editor never scrolls to a blank view ------------------

#[test]
fn right_past_the_end_never_scrolls_to_a_blank_view() {
    // The URL box scrolls with its caret (tui-textarea), never past the text.
    let mut p = pane(long_url());
    p.set_viewport(40, 12);
    act(&mut p, Action::Edit);
    for _ in 0..200 {
        act(&mut p, Action::Right);
    }
    let url = row(&render(&p, 40, 12), 1);
    assert!(url.contains("q=a%20b"), "{url}");
    for _ in 0..200 {
        act(&mut p, Action::Left);
    }
    let url = row(&render(&p, 40, 12), 1);
    assert!(url.contains("{{base_url}}"), "{url}");
    act(&mut p, Action::Back);
    // Tables move a column cursor, not the view: it stops at the last column.
    acts(&mut p, &[Action::NextTab, Action::Down]);
    for _ in 0..10 {
        act(&mut p, Action::Right);
    }
    assert_eq!(p.tables[TableId::Headers as usize].col, table::COLUMNS - 1);
    let s = text(&render(&p, 40, 12));
    assert!(s.contains("[x] Authori"), "{s}");
}

/// The row under the cursor reads as selected on every cell, whatever
/// colours its spans carry: labels and values in the Settings and Auth
/// tabs, and the URL, in truecolor, 16 colours and without colours.
#[test]
fn the_selected_row_shows_on_every_cell_in_every_colour_mode() {
    use crate::tui::theme::{contrast, MIN_CONTRAST};
    let themes = [
        Theme::dark(),
        Theme::dark().for_terminal(false, false),
        Theme::light().for_terminal(false, false),
        Theme::dark().for_terminal(true, true),
    ];
    let cases: [(&[Action], &str); 3] = [
        (&[], "{{base_url}}"),
        (&[Action::PrevTab, Action::PrevTab, Action::Down], "timeout"),
        (
            &[
                Action::NextTab,
                Action::NextTab,
                Action::NextTab,
                Action::Down,
            ],
            "type",
        ),
    ];
    for theme in &themes {
        for (moves, needle) in cases {
            let mut p = pane(post_json());
            acts(&mut p, moves);
            p.set_viewport(78, 20);
            let buf = crate::tui::test_util::draw_component_themed(&p, 80, 22, theme);
            let (nx, y) = find(&buf, needle).unwrap_or_else(|| panic!("{needle}\n{}", text(&buf)));
            // The URL row's method badge keeps its colours; the URL is the row.
            let from = if needle.starts_with("{{") { nx } else { 1 };
            let row: Vec<_> = (from..79).map(|x| buf[(x, y)].clone()).collect();
            for (x, cell) in row.iter().enumerate() {
                let at = format!("{needle} x={x} in {}:\n{}", theme.name, text(&buf));
                if theme.monochrome {
                    assert!(cell.modifier.contains(Modifier::REVERSED), "{at}");
                } else {
                    assert_eq!(cell.bg, theme.colors.selection_bg, "{at}");
                    if cell.symbol() != " " {
                        let c = contrast(cell.fg, cell.bg).unwrap_or(MIN_CONTRAST);
                        assert!(c >= MIN_CONTRAST, "{at}: {:?} on {:?}", cell.fg, cell.bg);
                    }
                }
            }
        }
    }
}

// ---- scripts: jumping to a line, JavaScript colours ---------------------------

fn scripted() -> Request {
    let mut r = get_with_params();
    r.pre_request = Some(
        "// token first\nconst token = pm.environment.get('t');\npm.variables.set('t', token);"
            .into(),
    );
    r.test = Some(
        "const body = pm.response.json();\n\npm.test(\"status is 200\", () => {\n  pm.response.to.have.status(200);\n});\npm.test('has an id', function () {\n  pm.expect(body.id).to.equal(1);\n});"
            .into(),
    );
    r
}

fn editing_cursor(p: &EditorPane) -> (usize, usize) {
    p.editing.as_ref().map(|e| e.area.cursor()).unwrap()
}

#[test]
fn reveal_script_puts_the_cursor_on_the_errors_line_and_column() {
    let mut p = pane(scripted());
    let at = p
        .reveal_script(Path::new("users/list.test.js"), Some(7), Some(3), None)
        .unwrap();
    assert_eq!(at, "users/list.test.js:7:3");
    assert_eq!(p.tab(), Tab::Scripts);
    assert_eq!(p.current_text(), Some(TextId::Test));
    // The column is marked on the selected line: `expect` of
    // `  pm.expect(...)`, the third cell of the text.
    p.set_viewport(80, 24);
    let buf = render(&p, 80, 24);
    let (x, y) = find(&buf, "  pm.expect").unwrap();
    assert!(buf[(x + 2, y)].modifier.contains(Modifier::REVERSED));
    assert!(!buf[(x + 3, y)].modifier.contains(Modifier::REVERSED));
    act(&mut p, Action::Edit);
    assert_eq!(editing_cursor(&p), (6, 2), "0-based line 6, column 2");
    act(&mut p, Action::Back);

    // The pre-request script; a line past the end stops at the last.
    p.reveal_script(Path::new("users/list.pre.js"), Some(99), None, None)
        .unwrap();
    assert_eq!(p.current_text(), Some(TextId::PreRequest));
    act(&mut p, Action::Edit);
    assert_eq!(editing_cursor(&p), (2, 0));
}

#[test]
fn a_failed_test_is_found_by_its_name() {
    let mut p = pane(scripted());
    p.reveal_script(
        Path::new("users/list.test.js"),
        None,
        None,
        Some("has an id"),
    )
    .unwrap();
    act(&mut p, Action::Edit);
    assert_eq!(editing_cursor(&p).0, 5);
    act(&mut p, Action::Back);
    p.reveal_script(
        Path::new("users/list.test.js"),
        None,
        None,
        Some("status is 200"),
    )
    .unwrap();
    act(&mut p, Action::Edit);
    assert_eq!(editing_cursor(&p).0, 2);
}

#[test]
fn folder_and_other_requests_scripts_are_refused_with_a_reason() {
    let mut p = pane(scripted());
    let e = p
        .reveal_script(Path::new("users/folder.test.js"), Some(1), None, None)
        .unwrap_err();
    assert!(e.contains("folder's or collection's script"), "{e}");
    let e = p
        .reveal_script(Path::new("collection.pre.js"), Some(1), None, None)
        .unwrap_err();
    assert!(e.contains("$EDITOR"), "{e}");
    let e = p
        .reveal_script(Path::new("users/other.test.js"), Some(1), None, None)
        .unwrap_err();
    assert!(e.contains("not a script of users/list"), "{e}");
    assert_eq!(p.tab(), Tab::Params, "nothing moved");
}

#[test]
fn a_reveal_while_a_text_box_is_open_keeps_what_was_typed() {
    let mut p = pane(scripted());
    p.reveal_script(Path::new("users/list.pre.js"), Some(1), None, None)
        .unwrap();
    act(&mut p, Action::Edit);
    typ(&mut p, "x");
    p.reveal_script(Path::new("users/list.test.js"), Some(2), None, None)
        .unwrap();
    assert!(!p.is_editing());
    assert!(req(&p)
        .pre_request
        .as_deref()
        .unwrap()
        .starts_with("x// token"));
}

/// The first cell of `word` on screen, and its colour.
fn fg_of(buf: &Buffer, word: &str) -> Color {
    let (x, y) = find(buf, word).unwrap_or_else(|| panic!("{word} not on screen:\n{}", text(buf)));
    buf[(x, y)].fg
}

#[test]
fn screen_scripts_tab_80x24_is_coloured_as_javascript() {
    let mut p = pane(scripted());
    p.show_tab(Tab::Scripts);
    insta::assert_snapshot!(snapshot(&mut p, 80, 24));
    let buf = render(&p, 80, 24);
    let keyword = fg_of(&buf, "const");
    assert!(matches!(keyword, Color::Rgb(..)), "{keyword:?}");
    assert_ne!(keyword, Theme::dark().colors.fg);
    assert_ne!(
        keyword,
        fg_of(&buf, "token ="),
        "a keyword and a name differ"
    );
    assert_ne!(keyword, fg_of(&buf, "'t'"), "a keyword and a string differ");
    assert_ne!(
        fg_of(&buf, "// token"),
        fg_of(&buf, "'t'"),
        "a comment and a string"
    );
}

#[test]
fn a_script_keeps_its_colours_while_typed_and_the_cursor_shows() {
    let mut p = pane(scripted());
    p.show_tab(Tab::Scripts);
    p.set_viewport(80, 24);
    let before = fg_of(&render(&p, 80, 24), "const");
    p.reveal_script(Path::new("users/list.pre.js"), Some(2), Some(1), None)
        .unwrap();
    act(&mut p, Action::Edit);
    typ(&mut p, "let x = 1;");
    press(&mut p, KeyCode::Enter);
    let buf = render(&p, 80, 24);
    assert_eq!(
        fg_of(&buf, "let "),
        before,
        "a new keyword, coloured at once"
    );
    // One cursor cell, on the `c` after what was typed; the rest of the
    // keyword keeps its colour.
    let (x, y) = find(&buf, "const").unwrap();
    assert_eq!(buf[(x + 1, y)].fg, before);
    let cursor = crate::tui::widgets::cursor::style(&Theme::dark());
    assert_eq!(buf[(x, y)].bg, cursor.bg.unwrap());
    assert!(buf[(x, y)].modifier.contains(Modifier::REVERSED));
    let cursors = (0..24)
        .flat_map(|y| (0..80).map(move |x| (x, y)))
        .filter(|&(x, y)| buf[(x, y)].modifier.contains(Modifier::REVERSED))
        .count();
    assert_eq!(cursors, 1);
}

#[test]
fn a_scripts_colours_follow_the_terminal_and_hostile_characters_stay_escaped() {
    let mut r = scripted();
    r.pre_request = Some("const a = '\u{202e}\u{1b}[2J';".into());
    let mut p = pane(r);
    p.show_tab(Tab::Scripts);
    p.set_viewport(80, 24);
    let ansi = Theme::dark().for_terminal(false, false);
    let buf = crate::tui::test_util::draw_component_themed(&p, 80, 24, &ansi);
    assert!(
        text(&buf).contains("const a = '<U+202E>\\e[2J';"),
        "{}",
        text(&buf)
    );
    assert!(
        !matches!(fg_of(&buf, "const"), Color::Rgb(..)),
        "16 colours only"
    );
    assert_eq!(fg_of(&buf, "<U+202E>"), ansi.escaped().fg.unwrap());
    let mono = Theme::dark().for_terminal(true, true);
    let buf = crate::tui::test_util::draw_component_themed(&p, 80, 24, &mono);
    assert_eq!(
        fg_of(&buf, "const"),
        Color::Reset,
        "no colours with NO_COLOR"
    );
}

#[test]
fn a_selection_in_a_script_shows_in_the_selection_style() {
    let mut p = pane(scripted());
    p.show_tab(Tab::Scripts);
    p.set_viewport(80, 24);
    p.reveal_script(Path::new("users/list.pre.js"), Some(2), Some(1), None)
        .unwrap();
    act(&mut p, Action::Edit);
    for _ in 0..5 {
        p.handle(
            &Input::Key(KeyEvent::new(KeyCode::Right, KeyModifiers::SHIFT)),
            &mut Cx::default(),
        );
    }
    let buf = render(&p, 80, 24);
    let (x, y) = find(&buf, "const token").unwrap();
    let selection = Theme::dark().selection();
    assert!((x..x + 5).all(|x| buf[(x, y)].bg == selection.bg.unwrap()));
    // The cursor, just after the selection; the rest keeps its colours.
    assert!(buf[(x + 5, y)].modifier.contains(Modifier::REVERSED));
    assert_ne!(buf[(x + 6, y)].bg, selection.bg.unwrap());
}
