//! OAuth 2.0 in the app, without a terminal: the prompt overlay while a
//! send waits on the user, the token's state in the Auth tab, and the keys
//! that fetch a new token or forget the cached one.

use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::oauth2::Prompt;
use crate::tui::keymap::Keymap;
use crate::tui::test_util::buffer_text;
use crate::tui::theme::Theme;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// An app at 80x24 on a workspace whose `api/me` uses OAuth 2.0 (device
/// grant) set on its collection, opened in the editor.
fn oauth_app() -> (tempfile::TempDir, App, Vec<Effect>) {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    write(root, "postie.json", r#"{"format": 1, "name": "shop"}"#);
    write(
        root,
        "api/collection.json",
        r#"{"name": "API", "auth": {"type": "oauth2", "grant": "device_code",
            "token_url": "http://127.0.0.1:9/token", "device_url": "http://127.0.0.1:9/device",
            "client_id": "cli"}}"#,
    );
    write(
        root,
        "api/me.json",
        r#"{"method": "GET", "url": "http://127.0.0.1:9/me"}"#,
    );
    let mut app = App::new(root.to_path_buf(), Keymap::defaults(), Theme::dark(), None);
    app.update(Msg::Resize(80, 24));
    let ws = crate::storage::load_workspace(root).unwrap();
    for e in app.update(Msg::WorkspaceLoaded(Ok(Box::new(ws)))) {
        if let Effect::LoadVars(sources) = e {
            let r = crate::prepare::VarInputs::load(root, &sources).map(Box::new);
            app.update(Msg::VarsLoaded(r));
        }
    }
    let mut cx = Cx::default();
    app.open_request("api/me", &mut cx);
    (d, app, cx.effects)
}

fn key(app: &mut App, code: KeyCode, modifiers: KeyModifiers) -> Vec<Effect> {
    app.update(Msg::Key(KeyEvent::new(code, modifiers)))
}

fn draw(app: &App) -> String {
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    term.draw(|f| crate::tui::view::draw(app, f)).unwrap();
    buffer_text(term.backend().buffer())
}

fn send(app: &mut App) -> RequestId {
    let effects = key(app, KeyCode::Char('r'), KeyModifiers::CONTROL);
    match effects.into_iter().next() {
        Some(Effect::SendRequest { id, .. }) => id,
        other => panic!("no send: {other:?}"),
    }
}

#[test]
fn opening_an_oauth2_request_asks_for_its_token_and_the_auth_tab_shows_it() {
    let (_d, mut app, effects) = oauth_app();
    assert!(
        (effects.iter()).any(
            |e| matches!(e, Effect::TokenStatus { forget: false, path, .. } if path == "api/me")
        ),
        "{effects:?}"
    );
    app.update(Msg::TokenStatus {
        path: "api/me".into(),
        status: Some("at-1…f00d · expires in 52 min · scope read · refreshable".into()),
    });
    // The Auth tab: the inherited kind and the token's state.
    for _ in 0..3 {
        key(&mut app, KeyCode::Char(']'), KeyModifiers::NONE);
    }
    key(&mut app, KeyCode::Down, KeyModifiers::NONE);
    let text = draw(&app);
    assert!(text.contains("oauth2 (from api)"), "{text}");
    assert!(text.contains("expires in 52 min"), "{text}");
    insta::assert_snapshot!("auth_tab_oauth2_token_80x24", text);
    // A status for another request is not shown here.
    app.update(Msg::TokenStatus {
        path: "api/other".into(),
        status: None,
    });
    assert!(draw(&app).contains("expires in 52 min"));
}

#[test]
fn shift_t_sends_with_a_fresh_token_and_shift_x_forgets_it() {
    let (_d, mut app, _) = oauth_app();
    key(&mut app, KeyCode::Char('2'), KeyModifiers::NONE);
    let effects = key(&mut app, KeyCode::Char('T'), KeyModifiers::SHIFT);
    assert!(
        matches!(
            effects.first(),
            Some(Effect::SendRequest {
                fresh_token: true,
                ..
            })
        ),
        "{effects:?}"
    );
    let effects = key(&mut app, KeyCode::Char('X'), KeyModifiers::SHIFT);
    assert!(
        matches!(
            effects.first(),
            Some(Effect::TokenStatus { forget: true, .. })
        ),
        "{effects:?}"
    );
}

#[test]
fn the_device_prompt_shows_while_the_send_waits_and_closes_after() {
    let (_d, mut app, _) = oauth_app();
    let id = send(&mut app);
    app.update(Msg::OAuth {
        id,
        prompt: Prompt::Device {
            user_code: "WDJB-MJHT".into(),
            verification_uri: "http://127.0.0.1:9/verify".into(),
            verification_uri_complete: None,
            expires_in: 600,
        },
    });
    let text = draw(&app);
    assert!(text.contains("WDJB-MJHT"), "{text}");
    insta::assert_snapshot!("oauth_device_prompt_80x24", text);
    app.update(Msg::OAuth {
        id,
        prompt: Prompt::Finished,
    });
    assert!(app.overlay.is_none());
    // A prompt for a send no longer wanted is not shown.
    app.update(Msg::OAuth {
        id: RequestId(999),
        prompt: Prompt::Finished,
    });
    assert!(app.overlay.is_none());
}

#[test]
fn a_redirect_url_typed_in_the_prompt_goes_to_the_flow_and_esc_cancels() {
    let (_d, mut app, _) = oauth_app();
    let id = send(&mut app);
    app.update(Msg::OAuth {
        id,
        prompt: Prompt::Authorize {
            url: "http://127.0.0.1:9/authorize?client_id=cli&state=abc".into(),
            listening: None,
        },
    });
    let text = draw(&app);
    assert!(text.contains("Paste the URL"), "{text}");
    insta::assert_snapshot!("oauth_authorize_prompt_80x24", text);
    // Letters are text here, not keys (q would quit elsewhere).
    app.update(Msg::Paste("https://app/cb?code=q&state=abc".into()));
    let effects = key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    assert!(
        matches!(effects.as_slice(), [Effect::SubmitRedirect(t)] if t == "https://app/cb?code=q&state=abc"),
        "{effects:?}"
    );
    let effects = key(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    assert!(
        matches!(effects.as_slice(), [Effect::CancelRequest(c)] if *c == id),
        "{effects:?}"
    );
    assert!(app.overlay.is_none());
}

#[test]
fn the_prompt_closes_when_the_send_ends() {
    let (_d, mut app, _) = oauth_app();
    let id = send(&mut app);
    app.update(Msg::OAuth {
        id,
        prompt: Prompt::Authorize {
            url: "http://127.0.0.1:9/authorize".into(),
            listening: Some("http://127.0.0.1:5555/callback".into()),
        },
    });
    assert!(matches!(app.overlay, Some(Overlay::OAuth(_))));
    let mut exchange = crate::exchange::Exchange::new("api/me");
    exchange.ending = crate::exchange::Ending::Failed(crate::http::SendError::Cancelled);
    let effects = app.update(Msg::Exchanged {
        id,
        exchange: Box::new(exchange),
        problems: Vec::new(),
        history_id: None,
    });
    assert!(app.overlay.is_none());
    // And the Auth tab's token line is read again.
    assert!(
        (effects.iter()).any(|e| matches!(e, Effect::TokenStatus { forget: false, .. })),
        "{effects:?}"
    );
}
