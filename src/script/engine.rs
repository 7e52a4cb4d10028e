//! The script engine: one QuickJS runtime and context (through rquickjs)
//! kept across runs, as Postman keeps one sandbox per run. It evaluates
//! runtime.js and pm.js once, then for each script: the source, then an
//! event loop (promise jobs, timers, `pm.sendRequest` through the [`Host`])
//! until the script is idle or out of time.

use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::{Duration, Instant};

use rquickjs::context::EvalOptions;
use rquickjs::{Context, Ctx, Exception, Function, Object, Runtime, Value};

use super::modules;
use super::sandbox::{Deadline, Limits, MAX_STACK};
use super::{
    ConsoleLevel, ConsoleLine, Host, Outcome, Phase, Script, ScriptError, ScriptErrorKind,
    ScriptRequest, ScriptState, TestResult,
};

const RUNTIME_JS: &str = include_str!("js/runtime.js");
const PM_JS: &str = include_str!("js/pm.js");

/// The user's source goes between these, on the prefix's line, so line
/// numbers stay true and a top-level `return` and `await` work (Postman
/// runs scripts in an async function too); line-1 columns are shifted back
/// by the prefix's length. Compiling gives the function, called once per
/// run: an error while compiling is a syntax error, one after a runtime one.
const PREFIX: &str = "(async function(){";
const SUFFIX: &str = "\n})";

/// Compiled scripts kept per context (a run's scripts compile once); past
/// this many the cache starts again, so a run of many scripts stays bounded.
const COMPILED_SCRIPTS: u32 = 256;

/// Runs a phase's scripts. `!Send`: it lives on the thread that runs scripts.
pub struct Engine {
    limits: Limits,
    live: Option<Live>,
}

/// A started runtime and context, with what its host functions share.
struct Live {
    context: Context,
    deadline: Deadline,
    shared: Rc<Shared>,
    /// Entries in the context's `__compiled` object.
    compiled: Cell<u32>,
}

/// What host functions hand back to the engine.
#[derive(Default)]
struct Shared {
    console: RefCell<Vec<ConsoleLine>>,
    entered: Cell<bool>,
}

impl Engine {
    /// Cheap: the runtime starts on the first `run`.
    pub fn new(limits: Limits) -> Engine {
        Engine { limits, live: None }
    }

    /// Starts the runtime and loads the libraries every context has, so the
    /// first script runs at once (done while a request is in flight).
    pub fn warm(&mut self) {
        if self.live.is_none() {
            self.live = Live::start(self.limits).ok();
        }
    }

    /// Changes the time limit of the scripts run from now on.
    pub fn set_timeout(&mut self, timeout: std::time::Duration) {
        self.limits.timeout = timeout;
    }

    /// Runs `scripts` in order (collection's, folders', request's) for
    /// `phase`, changing `state` (variables, request, control) in place.
    pub fn run(
        &mut self,
        phase: Phase,
        scripts: &[Script],
        state: &mut ScriptState,
        host: &mut dyn Host,
    ) -> Outcome {
        let mut outcome = Outcome::default();
        let Some(first) = scripts.first() else {
            return outcome;
        };
        let live = match self.live.take() {
            Some(live) => live,
            None => match Live::start(self.limits) {
                Ok(live) => live,
                Err(failure) => {
                    outcome.errors.push(failure.at(&first.file));
                    return outcome;
                }
            },
        };
        let fatal = live.run(self.limits, phase, scripts, state, host, &mut outcome);
        // After a timeout or running out of memory the context may hold
        // half-done work: the next run starts afresh.
        if !fatal {
            self.live = Some(live);
        }
        outcome
    }
}

/// An error not yet tied to a file.
struct Failure {
    kind: ScriptErrorKind,
    message: String,
    line: Option<u32>,
    column: Option<u32>,
}

impl Failure {
    fn internal(message: impl Into<String>) -> Failure {
        Failure {
            kind: ScriptErrorKind::Runtime,
            message: message.into(),
            line: None,
            column: None,
        }
    }

    fn at(self, file: &Path) -> ScriptError {
        ScriptError {
            kind: self.kind,
            message: self.message,
            file: file.to_path_buf(),
            line: self.line,
            column: self.column,
        }
    }

    /// QuickJS counts columns in UTF-8 bytes; editors count characters.
    fn in_chars(mut self, source: &str) -> Failure {
        if let (Some(line), Some(column)) = (self.line, self.column) {
            let text = source
                .lines()
                .nth(line.saturating_sub(1) as usize)
                .unwrap_or("");
            let bytes = (column.saturating_sub(1) as usize).min(text.len());
            let chars = text.char_indices().take_while(|(i, _)| *i < bytes).count();
            self.column = Some(chars as u32 + 1);
        }
        self
    }

    fn fatal(&self) -> bool {
        matches!(
            self.kind,
            ScriptErrorKind::Timeout | ScriptErrorKind::Memory
        )
    }
}

fn options(filename: &str) -> EvalOptions {
    let mut options = EvalOptions::default();
    options.global = true;
    options.strict = false;
    options.filename = Some(filename.to_owned());
    options
}

impl Live {
    fn start(limits: Limits) -> Result<Live, Failure> {
        let runtime = Runtime::new().map_err(|e| Failure::internal(e.to_string()))?;
        runtime.set_memory_limit(limits.memory);
        runtime.set_max_stack_size(MAX_STACK);
        let deadline = Deadline::default();
        let check = deadline.clone();
        runtime.set_interrupt_handler(Some(Box::new(move || check.passed())));
        runtime.set_host_promise_rejection_tracker(Some(Box::new(
            |ctx, promise, reason, handled| {
                // Recorded in runtime.js, so a handler attached later can
                // still take the rejection back.
                let tracker = ctx
                    .globals()
                    .get::<_, Object>("__rt")
                    .and_then(|rt| rt.get::<_, Function>("rejection"));
                if let Ok(tracker) = tracker {
                    let _ = tracker.call::<_, ()>((promise, reason, handled));
                }
            },
        )));
        let context = Context::full(&runtime).map_err(|e| Failure::internal(e.to_string()))?;
        let live = Live {
            context,
            deadline,
            shared: Rc::default(),
            compiled: Cell::new(0),
        };
        live.deadline.set(Instant::now() + limits.timeout);
        live.context.with(|ctx| {
            let fail = |e: rquickjs::Error| live.failure(&ctx, e, limits, "");
            install_host(&ctx, &live.shared).map_err(fail)?;
            ctx.eval::<(), _>(
                "Object.defineProperty(globalThis, '__compiled', {value: {}, writable: true, enumerable: false, configurable: false})",
            )
            .map_err(fail)?;
            ctx.eval_with_options::<(), _>(RUNTIME_JS, options("postie:runtime.js"))
                .map_err(fail)?;
            ctx.eval_with_options::<(), _>(PM_JS, options("postie:pm.js"))
                .map_err(fail)?;
            // Scripts may reassign globals; these the engine must keep.
            ctx.eval::<(), _>(
                "Object.freeze(__host);\
                 Object.defineProperty(globalThis, '__pm', {enumerable: false, writable: false, configurable: false});",
            )
            .map_err(fail)
        })?;
        Ok(live)
    }

    /// Runs the phase; true when a timeout or memory error spoiled the context.
    fn run(
        &self,
        limits: Limits,
        phase: Phase,
        scripts: &[Script],
        state: &mut ScriptState,
        host: &mut dyn Host,
        outcome: &mut Outcome,
    ) -> bool {
        self.context.with(|ctx| {
            let mut fatal = false;
            let last = scripts
                .last()
                .map(|s| s.file.as_path())
                .unwrap_or(Path::new(""));
            self.deadline.set(Instant::now() + limits.timeout);
            // The body goes as its own argument (pm.js's `begin`).
            let body = state.response.as_mut().map(|r| std::mem::take(&mut r.body));
            let begun = serde_json::to_string(state)
                .map_err(|e| Failure::internal(e.to_string()))
                .and_then(|json| {
                    self.call::<()>(
                        &ctx,
                        "__pm",
                        "begin",
                        (json, phase.event_name(), body.as_deref()),
                        limits,
                        "",
                    )
                });
            if let (Some(response), Some(body)) = (state.response.as_mut(), body) {
                response.body = body;
            }
            if let Err(failure) = begun {
                fatal = failure.fatal();
                outcome.errors.push(failure.at(last));
                return fatal;
            }
            for script in scripts {
                if let Err(failure) = self.run_script(&ctx, limits, script, host, outcome) {
                    fatal |= failure.fatal();
                    outcome.errors.push(failure.at(&script.file));
                }
            }
            self.deadline.set(Instant::now() + limits.timeout);
            let ended = self
                .call::<String>(&ctx, "__pm", "end", (), limits, "")
                .and_then(|json| {
                    serde_json::from_str::<Ended>(&json).map_err(|e| {
                        Failure::internal(format!("pm.js returned a state postie cannot read: {e}"))
                    })
                });
            match ended {
                Ok(ended) => {
                    state.variables = ended.variables;
                    if let Some(request) = ended.request {
                        state.request = request;
                    }
                    state.cookies = ended.cookies;
                    state.info = ended.info;
                    state.control = ended.control;
                }
                Err(failure) => {
                    fatal |= failure.fatal();
                    outcome.errors.push(failure.at(last));
                }
            }
            outcome.console.extend(self.shared.console.take());
            fatal
        })
    }

    /// One script: its source, its event loop, its tests. An error that
    /// ends the script is returned; the tests it declared are still reported.
    fn run_script(
        &self,
        ctx: &Ctx<'_>,
        limits: Limits,
        script: &Script,
        host: &mut dyn Host,
        outcome: &mut Outcome,
    ) -> Result<(), Failure> {
        let file = script.file.display().to_string();
        self.deadline.set(Instant::now() + limits.timeout);
        self.call::<()>(ctx, "__rt", "reset", (file.as_str(),), limits, &file)?;
        self.call::<()>(ctx, "__pm", "startScript", (file.as_str(),), limits, &file)?;
        self.shared.entered.set(false);
        let compiled = self.compile(ctx, script, &file, limits);
        // Whatever fails from here on is not the script's syntax.
        self.shared.entered.set(true);
        let mut result = compiled.and_then(|function| {
            function
                .call::<_, ()>(())
                .map_err(|e| self.failure(ctx, e, limits, &file))
        });
        if result.is_ok() {
            result = self.event_loop(ctx, limits, &file, host);
        }
        if result.as_ref().is_err_and(Failure::fatal) {
            // Let pm.js report the tests declared so far, with time and
            // memory to do it.
            ctx.run_gc();
            self.deadline.set(Instant::now() + limits.timeout);
        }
        let _ = self.call::<()>(ctx, "__rt", "reset", (file.as_str(),), limits, &file);
        let finished = self.call::<String>(ctx, "__pm", "finishScript", (), limits, &file);
        outcome.console.extend(self.shared.console.take());
        match finished {
            Ok(json) => match serde_json::from_str::<Vec<RawTest>>(&json) {
                Ok(tests) => outcome.tests.extend(tests.into_iter().map(|t| TestResult {
                    name: t.name,
                    passed: t.passed,
                    skipped: t.skipped,
                    error: t.error,
                    file: script.file.clone(),
                })),
                Err(e) => outcome.errors.push(
                    Failure::internal(format!("pm.js returned tests postie cannot read: {e}"))
                        .at(&script.file),
                ),
            },
            Err(failure) if result.is_ok() => result = Err(failure),
            Err(_) => {}
        }
        result.map_err(|failure| failure.in_chars(&script.source))
    }

    /// The script as a function, compiled once per context and source.
    fn compile<'js>(
        &self,
        ctx: &Ctx<'js>,
        script: &Script,
        file: &str,
        limits: Limits,
    ) -> Result<Function<'js>, Failure> {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        script.source.hash(&mut hasher);
        let key = format!("{file}\u{0}{:016x}", hasher.finish());
        let fail = |e| self.failure(ctx, e, limits, file);
        let mut cache: Object = ctx.globals().get("__compiled").map_err(fail)?;
        if let Some(function) = cache.get::<_, Option<Function>>(&key).map_err(fail)? {
            return Ok(function);
        }
        let source = format!("{PREFIX}{}{SUFFIX}", script.source);
        let function: Function = ctx.eval_with_options(source, options(file)).map_err(fail)?;
        if self.compiled.get() >= COMPILED_SCRIPTS {
            cache = Object::new(ctx.clone()).map_err(fail)?;
            ctx.globals()
                .set("__compiled", cache.clone())
                .map_err(fail)?;
            self.compiled.set(0);
        }
        cache.set(&key, function.clone()).map_err(fail)?;
        self.compiled.set(self.compiled.get() + 1);
        Ok(function)
    }

    /// Promise jobs, then queued requests, then timers (waiting for the
    /// next one), until nothing is left or the deadline passes. The first
    /// uncaught error ends the script, as it would end a Node process.
    fn event_loop(
        &self,
        ctx: &Ctx<'_>,
        limits: Limits,
        file: &str,
        host: &mut dyn Host,
    ) -> Result<(), Failure> {
        loop {
            while ctx.execute_pending_job() {}
            if self.deadline.fired() {
                return Err(self.timeout(limits, None));
            }
            let rejection =
                self.call::<Option<Object>>(ctx, "__rt", "takeRejection", (), limits, file)?;
            if let Some(rejection) = rejection {
                let reason: Value = rejection
                    .get("reason")
                    .unwrap_or_else(|_| Value::new_undefined(ctx.clone()));
                return Err(self.describe(ctx, reason, limits, file, true));
            }
            let queued = self.call::<String>(ctx, "__rt", "takeRequests", (), limits, file)?;
            let queued: Vec<(u32, String)> = serde_json::from_str(&queued)
                .map_err(|e| Failure::internal(format!("bad request queue: {e}")))?;
            if !queued.is_empty() {
                for (id, json) in queued {
                    let asked = Instant::now();
                    let answer = serde_json::from_str::<ScriptRequest>(&json)
                        .map_err(|e| format!("pm.sendRequest: not a request: {e}"))
                        .and_then(|request| host.send_request(request));
                    self.deadline.extend(asked.elapsed());
                    let (error, response) = match answer {
                        Ok(response) => (None, serde_json::to_string(&response).ok()),
                        Err(error) => (Some(error), None),
                    };
                    if self.deadline.passed() {
                        return Err(self.timeout(limits, None));
                    }
                    self.call::<()>(ctx, "__rt", "deliver", (id, error, response), limits, file)?;
                }
                continue;
            }
            let delay = self.call::<f64>(ctx, "__rt", "nextDelay", (), limits, file)?;
            if delay < 0.0 {
                return Ok(());
            }
            if delay > 0.0 {
                let wait = Duration::from_secs_f64(delay / 1000.0);
                let left = self
                    .deadline
                    .at()
                    .map(|at| at.saturating_duration_since(Instant::now()))
                    .unwrap_or_default();
                if wait >= left {
                    std::thread::sleep(left);
                    self.deadline.fire();
                    return Err(self.timeout(limits, None));
                }
                std::thread::sleep(wait);
            }
            self.call::<bool>(ctx, "__rt", "fireDue", (), limits, file)?;
        }
    }

    /// Calls `object.name(args)` on a global object of the runtime or pm.js.
    fn call<'js, R: rquickjs::FromJs<'js>>(
        &self,
        ctx: &Ctx<'js>,
        object: &str,
        name: &str,
        args: impl rquickjs::function::IntoArgs<'js>,
        limits: Limits,
        file: &str,
    ) -> Result<R, Failure> {
        let function = ctx
            .globals()
            .get::<_, Object>(object)
            .and_then(|o| o.get::<_, Function>(name))
            .map_err(|e| self.failure(ctx, e, limits, file))?;
        function
            .call::<_, R>(args)
            .map_err(|e| self.failure(ctx, e, limits, file))
    }

    fn failure(
        &self,
        ctx: &Ctx<'_>,
        error: rquickjs::Error,
        limits: Limits,
        file: &str,
    ) -> Failure {
        match error {
            rquickjs::Error::Exception => {
                let value = ctx.catch();
                self.describe(ctx, value, limits, file, self.shared.entered.get())
            }
            rquickjs::Error::Allocation => memory(limits),
            other => Failure::internal(other.to_string()),
        }
    }

    /// A thrown value as an error, located in `file` when its stack goes there.
    fn describe<'js>(
        &self,
        ctx: &Ctx<'js>,
        value: Value<'js>,
        limits: Limits,
        file: &str,
        entered: bool,
    ) -> Failure {
        let object = value.as_object();
        let text = |key: &str| object.and_then(|o| o.get::<_, Option<String>>(key).ok().flatten());
        let (line, column) = text("stack")
            .and_then(|stack| locate(&stack, file))
            .map_or((None, None), |(l, c)| (Some(l), c));
        if self.deadline.fired() {
            return self.timeout(limits, line.map(|l| (l, column)));
        }
        let message = match (text("name"), text("message")) {
            // chai's AssertionError is no Error object, but has all three.
            (Some(name), Some(message)) if value.is_error() || text("stack").is_some() => {
                if message.is_empty() {
                    name
                } else if name.is_empty() {
                    message
                } else {
                    format!("{name}: {message}")
                }
            }
            _ => self
                .call::<String>(ctx, "__rt", "format", (value.clone(),), limits, file)
                .unwrap_or_else(|_| "uncaught exception".to_owned()),
        };
        if message == "InternalError: out of memory" {
            return memory(limits);
        }
        // QuickJS leaves `null` as the exception when it runs out of memory
        // while making the error object itself; a script's own `throw null`
        // looks the same, so the message names both.
        if value.is_null() {
            return Failure {
                message: format!(
                    "the script threw null: QuickJS does so when a script uses more memory than the limit of {} MiB",
                    limits.memory / (1024 * 1024)
                ),
                line,
                column,
                ..memory(limits)
            };
        }
        Failure {
            kind: if entered {
                ScriptErrorKind::Runtime
            } else {
                ScriptErrorKind::Compile
            },
            message,
            line,
            column,
        }
    }

    fn timeout(&self, limits: Limits, at: Option<(u32, Option<u32>)>) -> Failure {
        Failure {
            kind: ScriptErrorKind::Timeout,
            message: format!("script ran longer than {} ms", limits.timeout.as_millis()),
            line: at.map(|(l, _)| l),
            column: at.and_then(|(_, c)| c),
        }
    }
}

fn memory(limits: Limits) -> Failure {
    Failure {
        kind: ScriptErrorKind::Memory,
        message: format!(
            "script used more memory than the limit of {} MiB",
            limits.memory / (1024 * 1024)
        ),
        line: None,
        column: None,
    }
}

/// The first stack frame in `file` ("    at f (file:3:7)" or "    at
/// file:3:7"), as line and column in the user's source.
fn locate(stack: &str, file: &str) -> Option<(u32, Option<u32>)> {
    stack.lines().find_map(|frame| {
        let frame = frame.trim().strip_prefix("at ")?;
        let place = match frame.rfind(" (") {
            Some(i) if frame.ends_with(')') => &frame[i + 2..frame.len() - 1],
            _ => frame,
        };
        let rest = place.strip_prefix(file)?.strip_prefix(':')?;
        let mut parts = rest.split(':');
        let line: u32 = parts.next()?.parse().ok()?;
        let column: Option<u32> = parts.next().and_then(|c| c.parse().ok());
        let column = match (line, column) {
            (1, Some(c)) => Some(c.saturating_sub(PREFIX.len() as u32).max(1)),
            (_, c) => c,
        };
        Some((line, column))
    })
}

/// What pm.js hands back after a phase: the state without the response
/// (scripts cannot change it), and the request only when a script read it.
#[derive(serde::Deserialize)]
struct Ended {
    variables: super::VarScopes,
    #[serde(default)]
    request: Option<ScriptRequest>,
    #[serde(default)]
    cookies: Vec<super::ScriptCookie>,
    info: super::Info,
    #[serde(default)]
    control: super::Control,
}

#[derive(serde::Deserialize)]
struct RawTest {
    name: String,
    #[serde(default)]
    passed: bool,
    #[serde(default)]
    skipped: bool,
    #[serde(default)]
    error: Option<String>,
}

/// `__host`: the only doors from JS to Rust.
fn install_host<'js>(ctx: &Ctx<'js>, shared: &Rc<Shared>) -> rquickjs::Result<()> {
    let host = Object::new(ctx.clone())?;
    let console = shared.clone();
    host.set(
        "log",
        Function::new(
            ctx.clone(),
            move |level: String, text: String, file: Option<String>, line: Option<f64>| {
                let level = match level.as_str() {
                    "info" => ConsoleLevel::Info,
                    "warn" => ConsoleLevel::Warn,
                    "error" => ConsoleLevel::Error,
                    _ => ConsoleLevel::Log,
                };
                console.console.borrow_mut().push(ConsoleLine {
                    level,
                    text,
                    file: PathBuf::from(file.unwrap_or_default()),
                    line: line.filter(|l| *l >= 1.0).map(|l| l as u32),
                });
            },
        )?,
    )?;
    host.set("dynamic", Function::new(ctx.clone(), dynamic)?)?;
    host.set(
        "moduleExists",
        Function::new(ctx.clone(), |path: String| modules::source(&path).is_some())?,
    )?;
    host.set(
        "moduleSource",
        Function::new(ctx.clone(), |path: String| {
            modules::source(&path).map(str::to_owned)
        })?,
    )?;
    host.set("compileModule", Function::new(ctx.clone(), compile_module)?)?;
    host.set("atob", Function::new(ctx.clone(), atob)?)?;
    host.set("btoa", Function::new(ctx.clone(), btoa)?)?;
    ctx.globals().set("__host", host)?;
    ctx.eval::<(), _>(
        "Object.defineProperty(globalThis, '__host', {enumerable: false, writable: false, configurable: false})",
    )
}

/// A carried module's source wrapped as CommonJS, compiled under its own
/// file name so its stack frames say where they are. As browserify does
/// for the bundles postman-sandbox builds, library code sees `global` and
/// the npm `process` shim (empty env, nextTick on timers); user scripts see
/// neither.
fn compile_module<'js>(ctx: Ctx<'js>, path: String) -> rquickjs::Result<Function<'js>> {
    let Some(source) = modules::source(&path) else {
        return Err(Exception::throw_message(
            &ctx,
            &format!("Cannot find module '{path}'"),
        ));
    };
    let code = format!("(function (exports, require, module, __filename, __dirname, global, process) {{{source}\n}})");
    ctx.eval_with_options(code, options(&format!("node_modules/{path}")))
}

fn dynamic(name: String) -> Option<String> {
    if !crate::vars::dynamic_names().contains(&name.as_str()) {
        return None;
    }
    let scopes = crate::vars::Scopes::new();
    let value = crate::vars::Resolver::new(&scopes).resolve(&format!("{{{{{name}}}}}"));
    value.ok()
}

/// The browser's btoa: each character must be one byte (Latin-1).
fn btoa(ctx: Ctx<'_>, data: String) -> rquickjs::Result<String> {
    use base64::Engine as _;
    let bytes: Option<Vec<u8>> = data
        .chars()
        .map(|c| u8::try_from(u32::from(c)).ok())
        .collect();
    match bytes {
        Some(bytes) => Ok(base64::engine::general_purpose::STANDARD.encode(bytes)),
        None => Err(Exception::throw_dom(
            &ctx,
            "InvalidCharacterError",
            "Invalid character: the string to be encoded contains characters outside of the Latin1 range.",
        )),
    }
}

/// The browser's atob: forgiving about whitespace and missing padding; the
/// bytes come back as Latin-1 characters.
fn atob(ctx: Ctx<'_>, data: String) -> rquickjs::Result<String> {
    use base64::Engine as _;
    let clean: String = data
        .chars()
        .filter(|c| !matches!(c, ' ' | '\t' | '\n' | '\x0c' | '\r'))
        .collect();
    let trimmed = if clean.len() % 4 == 0 {
        clean.trim_end_matches('=')
    } else {
        clean.as_str()
    };
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::RequireNone)
            .with_decode_allow_trailing_bits(true),
    );
    match engine.decode(trimmed) {
        Ok(bytes) if clean.len() % 4 != 1 => Ok(bytes.into_iter().map(char::from).collect()),
        _ => Err(Exception::throw_dom(
            &ctx,
            "InvalidCharacterError",
            "The string to be decoded is not correctly encoded.",
        )),
    }
}
