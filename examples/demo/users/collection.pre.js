// Runs before every request in this collection.
pm.variables.set('request_started', Date.now());
