// postie's `pm` API: Postman's script API over the JSON state the engine
// hands in (src/script/state.rs), plus the legacy globals older collections
// use. Evaluated once per JS context after runtime.js; the engine drives it
// through `__pm.begin/startScript/finishScript/end` (see the contract in
// src/script/engine.rs). The shapes and messages follow postman-sandbox,
// postman-collection and chai-postman, written anew for this engine.
(function (global) {
    'use strict';

    var host = global.__host;
    // Taken now: a script that replaces JSON's functions must not break
    // what the engine reads back.
    var jsonStringify = JSON.stringify.bind(JSON);
    var jsonParse = JSON.parse.bind(JSON);
    var hasOwn = function (obj, key) { return Object.prototype.hasOwnProperty.call(obj, key); };
    var isObject = function (v) { return v !== null && typeof v === 'object'; };
    var isPlainObject = function (v) {
        if (!isObject(v)) { return false; }
        var proto = Object.getPrototypeOf(v);
        return proto === Object.prototype || proto === null;
    };

    function hidden(obj, name, value) {
        Object.defineProperty(obj, name, { value: value, writable: true, configurable: true, enumerable: false });
    }

    // ================================================================ templates

    // `{{name}}` as postie's resolver reads it (src/vars/template.rs): no
    // braces or newline inside, surrounding spaces trimmed.
    var VAR_RE = /\{\{([^{}\n]*?)\}\}/g;
    // Postman substitutes again while a pass replaced something, this often.
    var SUBSTITUTION_PASSES = 19;

    // The text `{{name}}` becomes, as the request resolver writes it
    // (state.rs `value_text`): a string as is, null empty, others as JSON.
    function valueText(value) {
        if (typeof value === 'string') { return value; }
        if (value === null) { return ''; }
        if (typeof value === 'number' || typeof value === 'boolean') { return String(value); }
        try {
            var json = jsonStringify(value);
            return json === undefined ? String(value) : json;
        } catch (e) {
            return String(value);
        }
    }

    // Replaces references in a string; `lookup(name)` gives the text or
    // undefined, and an unknown reference stays as written (Postman).
    function substitute(template, lookup) {
        var out = template;
        for (var pass = 0; pass < SUBSTITUTION_PASSES; pass++) {
            var replaced = false;
            out = out.replace(VAR_RE, function (match, raw) {
                var name = raw.trim();
                if (!name) { return match; }
                var text = lookup(name);
                if (text === undefined) { return match; }
                replaced = true;
                return text;
            });
            if (!replaced) { break; }
        }
        return out;
    }

    function dynamicValue(name) {
        if (name.charAt(0) !== '$' || !host || typeof host.dynamic !== 'function') { return undefined; }
        var value = host.dynamic(name);
        return value === undefined || value === null ? undefined : String(value);
    }

    // Strings anywhere inside `template` (objects and arrays walked, as
    // Postman's replaceIn does for objects).
    function replaceDeep(template, lookup) {
        if (typeof template === 'string') { return substitute(template, lookup); }
        if (Array.isArray(template)) { return template.map(function (v) { return replaceDeep(v, lookup); }); }
        if (isPlainObject(template)) {
            var out = {};
            Object.keys(template).forEach(function (k) { out[k] = replaceDeep(template[k], lookup); });
            return out;
        }
        return template;
    }

    // ================================================================ variables

    // One of Postman's variable scopes. `layers` are the scopes read after
    // this one (pm.variables reads local, then data, environment, collection,
    // globals). Values keep their JS type.
    function VariableScope(values, layers, options) {
        hidden(this, '_values', new Map());
        hidden(this, '_layers', layers || []);
        hidden(this, '_readOnly', Boolean(options && options.readOnly));
        var self = this;
        Object.keys(values || {}).forEach(function (k) { self._values.set(k, values[k]); });
        // Postman's `scope.values` list (`.each`, `.map`, `.toObject`), a
        // snapshot; enumerable so console.log(pm.environment) shows them.
        Object.defineProperty(this, 'values', {
            enumerable: true,
            configurable: true,
            get: function () {
                var list = [];
                self._values.forEach(function (v, k) { list.push({ key: k, value: v, type: typeOfVariable(v) }); });
                return new PropertyList(Variable, self, list);
            }
        });
    }

    var VARIABLE_TYPES = {
        string: String,
        number: Number,
        boolean: Boolean,
        any: function (v) { return v; }
    };

    VariableScope.prototype = {
        constructor: VariableScope,
        _find: function (key) {
            key = String(key);
            if (this._values.has(key)) { return { value: this._values.get(key) }; }
            for (var i = 0; i < this._layers.length; i++) {
                if (this._layers[i]._values.has(key)) { return { value: this._layers[i]._values.get(key) }; }
            }
            return undefined;
        },
        get: function (key) {
            var hit = this._find(key);
            return hit ? hit.value : undefined;
        },
        has: function (key) {
            return this._find(key) !== undefined;
        },
        set: function (key, value, type) {
            if (typeof type === 'string' && VARIABLE_TYPES[type.toLowerCase()]) {
                value = VARIABLE_TYPES[type.toLowerCase()](value);
            }
            this._values.set(String(key), value);
        },
        unset: function (key) {
            this._values.delete(String(key));
        },
        clear: function () {
            this._values.clear();
        },
        toObject: function () {
            var out = {};
            for (var i = this._layers.length - 1; i >= 0; i--) {
                this._layers[i]._values.forEach(function (v, k) { out[k] = v; });
            }
            this._values.forEach(function (v, k) { out[k] = v; });
            return out;
        },
        toJSON: function () {
            var values = [];
            this._values.forEach(function (v, k) { values.push({ key: k, value: v, type: typeOfVariable(v) }); });
            return { values: values };
        },
        replaceIn: function (template) {
            var self = this;
            return replaceDeep(template, function (name) {
                var hit = self._find(name);
                if (hit && hit.value !== undefined) { return valueText(hit.value); }
                return dynamicValue(name);
            });
        },
        // What end() writes back to the state.
        _export: function () {
            var out = {};
            this._values.forEach(function (v, k) {
                var json = toJsonValue(v);
                if (json !== undefined) { out[k] = json; }
            });
            return out;
        }
    };

    function typeOfVariable(v) {
        if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') { return typeof v; }
        return 'any';
    }

    // A value as JSON can carry it: undefined stays out, a value JSON cannot
    // hold (a cycle, a BigInt) becomes its string.
    function toJsonValue(v) {
        if (v === undefined || typeof v === 'function' || typeof v === 'symbol') { return undefined; }
        try {
            var text = jsonStringify(v);
            return text === undefined ? undefined : jsonParse(text);
        } catch (e) {
            return String(v);
        }
    }

    // ================================================================ lists

    // Postman's PropertyList: an ordered list of members indexed by one key
    // (`key` for headers and params, `name` for cookies). Lists that allow
    // several members per key answer `one/get` with the last of them.
    function PropertyList(Type, parent, items) {
        hidden(this, 'Type', Type);
        hidden(this, '__parent', parent);
        // Enumerable, so console.log(list) shows what is in it.
        this.members = [];
        hidden(this, '_indexKey', Type.indexKey || 'key');
        hidden(this, '_caseInsensitive', Boolean(Type.caseInsensitive));
        if (items !== undefined && items !== null) { this.populate(items); }
    }

    // lodash's iteratee shorthands, as PropertyList#filter/find accept them.
    function iteratee(rule) {
        if (typeof rule === 'function') { return rule; }
        if (Array.isArray(rule)) { return function (item) { return item && item[rule[0]] === rule[1]; }; }
        if (isObject(rule)) {
            return function (item) {
                return Boolean(item) && Object.keys(rule).every(function (k) { return item[k] === rule[k]; });
            };
        }
        if (typeof rule === 'string') { return function (item) { return Boolean(item && item[rule]); }; }
        return function () { return false; };
    }

    PropertyList.prototype = {
        constructor: PropertyList,
        _keyOf: function (item) {
            var key = item && item[this._indexKey];
            if (key === undefined || key === null || key === '') { return undefined; }
            key = String(key);
            return this._caseInsensitive ? key.toLowerCase() : key;
        },
        _norm: function (key) {
            key = String(key);
            return this._caseInsensitive ? key.toLowerCase() : key;
        },
        _make: function (args) {
            var item = args[0];
            if (item instanceof this.Type) { return item; }
            if (typeof this.Type.create === 'function') { return this.Type.create.apply(this.Type, args); }
            return new this.Type(item);
        },
        insert: function (item, before) {
            if (!isObject(item)) { return; }
            var at = this.members.indexOf(item);
            if (at > -1) { this.members.splice(at, 1); }
            var beforeAt = before === undefined ? -1 : this.indexOf(before);
            if (beforeAt > -1) { this.members.splice(beforeAt, 0, item); } else { this.members.push(item); }
        },
        insertAfter: function (item, after) {
            var at = this.indexOf(after);
            return this.insert(item, at > -1 ? this.members[at + 1] : undefined);
        },
        append: function (item) { return this.insert(item); },
        prepend: function (item) { return this.insert(item, this.members[0]); },
        add: function (item) {
            if (item === null || item === undefined || (typeof item === 'number' && isNaN(item))) { return; }
            this.insert(this._make(arguments));
        },
        upsert: function (item) {
            if (item === null || item === undefined) { return null; }
            var existing = isObject(item) ? this.one(item[this._indexKey]) : undefined;
            if (existing) {
                existing.update(item);
                return false;
            }
            this.add(item);
            return true;
        },
        remove: function (predicate, context) {
            var self = this;
            var test;
            if (typeof predicate === 'string') {
                var wanted = this._norm(predicate);
                test = function (item) { return self._keyOf(item) === wanted; };
            } else if (predicate instanceof this.Type) {
                test = function (item) { return item === predicate; };
            } else if (typeof predicate === 'function') {
                test = function (item, i, all) { return predicate.call(context || self, item, i, all); };
            } else {
                return;
            }
            var kept = [];
            var all = this.members.slice();
            all.forEach(function (item, i) { if (!test(item, i, all)) { kept.push(item); } });
            this.members.length = 0;
            Array.prototype.push.apply(this.members, kept);
        },
        clear: function () { this.members.length = 0; },
        populate: function (items) {
            var self = this;
            if (typeof items === 'string' && typeof this.Type.parse === 'function') { items = this.Type.parse(items); }
            if (Array.isArray(items)) {
                items.forEach(function (item) { self.add(item); });
            } else if (isPlainObject(items) && typeof this.Type.create === 'function' && !hasOwn(items, this._indexKey)) {
                // `{ "Content-Type": "text/plain" }`: value first, then key.
                Object.keys(items).forEach(function (k) { self.add(items[k], k); });
            } else {
                this.add(items);
            }
        },
        repopulate: function (items) {
            this.clear();
            this.populate(items);
        },
        assimilate: function (source, prune) {
            var self = this;
            var members = source instanceof PropertyList ? source.members : source;
            if (!Array.isArray(members)) { return; }
            var seen = {};
            members.forEach(function (item) {
                if (!(item && hasOwn(item, self._indexKey))) { return; }
                self.upsert(item);
                seen[self._keyOf(item)] = true;
            });
            if (prune) { this.remove(function (item) { return !seen[self._keyOf(item)]; }); }
        },
        all: function () { return this.members.slice(); },
        one: function (key) {
            if (key === undefined || key === null) { return undefined; }
            var wanted = this._norm(key);
            for (var i = this.members.length - 1; i >= 0; i--) {
                if (this._keyOf(this.members[i]) === wanted) { return this.members[i]; }
            }
            return undefined;
        },
        get: function (key) {
            var member = this.one(key);
            return member ? member.valueOf() : undefined;
        },
        idx: function (index) { return this.members[index]; },
        indexOf: function (item) {
            return this.members.indexOf(typeof item === 'string' ? this.one(item) : item);
        },
        has: function (item, value) {
            var self = this;
            var matches;
            if (typeof item === 'string') {
                var wanted = this._norm(item);
                matches = this.members.filter(function (m) { return self._keyOf(m) === wanted; });
            } else {
                matches = this.members.filter(function (m) { return m === item; });
            }
            if (arguments.length < 2) { return matches.length > 0; }
            return matches.some(function (m) { return m.valueOf() === value; });
        },
        each: function (fn, context) {
            var all = this.members.slice();
            for (var i = 0; i < all.length; i++) {
                if (fn.call(context || this.__parent, all[i], i, all) === false) { break; }
            }
        },
        filter: function (rule, context) {
            var test = iteratee(rule);
            return this.members.filter(function (m, i, all) { return test.call(context, m, i, all); });
        },
        find: function (rule, context) {
            var test = iteratee(rule);
            return this.members.find(function (m, i, all) { return test.call(context, m, i, all); });
        },
        map: function (fn, context) {
            var f = typeof fn === 'function' ? fn : function (m) { return m && m[fn]; };
            return this.members.map(function (m, i, all) { return f.call(context || this, m, i, all); }, this);
        },
        reduce: function (fn, acc, context) {
            return this.members.reduce(function (a, m, i, all) { return fn.call(context || this, a, m, i, all); }.bind(this), acc);
        },
        count: function () { return this.members.length; },
        // Keys lowercased in case-insensitive lists (headers), several values
        // for one key as an array where the list allows them: as Postman.
        toObject: function (excludeDisabled, caseSensitive, multiValue) {
            var out = {};
            var key = this._indexKey;
            var sensitive = !this._caseInsensitive || caseSensitive;
            var multi = this.Type.multiValue || multiValue;
            this.members.forEach(function (m) {
                if (!m || !hasOwn(m, key) || (excludeDisabled && m.disabled)) { return; }
                var prop = sensitive ? m[key] : String(m[key]).toLowerCase();
                if (multi && hasOwn(out, prop)) {
                    if (!Array.isArray(out[prop])) { out[prop] = [out[prop]]; }
                    out[prop].push(m.valueOf());
                } else {
                    out[prop] = m.valueOf();
                }
            });
            return out;
        },
        toString: function () {
            if (typeof this.Type.unparse === 'function') { return this.Type.unparse(this.members); }
            return '[object PropertyList]';
        },
        toJSON: function () {
            return this.members.map(function (m) { return typeof m.toJSON === 'function' ? m.toJSON() : m; });
        }
    };
    if (typeof Symbol === 'function' && Symbol.iterator) {
        PropertyList.prototype[Symbol.iterator] = function () { return this.members.slice()[Symbol.iterator](); };
    }

    function plainFields(obj, fields) {
        var out = {};
        fields.forEach(function (f) { if (obj[f] !== undefined) { out[f] = obj[f]; } });
        return out;
    }

    // ---------------------------------------------------------------- Header

    function Header(options, name) {
        if (typeof options === 'string') {
            options = typeof name === 'string' ? { key: name, value: options } : Header.parseSingle(options);
        }
        this.update(options);
    }
    Header.indexKey = 'key';
    Header.caseInsensitive = true;
    Header.multiValue = true;
    Header.create = function (options, name) { return new Header(options, name); };
    Header.parseSingle = function (text) {
        if (typeof text !== 'string') { return { key: '', value: '' }; }
        var at = text.indexOf(':');
        if (at < 0) { at = text.length; }
        return { key: text.slice(0, at).trim(), value: text.slice(at + 1).trim() };
    };
    Header.parse = function (text) {
        return String(text).replace(/\r\n([ \t])/g, '$1').split(/\r?\n/)
            .filter(function (line) { return /^\S+:/.test(line); })
            .map(Header.parseSingle);
    };
    Header.unparse = function (headers, separator) {
        separator = separator === undefined ? '\r\n' : separator;
        return (headers || []).reduce(function (acc, h) {
            return h && !h.disabled ? acc + h.key + ': ' + h.value + separator : acc;
        }, '');
    };
    Header.isHeader = function (obj) { return obj instanceof Header; };
    Header.prototype = {
        constructor: Header,
        update: function (options) {
            this.key = (options && options.key) || '';
            this.value = options && options.value !== undefined ? options.value : '';
            if (options && hasOwn(options, 'disabled')) { this.disabled = options.disabled; }
            if (options && hasOwn(options, 'system')) { this.system = options.system; }
        },
        toString: function () { return this.key + ': ' + this.value; },
        valueOf: function () { return this.value; },
        toJSON: function () { return plainFields(this, ['key', 'value', 'disabled']); }
    };

    // ---------------------------------------------------------------- QueryParam

    // `&`, `#` (and `=` in keys) percent-encoded outside `{{variables}}`.
    function encodeQueryPart(text, isKey) {
        if (typeof text !== 'string' || !text) { return text; }
        var encode = function (s) {
            s = s.replace(/&/g, '%26').replace(/#/g, '%23');
            return isKey ? s.replace(/=/g, '%3D') : s;
        };
        var out = '';
        var last = 0;
        text.replace(/\{\{[^{}]*?\}\}/g, function (match, offset) {
            out += encode(text.slice(last, offset)) + match;
            last = offset + match.length;
            return match;
        });
        return out + encode(text.slice(last));
    }

    function QueryParam(options) {
        this.update(options);
    }
    QueryParam.indexKey = 'key';
    QueryParam.multiValue = true;
    QueryParam.parseSingle = function (param, index, all) {
        if (param === '' && typeof index === 'number' && Array.isArray(all) && index !== all.length - 1) {
            return { key: null, value: null };
        }
        var at = typeof param === 'string' ? param.indexOf('=') : -1;
        if (at < 0) { return { key: String(param), value: null }; }
        return { key: param.slice(0, at), value: param.slice(at + 1) };
    };
    QueryParam.parse = function (query) {
        return typeof query === 'string' ? query.split('&').map(QueryParam.parseSingle) : [];
    };
    QueryParam.unparseSingle = function (param) {
        if (!param) { return ''; }
        var out = typeof param.key === 'string' ? encodeQueryPart(param.key, true) : '';
        if (typeof param.value === 'string') { out += '=' + encodeQueryPart(param.value, false); }
        return out;
    };
    QueryParam.unparse = function (params) {
        if (!params) { return ''; }
        if (!Array.isArray(params) && !(params instanceof PropertyList)) {
            return Object.keys(params).map(function (k) { return QueryParam.unparseSingle({ key: k, value: params[k] }); }).join('&');
        }
        var list = params instanceof PropertyList ? params.all() : params;
        return list.filter(function (p) { return p && p.disabled !== true; }).map(QueryParam.unparseSingle).join('&');
    };
    QueryParam.prototype = {
        constructor: QueryParam,
        update: function (param) {
            var parsed = typeof param === 'string' ? QueryParam.parseSingle(param) : param;
            this.key = parsed ? parsed.key : undefined;
            this.value = parsed ? parsed.value : undefined;
            if (this.value !== undefined && this.value !== null && typeof this.value !== 'string') {
                this.value = String(this.value);
            }
            if (isObject(param) && hasOwn(param, 'disabled')) { this.disabled = param.disabled; }
        },
        toString: function () { return QueryParam.unparseSingle(this); },
        valueOf: function () { return typeof this.value === 'string' ? this.value : ''; },
        toJSON: function () { return plainFields(this, ['key', 'value', 'disabled']); }
    };

    // ---------------------------------------------------------------- FormParam

    function FormParam(options) {
        this.update(options);
    }
    FormParam.indexKey = 'key';
    FormParam.multiValue = true;
    FormParam.prototype = {
        constructor: FormParam,
        update: function (options) {
            options = options || {};
            this.key = options.key === undefined ? '' : options.key;
            this.value = options.value === undefined ? '' : options.value;
            ['type', 'src', 'contentType', 'disabled'].forEach(function (f) {
                if (hasOwn(options, f)) { this[f] = options[f]; }
            }, this);
        },
        toString: function () { return this.key + '=' + this.value; },
        valueOf: function () { return this.value; },
        toJSON: function () { return plainFields(this, ['key', 'value', 'type', 'src', 'contentType', 'disabled']); }
    };

    // ---------------------------------------------------------------- Variable (auth, path)

    function Variable(options) {
        this.update(options);
    }
    Variable.indexKey = 'key';
    Variable.create = function (value, key) {
        return new Variable(typeof key === 'string' ? { key: key, value: value } : value);
    };
    Variable.prototype = {
        constructor: Variable,
        update: function (options) {
            options = options || {};
            if (hasOwn(options, 'key')) { this.key = options.key; }
            if (hasOwn(options, 'id') && this.key === undefined) { this.key = options.id; }
            if (hasOwn(options, 'value')) { this.value = options.value; }
            if (hasOwn(options, 'type')) { this.type = options.type; }
            if (hasOwn(options, 'disabled')) { this.disabled = options.disabled; }
        },
        valueOf: function () { return this.value; },
        toString: function () { return this.value === null ? 'null' : this.value === undefined ? '' : String(this.value); },
        toJSON: function () { return plainFields(this, ['key', 'value', 'type', 'disabled']); }
    };

    // ---------------------------------------------------------------- Cookie

    function Cookie(options) {
        this.update(options);
    }
    Cookie.indexKey = 'name';
    Cookie.parse = function (text) {
        var parts = String(text).split(';');
        var first = parts.shift();
        var at = first.indexOf('=');
        var cookie = { name: (at < 0 ? '' : first.slice(0, at)).trim(), value: (at < 0 ? first : first.slice(at + 1)).trim() };
        parts.forEach(function (part) {
            var eq = part.indexOf('=');
            var k = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
            var v = eq < 0 ? true : part.slice(eq + 1).trim();
            if (k === 'domain') { cookie.domain = String(v).replace(/^\./, ''); }
            else if (k === 'path') { cookie.path = v; }
            else if (k === 'expires') { cookie.expires = v; }
            else if (k === 'max-age') { cookie.maxAge = Number(v); }
            else if (k === 'secure') { cookie.secure = true; }
            else if (k === 'httponly') { cookie.httpOnly = true; }
        });
        return cookie;
    };
    Cookie.prototype = {
        constructor: Cookie,
        update: function (options) {
            options = typeof options === 'string' ? Cookie.parse(options) : (options || {});
            this.name = options.name !== undefined ? options.name : options.key;
            this.value = options.value === undefined ? '' : options.value;
            ['domain', 'path', 'expires', 'maxAge', 'secure', 'httpOnly', 'hostOnly', 'session'].forEach(function (f) {
                if (options[f] !== undefined && options[f] !== null) { this[f] = options[f]; }
            }, this);
        },
        valueOf: function () { return this.value; },
        toString: function () {
            var out = this.name + '=' + this.value;
            if (this.domain) { out += '; Domain=' + this.domain; }
            if (this.path) { out += '; Path=' + this.path; }
            if (this.expires) { out += '; Expires=' + this.expires; }
            if (this.secure) { out += '; Secure'; }
            if (this.httpOnly) { out += '; HttpOnly'; }
            return out;
        },
        toJSON: function () {
            return plainFields(this, ['name', 'value', 'domain', 'path', 'expires', 'maxAge', 'secure', 'httpOnly', 'hostOnly']);
        }
    };

    function cookieFromState(c) {
        return new Cookie({
            name: c.name, value: c.value, domain: c.domain, path: c.path, expires: c.expires,
            httpOnly: Boolean(c.httpOnly), secure: Boolean(c.secure)
        });
    }

    function cookieToState(c) {
        var out = { name: String(c.name), value: c.value === undefined || c.value === null ? '' : String(c.value) };
        if (c.domain) { out.domain = String(c.domain); }
        if (c.path) { out.path = String(c.path); }
        if (c.expires) { out.expires = c.expires instanceof Date ? c.expires.toUTCString() : String(c.expires); }
        if (c.httpOnly) { out.httpOnly = true; }
        if (c.secure) { out.secure = true; }
        return out;
    }

    // ================================================================ Url

    // Postman's lenient URL parsing (postman-url-encoder): `{{vars}}` may sit
    // anywhere, the protocol is optional, nothing is decoded.
    function parseUrl(text) {
        var out = {};
        if (typeof text !== 'string' || !text) { return out; }
        text = text.replace(/^\s+/, '');
        // Variables hide behind placeholders so their `.`, `/`, `:` or `?`
        // never split anything.
        var saved = [];
        var masked = text.replace(/\{\{[^{}]*\}\}/g, function (m) { saved.push(m); return '\uE000' + (saved.length - 1) + '\uE001'; });
        var unmask = function (s) {
            return typeof s === 'string' ? s.replace(/\uE000(\d+)\uE001/g, function (m, i) { return saved[Number(i)]; }) : s;
        };
        var rest = masked;
        var at = rest.indexOf('#');
        if (at !== -1) { out.hash = rest.slice(at + 1); rest = rest.slice(0, at); }
        at = rest.indexOf('?');
        if (at !== -1) { out.query = rest.slice(at + 1).split('&'); rest = rest.slice(0, at); }
        rest = rest.replace(/\\/g, '/');
        at = rest.indexOf('://');
        if (at !== -1) {
            out.protocol = rest.slice(0, at);
            rest = rest.slice(at + 3);
            rest = rest.replace(/^\/+/, out.protocol.toLowerCase() === 'file' ? '/' : '');
        }
        at = rest.indexOf('/');
        if (at !== -1) { out.path = rest.slice(at + 1).split('/'); rest = rest.slice(0, at); }
        at = rest.lastIndexOf('@');
        if (at !== -1) {
            var auth = rest.slice(0, at);
            rest = rest.slice(at + 1);
            var colon = auth.indexOf(':');
            out.auth = colon === -1 ? { user: unmask(auth) } : { user: unmask(auth.slice(0, colon)), password: unmask(auth.slice(colon + 1)) };
        }
        at = rest.lastIndexOf(':');
        if (at !== -1 && rest.slice(at + 1).indexOf(']') === -1) {
            out.port = unmask(rest.slice(at + 1));
            rest = rest.slice(0, at);
        }
        if (rest) { out.host = rest.split('.').map(unmask); }
        out.protocol = unmask(out.protocol);
        out.hash = unmask(out.hash);
        if (out.path) { out.path = out.path.map(unmask); }
        if (out.query) { out.query = out.query.map(unmask).map(QueryParam.parseSingle); }
        return out;
    }

    function Url(options) {
        this.update(options);
    }
    Url.parse = parseUrl;
    Url.isUrl = function (obj) { return obj instanceof Url; };
    Url.prototype = {
        constructor: Url,
        update: function (url) {
            if (!url) { url = ''; }
            var parsed = typeof url === 'string' ? parseUrl(url) : url;
            // Postman's URL JSON with only `raw` (as collections store it).
            if (isObject(url) && typeof url.raw === 'string' && !url.host && !url.path) { parsed = parseUrl(url.raw); }
            var query = parsed.query;
            if (typeof query === 'string') { query = QueryParam.parse(query); }
            if (query && !Array.isArray(query) && !(query instanceof PropertyList) && isObject(query)) {
                query = Object.keys(query).map(function (k) { return { key: k, value: query[k] }; });
            }
            if (query instanceof PropertyList) { query = query.all().map(function (p) { return p.toJSON(); }); }
            var path = parsed.path;
            if (typeof path === 'string') {
                path = path.replace(/^\/(.+)$/, '$1');
                path = path ? (path === '/' ? [''] : path.split('/')) : undefined;
            }
            var host = parsed.host;
            if (typeof host === 'string') { host = host.split(/\.(?![^{]*\}{2})/); }
            var variables = parsed.variable || parsed.variables;
            if (variables instanceof PropertyList) { variables = variables.all().map(function (v) { return v.toJSON(); }); }
            this.auth = parsed.auth;
            this.protocol = parsed.protocol;
            this.port = parsed.port;
            this.path = path;
            this.hash = parsed.hash;
            this.host = host;
            this.query = new PropertyList(QueryParam, this, query || []);
            this.variables = new PropertyList(Variable, this, Array.isArray(variables) ? variables : []);
        },
        addQueryParams: function (params) {
            this.query.populate(typeof params === 'string' ? QueryParam.parse(params) : params);
        },
        removeQueryParams: function (params) {
            var keys = Array.isArray(params) ? params.map(function (p) { return p && p.key ? p.key : p; }) : [params];
            this.query.remove(function (p) { return keys.indexOf(p.key) !== -1; });
        },
        getHost: function () {
            if (!this.host) { return ''; }
            return Array.isArray(this.host) ? this.host.join('.') : String(this.host);
        },
        getPath: function (unresolved) {
            var path = Array.isArray(this.path) ? this.path : (this.path ? String(this.path).replace(/^\//, '').split('/') : []);
            if (unresolved) { return '/' + path.join('/'); }
            var vars = this.variables;
            return '/' + path.map(function (segment) {
                segment = String(segment);
                if (segment.charAt(0) !== ':') { return segment; }
                var dot = segment.indexOf('.');
                var name = segment.slice(1, dot === -1 ? undefined : dot);
                var value = name && vars ? vars.get(name) : undefined;
                return value && typeof value === 'string' ? value + segment.slice(name.length + 1) : segment;
            }).join('/');
        },
        getQueryString: function () {
            return this.query.count() ? QueryParam.unparse(this.query.all()) : '';
        },
        getPathWithQuery: function () {
            var query = this.getQueryString();
            return this.getPath() + (query ? '?' + query : '');
        },
        getRemote: function (forcePort) {
            var host = this.getHost();
            var port = this.port && String(this.port);
            if (forcePort && !port) { port = this.protocol === 'https' ? '443' : '80'; }
            return port ? host + ':' + port : host;
        },
        getOAuth1BaseUrl: function () {
            var protocol = (this.protocol || 'http').replace(/:\/\/$/, '') + '://';
            var port = this.port ? String(this.port) : undefined;
            var host = this.getHost() + (port && port !== '80' && port !== '443' ? ':' + port : '');
            return protocol.toLowerCase() + host.toLowerCase() + this.getPath();
        },
        toString: function (forceProtocol) {
            var out = '';
            var protocol = this.protocol;
            if (forceProtocol && !protocol) { protocol = 'http'; }
            if (protocol) { out += /:\/\/$/.test(protocol) ? protocol : protocol + '://'; }
            if (this.auth) {
                var auth;
                if (typeof this.auth.user === 'string') { auth = this.auth.user; }
                if (typeof this.auth.password === 'string') { auth = (auth || '') + ':' + this.auth.password; }
                if (typeof auth === 'string') { out += auth + '@'; }
            }
            if (this.host) { out += this.getHost(); }
            if (this.port !== undefined && this.port !== null && String(this.port) !== '') { out += ':' + this.port; }
            if (this.path) { out += this.getPath(); }
            if (this.query && this.query.count()) {
                var query = this.getQueryString();
                if (query !== '' || this.query.find(function (p) { return !(p && p.disabled); })) { out += '?' + query; }
            }
            if (typeof this.hash === 'string') { out += '#' + this.hash; }
            return out;
        },
        toJSON: function () {
            var out = { raw: this.toString() };
            if (this.protocol) { out.protocol = this.protocol; }
            if (this.host) { out.host = this.host.slice ? this.host.slice() : this.host; }
            if (this.port) { out.port = this.port; }
            if (this.path) { out.path = this.path.slice ? this.path.slice() : this.path; }
            if (this.query.count()) { out.query = this.query.toJSON(); }
            if (this.hash !== undefined) { out.hash = this.hash; }
            if (this.variables.count()) { out.variable = this.variables.toJSON(); }
            return out;
        }
    };

    // ================================================================ Request

    var BODY_MODES = ['raw', 'urlencoded', 'formdata', 'file', 'graphql'];

    function RequestBody(options) {
        if (options) { this.update(options); }
    }
    RequestBody.MODES = { raw: 'raw', urlencoded: 'urlencoded', formdata: 'formdata', file: 'file', graphql: 'graphql' };
    RequestBody.prototype = {
        constructor: RequestBody,
        update: function (options) {
            if (typeof options === 'string') { options = { mode: 'raw', raw: options }; }
            if (!options || !options.mode) { return; }
            var mode = String(options.mode).toLowerCase();
            if (BODY_MODES.indexOf(mode) === -1) { mode = 'raw'; }
            var urlencoded = options.urlencoded;
            if (urlencoded !== undefined && urlencoded !== null) {
                if (typeof urlencoded === 'string') { urlencoded = QueryParam.parse(urlencoded); }
                urlencoded = urlencoded instanceof PropertyList ? urlencoded : new PropertyList(QueryParam, this, urlencoded);
            }
            var formdata = options.formdata;
            if (formdata !== undefined && formdata !== null) {
                formdata = formdata instanceof PropertyList ? formdata : new PropertyList(FormParam, this, formdata);
            }
            var file = typeof options.file === 'string' ? { src: options.file } : options.file;
            var raw = options.raw;
            if (mode === 'raw' && (raw === undefined || raw === null)) { raw = ''; }
            if (mode === 'urlencoded' && !urlencoded) { urlencoded = new PropertyList(QueryParam, this, []); }
            if (mode === 'formdata' && !formdata) { formdata = new PropertyList(FormParam, this, []); }
            var graphql = options.graphql;
            if (mode === 'graphql' && !graphql) { graphql = {}; }
            this.mode = mode;
            this.raw = raw;
            this.urlencoded = urlencoded;
            this.formdata = formdata;
            this.file = file;
            this.graphql = graphql;
            this.options = isObject(options.options) ? options.options : undefined;
            this.disabled = options.disabled;
        },
        toString: function () {
            if (this.mode === 'urlencoded') {
                return this.urlencoded instanceof PropertyList ? QueryParam.unparse(this.urlencoded.all()) : String(this.urlencoded || '');
            }
            if (this.mode === 'raw') { return this.raw === undefined || this.raw === null ? '' : String(this.raw); }
            return '';
        },
        isEmpty: function () {
            var data = this.mode && this[this.mode];
            if (!data) { return true; }
            if (this.mode === 'file') { return !(data.src || data.content); }
            if (typeof data === 'string') { return data.length === 0; }
            if (data instanceof PropertyList) { return data.count() === 0; }
            return Object.keys(data).length === 0;
        },
        toJSON: function () {
            var out = {};
            var self = this;
            ['mode', 'raw', 'file', 'graphql', 'options', 'disabled'].forEach(function (f) { if (self[f] !== undefined) { out[f] = self[f]; } });
            if (this.urlencoded) { out.urlencoded = this.urlencoded.toJSON(); }
            if (this.formdata) { out.formdata = this.formdata.toJSON(); }
            return out;
        },
        // ScriptBody (state.rs), or null when there is no body.
        _export: function () {
            if (!this.mode) { return null; }
            var out = { mode: this.mode };
            var params = function (list) {
                return list.all().filter(function (p) { return p && p.key !== null && p.key !== undefined; }).map(function (p) {
                    var param = { key: String(p.key), value: p.value === undefined || p.value === null ? '' : String(p.value) };
                    if (p.type) { param.type = String(p.type); }
                    if (p.src !== undefined && p.src !== null) { param.src = String(p.src); }
                    if (p.disabled) { param.disabled = true; }
                    return param;
                });
            };
            if (this.mode === 'raw') {
                out.raw = typeof this.raw === 'string' ? this.raw : (this.raw === undefined || this.raw === null ? '' : valueText(this.raw));
            }
            if (this.urlencoded instanceof PropertyList) { out.urlencoded = params(this.urlencoded); }
            if (this.formdata instanceof PropertyList) { out.formdata = params(this.formdata); }
            if (this.file !== undefined) { out.file = toJsonValue(this.file); }
            if (this.graphql !== undefined) { out.graphql = toJsonValue(this.graphql); }
            if (this.options !== undefined) { out.options = toJsonValue(this.options); }
            return out;
        }
    };

    // Postman's RequestAuth: `type`, and per type a list of {key, value, type}.
    function RequestAuth(options) {
        var self = this;
        if (!isObject(options)) { return; }
        Object.keys(options).forEach(function (k) {
            if (k !== 'type') { self.update(options[k], k); }
        });
        if (typeof options.type === 'string') { this.use(options.type); }
    }
    RequestAuth.prototype = {
        constructor: RequestAuth,
        _params: function (type) {
            if (!(this[type] instanceof PropertyList)) { this[type] = new PropertyList(Variable, this, []); }
            return this[type];
        },
        update: function (options, type) {
            type = type || this.type;
            if (!isObject(options) || typeof type !== 'string' || type === 'type') { return; }
            var params = this._params(type);
            if (Array.isArray(options) || options instanceof PropertyList) {
                params.assimilate(options);
            } else {
                Object.keys(options).forEach(function (k) { params.upsert({ key: k, value: options[k] }); });
            }
        },
        use: function (type, options) {
            if (typeof type !== 'string' || type === 'type') { return; }
            this.type = type;
            this._params(type);
            if (options) { this.update(options, type); }
        },
        parameters: function () { return this.type ? this._params(this.type) : undefined; },
        clear: function (type) {
            if (!(this[type] instanceof PropertyList)) { return; }
            this[type].clear();
            if (type !== this.type) { delete this[type]; }
        },
        toJSON: function () {
            var out = {};
            var self = this;
            if (this.type) { out.type = this.type; }
            Object.keys(this).forEach(function (k) {
                if (self[k] instanceof PropertyList) {
                    out[k] = self[k].all().map(function (v) {
                        var item = { key: v.key, value: toJsonValue(v.value) };
                        if (item.value === undefined) { item.value = null; }
                        item.type = v.type || 'string';
                        return item;
                    });
                }
            });
            return out;
        }
    };

    // Postman's Description: markdown or plain text; reads as its content.
    function Description(options) {
        if (typeof options === 'string' || options === undefined || options === null) {
            options = { content: options };
        }
        this.content = options.content === undefined || options.content === null ? '' : String(options.content);
        this.type = options.type || 'text/plain';
    }
    Description.isDescription = function (obj) { return obj instanceof Description; };
    Description.prototype = {
        constructor: Description,
        update: function (options) {
            var next = new Description(options);
            this.content = next.content;
            this.type = next.type;
        },
        toString: function () { return this.content; },
        toJSON: function () { return { content: this.content, type: this.type }; }
    };

    // Postman's Request: also what pm.sendRequest accepts as an object.
    function Request(options) {
        if (typeof options === 'string') { options = { url: options }; }
        options = options || {};
        var url = new Url();
        var body = new RequestBody();
        Object.defineProperty(this, 'url', {
            enumerable: true,
            configurable: true,
            get: function () { return url; },
            set: function (value) { url = value instanceof Url ? value : new Url(value); }
        });
        Object.defineProperty(this, 'body', {
            enumerable: true,
            configurable: true,
            get: function () { return body; },
            set: function (value) {
                if (value instanceof RequestBody) { body = value; return; }
                body = new RequestBody(value);
            }
        });
        this.headers = new PropertyList(Header, this, []);
        this.method = 'GET';
        this.update(options);
    }
    Request.isRequest = function (obj) { return obj instanceof Request; };
    Request.prototype = {
        constructor: Request,
        update: function (options) {
            if (!options) { return; }
            if (hasOwn(options, 'id')) { this.id = options.id; }
            if (hasOwn(options, 'name')) { this.name = options.name; }
            // An empty one is none, as in Postman.
            if (options.description) {
                this.description = options.description instanceof Description ? options.description
                    : new Description(options.description);
            }
            if (hasOwn(options, 'url')) { this.url = options.url; }
            var headers = options.header || options.headers;
            if (headers) { this.headers.repopulate(headers); }
            if (hasOwn(options, 'method')) {
                this.method = options.method === undefined || options.method === null ? 'GET' : String(options.method).toUpperCase();
            }
            if (options.body !== undefined && options.body !== null) { this.body = options.body; }
            if (options.auth) { this.auth = options.auth instanceof RequestAuth ? options.auth : new RequestAuth(options.auth); }
        },
        authorizeUsing: function (type, options) {
            if (isObject(type) && (options === undefined || options === null)) {
                options = Object.assign({}, type);
                type = options.type;
                delete options.type;
            }
            if (type === null) { delete this.auth; return; }
            if (typeof type !== 'string') { return; }
            if (!this.auth) { this.auth = new RequestAuth(); } else { this.auth.clear(type); }
            this.auth.use(type, options);
        },
        getHeaders: function (options) {
            options = options || {};
            return this.headers.toObject(options.enabled, !options.ignoreCase, options.multiValue);
        },
        forEachHeader: function (fn) {
            var self = this;
            this.headers.all().forEach(function (h) { fn(h, self); });
        },
        addHeader: function (header) { this.headers.add(header); },
        removeHeader: function (toRemove, options) {
            var name = typeof toRemove === 'string' ? toRemove : toRemove && toRemove.key;
            if (!name) { return; }
            var ignoreCase = options && options.ignoreCase;
            if (ignoreCase) { name = name.toLowerCase(); }
            this.headers.remove(function (h) { return (ignoreCase ? String(h.key).toLowerCase() : h.key) === name; });
        },
        upsertHeader: function (header) {
            if (!(header && header.key)) { return; }
            var existing = this.headers.find({ key: header.key });
            if (!existing) { return this.headers.add(header); }
            existing.value = header.value;
        },
        addQueryParams: function (params) { this.url.addQueryParams(params); },
        removeQueryParams: function (params) { this.url.removeQueryParams(params); },
        clone: function () { return new Request(this.toJSON()); },
        toJSON: function () {
            var out = { url: this.url.toString(), method: this.method };
            if (this.id !== undefined) { out.id = this.id; }
            if (this.name !== undefined) { out.name = this.name; }
            if (this.description !== undefined && this.description !== null) {
                out.description = this.description instanceof Description ? this.description.toJSON() : this.description;
            }
            if (this.headers.count()) { out.header = this.headers.toJSON(); }
            if (this.body && this.body.mode) { out.body = this.body.toJSON(); }
            if (this.auth) { out.auth = this.auth.toJSON(); }
            return out;
        },
        // ScriptRequest (state.rs).
        _export: function () {
            var method = this.method === undefined || this.method === null || this.method === '' ? 'GET' : String(this.method).toUpperCase();
            var url = this.url instanceof Url ? this.url.toString() : String(this.url);
            // An untouched URL goes back byte for byte, even where parsing
            // normalised it (leading spaces, backslashes).
            if (this._stored && url === this._stored.rendered) { url = this._stored.text; }
            var headers = this.headers instanceof PropertyList ? this.headers.all() : [];
            var body = this.body instanceof RequestBody ? this.body._export() : null;
            var auth = this.auth instanceof RequestAuth ? this.auth.toJSON()
                : (isObject(this.auth) ? toJsonValue(this.auth) : null);
            // Likewise an untouched body or auth: what came in goes out.
            if (this._stored && jsonStringify(body) === this._stored.body) { body = this._stored.bodyJson; }
            if (this._stored && jsonStringify(auth) === this._stored.auth) { auth = this._stored.authJson; }
            return {
                id: this.id === undefined || this.id === null ? '' : String(this.id),
                name: this.name === undefined || this.name === null ? '' : String(this.name),
                description: this.description === undefined || this.description === null ? null : String(this.description),
                method: method,
                url: url,
                headers: headers.filter(function (h) { return h && h.key; }).map(function (h) {
                    var header = { key: String(h.key), value: h.value === undefined || h.value === null ? '' : String(h.value) };
                    if (h.disabled) { header.disabled = true; }
                    return header;
                }),
                body: body,
                auth: auth && (auth.type || Object.keys(auth).length) ? auth : null
            };
        }
    };
    Object.defineProperty(Request.prototype, 'to', {
        configurable: true,
        get: function () { return chai().expect(this).to; }
    });

    function requestFromState(r) {
        r = r || {};
        var req = new Request({
            id: r.id,
            name: r.name,
            description: r.description,
            method: r.method,
            url: r.url,
            header: (r.headers || []).map(function (h) {
                var header = { key: h.key, value: h.value };
                if (h.disabled) { header.disabled = true; }
                return header;
            })
        });
        if (r.body) { req.body = r.body; }
        if (r.auth) { req.auth = new RequestAuth(r.auth); }
        var rendered = req._export();
        hidden(req, '_stored', {
            text: r.url || '',
            rendered: rendered.url,
            body: jsonStringify(rendered.body),
            bodyJson: r.body || null,
            auth: jsonStringify(rendered.auth),
            authJson: r.auth || null
        });
        return req;
    }

    // ================================================================ Response

    var REASONS = {
        100: 'Continue', 101: 'Switching Protocols', 102: 'Processing', 103: 'Early Hints',
        200: 'OK', 201: 'Created', 202: 'Accepted', 203: 'Non-Authoritative Information', 204: 'No Content',
        205: 'Reset Content', 206: 'Partial Content', 207: 'Multi-Status', 208: 'Already Reported', 226: 'IM Used',
        300: 'Multiple Choices', 301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified',
        305: 'Use Proxy', 307: 'Temporary Redirect', 308: 'Permanent Redirect',
        400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found',
        405: 'Method Not Allowed', 406: 'Not Acceptable', 407: 'Proxy Authentication Required', 408: 'Request Timeout',
        409: 'Conflict', 410: 'Gone', 411: 'Length Required', 412: 'Precondition Failed', 413: 'Payload Too Large',
        414: 'URI Too Long', 415: 'Unsupported Media Type', 416: 'Range Not Satisfiable', 417: 'Expectation Failed',
        418: "I'm a teapot", 421: 'Misdirected Request', 422: 'Unprocessable Entity', 423: 'Locked',
        424: 'Failed Dependency', 425: 'Too Early', 426: 'Upgrade Required', 428: 'Precondition Required',
        429: 'Too Many Requests', 431: 'Request Header Fields Too Large', 451: 'Unavailable For Legal Reasons',
        500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable',
        504: 'Gateway Timeout', 505: 'HTTP Version Not Supported', 506: 'Variant Also Negotiates',
        507: 'Insufficient Storage', 508: 'Loop Detected', 510: 'Not Extended', 511: 'Network Authentication Required'
    };

    // Where JSON.parse gave up, in the words of Postman's parser:
    // `Unexpected token 'N' at 1:1`, then the line and a caret under it.
    function jsonError(text) {
        var i = 0;
        var n = text.length;
        var stop = function (message, at) { throw { json: message, at: at }; };
        var unexpected = function () {
            if (i >= n) { stop('Unexpected end of input', n); }
            stop("Unexpected token '" + text.charAt(i) + "'", i);
        };
        var ws = function () { while (i < n && ' \t\n\r'.indexOf(text.charAt(i)) !== -1) { i++; } };
        var string = function () {
            i++;
            while (i < n) {
                var c = text.charAt(i);
                if (c === '"') { i++; return; }
                if (c === '\\') {
                    i++;
                    var e = text.charAt(i);
                    if ('"\\/bfnrt'.indexOf(e) !== -1 && e !== '') { i++; continue; }
                    if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.substr(i + 1, 4))) { i += 5; continue; }
                    unexpected();
                }
                if (c < ' ') { unexpected(); }
                i++;
            }
            unexpected();
        };
        var value = function () {
            ws();
            if (i >= n) { unexpected(); }
            var c = text.charAt(i);
            if (c === '{' || c === '[') {
                var close = c === '{' ? '}' : ']';
                i++;
                ws();
                if (text.charAt(i) === close) { i++; return; }
                for (;;) {
                    ws();
                    if (c === '{') {
                        if (text.charAt(i) === '}') { stop('Trailing comma in object', i); }
                        if (text.charAt(i) !== '"') { unexpected(); }
                        string();
                        ws();
                        if (text.charAt(i) !== ':') { unexpected(); }
                        i++;
                    } else if (text.charAt(i) === ']') {
                        stop('Trailing comma in array', i);
                    }
                    value();
                    ws();
                    if (text.charAt(i) === ',') { i++; continue; }
                    if (text.charAt(i) === close) { i++; return; }
                    unexpected();
                }
            }
            if (c === '"') { string(); return; }
            var number = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
            number.lastIndex = i;
            var m = number.exec(text);
            if (m && m[0].length && m[0] !== '-') { i += m[0].length; return; }
            var words = ['true', 'false', 'null'];
            for (var w = 0; w < words.length; w++) {
                if (text.substr(i, words[w].length) === words[w]) { i += words[w].length; return; }
            }
            unexpected();
        };
        try {
            if (!text.trim()) { stop('No data, empty input', 0); }
            value();
            ws();
            if (i < n) { unexpected(); }
        } catch (e) {
            if (e && e.json) {
                var before = text.slice(0, e.at).split('\n');
                var line = before.length;
                var col = before[before.length - 1].length + 1;
                var lineText = text.split('\n')[line - 1] || '';
                // A long line is shown around the error only.
                var start = Math.max(0, col - 40);
                var shown = lineText.slice(start, start + 80);
                return e.json + ' at ' + line + ':' + col + '\n' + shown + '\n' + ' '.repeat(col - 1 - start) + '^';
            }
            throw e;
        }
        return undefined;
    }

    function parseJson(text, reviver) {
        text = text === undefined || text === null ? '' : String(text);
        if (text.charCodeAt(0) === 0xFEFF) { text = text.slice(1); }
        try {
            return jsonParse(text, reviver);
        } catch (err) {
            var error = new Error(jsonError(text) || err.message);
            error.name = 'JSONError';
            throw error;
        }
    }

    // Postman's Response, from a ScriptResponse (state.rs).
    function Response(r) {
        r = r || {};
        this.id = r.id;
        this.code = Number(r.code);
        this.status = r.status || REASONS[this.code] || '';
        this.headers = new PropertyList(Header, this, (r.headers || []).map(function (h) {
            var header = { key: h.key, value: h.value };
            if (h.disabled) { header.disabled = true; }
            return header;
        }));
        hidden(this, '_body', r.body === undefined || r.body === null ? '' : String(r.body));
        this.responseTime = r.response_time !== undefined ? r.response_time : r.responseTime;
        this.responseSize = r.response_size !== undefined ? r.response_size : r.responseSize;
        this.cookies = new PropertyList(Cookie, this, (r.cookies || []).map(cookieFromState));
    }
    Response.isResponse = function (obj) { return obj instanceof Response; };
    Response.prototype = {
        constructor: Response,
        text: function () { return this._body; },
        json: function (reviver) { return parseJson(this._body, reviver); },
        jsonp: function (reviver) {
            return parseJson(this._body.replace(/^[^{(].*\(/, '').replace(/\)[^}].*$|\)$/, ''), reviver);
        },
        reason: function () { return this.status || REASONS[this.code] || ''; },
        details: function () {
            var standard = REASONS[this.code] || '';
            return { name: this.reason(), detail: standard, code: this.code, standardName: standard };
        },
        size: function () {
            var body = Number(this.responseSize);
            if (!isFinite(body)) { body = utf8Length(this._body); }
            var header = ('HTTP/X.X ' + this.code + ' ' + this.reason() + '\r\n\r\n').length +
                (this.headers.count() ? Header.unparse(this.headers.all()).length : 0);
            return { body: body, header: header, total: body + header };
        },
        contentInfo: function () {
            var type = String(this.headers.get('Content-Type') || '');
            var mime = type.split(';')[0].trim().toLowerCase();
            var charset = /charset=([^;]+)/i.exec(type);
            var format = /json/.test(mime) ? 'json' : /xml/.test(mime) ? 'xml' : /html/.test(mime) ? 'html'
                : /javascript/.test(mime) ? 'script' : /^text\//.test(mime) ? 'text' : /^image\//.test(mime) ? 'image' : 'raw';
            return {
                contentType: type || undefined,
                mimeType: mime.split('/')[0] || undefined,
                mimeFormat: format,
                charset: charset ? charset[1].trim().replace(/^"|"$/g, '') : 'utf8'
            };
        },
        encoding: function () {
            var format = this.headers.get('Content-Encoding');
            return { format: format, source: format ? 'header' : undefined };
        },
        toJSON: function () {
            return {
                code: this.code, status: this.status, header: this.headers.toJSON(), body: this._body,
                responseTime: this.responseTime, responseSize: this.responseSize, cookie: this.cookies.toJSON()
            };
        }
    };
    Object.defineProperty(Response.prototype, 'to', {
        configurable: true,
        get: function () { return chai().expect(this).to; }
    });
    // The body's bytes as a Buffer (`res.stream.toString()`), made on use.
    Object.defineProperty(Response.prototype, 'stream', {
        configurable: true,
        get: function () { return global.require('buffer').Buffer.from(this._body, 'utf8'); }
    });

    function utf8Length(text) {
        var bytes = 0;
        for (var i = 0; i < text.length; i++) {
            var c = text.charCodeAt(i);
            if (c < 0x80) { bytes += 1; } else if (c < 0x800) { bytes += 2; } else if (c >= 0xD800 && c < 0xDC00) { bytes += 4; i++; } else { bytes += 3; }
        }
        return bytes;
    }

    // ================================================================ chai

    var chaiLib;

    // chai, with the Postman assertions, loaded on first use.
    function chai() {
        if (!chaiLib) {
            var lib = global.require('chai');
            lib.use(postmanAssertions);
            chaiLib = lib;
        }
        return chaiLib;
    }

    var STATUS_CLASSES = { info: 1, success: 2, redirection: 3, clientError: 4, serverError: 5 };
    // Postman's named statuses (chai-postman); `notAcceptable` and
    // `unauthorised` compare with the real reason phrases here.
    var NAMED_STATUSES = {
        accepted: [202, 'Accepted'],
        withoutContent: [204, 'No Content'],
        badRequest: [400, 'Bad Request'],
        unauthorised: [401, 'Unauthorized'],
        unauthorized: [401, 'Unauthorized'],
        forbidden: [403, 'Forbidden'],
        notFound: [404, 'Not Found'],
        notAcceptable: [406, 'Not Acceptable'],
        rateLimited: [429, 'Too Many Requests']
    };

    function firstLine(text) { return String(text).split('\n')[0]; }

    function loadAjv() {
        var Ajv;
        try { Ajv = global.require('ajv'); } catch (e) { Ajv = undefined; }
        if (Ajv && typeof Ajv !== 'function' && typeof Ajv.default === 'function') { Ajv = Ajv.default; }
        return typeof Ajv === 'function' ? Ajv : undefined;
    }

    function postmanAssertions(lib, utils) {
        var Assertion = lib.Assertion;
        var isResponse = function (obj) { return obj instanceof Response; };
        var isRequest = function (obj) { return obj instanceof Request; };
        var which = function (obj) { return isRequest(obj) ? 'request' : isResponse(obj) ? 'response' : undefined; };
        // Guards: chai's own assertion runs only when the quick check
        // fails, so it throws chai's error unchanged, and a passing check
        // costs no Assertion objects (each costs microseconds in QuickJS).
        var beResponse = function (obj) {
            if (!isResponse(obj)) { new Assertion(obj).to.be.postmanResponse; }
        };
        var beRequestOrResponse = function (obj) {
            if (!isResponse(obj) && !isRequest(obj)) { new Assertion(obj).to.be.postmanRequestOrResponse; }
        };
        var haveProperty = function (obj, name) {
            if (obj === null || obj === undefined || !(name in Object(obj))) { new Assertion(obj).to.have.property(name); }
        };
        var beNumber = function (value) {
            if (typeof value !== 'number') { new Assertion(value).to.be.a('number'); }
        };
        var mustBeResponse = function (obj) {
            beResponse(obj);
            haveProperty(obj, 'code');
            beNumber(obj.code);
        };

        Assertion.addProperty('postmanRequest', function () {
            this.assert(isRequest(this._obj), 'expecting a postman request object but got #{this}', 'not expecting a postman request object');
        });
        Assertion.addProperty('postmanResponse', function () {
            this.assert(isResponse(this._obj), 'expecting a postman response object but got #{this}', 'not expecting a postman response object');
        });
        Assertion.addProperty('postmanRequestOrResponse', function () {
            this.assert(isResponse(this._obj) || isRequest(this._obj),
                'expecting a postman request or response object but got #{this}',
                'not expecting a postman request or response object');
        });

        Assertion.addMethod('statusCodeClass', function (classCode) {
            mustBeResponse(this._obj);
            this.assert(Math.floor(this._obj.code / 100) === classCode,
                'expected response code to be #{exp}XX but found #{act}',
                'expected response code to not be #{exp}XX', classCode, this._obj.code);
        });
        Object.keys(STATUS_CLASSES).forEach(function (name) {
            var classCode = STATUS_CLASSES[name];
            Assertion.addProperty(name, function () {
                mustBeResponse(this._obj);
                this.assert(Math.floor(this._obj.code / 100) === classCode,
                    'expected response code to be #{exp}XX but found #{act}',
                    'expected response code to not be #{exp}XX', classCode, this._obj.code);
            });
        });
        Assertion.addProperty('error', function () {
            mustBeResponse(this._obj);
            var statusClass = Math.floor(this._obj.code / 100);
            this.assert(statusClass === 4 || statusClass === 5,
                'expected response code to be 4XX or 5XX but found #{act}',
                'expected response code to not be 4XX or 5XX', null, this._obj.code);
        });

        var assertCode = function (assertion, code) {
            assertion.assert(assertion._obj.code === Number(code),
                'expected response to have status code #{exp} but got #{act}',
                'expected response to not have status code #{act}', Number(code), assertion._obj.code);
        };
        var assertReason = function (assertion, reason) {
            assertion.assert(assertion._obj.reason() === reason,
                'expected response to have status reason #{exp} but got #{act}',
                'expected response to not have status reason #{act}', reason, assertion._obj.reason());
        };
        var assertNamed = function (assertion, code, name) {
            var wanted = name.toUpperCase();
            var actual = String(assertion._obj.reason()).toUpperCase();
            assertion.assert(actual === wanted,
                'expected response to have status reason #{exp} but got #{act}',
                'expected response to not have status reason #{act}', wanted, actual);
            assertion.assert(Number(assertion._obj.code) === code,
                'expected response to have status code #{exp} but got #{act}',
                'expected response to not have status code #{act}', code, Number(assertion._obj.code));
        };

        Assertion.addMethod('statusCode', function (code) {
            mustBeResponse(this._obj);
            assertCode(this, code);
        });
        Assertion.addMethod('statusReason', function (reason) {
            beResponse(this._obj);
            assertReason(this, String(reason));
        });
        Assertion.addMethod('status', function (codeOrReason) {
            beResponse(this._obj);
            if (typeof codeOrReason === 'number') {
                beNumber(this._obj.code);
                assertCode(this, codeOrReason);
            } else {
                assertReason(this, codeOrReason);
            }
        });
        Object.keys(NAMED_STATUSES).forEach(function (name) {
            var status = NAMED_STATUSES[name];
            Assertion.addProperty(name, function () {
                beResponse(this._obj);
                assertNamed(this, status[0], status[1]);
            });
        });
        // `ok` stays chai's truthiness check for anything but a response.
        Assertion.overwriteProperty('ok', function (chaiOk) {
            return function () {
                if (!isResponse(this._obj)) { return chaiOk.call(this); }
                assertNamed(this, 200, 'OK');
            };
        });

        Assertion.addMethod('header', function (key, value) {
            beRequestOrResponse(this._obj);
            haveProperty(this._obj, 'headers');
            var kind = which(this._obj);
            var headers = this._obj.headers;
            this.assert(headers.has(key),
                'expected ' + kind + " to have header with key '" + String(key) + "'",
                'expected ' + kind + " to not have header with key '" + String(key) + "'", true, headers.has(key));
            if (arguments.length < 2) { return; }
            var actual = headers.one(key).value;
            this.assert(actual === value,
                "expected '" + String(key) + "' " + kind + ' header to be #{exp} but got #{act}',
                "expected '" + String(key) + "' " + kind + ' header to not be #{act}', value, actual);
        });

        Assertion.addProperty('withBody', function () {
            beResponse(this._obj);
            var text = this._obj.text();
            this.assert(typeof text === 'string' && text.length,
                'expected response to have content in body', 'expected response to not have content in body');
        });

        var jsonParseError = function (response) {
            try {
                response.json();
                return undefined;
            } catch (e) {
                return e.name === 'JSONError' && e.message ? firstLine(e.message) : e.name + ': ' + e.message;
            }
        };
        Assertion.addProperty('json', function () {
            beResponse(this._obj);
            var error = jsonParseError(this._obj);
            this.assert(!error, 'expected response body to be a valid json but got error ' + error,
                'expected response body not to be a valid json');
        });

        // postie's own: the Content-Type says html / xml.
        ['html', 'xml'].forEach(function (kind) {
            Assertion.addProperty(kind, function () {
                beRequestOrResponse(this._obj);
                var type = String(this._obj.headers.get('Content-Type') || '');
                var mime = type.split(';')[0].trim().toLowerCase();
                var matches = kind === 'html' ? /(^|\/|\+)x?html$/.test(mime) : /(^|\/|\+)xml$/.test(mime);
                this.assert(matches,
                    'expected ' + which(this._obj) + ' to have an ' + kind + ' Content-Type but got #{act}',
                    'expected ' + which(this._obj) + ' to not have an ' + kind + ' Content-Type but got #{act}',
                    kind, type);
            });
        });

        Assertion.addMethod('body', function (content) {
            beResponse(this._obj);
            var data;
            if (isPlainObject(content)) {
                try { data = this._obj.json(); } catch (e) { data = undefined; }
                this.assert(utils.eql(data, content),
                    'expected response body json to equal #{exp} but got #{act}',
                    'expected response body json to not equal #{exp} but got #{act}', content, data);
                return;
            }
            data = this._obj.text();
            if (arguments.length === 0) {
                this.assert(typeof data === 'string' && data.length,
                    'expected response to have content in body', 'expected response to not have content in body');
                return;
            }
            if (content instanceof RegExp) {
                this.assert(content.exec(data) !== null,
                    'expected response body text to match #{exp} but got #{act}',
                    'expected response body text #{act} to not match #{exp}', content, data);
                return;
            }
            this.assert(utils.eql(data, content),
                'expected response body to equal #{exp} but got #{act}',
                'expected response body to not equal #{exp}', content, data);
        });

        Assertion.addMethod('jsonBody', function (path, value) {
            beResponse(this._obj);
            var body;
            var error;
            try { body = this._obj.json(); } catch (e) {
                error = e.name === 'JSONError' && e.message ? firstLine(e.message) : e.name + ': ' + e.message;
            }
            if (arguments.length === 0) {
                this.assert(!error, 'expected response body to be a valid json but got error ' + error,
                    'expected response body not to be a valid json');
                return;
            }
            if (typeof path === 'string') {
                var found = lookupPath(body, path);
                this.assert(found.has,
                    'expected #{act} in response to contain property #{exp}',
                    'expected #{act} in response to not contain property #{exp}', path, body);
                if (arguments.length > 1) {
                    this.assert(utils.eql(found.value, value),
                        'expected response body json at "' + path + '" to contain #{exp} but got #{act}',
                        'expected response body json at "' + path + '" to not contain #{exp} but got #{act}',
                        value, found.value);
                }
            }
        });

        Assertion.addChainableMethod('responseTime', function (value) {
            var time = utils.flag(this, 'number');
            this.assert(typeof time === 'number',
                'expected response to have a valid response time but got #{act}',
                'expected response to not have a valid response time but got #{act}', null, time);
            if (arguments.length) {
                this.assert(utils.eql(time, value),
                    'expected response to have a valid response time but got #{act}',
                    'expected response to not have a valid response time but got #{act}', null, time);
            }
        }, function () {
            beResponse(this._obj);
            utils.flag(this, 'number', this._obj.responseTime);
            this._obj = this._obj.responseTime;
        });

        Assertion.addChainableMethod('responseSize', function (value) {
            var size = utils.flag(this, 'number');
            this.assert(typeof size === 'number',
                'expected response to have a valid response size but got #{act}',
                'expected response to not have a valid response size but got #{act}', null, size);
            if (arguments.length) {
                this.assert(utils.eql(size, value),
                    'expected response size to equal #{act} but got #{exp}',
                    'expected response size to not equal #{act} but got #{exp}', value, size);
            }
        }, function () {
            beResponse(this._obj);
            var size = this._obj.size();
            utils.flag(this, 'number', size.total);
            this._obj = size.total;
        });

        Assertion.addMethod('jsonSchema', function (schema, options) {
            new Assertion(schema).to.be.an('object');
            var data = isResponse(this._obj) || isRequest(this._obj) && typeof this._obj.json === 'function'
                ? this._obj.json() : this._obj;
            var Ajv = loadAjv();
            if (Ajv) {
                var ajv = new Ajv(Object.assign({ allErrors: true, logger: false }, options));
                var valid = ajv.validate(schema, data);
                this.assert(valid && !ajv.errors,
                    'expected data to satisfy schema but found following errors: \n' + ajv.errorsText(),
                    'expected data to not satisfy schema', true, valid);
                return;
            }
            var tv4 = global.tv4;
            if (!tv4) { throw new Error('jsonSchema needs the ajv or tv4 library, which is not available'); }
            var result = tv4.validateMultiple(data, schema);
            this.assert(result.valid,
                'expected data to satisfy schema but found following errors: \n' +
                    result.errors.map(function (e) { return 'data' + e.dataPath.replace(/\//g, '.') + ' ' + e.message; }).join(', '),
                'expected data to not satisfy schema', true, result.valid);
        });
    }

    // lodash's `_.has`/`_.get` path syntax: `a.b[0].c`.
    function lookupPath(obj, path) {
        var parts = [];
        String(path).replace(/[^.[\]]+|\[(?:(-?\d+)|(["'])((?:(?!\2)[^\\]|\\.)*?)\2)\]/g, function (m, n, q, s) {
            parts.push(q ? s : n !== undefined ? n : m);
            return m;
        });
        if (hasOwn(Object(obj), path)) { return { has: true, value: obj[path] }; }
        var cur = obj;
        for (var i = 0; i < parts.length; i++) {
            if (cur === null || cur === undefined || !hasOwn(Object(cur), parts[i])) { return { has: false, value: undefined }; }
            cur = cur[parts[i]];
        }
        return { has: parts.length > 0, value: cur };
    }

    // ================================================================ cookie jar

    function urlOf(url) {
        if (url instanceof Url) { return url; }
        if (typeof url === 'string' && url) { return new Url(url); }
        return null;
    }

    function domainMatches(host, domain) {
        host = String(host || '').toLowerCase();
        domain = String(domain || '').toLowerCase().replace(/^\./, '');
        return host === domain || (host.length > domain.length && host.slice(-domain.length - 1) === '.' + domain);
    }

    function pathMatches(requestPath, cookiePath) {
        cookiePath = cookiePath || '/';
        if (requestPath === cookiePath) { return true; }
        if (requestPath.indexOf(cookiePath) !== 0) { return false; }
        return cookiePath.slice(-1) === '/' || requestPath.charAt(cookiePath.length) === '/';
    }

    // Promise without a callback, the callback otherwise (Postman's jar).
    function dualMode(work, callback, callbackRequired) {
        var promise = new Promise(function (resolve, reject) {
            work(function (err, result) {
                if (err) { reject(err instanceof Error ? err : new Error(err)); } else { resolve(result); }
            });
        });
        if (callback === undefined) { return promise; }
        if (typeof callback !== 'function' && callbackRequired) { throw new TypeError('callback needs to be a function'); }
        promise.then(function (result) {
            if (typeof callback === 'function') { callback(null, result); }
        }, function (err) {
            if (typeof callback === 'function') { callback(err); }
        });
        return undefined;
    }

    // The jar scripts see: the cookies postie gave for this request's URL,
    // changed in memory; end() hands them back as the state's `cookies`.
    function CookieJar(store) {
        hidden(this, '_store', store);
    }
    CookieJar.prototype = {
        constructor: CookieJar,
        _matching: function (url) {
            var host = url.getHost();
            var path = url.getPath();
            return this._store.cookies.filter(function (c) {
                return domainMatches(host, c.domain || host) && pathMatches(path, c.path);
            });
        },
        get: function (url, name, callback) {
            var self = this;
            return dualMode(function (done) {
                var u = urlOf(url);
                if (!u) { throw new TypeError('CookieJar.get() requires a valid url'); }
                if (typeof name !== 'string') { throw new TypeError('CookieJar.get() requires cookie name to be a string'); }
                var found = self._matching(u).filter(function (c) { return c.name === name; })[0];
                done(null, found ? found.value : null);
            }, callback, true);
        },
        getAll: function (url, options, callback) {
            var self = this;
            if (typeof options === 'function' && !callback) { callback = options; options = {}; }
            return dualMode(function (done) {
                var u = urlOf(url);
                if (!u) { throw new TypeError('CookieJar.getAll() requires a valid url'); }
                if (options !== undefined && typeof options !== 'object') { throw new TypeError('CookieJar.getAll() requires options to be an object'); }
                done(null, new PropertyList(Cookie, null, self._matching(u).map(function (c) { return new Cookie(c.toJSON()); })));
            }, callback, true);
        },
        set: function (url, name, value, callback) {
            var self = this;
            if (typeof value === 'function' && !callback) { callback = value; value = null; }
            return dualMode(function (done) {
                var u = urlOf(url);
                if (!u) { throw new TypeError('CookieJar.set() requires a valid url'); }
                var cookie;
                if (name && value !== null && value !== undefined && typeof name !== 'object') {
                    cookie = new Cookie({ name: String(name), value: String(value) });
                } else if (isObject(name)) {
                    cookie = new Cookie(name);
                } else if (typeof name === 'string') {
                    cookie = new Cookie(Cookie.parse(name));
                } else {
                    throw new TypeError('CookieJar.set() requires a valid set cookie arguments');
                }
                if (!cookie.domain) { cookie.domain = u.getHost(); cookie.hostOnly = true; }
                if (!cookie.path) { cookie.path = '/'; }
                self._store.cookies = self._store.cookies.filter(function (c) {
                    return !(c.name === cookie.name && String(c.domain || '').replace(/^\./, '') === cookie.domain.replace(/^\./, '') &&
                        (c.path || '/') === cookie.path);
                });
                self._store.cookies.push(cookie);
                done(null, cookie);
            }, callback);
        },
        unset: function (url, name, callback) {
            var self = this;
            return dualMode(function (done) {
                var u = urlOf(url);
                if (!u) { throw new TypeError('CookieJar.unset() requires a valid url'); }
                if (typeof name !== 'string') { throw new TypeError('CookieJar.unset() requires cookie name to be a string'); }
                var target = self._matching(u).filter(function (c) { return c.name === name; })[0];
                if (target) { self._store.cookies = self._store.cookies.filter(function (c) { return c !== target; }); }
                done(null);
            }, callback);
        },
        clear: function (url, callback) {
            var self = this;
            return dualMode(function (done) {
                var u = urlOf(url);
                if (!u) { throw new TypeError('CookieJar.clear() requires a valid url'); }
                var gone = self._matching(u);
                self._store.cookies = self._store.cookies.filter(function (c) { return gone.indexOf(c) === -1; });
                done(null);
            }, callback);
        }
    };

    // ================================================================ tests

    function errorText(err) {
        if (err === undefined || err === null) { return 'undefined'; }
        if (isObject(err) && typeof err.message === 'string') {
            // An assertion (or a plain Error) reads as its message; other
            // kinds keep their name (`TypeError: ...`, `JSONError: ...`).
            if (!err.name || err.name === 'AssertionError' || err.name === 'Error') { return err.message; }
            return err.name + ': ' + err.message;
        }
        return String(err);
    }

    function fail(record, err) {
        record.passed = false;
        record.error = errorText(err);
    }

    // ================================================================ phases

    var run = null; // the phase being run: state and the objects built from it

    function buildPm(state, phase) {
        var vars = state.variables || {};
        var globals = new VariableScope(vars.globals);
        var collection = new VariableScope(vars.collection);
        var environment = new VariableScope(vars.environment);
        // Postman's `pm.environment.name`: the environment the send runs in.
        Object.defineProperty(environment, 'name', { value: vars.environmentName, enumerable: false });
        var data = new VariableScope(vars.data);
        var local = new VariableScope(vars.local, [data, environment, collection, globals]);
        var info = state.info || {};
        var store = { cookies: (state.cookies || []).map(cookieFromState) };
        var cookies = new PropertyList(Cookie, null, (state.cookies || []).map(cookieFromState));
        hidden(cookies, 'jar', function () { return new CookieJar(store); });

        run = {
            state: state,
            phase: phase,
            scopes: { globals: globals, collection: collection, environment: environment, data: data, local: local },
            store: store,
            // Built when first read: most scripts never touch the request,
            // and a run's fixed cost is mostly building these.
            built: { request: null, response: null },
            get request() {
                return this.built.request || (this.built.request = requestFromState(state.request));
            },
            get response() {
                if (!state.response) { return undefined; }
                return this.built.response || (this.built.response = new Response(state.response));
            },
            // The legacy `request` snapshot of the running script, taken
            // before pm.request can be changed (installLegacy).
            legacyRequest: function () {},
            control: Object.assign({}, state.control || {}),
            tests: [],
            legacyTests: {}
        };

        var pm = {};
        var readOnly = function (name, value) {
            Object.defineProperty(pm, name, { value: value, enumerable: true, configurable: true, writable: false });
        };
        readOnly('info', Object.freeze({
            eventName: phase,
            iteration: info.iteration === undefined ? 0 : info.iteration,
            iterationCount: info.iterationCount === undefined ? 1 : info.iterationCount,
            requestName: info.requestName,
            requestId: info.requestId
        }));
        readOnly('globals', globals);
        readOnly('environment', environment);
        readOnly('collectionVariables', collection);
        readOnly('iterationData', data);
        readOnly('variables', local);
        Object.defineProperty(pm, 'request', {
            enumerable: true,
            configurable: true,
            get: function () {
                run.legacyRequest();
                return run.request;
            }
        });
        Object.defineProperty(pm, 'response', {
            enumerable: true,
            configurable: true,
            get: function () { return run.response; }
        });
        readOnly('cookies', cookies);
        readOnly('visualizer', {
            set: function (template, dataObj, options) {
                if (typeof template !== 'string') {
                    throw new Error('Invalid template. Template must be of type string, found ' + typeof template);
                }
                if (dataObj && typeof dataObj !== 'object') {
                    throw new Error('Invalid data. Data must be an object, found ' + typeof dataObj);
                }
                if (options && typeof options !== 'object') {
                    throw new Error('Invalid options. Options must be an object, found ' + typeof options);
                }
                var json = toJsonValue(dataObj);
                run.control.visualizer = { template: template, data: json === undefined ? null : json };
            },
            clear: function () { run.control.visualizer = null; }
        });
        readOnly('execution', Object.freeze({
            setNextRequest: function (next) { run.control.nextRequest = next; },
            skipRequest: function () {
                if (run.phase !== 'prerequest') { throw new TypeError('pm.execution.skipRequest is not a function'); }
                run.control.skipRequest = true;
            }
        }));
        readOnly('sendRequest', function (req, callback) {
            var send = function () {
                return new Promise(function (resolve, reject) {
                    if (!req) { reject(new Error('sendrequest: nothing to request')); return; }
                    var request = req instanceof Request ? req : new Request(req);
                    host.sendRequest(jsonStringify(request._export()), function (err, responseJson) {
                        if (err !== null && err !== undefined) { reject(err instanceof Error ? err : new Error(String(err))); return; }
                        var res;
                        try { res = new Response(jsonParse(responseJson)); } catch (e) { reject(e); return; }
                        resolve(res);
                    });
                });
            };
            if (typeof callback === 'function') {
                callback = bindToTest(callback);
                send().then(function (res) {
                    callback.call(pm, null, res, { cookies: res.cookies });
                }, function (err) {
                    callback.call(pm, err);
                });
                return pm;
            }
            return send();
        });
        readOnly('test', makeTest(pm));
        Object.defineProperty(pm, 'expect', {
            enumerable: true,
            configurable: true,
            get: function () { return chai().expect; }
        });
        readOnly('require', function (name) {
            throw new Error('pm.require("' + name + '"): Postman package libraries are not supported by postie; use require() for the built-in libraries');
        });
        return pm;
    }

    // The `done` test whose code is running: timers and pm.sendRequest
    // callbacks it starts fail it when they throw, instead of ending the
    // script with an error while the test waits for a `done` never called.
    var activeTest = null;

    function bindToTest(fn) {
        var test = activeTest;
        if (!test || typeof fn !== 'function') { return fn; }
        return function () {
            var previous = activeTest;
            activeTest = test;
            try {
                return fn.apply(this, arguments);
            } catch (e) {
                if (test.settled) { throw e; }
                fail(test, e);
                test.settled = true;
                return undefined;
            } finally {
                activeTest = previous;
            }
        };
    }

    ['setTimeout', 'setInterval', 'setImmediate'].forEach(function (name) {
        var original = global[name];
        if (typeof original !== 'function') { return; }
        hidden(global, name, function (fn) {
            var args = Array.prototype.slice.call(arguments);
            args[0] = bindToTest(fn);
            return original.apply(this, args);
        });
    });

    function makeTest(pm) {
        var test = function (name, fn) {
            var record = { name: String(name), passed: true, skipped: false, error: null, settled: false };
            run.tests.push(record);
            var settle = function (err, failed) {
                if (record.settled) { return; }
                if (failed) { fail(record, err); }
                record.settled = true;
            };
            var watch = function (result) {
                if (result && typeof result.then === 'function') {
                    result.then(function () { if (!fn.length) { settle(); } }, function (e) { settle(e, true); });
                    return true;
                }
                return false;
            };
            if (typeof fn !== 'function') {
                record.settled = true;
                return pm;
            }
            if (fn.length) {
                // Asynchronous with a callback: done() or done(error).
                var previous = activeTest;
                activeTest = record;
                try {
                    watch(fn(function (err) { settle(err, Boolean(err)); }));
                } catch (e) {
                    settle(e, true);
                } finally {
                    activeTest = previous;
                }
            } else {
                try {
                    if (!watch(fn())) { settle(); }
                } catch (e) {
                    settle(e, true);
                }
            }
            return pm;
        };
        test.skip = function (name) {
            run.tests.push({ name: String(name), passed: true, skipped: true, error: null, settled: true });
            return pm;
        };
        test.index = function () { return run.tests.length; };
        return test;
    }

    // ---------------------------------------------------------------- legacy

    var LEGACY = ['tests', 'globals', 'environment', 'data', 'request', 'iteration', 'postman',
        'responseCookies', 'responseHeaders', 'responseTime', 'responseCode', 'responseBody'];

    function setGlobal(name, value) {
        Object.defineProperty(global, name, { value: value, writable: true, configurable: true, enumerable: false });
    }

    // A global computed when a script first reads it, then a plain value;
    // assigning it first replaces it as a plain global would be.
    function lazyGlobal(name, compute) {
        Object.defineProperty(global, name, {
            configurable: true,
            enumerable: false,
            get: function () {
                var value = compute();
                setGlobal(name, value);
                return value;
            },
            set: function (value) { setGlobal(name, value); }
        });
    }

    // The legacy request's `data`: form fields as an object, else the raw text.
    function legacyRequestData(request) {
        var body = request.body;
        if (!body || body.isEmpty()) { return {}; }
        var fields = function (list) {
            var out = {};
            list.all().forEach(function (p) {
                if (p.disabled) { return; }
                if (hasOwn(out, p.key)) {
                    if (!Array.isArray(out[p.key])) { out[p.key] = [out[p.key]]; }
                    out[p.key].push(p.value);
                } else {
                    out[p.key] = p.value;
                }
            });
            return out;
        };
        if (body.mode === 'raw') { return body.raw; }
        if (body.mode === 'urlencoded') { return fields(body.urlencoded); }
        if (body.mode === 'formdata') { return fields(body.formdata); }
        return {};
    }

    // Legacy globals for one script: snapshots as Postman takes them when
    // each script starts.
    function installLegacy() {
        var scopes = run.scopes;
        var snapshotEnv = scopes.environment.toObject();
        var snapshotGlobals = scopes.globals.toObject();
        var stringify = function (value) {
            return (value === false || value) && typeof value.toString === 'function' ? value.toString() : value;
        };
        var postman = {
            setEnvironmentVariable: function (key, value) {
                value = stringify(value);
                snapshotEnv[key] = value;
                scopes.environment.set(key, value);
            },
            getEnvironmentVariable: function (key) { return scopes.environment.get(key); },
            clearEnvironmentVariable: function (key) {
                if (key) { delete snapshotEnv[key]; }
                scopes.environment.unset(key);
            },
            clearEnvironmentVariables: function () {
                Object.keys(snapshotEnv).forEach(function (k) { delete snapshotEnv[k]; });
                scopes.environment.clear();
            },
            setGlobalVariable: function (key, value) {
                value = stringify(value);
                snapshotGlobals[key] = value;
                scopes.globals.set(key, value);
            },
            getGlobalVariable: function (key) { return scopes.globals.get(key); },
            clearGlobalVariable: function (key) {
                if (key) { delete snapshotGlobals[key]; }
                scopes.globals.unset(key);
            },
            clearGlobalVariables: function () {
                Object.keys(snapshotGlobals).forEach(function (k) { delete snapshotGlobals[k]; });
                scopes.globals.clear();
            },
            setNextRequest: function (next) { run.control.nextRequest = next; }
        };
        run.legacyTests = {};
        setGlobal('tests', run.legacyTests);
        setGlobal('globals', snapshotGlobals);
        setGlobal('environment', snapshotEnv);
        setGlobal('data', scopes.data.toObject());
        setGlobal('iteration', (run.state.info && run.state.info.iteration) || 0);
        // The request as this script started: taken when the script first
        // reads `request`, or before it first reads pm.request (which it
        // could change), whichever comes first.
        var legacyRequest;
        run.legacyRequest = function () {
            if (legacyRequest) { return legacyRequest; }
            var request = run.request;
            legacyRequest = {
                id: request.id,
                name: request.name,
                description: request.description === undefined || request.description === null
                    ? undefined : request.description.toString(),
                headers: request.headers.toObject(true, false, true),
                method: request.method,
                url: request.url.toString(),
                data: legacyRequestData(request)
            };
            return legacyRequest;
        };
        lazyGlobal('request', run.legacyRequest);
        if (run.state.response) {
            var response = function () { return run.response; };
            postman.getResponseHeader = function (name) {
                var header = response().headers.one(name);
                return header ? header.value : undefined;
            };
            postman.getResponseCookie = function (name) {
                return run.pm.cookies.one(String(name));
            };
            lazyGlobal('responseCookies', function () { return run.pm.cookies.all(); });
            lazyGlobal('responseHeaders', function () {
                var headers = {};
                response().headers.each(function (h) { if (h && !h.disabled) { headers[h.key] = h.value; } });
                return headers;
            });
            lazyGlobal('responseTime', function () { return response().responseTime; });
            lazyGlobal('responseCode', function () {
                var details = response().details();
                return { code: response().code, name: details.name, detail: details.detail };
            });
            lazyGlobal('responseBody', function () { return response().text(); });
        } else if (run.phase === 'test') {
            // A test script after a request that got no response (newman
            // runs it): the old globals exist, empty, so `responseCode.code
            // === 200` is a failed test rather than a ReferenceError.
            setGlobal('responseCookies', []);
            setGlobal('responseHeaders', {});
            setGlobal('responseTime', NaN);
            setGlobal('responseCode', { code: NaN, name: '', detail: '' });
            setGlobal('responseBody', undefined);
        } else {
            ['responseCookies', 'responseHeaders', 'responseTime', 'responseCode', 'responseBody'].forEach(function (name) {
                delete global[name];
            });
        }
        setGlobal('postman', postman);
    }

    // `tests["name"] = value` entries become results when the script ends.
    function settleLegacyTests() {
        // A script may have replaced the object (`tests = {}`): read the global.
        var tests = isObject(global.tests) ? global.tests : run.legacyTests;
        if (!isObject(tests)) { return; }
        Object.keys(tests).forEach(function (name) {
            var value = tests[name];
            var passed = Boolean(value);
            run.tests.push({
                name: name,
                passed: passed,
                skipped: false,
                error: passed ? null : 'expected ' + String(value) + ' to be truthy',
                settled: true
            });
        });
        run.legacyTests = {};
    }

    // ---------------------------------------------------------------- contract

    // Fixed: a script that assigns `__pm` must not break the next run.
    Object.defineProperty(global, '__pm', { writable: false, configurable: false, enumerable: false, value: Object.freeze({
        // The response body comes apart from the JSON: a big body is not
        // escaped into it and parsed back out.
        begin: function (stateJson, phaseName, body) {
            var state = jsonParse(stateJson);
            if (state.response) { state.response.body = typeof body === 'string' ? body : ''; }
            var phase = phaseName === 'test' ? 'test' : 'prerequest';
            var pm = buildPm(state, phase);
            run.pm = pm;
            setGlobal('pm', pm);
        },
        startScript: function (file) {
            run.file = String(file);
            run.tests = [];
            installLegacy();
        },
        finishScript: function () {
            settleLegacyTests();
            var out = run.tests.map(function (t) {
                var passed = t.passed && t.settled;
                return {
                    name: t.name,
                    passed: passed,
                    skipped: t.skipped,
                    error: t.settled ? t.error : 'test did not finish'
                };
            });
            run.tests = [];
            return jsonStringify(out);
        },
        end: function () {
            var state = run.state;
            var scopes = run.scopes;
            var out = {
                variables: {
                    globals: scopes.globals._export(),
                    collection: scopes.collection._export(),
                    environment: scopes.environment._export(),
                    // iteration data is read-only to scripts: handed back as it came
                    data: (state.variables && state.variables.data) || {},
                    local: scopes.local._export(),
                    environmentName: (state.variables && state.variables.environmentName) || null
                },
                // null: not read by any script, so unchanged.
                request: run.built.request ? run.built.request._export() : null,
                // Scripts cannot change the response: postie keeps its own
                // copy rather than have a big body stringified back.
                response: null,
                cookies: run.store.cookies.map(cookieToState),
                info: state.info,
                control: {
                    nextRequest: run.control.nextRequest === undefined ? null : toJsonValue(run.control.nextRequest),
                    skipRequest: Boolean(run.control.skipRequest),
                    visualizer: run.control.visualizer || null
                }
            };
            // setNextRequest(null) means "stop the run": keep it apart from "not set".
            if (run.control.nextRequest === undefined) { delete out.control.nextRequest; }
            LEGACY.forEach(function (name) { delete global[name]; });
            return jsonStringify(out);
        }
    }) });
}(globalThis));
