// Test worker: fails while starting, before it reports ready.
throw new Error('broken on purpose');
