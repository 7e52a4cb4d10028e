// postie's script runtime: what Postman's sandbox gives a script besides
// `pm` (console, timers, require, library globals). Evaluated once per JS
// context, after the engine installed `__host` and before pm.js.
//
// The engine drives the event loop through `__rt` (timers, queued
// pm.sendRequest calls, unhandled rejections); see src/script/engine.rs.
(function (global, host) {
    'use strict';

    var RUNTIME_FILES = { 'postie:runtime.js': true, 'postie:pm.js': true };
    // Kept before any script runs: a script replacing JSON.stringify must
    // not break pm.sendRequest's queue.
    var stringify = JSON.stringify;
    // QuickJS keeps 10 frames by default; an error thrown deep in a library
    // must still show the user's line.
    Error.stackTraceLimit = 100;

    function hidden(obj, name, value) {
        Object.defineProperty(obj, name, { value: value, writable: true, configurable: true, enumerable: false });
    }

    // ---------------------------------------------------------------- where

    // Where a console call came from: the nearest frame in the running
    // script, else the nearest outside postie's own files (a library), from
    // QuickJS's stack text ("    at f (file:3:7)" or "    at file:3:7").
    function callSite() {
        var stack = String(new Error().stack || '').split('\n');
        var outside;
        for (var i = 0; i < stack.length; i++) {
            var m = /^\s*at (?:.*? \()?(.+?):(\d+)(?::(\d+))?\)?$/.exec(stack[i]);
            if (m && m[1] === currentFile) {
                return { file: m[1], line: Number(m[2]) };
            }
            if (m && !outside && !RUNTIME_FILES[m[1]]) {
                outside = { file: m[1], line: Number(m[2]) };
            }
        }
        return outside || { file: currentFile, line: undefined };
    }

    // ---------------------------------------------------------------- console

    // Roughly Node's util.inspect: enough for logs to read as in Postman.
    function inspect(value, depth, seen, nested) {
        switch (typeof value) {
            case 'string': return nested ? "'" + value.replace(/'/g, "\\'") + "'" : value;
            case 'number': return Object.is(value, -0) ? '-0' : String(value);
            case 'bigint': return value + 'n';
            case 'symbol': return value.toString();
            case 'undefined': return 'undefined';
            case 'boolean': return String(value);
            case 'function': return '[Function: ' + (value.name || '(anonymous)') + ']';
        }
        if (value === null) { return 'null'; }
        if (seen.indexOf(value) !== -1) { return '[Circular]'; }
        if (value instanceof Error) { return value.stack ? value.name + ': ' + value.message + '\n' + value.stack.replace(/\n$/, '') : String(value); }
        if (value instanceof Date) { return isNaN(value) ? 'Invalid Date' : value.toISOString(); }
        if (value instanceof RegExp) { return String(value); }
        if (depth > 2) { return Array.isArray(value) ? '[Array]' : '[Object]'; }
        seen = seen.concat([value]);
        var parts;
        if (Array.isArray(value)) {
            parts = value.slice(0, 100).map(function (v) { return inspect(v, depth + 1, seen, true); });
            if (value.length > 100) { parts.push('... ' + (value.length - 100) + ' more items'); }
            return parts.length ? '[ ' + parts.join(', ') + ' ]' : '[]';
        }
        if (value instanceof Map) {
            parts = [];
            value.forEach(function (v, k) { parts.push(inspect(k, depth + 1, seen, true) + ' => ' + inspect(v, depth + 1, seen, true)); });
            return 'Map(' + value.size + ') {' + (parts.length ? ' ' + parts.join(', ') + ' ' : '') + '}';
        }
        if (value instanceof Set) {
            parts = [];
            value.forEach(function (v) { parts.push(inspect(v, depth + 1, seen, true)); });
            return 'Set(' + value.size + ') {' + (parts.length ? ' ' + parts.join(', ') + ' ' : '') + '}';
        }
        parts = Object.keys(value).map(function (k) {
            var key = /^[A-Za-z_$][\w$]*$/.test(k) ? k : "'" + k + "'";
            return key + ': ' + inspect(value[k], depth + 1, seen, true);
        });
        return parts.length ? '{ ' + parts.join(', ') + ' }' : '{}';
    }

    // console.log's formatting: printf-style %s %d %i %f %j %o %O %% in a
    // first string argument, the rest joined with spaces.
    function format(args) {
        var rest = Array.prototype.slice.call(args);
        var out = [];
        if (typeof rest[0] === 'string' && rest.length > 1 && rest[0].indexOf('%') !== -1) {
            var fmt = rest.shift();
            out.push(fmt.replace(/%([sdifjoO%])/g, function (all, c) {
                if (c === '%') { return '%'; }
                if (!rest.length) { return all; }
                var v = rest.shift();
                switch (c) {
                    case 's': return typeof v === 'string' ? v : inspect(v, 1, [], false);
                    case 'd': case 'i': return String(c === 'i' ? parseInt(v, 10) : Number(v));
                    case 'f': return String(parseFloat(v));
                    case 'j': try { return JSON.stringify(v); } catch (e) { return '[Circular]'; }
                    default: return inspect(v, 0, [], true);
                }
            }));
        }
        for (var i = 0; i < rest.length; i++) { out.push(inspect(rest[i], 0, [], false)); }
        return out.join(' ');
    }

    // Rust strings are UTF-8: a lone surrogate becomes U+FFFD.
    function wellFormed(text) {
        return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
    }

    function logger(level) {
        return function () {
            var at = callSite();
            host.log(level, wellFormed(format(arguments)), at.file, at.line);
        };
    }

    var console = {};
    ['log', 'info', 'warn', 'error'].forEach(function (level) { console[level] = logger(level); });
    console.debug = console.trace = console.dir = logger('log');
    console.assert = function (ok) {
        if (!ok) {
            var at = callSite();
            var rest = Array.prototype.slice.call(arguments, 1);
            host.log('error', wellFormed('Assertion failed' + (rest.length ? ': ' + format(rest) : '')), at.file, at.line);
        }
    };
    hidden(global, 'console', console);

    // ---------------------------------------------------------------- timers

    // Timers wait for real (the engine sleeps until the next is due), within
    // the script's time limit.
    var timers = new Map();
    var timerId = 0;
    var timerSeq = 0;

    function addTimer(fn, delay, args, repeat) {
        if (typeof fn !== 'function') { throw new TypeError('The "callback" argument must be of type function'); }
        delay = Number(delay);
        if (!(delay >= 1 && delay <= 2147483647)) { delay = repeat === undefined ? 0 : 1; }
        var id = ++timerId;
        timers.set(id, { fn: fn, args: args, due: Date.now() + delay, seq: timerSeq++, every: repeat ? delay : 0 });
        return id;
    }
    function clearTimer(id) { timers.delete(Number(id)); }
    function nextTimer() {
        var best;
        timers.forEach(function (t, id) {
            if (!best || t.due < best.t.due || (t.due === best.t.due && t.seq < best.t.seq)) { best = { id: id, t: t }; }
        });
        return best;
    }

    var timerApi = {
        setTimeout: function (fn, delay) { return addTimer(fn, delay, Array.prototype.slice.call(arguments, 2), false); },
        setInterval: function (fn, delay) { return addTimer(fn, delay, Array.prototype.slice.call(arguments, 2), true); },
        setImmediate: function (fn) { return addTimer(fn, 0, Array.prototype.slice.call(arguments, 1), undefined); },
        clearTimeout: clearTimer,
        clearInterval: clearTimer,
        clearImmediate: clearTimer
    };
    Object.keys(timerApi).forEach(function (name) { hidden(global, name, timerApi[name]); });

    // ---------------------------------------------------------------- sendRequest

    var requests = [];
    var callbacks = new Map();
    var requestId = 0;
    hidden(host, 'sendRequest', function (requestJson, callback) {
        var id = ++requestId;
        requests.push([id, String(requestJson)]);
        callbacks.set(id, typeof callback === 'function' ? callback : function () {});
    });

    // ---------------------------------------------------------------- require

    // Node's core modules resolve to the browser shims postman-sandbox
    // bundles (lib/environment.js there); `timers` is this runtime's own,
    // since timers-browserify only wraps these same globals.
    var BUILTIN = {
        assert: 'assert', buffer: 'buffer', events: 'events', path: 'path-browserify',
        punycode: 'punycode', querystring: 'querystring-es3', stream: 'stream-browserify',
        string_decoder: 'string_decoder', url: 'url', util: 'util'
    };
    // Entry files other than the package's "main", as postman-sandbox picks
    // them (moment) or to carry one built file instead of a source tree.
    var ENTRY = {
        lodash: 'lodash/lodash.min.js',
        moment: 'moment/min/moment.min.js',
        'crypto-js': 'crypto-js/crypto-js.js',
        ajv: 'ajv/dist/ajv.min.js',
        chai: 'chai/chai.js'
    };
    var EMPTY = '<empty>';
    var cache = Object.create(null);
    var packages = Object.create(null);

    function normalize(path) {
        var out = [];
        path.split('/').forEach(function (part) {
            if (part === '..') { out.pop(); } else if (part && part !== '.') { out.push(part); }
        });
        return out.join('/');
    }
    function dirname(path) { var i = path.lastIndexOf('/'); return i < 0 ? '' : path.slice(0, i); }
    function join(dir, rel) { return normalize(dir ? dir + '/' + rel : rel); }
    function exists(path) { return host.moduleExists(path); }

    function readPackage(dir) {
        if (!(dir in packages)) {
            var src = host.moduleSource(join(dir, 'package.json'));
            packages[dir] = src === undefined ? null : JSON.parse(src);
        }
        return packages[dir];
    }
    // The package a file belongs to: the nearest folder with a package.json.
    function packageOf(path) {
        for (var dir = dirname(path); dir; dir = dirname(dir)) {
            if (readPackage(dir)) { return dir; }
        }
        return undefined;
    }
    // The package.json "browser" object: replaces or disables files and
    // modules inside its package.
    function browserMap(pkgDir, key) {
        var pkg = pkgDir !== undefined && readPackage(pkgDir);
        var map = pkg && typeof pkg.browser === 'object' ? pkg.browser : null;
        if (!map || !(key in map)) { return undefined; }
        return map[key] === false ? EMPTY : join(pkgDir, map[key]);
    }
    function remapFile(path) {
        var pkgDir = packageOf(path);
        if (pkgDir === undefined) { return path; }
        var rel = './' + path.slice(pkgDir.length + 1);
        var mapped = browserMap(pkgDir, rel);
        if (mapped === undefined && /\.js$/.test(rel)) { mapped = browserMap(pkgDir, rel.slice(0, -3)); }
        return mapped === undefined ? path : mapped;
    }

    function loadFile(path) {
        var candidates = [path, path + '.js', path + '.json'];
        for (var i = 0; i < candidates.length; i++) {
            if (candidates[i] && exists(candidates[i])) { return remapFile(candidates[i]); }
        }
        return undefined;
    }
    function loadDir(dir) {
        if (ENTRY[dir]) { return ENTRY[dir]; }
        var pkg = readPackage(dir);
        if (pkg) {
            var main = typeof pkg.browser === 'string' ? pkg.browser : pkg.main;
            if (typeof main === 'string') {
                var found = loadFile(join(dir, main)) || loadIndex(join(dir, main));
                if (found) { return found; }
            }
        }
        return loadIndex(dir);
    }
    function loadIndex(dir) { return loadFile(join(dir, 'index')); }

    function notFound(request) {
        var err = new Error("Cannot find module '" + request + "'");
        err.code = 'MODULE_NOT_FOUND';
        return err;
    }

    // Node's resolution over the embedded node_modules tree; `from` is the
    // requiring file's folder inside it ('' for user scripts).
    function resolve(request, from) {
        if (typeof request !== 'string' || !request) { throw new TypeError('The "id" argument must be a non-empty string'); }
        var relative = /^\.\.?(\/|$)/.test(request) || request.charAt(0) === '/';
        var mapped = relative ? undefined : browserMap(packageOf(join(from, 'x')), request);
        if (mapped !== undefined) { return mapped; }
        var bare = request.replace(/^node:/, '');
        if (bare === 'timers') { return 'timers'; }
        if (Object.prototype.hasOwnProperty.call(BUILTIN, bare)) { return loadDir(BUILTIN[bare]); }
        if (relative) {
            var path = request.charAt(0) === '/' ? normalize(request) : join(from, request);
            var found = loadFile(path) || loadDir(path);
            if (found) { return found; }
            throw notFound(request);
        }
        var name = request.replace(/\/$/, '');
        var dirs = [];
        for (var dir = from; dir; dir = dirname(dir)) {
            if (!/(^|\/)node_modules$/.test(dir)) { dirs.push(dir + '/node_modules/' + name); }
        }
        dirs.push(normalize(name));
        for (var i = 0; i < dirs.length; i++) {
            var hit = loadFile(dirs[i]) || loadDir(dirs[i]);
            if (hit) { return hit; }
        }
        throw notFound(request);
    }

    function load(path) {
        if (path in cache) { return cache[path].exports; }
        var module = { id: path, filename: path, exports: {}, loaded: false, children: [] };
        cache[path] = module;
        try {
            if (path === EMPTY) {
                // a module the package's "browser" field disables
            } else if (path === 'timers') {
                module.exports = timerApi;
            } else if (/\.json$/.test(path)) {
                module.exports = JSON.parse(host.moduleSource(path));
            } else {
                var fn = host.compileModule(path);
                var proc = /^process\//.test(path) ? undefined : require('process');
                fn.call(module.exports, module.exports, makeRequire(dirname(path)), module,
                    '/node_modules/' + path, '/node_modules/' + dirname(path), global, proc);
            }
        } catch (e) {
            delete cache[path];
            throw e;
        }
        module.loaded = true;
        return module.exports;
    }

    function makeRequire(from) {
        var req = function require(request) { return load(resolve(request, from)); };
        req.resolve = function (request) { return '/node_modules/' + resolve(request, from); };
        req.cache = cache;
        return req;
    }
    var require = makeRequire('');
    hidden(global, 'require', require);

    // ---------------------------------------------------------------- globals

    // Postman's sandbox globals, loaded on first use so a script that does
    // not use a library does not pay for it.
    // A library that reads its own global while it loads (lodash keeps the
    // old `_` for noConflict) sees undefined, not its half-made exports.
    function lazy(name, request, pick) {
        Object.defineProperty(global, name, {
            configurable: true,
            enumerable: false,
            get: function () {
                var path = resolve(request, '');
                if (cache[path] && !cache[path].loaded) { return undefined; }
                var value = load(path);
                value = pick ? value[pick] : value;
                hidden(global, name, value);
                return value;
            },
            set: function (value) { hidden(global, name, value); }
        });
    }
    lazy('_', 'lodash');
    lazy('CryptoJS', 'crypto-js');
    lazy('tv4', 'tv4');
    lazy('Buffer', 'buffer', 'Buffer');
    hidden(global, 'atob', function atob(data) { return host.atob(String(data)); });
    hidden(global, 'btoa', function btoa(data) { return host.btoa(String(data)); });
    // Postman's xml2Json: xml2js with its sandbox options, run synchronously.
    hidden(global, 'xml2Json', function xml2Json(string) {
        var result = {};
        require('xml2js').parseString(string, { explicitArray: false, async: false, trim: true, mergeAttrs: false },
            function (err, parsed) { if (!err) { result = parsed; } });
        return result;
    });

    // Postman's sandbox extends the built-ins with Sugar, and collections
    // rely on it (Postman's own snippet `responseBody.has('x')`,
    // `[1, 2].average()`). Loading it costs more than the rest of a context
    // together, so each name it adds is a stub that loads it on first use.
    // The list is what Sugar 1.4.1 adds (a test keeps it true); the natives
    // Sugar replaces (`Array.prototype.map`, `String.prototype.trim`...)
    // keep their standard meaning until it loads.
    var SUGAR_NAMES = {
        'Object': 'SugarMethods all any average clone count each equal extend extended find findAll fromQueryString has isArray isBoolean isDate isEmpty isFunction isNaN isNumber isObject isRegExp isString least map max merge min most none reduce reject select size sugarRestore sugarRevert sum tap toQueryString watch',
        'Array': 'AlphanumericSort AlphanumericSortEquivalents AlphanumericSortIgnoreCase AlphanumericSortNatural AlphanumericSortOrder SugarMethods create extend sugarRestore sugarRevert',
        'Array.prototype': 'add all any average clone compact count each exclude findAll findFrom findIndexFrom first flatten from groupBy inGroups inGroupsOf include insert intersect isEmpty last least max min most none randomize remove removeAt sample sortBy subtract sum to union unique zip',
        'String': 'Inflector SugarMethods extend range sugarRestore sugarRevert',
        'String.prototype': 'add assign camelize capitalize chars codes compact dasherize decodeBase64 each encodeBase64 escapeHTML escapeRegExp escapeURL first from hankaku has hasArabic hasCyrillic hasDevanagari hasGreek hasHan hasHangul hasHebrew hasHiragana hasKana hasKanji hasKatakana hasLatin hasThai hiragana humanize insert isArabic isBlank isCyrillic isDevanagari isGreek isHan isHangul isHebrew isHiragana isKana isKanji isKatakana isLatin isThai katakana last lines pad padLeft padRight paragraphs parameterize pluralize remove removeTags reverse shift singularize spacify stripTags titleize to toNumber truncate truncateOnWord underscore unescapeHTML unescapeURL words zenkaku',
        'Number': 'SugarMethods extend random range sugarRestore sugarRevert',
        'Number.prototype': 'abbr abs acos asin atan bytes cap ceil chr clamp cos day dayAfter dayAgo dayBefore dayFromNow days daysAfter daysAgo daysBefore daysFromNow downto duration exp floor format hex hour hourAfter hourAgo hourBefore hourFromNow hours hoursAfter hoursAgo hoursBefore hoursFromNow isEven isInteger isMultipleOf isOdd log metric millisecond millisecondAfter millisecondAgo millisecondBefore millisecondFromNow milliseconds millisecondsAfter millisecondsAgo millisecondsBefore millisecondsFromNow minute minuteAfter minuteAgo minuteBefore minuteFromNow minutes minutesAfter minutesAgo minutesBefore minutesFromNow month monthAfter monthAgo monthBefore monthFromNow months monthsAfter monthsAgo monthsBefore monthsFromNow ordinalize pad pow round second secondAfter secondAgo secondBefore secondFromNow seconds secondsAfter secondsAgo secondsBefore secondsFromNow sin sqrt tan times toNumber upto week weekAfter weekAgo weekBefore weekFromNow weeks weeksAfter weeksAgo weeksBefore weeksFromNow year yearAfter yearAgo yearBefore yearFromNow years yearsAfter yearsAgo yearsBefore yearsFromNow',
        'Date': 'ISO8601_DATE ISO8601_DATETIME RFC1036 RFC1123 SugarMethods addFormat addLocale create extend future getLocale past range setLocale sugarRestore sugarRevert utc',
        'Date.prototype': 'addDays addHours addMilliseconds addMinutes addMonths addSeconds addWeeks addYears advance beginningOfDay beginningOfISOWeek beginningOfMonth beginningOfWeek beginningOfYear clone daysAgo daysFromNow daysInMonth daysSince daysUntil endOfDay endOfISOWeek endOfMonth endOfWeek endOfYear format full getISOWeek getUTCOffset getUTCWeekday getWeekday hoursAgo hoursFromNow hoursSince hoursUntil is isAfter isApril isAugust isBefore isBetween isDecember isFebruary isFriday isFuture isJanuary isJuly isJune isLastMonth isLastWeek isLastYear isLeapYear isMarch isMay isMonday isNextMonth isNextWeek isNextYear isNovember isOctober isPast isSaturday isSeptember isSunday isThisMonth isThisWeek isThisYear isThursday isToday isTomorrow isTuesday isUTC isValid isWednesday isWeekday isWeekend isYesterday iso long millisecondsAgo millisecondsFromNow millisecondsSince millisecondsUntil minutesAgo minutesFromNow minutesSince minutesUntil monthsAgo monthsFromNow monthsSince monthsUntil relative reset rewind secondsAgo secondsFromNow secondsSince secondsUntil set setISOWeek setWeekday short utc weeksAgo weeksFromNow weeksSince weeksUntil yearsAgo yearsFromNow yearsSince yearsUntil',
        'Function': 'SugarMethods extend sugarRestore sugarRevert',
        'Function.prototype': 'after cancel debounce delay every fill lazy once throttle',
        'RegExp': 'SugarMethods escape extend sugarRestore sugarRevert',
        'RegExp.prototype': 'addFlag getFlags removeFlag setFlags'
    };
    var sugarLoaded = false;
    function sugarTarget(label) {
        var parts = label.split('.');
        return parts.length === 1 ? global[parts[0]] : global[parts[0]].prototype;
    }
    function loadSugar() {
        if (sugarLoaded) { return; }
        sugarLoaded = true;
        Object.keys(SUGAR_NAMES).forEach(function (label) {
            var target = sugarTarget(label);
            SUGAR_NAMES[label].split(' ').forEach(function (name) { delete target[name]; });
        });
        require('sugar');
    }
    Object.keys(SUGAR_NAMES).forEach(function (label) {
        var target = sugarTarget(label);
        SUGAR_NAMES[label].split(' ').forEach(function (name) {
            if (Object.prototype.hasOwnProperty.call(target, name)) { return; }
            Object.defineProperty(target, name, {
                configurable: true,
                enumerable: false,
                get: function () { loadSugar(); return this[name]; },
                set: function (value) { loadSugar(); this[name] = value; }
            });
        });
    });

    // ---------------------------------------------------------------- event loop

    var rejections = [];
    var currentFile = '';
    var rt = {
        // For the test that keeps SUGAR_NAMES true.
        sugarNames: function () { return SUGAR_NAMES; },
        loadSugar: loadSugar,
        // Before each script: nothing of the previous one may fire in it.
        reset: function (file) {
            currentFile = String(file);
            timers.clear();
            requests.length = 0;
            callbacks.clear();
            rejections.length = 0;
        },
        // Milliseconds until the next timer is due, or -1 when none is set.
        nextDelay: function () {
            var next = nextTimer();
            return next ? Math.max(0, next.t.due - Date.now()) : -1;
        },
        // Fires the earliest timer if it is due.
        fireDue: function () {
            var next = nextTimer();
            if (!next || next.t.due > Date.now()) { return false; }
            if (next.t.every) {
                next.t.due = Date.now() + next.t.every;
                next.t.seq = timerSeq++;
            } else {
                timers.delete(next.id);
            }
            next.t.fn.apply(global, next.t.args);
            return true;
        },
        // JSON of the queued requests as [[id, requestJson], ...], emptying the queue.
        takeRequests: function () {
            var out = stringify(requests);
            requests.length = 0;
            return out;
        },
        deliver: function (id, error, responseJson) {
            var callback = callbacks.get(id);
            callbacks.delete(id);
            if (callback) { callback(error == null ? null : error, responseJson == null ? null : responseJson); }
        },
        // Called by the engine's promise rejection tracker.
        rejection: function (promise, reason, handled) {
            if (handled) {
                rejections = rejections.filter(function (r) { return r[0] !== promise; });
            } else {
                rejections.push([promise, reason]);
            }
        },
        takeRejection: function () {
            var next = rejections.shift();
            return next ? { reason: next[1] } : undefined;
        },
        hasRejection: function () { return rejections.length > 0; },
        format: function (value) { return wellFormed(inspect(value, 0, [], false)); }
    };
    Object.defineProperty(global, '__rt', { value: Object.freeze(rt), enumerable: false, writable: false, configurable: false });
}(globalThis, __host));
