// A minimal pm.js, only so the engine's tests run: the pm API proper
// replaces this file. It keeps the contract's four functions.
(function (global) {
    'use strict';
    var state, tests, pending;

    function makeVars(scope) {
        return {
            get: function (key) { return state.variables[scope][key]; },
            set: function (key, value) { state.variables[scope][key] = value; }
        };
    }

    function record(test, error) {
        test.passed = !error;
        test.error = error ? String(error && error.message || error) : null;
    }

    var pm = {
        environment: makeVars('environment'),
        test: function (name, fn) {
            var test = { name: String(name), passed: true, skipped: false, error: null };
            tests.push(test);
            try {
                var result = fn();
                if (result && typeof result.then === 'function') {
                    test.passed = false;
                    test.error = 'test did not finish';
                    pending.push(result.then(function () { record(test); }, function (e) { record(test, e); }));
                }
            } catch (e) {
                record(test, e);
            }
        },
        sendRequest: function (request, callback) {
            global.__host.sendRequest(JSON.stringify(request), function (err, res) {
                callback(err, res ? JSON.parse(res) : null);
            });
        }
    };
    Object.defineProperty(pm, 'expect', { get: function () { return global.require('chai').expect; } });

    global.__pm = {
        begin: function (stateJson, phase) {
            state = JSON.parse(stateJson);
            state.phase = phase;
            global.pm = pm;
        },
        startScript: function () { tests = []; pending = []; },
        finishScript: function () { return JSON.stringify(tests); },
        end: function () { delete state.phase; return JSON.stringify(state); }
    };
}(globalThis));
